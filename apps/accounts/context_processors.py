"""The console shell on every page: the navigation of the current hub and the cross-launch banner."""

from urllib.parse import urlencode, urlsplit

from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.hub import OPS_CONSOLE
from apps.accounts.permissions import Action, restriction_reason
from apps.accounts.selectors import org_get_visible
from apps.core.urlshapes import url_of_row

_NAV = {
    "partner": [
        ("overview", _("Overview"), Action.ORG_VIEW, "home"),
        ("customer_list", _("Customers"), Action.CUSTOMERS_VIEW, "building"),
        ("template_list", _("Templates"), Action.ORG_VIEW, "list"),
        ("package_list", _("Packages"), Action.ORG_VIEW, "network"),
        ("subpartner_list", _("Indirect providers"), Action.SUBPARTNERS_VIEW, "network"),
        ("admin_list", _("Administrators"), Action.ADMINS_VIEW, "shield"),
        ("audit_list", _("Audit log"), Action.AUDIT_VIEW, "list"),
        ("settings", _("Settings"), Action.ORG_VIEW, "gear"),
        ("branding", _("Branding"), Action.ORG_VIEW, "gear"),  # branding (issue 13)
        ("help", _("Help"), Action.ORG_VIEW, "list"),  # help and support (issue 13)
        ("api_token_list", _("API access"), Action.TOKENS_MANAGE, "key"),
        ("billing_overview", _("Billing"), Action.BILLING_VIEW, "list"),  # billing (issue 10)
    ],
    "control": [
        ("overview", _("Overview"), Action.ORG_VIEW, "home"),
        ("user_list", _("Users"), Action.USERS_VIEW, "users"),
        ("workspace_list", _("Workspaces"), Action.USERS_VIEW, "building"),
        ("location_list", _("Locations"), Action.ORG_VIEW, "building"),
        ("admin_list", _("Administrators"), Action.ADMINS_VIEW, "shield"),
        ("audit_list", _("Audit log"), Action.AUDIT_VIEW, "list"),
        ("branding", _("Branding"), Action.BRANDING_MANAGE, "gear"),  # branding (issue 13)
        ("account", _("Account"), Action.ORG_VIEW, "building"),  # organisation settings (issue 13)
        ("org_settings", _("Organisation settings"), Action.ORG_VIEW, "gear"),
        ("domain_list", _("Domains"), Action.ORG_VIEW, "network"),
        ("calling", _("Calling"), Action.ORG_VIEW, "network"),
        ("directory_sync", _("Directory sync"), Action.ORG_VIEW, "users"),
        ("user_claim", _("Claim users"), Action.USERS_CLAIM, "users"),
        ("auto_assign", _("Auto-assign licences"), Action.AUTO_ASSIGN_MANAGE, "users"),
        ("services_status", _("Services status"), Action.SERVICES_STATUS_VIEW, "list"),
        ("help", _("Help"), Action.ORG_VIEW, "list"),
    ],
}
_OPS_NAV = [
    ("partner_list", _("Partners"), Action.ORG_VIEW, "network"),
    ("partner_create", _("New partner"), Action.PARTNERS_MANAGE, "plus"),
    ("screening_list", _("Screening list"), Action.SCREENING_REVIEW, "shield"),
    ("screening_review_list", _("Screening reviews"), Action.SCREENING_REVIEW, "list"),
    ("existing_org_create", _("Existing organisations"), Action.PARTNERS_MANAGE, "building"),
    ("audit_list", _("Audit log"), Action.AUDIT_VIEW, "list"),
    ("setup_request_list", _("Sub-partner set-ups"), Action.PARTNERS_MANAGE, "network"),  # issue 9
    ("billing_prices", _("Transfer prices"), Action.BILLING_OPERATE, "key"),  # billing (issue 10)
    ("setup_assist_queue", _("Setup Assist"), Action.BILLING_OPERATE, "list"),  # billing (issue 10)
    ("support_request_list", _("Support requests"), Action.ORG_VIEW, "list"),  # issue 13
]


_CAME_FROM = (
    "cross_launch_came_from"  # session: {organisation id: [url, label]} of the page each was opened from
)


