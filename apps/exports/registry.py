"""The kinds of export, registered by the apps that own their rows (from their ``AppConfig.ready()``): this
app writes and serves the file, the owner says what is in it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExportKind:
    key: str
    header: tuple[str, ...]
    # (*, actor, org, params) -> the rows' queryset (counted first) and a function turning it into CSV rows
    queryset: Callable[..., object]
    rows: Callable[[object], Iterable[Iterable]]
    list_url_name: str  # the list the export came from (the page's way back)


_KINDS: dict[str, ExportKind] = {}


def register_export_kind(kind: ExportKind) -> None:
    _KINDS[kind.key] = kind


def export_kind(key: str) -> ExportKind:
    return _KINDS[key]
