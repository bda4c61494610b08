"""A movable clock for building history (the demo's 90 days, tests): while ``shifted_clock`` is active,
``django.utils.timezone.now`` answers the instant it was set to (``set``) plus the real time elapsed since,
so every service stamps its rows as it would have on that day. Nothing is written behind the services."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone


class Clock:
    def __init__(self, real_now):
        self._real_now = real_now
        self._offset = None

    def set(self, at: datetime) -> None:
        self._offset = at - self._real_now()

    def reset(self) -> None:
        """Back to the real time (the context still restores ``timezone.now`` when it ends)."""
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return self._real_now() + self._offset


@contextmanager
def shifted_clock(at: datetime) -> Iterator[Clock]:
    real_now = timezone.now
    clock = Clock(real_now)
    clock.set(at)
    timezone.now = clock.now
    try:
        yield clock
    finally:
        timezone.now = real_now
