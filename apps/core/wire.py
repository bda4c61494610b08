"""How the API's bodies write an instant: the one spelling of a Webex time, for every body that shows one."""

from datetime import UTC, datetime, tzinfo


def webex_time(value: datetime | None) -> str | None:
    """ISO-8601 in UTC with milliseconds (truncated) and ``Z``, as Webex writes times."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def drf_time(value: datetime, zone: tzinfo) -> str:
    """An aware instant as DRF's ``DateTimeField`` writes it: ISO-8601 in ``zone`` (the current time zone:
    ``timezone.get_current_timezone()``), with ``Z`` for UTC; for a list's rows without a serializer field's
    calls per row."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
