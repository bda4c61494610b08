"""Reads remembered for the rest of one safe request (GET, HEAD), so that a page asks the database once for
what its guard, its view, its context processors and its template tags each need (issue 11: the Users page
read the same customer row five times).

``core.middleware.RequestContextMiddleware`` opens the memo for a page's GET or HEAD (before the person's
language is looked up), and the console's guard (``accounts.hub.hub_page``) around a read's view; anywhere
else — a write, the API, a task, a test calling a selector — ``remembered`` just computes, so nothing read
before a write is ever served after it. Keys name what they hold and the ids it depends on (the actor's too
when the answer depends on who asks)."""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("wholesalehub_read_memo", default=None)


@contextmanager
def read_memo() -> Iterator[None]:
    """Remember reads until the block ends (a safe request); inside an open memo, that one goes on."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per key within a ``read_memo`` block; every time outside one."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def remember(key: Hashable, value: object) -> None:
    """Note ``value`` under ``key`` (when a memo is open), for a later ``remembered``."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def known(key: Hashable) -> bool:
    """Whether a memo is open and holds ``key``."""
    memo = _memo.get()
    return memo is not None and key in memo


def memo_open() -> bool:
    """Whether reads are being remembered (inside the guard of a safe request)."""
    return _memo.get() is not None


class OncePerKey:
    """``shown[value]``: ``work(value)``, worked out once per ``key(value)`` (default: the value itself) for
    as long as this object lives — one page's rows, which share a few statuses, labels and days."""

    def __init__(self, work: Callable, key: Callable | None = None) -> None:
        self._work = work
        self._key = key
        self._done: dict = {}

    def __getitem__(self, value):
        key = value if self._key is None else self._key(value)
        if key not in self._done:
            self._done[key] = self._work(value)
        return self._done[key]
