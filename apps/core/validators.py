"""Rules every service applies to what people type: names a person reads must not carry control or
bidirectional-override characters (a name shown reversed or hiding text is a spoofing tool), and an e-mail
address has at most 254 characters (RFC 5321's path limit; Django's ``validate_email`` alone allows 320)."""

import unicodedata

from django.utils.translation import gettext_lazy as _

EMAIL_MAX = 254
UNSAFE_CHARACTERS_MESSAGE = _("Remove the control or text-direction characters from the name.")

# Explicit direction marks, embeddings, overrides and isolates; the line and paragraph separators.
_BIDI_AND_SEPARATORS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


def has_unsafe_characters(value: str) -> bool:
    """A control character (C0, DEL, C1), an unpaired surrogate or a bidi control anywhere in ``value``.
    Zero-width (non-)joiners stay allowed: several scripts need them in names."""
    return any(char in _BIDI_AND_SEPARATORS or unicodedata.category(char) in ("Cc", "Cs") for char in value)
