"""Template filters of the package catalogue: ``{% load packages %}``."""

from django import template

from apps.packages import catalogue

register = template.Library()


@register.filter
def package_label(code: str) -> str:
    """The catalogue's name of a package code ("webex_calling" → "Webex Calling")."""
    return catalogue.package_label(code)
