"""Who is doing what, and through which door: carried from the request (or task) to the audit log."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    PAGE = "page"
    API = "api"
    TASK = "task"
    COMMAND = "command"
    SCIM = "scim"  # an organisation's identity provider, through the directory's SCIM endpoint


@dataclass(frozen=True)
class RequestContext:
    tracking_id: str
    channel: Channel


_current: ContextVar[RequestContext | None] = ContextVar("wholesalehub_request_context", default=None)


def new_tracking_id() -> str:
    return f"WHUB_{uuid.uuid4()}"


def current_context() -> RequestContext:
    return _current.get() or RequestContext(tracking_id=new_tracking_id(), channel=Channel.COMMAND)


@contextmanager
def request_context(*, channel: Channel, tracking_id: str | None = None):
    token = _current.set(RequestContext(tracking_id=tracking_id or new_tracking_id(), channel=channel))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def set_channel(channel: Channel) -> None:
    """The API views learn they are the API only after routing; they re-label the current request."""
    ctx = current_context()
    _current.set(RequestContext(tracking_id=ctx.tracking_id, channel=channel))
