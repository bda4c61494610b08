"""The words of an audit entry's stored codes. An entry keeps what changed as the code its field stores
(``"status": "pending_rpl_review"``); the audit log page shows it by the label its app gives that code
("Pending compliance review"), in the reader's language. Core knows none of the apps' choices: each app names
its coded audit fields when it starts (``AppConfig.ready``)."""

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

_LABELS: dict[str, dict[str, object]] = {}  # audit key → {code: label (a lazy translation)}


def name_audit_codes(keys: Iterable[str], choices: Iterable[tuple[str, object]]) -> None:
    """Show the codes of these audit keys (``"status"``; ``"packages"`` for a list of codes) by the labels of
    ``choices``. Several apps may name the same key (a customer's, a subscriber's, an organisation's
    ``status``): their codes are told apart by value, so a code named twice must read the same."""
    labels = dict(choices)
    for key in keys:
        named = _LABELS.setdefault(key, {})
        for code, label in labels.items():
            if code in named and str(named[code]) != str(label):
                raise ImproperlyConfigured(
                    f"audit key {key!r}: code {code!r} named both {named[code]!r} and {label!r}"
                )
            named[code] = label


def audit_code_label(key: str, value: object) -> str | None:
    """The words for ``value`` stored under audit ``key``, if its app named them; else None."""
    label = _LABELS.get(key, {}).get(value) if isinstance(value, str) else None
    return None if label is None else str(label)
