"""Template filters of the package catalogue: ``{% load packages %}``."""

from collections.abc import Mapping

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from apps.packages import catalogue, locales

register = template.Library()


@register.filter
def package_label(code: str) -> str:
    """The catalogue's name of a package code ("webex_calling" → "Webex Calling")."""
    return catalogue.package_label(code)


@register.filter
def country_label(code: str) -> str:
    """A country's name in the reader's language ("US" → "United States"), for pages that showed the code."""
    return locales.country_name(code)


@register.filter
def locale_label(code: str) -> str:
    """A locale's name in the reader's language ("en_US" → "English (United States)")."""
    return locales.locale_label(code)


@register.simple_tag
def postal_address(place, *, compact: bool = False) -> str:
    """The address of ``place`` (a location, a customer's billing address, a form's cleaned data: the
    ``address_line1`` ... ``country`` fields) as its country's post writes it, then the country's name in the
    reader's language: one line each; ``compact``, for a table cell, the street on one line and the rest,
    muted, on a second."""

    def part(name: str) -> str:
        value = place.get(name) if isinstance(place, Mapping) else getattr(place, name, "")
        return str(value or "").strip()

    street = "\n".join(filter(None, (part("address_line1"), part("address_line2"))))
    lines = locales.postal_address_lines(
        country=part("country"),
        street=street,
        city=part("city"),
        state=part("state_or_province"),
        postal_code=part("zip_or_postal_code"),
    )
    country = locales.country_name(part("country"))
    if not compact:
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in [*lines, country] if line))
    streets = street.splitlines()
    rest = [line for line in lines if line not in streets]
    return format_html(
        '{}<div class="muted small">{}</div>',
        ", ".join(streets),
        " · ".join(filter(None, [", ".join(rest), country])),
    )
