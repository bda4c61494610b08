import os

from django.core.validators import validate_email
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Work Django leaves to a process's first requests, done as the process starts (gunicorn loads this in
    each worker, and replaces a worker every few thousand requests): the map from URL names to patterns,
    which the first ``reverse()`` built (every write answers with its object's URL), and the e-mail
    validator's regular expressions, compiled on first use (every add of a person checks an address).
    Together ~30 ms of CPU that the first requests of each worker paid."""
    get_resolver().reverse_dict  # noqa: B018 (built on first read, for the default language)
    validate_email("warm@example.com")


_warm()
