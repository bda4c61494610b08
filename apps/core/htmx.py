"""htmx helpers shared by every console page."""

from django.http import HttpRequest


def partial_or_page(request: HttpRequest, template: str, region: str) -> str:
    """The named partial of ``template`` for an htmx request (not boosted), else the whole page."""
    return f"{template}#{region}" if request.htmx and not request.htmx.boosted else template
