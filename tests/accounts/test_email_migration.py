"""People's e-mails are compared exactly (``email = value.lower()``, which the unique index answers): the
migration lowers any that were stored otherwise, unless that would clash with another person."""

import pytest

from tests.migrations import migrate_to, migrate_to_latest

BEFORE = [("accounts", "0002_initial")]
AFTER = [("accounts", "0003_user_email_lowercase")]


@pytest.mark.django_db(transaction=True)
def test_stored_emails_become_lower_case_unless_they_would_clash():
    try:
        apps = migrate_to(BEFORE)
        User = apps.get_model("accounts", "User")
        mixed = User.objects.create(email="Ana.Mixed@Example.test")
        twin = User.objects.create(email="Bo@Example.test")
        lower_twin = User.objects.create(email="bo@example.test")

        apps = migrate_to(AFTER)
        User = apps.get_model("accounts", "User")
        assert User.objects.get(pk=mixed.pk).email == "ana.mixed@example.test"
        assert User.objects.get(pk=twin.pk).email == "Bo@Example.test"  # left alone: it would clash
        assert User.objects.get(pk=lower_twin.pk).email == "bo@example.test"
    finally:
        migrate_to_latest()
