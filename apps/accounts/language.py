"""The language a person reads the portal in: their own choice (``User.language``), else their organisation's
language, else what their browser asks for (Django's LocaleMiddleware), else English.

An organisation's language is known above this app (a customer's organisation locale lives in ``customers``),
so that app registers a source here in its ``AppConfig.ready()``; this module imports no app above it."""

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

OrgLanguageSource = Callable[[object], str | None]
_sources: list[OrgLanguageSource] = []


def register_org_language(source: OrgLanguageSource) -> None:
    """``source(org)`` answers the organisation's locale or language (``fr_FR``, ``fr``) or None."""
    if source not in _sources:
        _sources.append(source)


def portal_language(code: str | None) -> str | None:
    """The portal language for a locale or language code (``fr_CA`` → ``fr``), None when the portal does not
    speak it."""
    language = (code or "").replace("-", "_").split("_")[0].lower()
    return language if language in dict(settings.LANGUAGES) else None


def org_language(org) -> str | None:
    if org is None:
        return None
    for source in _sources:
        language = portal_language(source(org))
        if language:
            return language
    return None


def language_for(user) -> str | None:
    """The language chosen for this person, or None to let the browser decide."""
    return portal_language(user.language) or org_language(user.org)


def language_choices(user) -> list[tuple[str, str]]:
    """What the language picker offers: the organisation's language (named) or one the portal speaks."""
    names = dict(settings.LANGUAGES)
    follow = org_language(user.org)
    label = (
        _("My organisation's language (%(language)s)") % {"language": names[follow]}
        if follow
        else _("My browser's language")
    )
    return [("", label), *settings.LANGUAGES]
