"""Our own deployment checks (``manage.py check --deploy``): what Django's do not catch and what turns a
production start into a site of 500s or of stale pages — a wildcard host, static files that were never
collected, and a cache each process keeps to itself."""

import json

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages

# Every page links these: when the manifest cannot name them, every page is a 500.
CORE_ASSETS = ("css/app.css", "js/app.js")


def static_manifest_problem() -> str:
    """Why the collected static files cannot serve the pages, or "" when they can (or need not: DEBUG, or a
    storage without a manifest). /healthz asks the same question."""
    backend = storages["staticfiles"]
    if settings.DEBUG or not isinstance(backend, ManifestFilesMixin):
        return ""
    manifest = backend.manifest_name
    try:
        with backend.open(manifest) as handle:
            paths = json.loads(handle.read().decode()).get("paths", {})
    except (OSError, ValueError):
        return (
            f"The static files manifest ({settings.STATIC_ROOT}/{manifest}) is missing or unreadable: run "
            "`manage.py collectstatic` (every page would be a 500)."
        )
    missing = [name for name in CORE_ASSETS if name not in paths]
    if missing:
        return f"The static files manifest lacks {', '.join(missing)}: run `manage.py collectstatic` again."
    return ""


@register(Tags.security, deploy=True)
def wildcard_hosts(app_configs=None, **kwargs) -> list[Error]:
    if "*" in settings.ALLOWED_HOSTS:
        return [
            Error(
                "DJANGO_ALLOWED_HOSTS holds '*': any Host header is accepted (password-reset links and "
                "absolute URLs can be pointed at another site).",
                hint="Name the host names the portal answers to, such as hub.example.com.",
                id="wholesalehub.E001",
            )
        ]
    return []


@register(Tags.staticfiles, deploy=True)
def static_manifest(app_configs=None, **kwargs) -> list[Error]:
    problem = static_manifest_problem()
    return [Error(problem, id="wholesalehub.E002")] if problem else []


@register(Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs) -> list[Error]:
    """Production runs several processes (gunicorn's workers, Celery's): a cache each keeps in its own memory
    lets a brand change show in the others only when their copy expires, and counts the login rate limits per
    process."""
    if settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
        return [
            Error(
                "The cache is each process's own memory: the web and worker processes would each keep their "
                "own copy of the brands (a change shows in the others up to 5 minutes late) and their own "
                "login rate limits.",
                hint="Set REDIS_URL to the Redis every process of the portal shares.",
                id="wholesalehub.E003",
            )
        ]
    return []
