"""Markup compared as a browser reads it: templates are formatted by djLint (attributes on lines of their own,
text indented inside its tag), so a test that looks for a piece of markup compares both sides squashed."""

import re

_SPACE = re.compile(r"\s+")
_AROUND_TAGS = re.compile(r"\s*([<>])\s*")


def squash(markup: bytes | str) -> str:
    """Whitespace runs made one space, and none beside a tag's angle brackets."""
    text = markup.decode() if isinstance(markup, bytes) else markup
    return _AROUND_TAGS.sub(r"\1", _SPACE.sub(" ", text))
