"""Colours of a brand: parsing, the WCAG 2.2 contrast ratio, and where each colour is used (so which surface
it must be readable on). Pure functions: no model, no request."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
DARK_SURFACE = "#14202f"  # the sidebar, and the Webex App's dark theme in the preview
AA_TEXT = 4.5  # WCAG 2.2 AA, normal text (1.4.3)


def normalise(value: str) -> str:
    """``#RRGGBB`` as lower case; raises ValueError on anything else."""
    value = (value or "").strip()
    if not HEX.match(value):
        raise ValueError(value)
    return value.lower()


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    colour = normalise(colour)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour: str, other: str, weight: float) -> str:
    """``colour`` moved towards ``other`` by ``weight`` (0–1): hover and soft shades of a primary colour."""
    a, b = normalise(colour), normalise(other)
    channels = (
        round(int(a[i : i + 2], 16) * (1 - weight) + int(b[i : i + 2], 16) * weight) for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


@dataclass(frozen=True)
class Usage:
    field: str
    surface: str
    where: str  # what a person reads in the refusal


# Each colour is text (or carries white text) on one surface; both must read at AA.
USAGES = (
    Usage("primary_light", WHITE, _("buttons with white text and links on a white page (light theme)")),
    Usage("accent_light", WHITE, _("accent text on a white page (light theme)")),
    Usage("primary_dark", DARK_SURFACE, _("buttons and links on the dark background (dark theme)")),
    Usage("accent_dark", DARK_SURFACE, _("accent text on the dark background (dark theme)")),
)


def contrast_problems(colours: dict[str, str]) -> dict[str, str]:
    """field → why it is unreadable, for every set colour below AA on its surface."""
    problems = {}
    for usage in USAGES:
        colour = colours.get(usage.field)
        if not colour:
            continue
        ratio = contrast(colour, usage.surface)
        if ratio < AA_TEXT:
            problems[usage.field] = gettext(
                "%(colour)s is unreadable for %(where)s: contrast %(ratio)s:1, at least %(needed)s:1 needed."
            ) % {"colour": colour, "where": usage.where, "ratio": f"{ratio:.2f}", "needed": AA_TEXT}
    return problems