def _remember_came_from(request) -> None:
    """When a console page of another organisation (of this site) opened this one, remember it for the way
    back: cross-launching into a sub-partner and then into one of its customers returns to that sub-partner's
    list, not to the admin's own. Kept per organisation, so two tabs keep their own way back."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return
    try:
        match = resolve(referer.path)
    except Resolver404:
        return
    origin_id = match.kwargs.get("org_id")
    if not origin_id or origin_id == request.org.webex_id or match.namespace not in ("partner", "control"):
        return
    try:
        origin = org_get_visible(actor=request.user, org_id=origin_id)
    except Http404:
        return
    url = referer.path + (f"?{referer.query}" if referer.query else "")
    # The label is worded when shown (in the reader's language of the moment), from the name and the page.
    page = "customers" if match.url_name == "customer_list" else ""
    came_from = dict(request.session.get(_CAME_FROM, {}))
    came_from[request.org.webex_id] = [url, origin.name, page]
    request.session[_CAME_FROM] = dict(list(came_from.items())[-20:])  # a few, not a history


def _back_link(request) -> tuple[str, str] | None:
    """Where a cross-launched admin returns: the page they came from (another organisation's), else the
    hub they came from."""
    home = request.user.org
    org = request.org
    if home is None:
        return None
    remembered = request.session.get(_CAME_FROM, {}).get(org.webex_id)
    if remembered:
        url, name, *page = remembered
        return url, (_customers_of(name) if page == ["customers"] else name)
    if home.is_platform:
        return reverse("ops:partner_list"), str(OPS_CONSOLE.title)
    if org.is_customer:
        url = reverse("partner:customer_list", kwargs={"org_id": home.webex_id})
        if org.parent_id != home.id:  # an indirect provider's customer: found again by searching for it
            url += "?" + urlencode({"q": org.name})
        return url, _customers_of(home.name)
    # Translators: where a cross-launched admin goes back to, after "Back to": "Acme Telecom Partner Hub".
    label = gettext("%(name)s Partner Hub") % {"name": home.name}
    return reverse("partner:subpartner_list", kwargs={"org_id": home.webex_id}), label


def _customers_of(name: str) -> str:
    # Translators: where a cross-launched admin goes back to, after "Back to": "Acme Telecom customers".
    return gettext("%(name)s customers") % {"name": name}


class Can:
    """``can.customer_create`` in a template: whether the page's actions hold that action. Asked only for what
    a template reads (a dict of every action was built on every page)."""

    def __init__(self, actions: frozenset) -> None:
        self._actions = actions

    def __getitem__(self, name: str) -> bool:
        action = Action.__members__.get(name.upper())
        if action is None:
            raise KeyError(name)
        return action in self._actions


class Restricted:
    """``restricted.customer_create`` in a template: why a restriction (not the roles) refuses that action
    here — the words a greyed-out control shows — else empty. Asked only for what a template reads."""

    def __init__(self, request) -> None:
        self._request = request

    def __getitem__(self, name: str) -> str:
        action = Action.__members__.get(name.upper())
        if action is None or action in self._request.actions:
            return ""
        return restriction_reason(self._request.user, action, self._request.org) or ""


def console(request) -> dict:
    hub = getattr(request, "hub", None)
    org = getattr(request, "org", None)
    if hub is None or org is None:
        return {}
    actions = request.actions
    nav = []
    if hub.key == "ops":
        for name, label, action, icon in _OPS_NAV:
            if action in actions:
                nav.append({"name": name, "label": label, "url": reverse(f"ops:{name}"), "icon": icon})
    else:
        for name, label, action, icon in _NAV[hub.key]:
            if action in actions and not (name == "api_token_list" and org.id != request.user.org_id):
                url = url_of_row(f"{hub.key}:{name}", org_id=org.webex_id)  # one reverse per shape
                nav.append({"name": name, "label": label, "url": url, "icon": icon})
    cross_launched = org.id != request.user.org_id
    if cross_launched and hasattr(request, "session"):
        _remember_came_from(request)
    return {
        "hub": hub,
        "org": org,
        "nav": nav,
        "can": Can(actions),
        "restricted": Restricted(request),
        "cross_launched": cross_launched,
        "back_link": _back_link(request) if cross_launched else None,
    }
