"""``{% control_state "key" %}`` → "enabled" | "greyed" | "hidden" for the signed-in person on the page's
organisation, and the Control Hub banner of restricted-by-partner mode. Read once per request."""

from django import template

from apps.restrictions.selectors import Restrictions, restrictions_for

register = template.Library()

_CACHE = "_restrictions"


def _restrictions(context) -> Restrictions | None:
    request = context.get("request")
    org = getattr(request, "org", None)
    if request is None or org is None or not hasattr(request, "actions"):
        return None
    cached = getattr(request, _CACHE, None)
    if cached is None or cached[0] != org.pk:
        cached = (org.pk, restrictions_for(actor=request.user, org=org, actions=request.actions))
        setattr(request, _CACHE, cached)
    return cached[1]


@register.simple_tag(takes_context=True)
def control_state(context, key: str) -> str:
    restrictions = _restrictions(context)
    if restrictions is None:
        return "hidden"
    return restrictions.state(key)


@register.inclusion_tag("restrictions/banner.html", takes_context=True)
def restricted_mode_banner(context) -> dict:
    """The guide's banner, immediately under the header, for the organisation's own admins while the mode
    is on (partner admins cross-launched see their own banner and are not restricted)."""
    restrictions = _restrictions(context)
    hub = context.get("hub")
    show = (
        restrictions is not None
        and getattr(hub, "key", "") == "control"
        and restrictions.mode
        and restrictions.applies
    )
    return {"show": show, "org": context.get("org")}
