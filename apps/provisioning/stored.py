"""Texts written once, in English, into the database (a customer's errors, an attach request's reasons) and
shown on pages in the reader's language. The API and the audit log keep them as written.

Each such text is a msgid marked with ``gettext_noop`` where it is written; a page translates it back with
``stored_text_translated``: an exact msgid (the error registry's descriptions, once marked) or one whose
``%(name)s`` values are read back from the stored text. Anything else is shown as it was stored."""

import re
from collections.abc import Iterable
from functools import cache

from django.utils.translation import gettext


@cache
def _filled(msgid: str) -> re.Pattern:
    """What ``msgid`` reads once its ``%(name)s`` placeholders are filled in (each one a named group)."""
    return re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+)", re.escape(msgid)) + r"\Z", re.S)


def stored_text_translated(text: str, msgids: Iterable[str] = ()) -> str:
    """``text`` (stored in English) in the active language."""
    translated = gettext(text) if text else text
    if translated != text:
        return translated
    for msgid in msgids:
        match = _filled(msgid).match(text)
        if match:
            return gettext(msgid) % match.groupdict()
    return text
