"""URLs of list rows without a ``reverse()`` per row.

``reverse`` walks the resolver's candidates and re-checks every argument against its converter's pattern:
about a tenth of a millisecond, and a list page asks it two or three times per row. A row's URLs differ only
by their ids, so the shape (``/org/zzzorg_idzzz/users/zzzsubscriber_idzzz/``) is reversed once per process
and the row's values are put into it. Only values of ``[-A-Za-z0-9_]`` (opaque Webex ids, uuids, slugs:
what every ``str`` and ``slug`` segment takes, and what needs no quoting) are put in; any other value, and a
URL whose converters refuse the markers (``int``, ``uuid``), goes through ``reverse`` itself, which raises
as ``{% url %}`` would."""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.regex_helper import _lazy_re_compile
from django.utils.translation import get_language

_PLAIN = _lazy_re_compile(r"^[-A-Za-z0-9_]+$")


def _marker(name: str) -> str:
    return f"zzz{name}zzz"


@lru_cache(maxsize=512)
def _shape(viewname: str, names: tuple[str, ...], urlconf: str, prefix: str, language: str) -> str | None:
    """The URL of ``viewname`` with a marker for each keyword argument, or None when the URL pattern would
    not take the markers. ``prefix`` and ``language`` are in the key because ``reverse`` reads them."""
    try:
        url = reverse(viewname, urlconf=urlconf, kwargs={name: _marker(name) for name in names})
    except NoReverseMatch:
        return None
    if any(url.count(_marker(name)) != 1 for name in names):
        return None
    return url


def url_of_row(viewname: str, **kwargs) -> str:
    """``reverse(viewname, kwargs=kwargs)``, from the URL's shape reversed once (see the module)."""
    return row_urls(viewname)(**kwargs)


def row_urls(viewname: str, **fixed) -> Callable[..., str]:
    """``url_of_row`` for every row of one page: the shape is looked up (and the ``fixed`` values, the same
    for every row, put in) once; the function returned puts in a row's own values. Any value the shape cannot
    take goes through ``reverse``."""
    fixed_values = {name: str(value) for name, value in fixed.items()}
    shapes: dict[tuple[str, ...], str | None] = {}

    def url(**kwargs) -> str:
        values = {name: str(value) for name, value in kwargs.items()}
        names = tuple(sorted(values))
        if names not in shapes:
            shapes[names] = _fixed_shape(viewname, names, fixed_values)
        shape = shapes[names]
        if shape is None or not all(_PLAIN.match(value) for value in values.values()):
            return reverse(viewname, kwargs={**fixed, **kwargs})
        return _fill(shape, values)

    return url


def _fixed_shape(viewname: str, names: tuple[str, ...], fixed: dict[str, str]) -> str | None:
    """The shape of ``viewname`` with ``fixed`` put in and a marker left for each of ``names``; None when the
    shape cannot take them (``reverse`` then decides)."""
    if not all(_PLAIN.match(value) for value in fixed.values()):
        return None
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    shape = _shape(
        viewname, tuple(sorted((*names, *fixed))), urlconf, get_script_prefix(), get_language() or ""
    )
    return None if shape is None else _fill(shape, fixed)


def _fill(shape: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        shape = shape.replace(_marker(name), value)
    return shape
