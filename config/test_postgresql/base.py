"""PostgreSQL for the test suite only (``config.settings_test``): a flush deletes the rows instead of
truncating the tables.

pytest-django empties the database after every test that commits (``transactional_db``, ``live_server``: the
browser and worker tests), and the persona world's keeper does after a test that lost it. Django flushes with
one ``TRUNCATE`` of every table, which gives each of them new files: seconds on a loaded machine, for tables
that hold a few hundred rows. ``DELETE`` of those rows takes milliseconds. Django's foreign keys on
PostgreSQL are ``DEFERRABLE INITIALLY DEFERRED``, and the flush runs in one transaction, so the order of the
tables does not matter (``tests/test_test_database.py`` checks that every foreign key is deferrable). A flush
that resets sequences or cascades (``flush`` run by hand) keeps Django's ``TRUNCATE``.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
