"""Template filters of the package catalogue: ``{% load packages %}``."""

from django import template

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
