"""Template filters of the package catalogue: ``{% load packages %}``."""

from django import template

from apps.packages.constants import PackageCode

register = template.Library()


@register.filter
def package_label(code: str) -> str:
    """The catalogue's name of a package code ("webex_calling" → "Webex Calling")."""
    try:
        return str(PackageCode(code).label)
    except ValueError:
        return code.replace("_", " ").capitalize()
