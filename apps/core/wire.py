"""How the API's bodies write an instant: the one spelling of a Webex time, for every body that shows one."""

from datetime import UTC, datetime


def webex_time(value: datetime | None) -> str | None:
    """ISO-8601 in UTC with milliseconds (truncated) and ``Z``, as Webex writes times."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
