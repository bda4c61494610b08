"""Small template helpers of the console: icons, active navigation, status badges."""

from functools import lru_cache

from django import template
from django.forms.widgets import Input
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.core.urlshapes import url_of_row

register = template.Library()

_ICONS = {
    "home": '<path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/>',
    "building": '<path d="M4 21V5a1 1 0 0 1 1-1h9a1 1 0 0 1 1 1v16M15 9h4a1 1 0 0 1 1 1v11'
    'M8 8h3M8 12h3M8 16h3M3 21h18"/>',
    "network": '<circle cx="12" cy="5" r="2.5"/><circle cx="5" cy="19" r="2.5"/>'
    '<circle cx="19" cy="19" r="2.5"/><path d="M12 7.5v4M12 11.5 6 16.8M12 11.5l6 5.3"/>',
    "shield": '<path d="M12 3 4 6v6c0 4.5 3.4 8.3 8 9 4.6-.7 8-4.5 8-9V6z"/><path d="m9 12 2 2 4-4"/>',
    "list": '<path d="M8 6h13M8 12h13M8 18h13M3.5 6h.01M3.5 12h.01M3.5 18h.01"/>',
    "gear": '<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 '
    "2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 "
    "1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 "
    "1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 "
    "1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 "
    "1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 "
    '1z"/>',
    "key": '<circle cx="7.5" cy="15.5" r="4.5"/><path d="m10.7 12.3 9.8-9.8M17 6l3 3M14.5 8.5l2 2"/>',
    # Cross-launch opens the other hub in the same tab (its banner leads back): an "enter" arrow, not the
    # external-link glyph that promises a new tab.
    "launch": '<path d="M10 17l5-5-5-5M15 12H3M14 4h5a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1h-5"/>',
    "back": '<path d="M15 18 9 12l6-6"/>',
    "users": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7'
    'M18 14a6.5 6.5 0 0 1 3.5 6"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20 20-4-4"/>',
}


@register.simple_tag
@lru_cache(maxsize=256)  # a few names and sizes, on every page's navigation and rows
def icon(name: str, size: int = 18) -> str:
    path = _ICONS.get(name, "")
    return format_html(
        '<svg aria-hidden="true" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        size,
        size,
        mark_safe(path),  # noqa: S308 - the paths are constants above
    )


@register.simple_tag(takes_context=True)
def console_nav(context) -> str:
    """The hub's navigation links (the console's ``nav``: name, label, url, icon), the current page's marked
    ``aria-current="page"``: the links of every console page, written here in one go rather than by a loop of
    the template that looked up the page's name, an icon tag and two values for each of a dozen links."""
    match = context["request"].resolver_match
    current = match.url_name if match is not None else None
    return format_html_join(
        "\n",
        '<a href="{}"{}>{}<span>{}</span></a>',
        (
            (
                item["url"],
                mark_safe(' aria-current="page"') if item["name"] == current else "",
                icon(item["icon"]),
                item["label"],
            )
            for item in context.get("nav", ())
        ),
    )


@register.simple_tag
def status_badge(value: str, label: str = "") -> str:
    return format_html('<span class="badge badge-{}">{}</span>', value, label or value.replace("_", " "))


@register.filter
def translated(text) -> str:
    """Text stored in English (a customer's ``errors``, written by a background task in the words of the
    registry of ``core.errors``) in the reader's language when a catalog knows it; anything else as it is."""
    return gettext(str(text)) if text else ""


@register.filter
def initials(user) -> str:
    name = getattr(user, "display_name", "") or str(user)
    parts = [p for p in name.replace("@", " ").replace(".", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str) -> str:
    """A column header that toggles between ascending and descending sort, keeping the other filters."""
    request = context["request"]
    current = request.GET.get("sort", "name")
    new = f"-{field}" if current == field else field
    params = request.GET.copy()
    params["sort"] = new
    params.pop("page", None)
    params.pop("cursor", None)  # a cursor follows one order
    # A no-break space: a heading that wraps keeps its arrow beside its last word.
    arrow = "\u00a0▲" if current == field else ("\u00a0▼" if current == f"-{field}" else "")
    query = params.urlencode()  # once for both attributes
    return format_html(
        '<a href="?{}" hx-get="?{}" hx-target="#results" hx-push-url="true">{}{}</a>',
        query,
        query,
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str, css: str = "") -> str:
    """A sortable column's header cell: ``scope="col"``, ``aria-sort`` on the sorted column (so a screen
    reader announces the order, not only the arrow) and ``sort_link`` inside."""
    current = context["request"].GET.get("sort", "name")
    order = "ascending" if current == field else ("descending" if current == f"-{field}" else "")
    return format_html(
        '<th scope="col"{}{}>{}</th>',
        format_html(' class="{}"', css) if css else "",
        format_html(' aria-sort="{}"', order) if order else "",
        sort_link(context, field, label),
    )


@register.simple_tag
def filter_select(field) -> str:
    """A list's filter drop-down (a form's ChoiceField, or a field drawn as a Select: the audit log's Event)
    as Django's widget writes it (its name, id and options, the chosen one selected), written here in one go:
    the widget renders a template per option, which cost a list page more than its rows (the audit log's
    hundred events: a third of its page)."""
    chosen = str(field.value() or "")
    choices = tuple(getattr(field.field, "choices", None) or field.field.widget.choices)
    try:
        options = _options_once(choices, chosen)
    except TypeError:  # choices that are not hashable (not the console's own)
        options = _options(choices, chosen)
    return format_html('<select name="{}" id="{}">{}</select>', field.html_name, field.id_for_label, options)


def _options(choices: tuple, chosen: str) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if str(value) == chosen else "", label) for value, label in choices),
    )


# The options of the console's few drop-downs, written once for each language and choice: the choices
# compare by their words (a lazy label by its translation when asked), so another language's are never served.
_options_once = lru_cache(maxsize=64)(_options)


@register.simple_tag
def field_input(field) -> str:
    """A form's field drawn as an ``<input>`` (the audit log's filter boxes, the site page's number form) as
    Django's widget writes it (``django/forms/widgets/input.html``: its type, name, value and attributes, the
    id, ``required``, ``aria-describedby`` and ``aria-invalid`` the bound field adds), written here in one go
    instead of through the widget's two templates, as ``filter_select`` does for a drop-down."""
    widget = field.field.widget
    if not isinstance(widget, Input) or field.field.localize:
        return field.as_widget()  # another control (a drop-down, a text area), or a localised value: Django's
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    shown = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = shown["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        shown["type"],
        shown["name"],
        format_html(' value="{}"', str(value)) if value is not None else "",
        format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", name) if given is True else format_html(' {}="{}"', name, str(given)),)
                for name, given in shown["attrs"].items()
                if given is not False
            ),
        ),
    )


@register.filter
def email_wrap(text) -> str:
    """Text that may be an e-mail address, allowed to wrap after its "@" (``<wbr>``): a long address in a
    table column then takes two lines instead of pushing the last columns out of sight."""
    local, at, domain = str(text).partition("@")
    if not at:
        return text  # escaped by the template as any value
    return mark_safe(f"{escape(local)}@<wbr>{escape(domain)}")  # noqa: S308 - both parts escaped


@register.simple_tag
def row_url(viewname: str, **kwargs) -> str:
    """``{% url %}`` for a list's rows: the same URL, without a ``reverse()`` per row (core.urlshapes)."""
    return url_of_row(viewname, **kwargs)
