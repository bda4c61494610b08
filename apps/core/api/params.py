"""Query parameters several APIs read the same way."""

from rest_framework import exceptions
from rest_framework.request import Request


def statuses_param(request: Request, choices: list[str]) -> list[str]:
    """``status`` repeated and/or comma-separated, each value exactly one of ``choices`` (else a 400)."""
    values = [v for raw in request.query_params.getlist("status") for v in raw.split(",")]
    unknown = sorted(set(values) - set(choices))
    if unknown:
        shown = ", ".join(f"“{v[:40]}”" for v in unknown[:5])
        raise exceptions.ValidationError({"status": f"Unknown status {shown}: use {', '.join(choices)}."})
    return values
