"""The console shell on every page: the navigation of the current hub and the cross-launch banner."""

from urllib.parse import urlencode

from django.urls import reverse

from apps.accounts.permissions import Action

_NAV = {
    "partner": [
        ("overview", "Overview", Action.ORG_VIEW, "home"),
        ("customer_list", "Customers", Action.CUSTOMERS_VIEW, "building"),
        ("template_list", "Templates", Action.ORG_VIEW, "list"),
        ("package_list", "Packages", Action.ORG_VIEW, "network"),
        ("subpartner_list", "Indirect providers", Action.SUBPARTNERS_VIEW, "network"),
        ("admin_list", "Administrators", Action.ADMINS_VIEW, "shield"),
        ("audit_list", "Audit log", Action.AUDIT_VIEW, "list"),
        ("settings", "Settings", Action.ORG_VIEW, "gear"),
        ("branding", "Branding", Action.ORG_VIEW, "gear"),  # branding (issue 13)
        ("help", "Help", Action.ORG_VIEW, "list"),  # help and support (issue 13)
        ("api_token_list", "API access", Action.TOKENS_MANAGE, "key"),
    ],
    "control": [
        ("overview", "Overview", Action.ORG_VIEW, "home"),
        ("user_list", "Users", Action.USERS_VIEW, "users"),
        ("workspace_list", "Workspaces", Action.USERS_VIEW, "building"),
        ("location_list", "Locations", Action.ORG_VIEW, "building"),
        ("admin_list", "Administrators", Action.ADMINS_VIEW, "shield"),
        ("audit_list", "Audit log", Action.AUDIT_VIEW, "list"),
        ("branding", "Branding", Action.BRANDING_MANAGE, "gear"),  # branding (issue 13)
        ("account", "Account", Action.ORG_VIEW, "building"),  # organisation settings (issue 13)
        ("org_settings", "Organisation settings", Action.ORG_VIEW, "gear"),
        ("domain_list", "Domains", Action.ORG_VIEW, "network"),
        ("calling", "Calling", Action.ORG_VIEW, "network"),
        ("directory_sync", "Directory sync", Action.ORG_VIEW, "users"),
        ("user_claim", "Claim users", Action.USERS_CLAIM, "users"),
        ("auto_assign", "Auto-assign licences", Action.AUTO_ASSIGN_MANAGE, "users"),
        ("services_status", "Services status", Action.SERVICES_STATUS_VIEW, "list"),
        ("help", "Help", Action.ORG_VIEW, "list"),
    ],
}
_OPS_NAV = [
    ("partner_list", "Partners", Action.ORG_VIEW, "network"),
    ("partner_create", "New partner", Action.PARTNERS_MANAGE, "plus"),
    ("screening_list", "Screening list", Action.SCREENING_REVIEW, "shield"),
    ("screening_review_list", "Screening reviews", Action.SCREENING_REVIEW, "list"),
    ("existing_org_create", "Existing organisations", Action.PARTNERS_MANAGE, "building"),
    ("audit_list", "Audit log", Action.AUDIT_VIEW, "list"),
    ("support_request_list", "Support requests", Action.ORG_VIEW, "list"),  # issue 13
]


def _back_link(request) -> tuple[str, str] | None:
    """Where a cross-launched admin returns: the hub they came from."""
    home = request.user.org
    org = request.org
    if home is None:
        return None
    if home.is_platform:
        return reverse("ops:partner_list"), "Operations"
    if org.is_customer:
        url = reverse("partner:customer_list", kwargs={"org_id": home.webex_id})
        if org.parent_id != home.id:  # an indirect provider's customer: found again by searching for it
            url += "?" + urlencode({"q": org.name})
        return url, f"{home.name} customers"
    return reverse("partner:subpartner_list", kwargs={"org_id": home.webex_id}), f"{home.name} Partner Hub"


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
                url = reverse(f"{hub.key}:{name}", kwargs={"org_id": org.webex_id})
                nav.append({"name": name, "label": label, "url": url, "icon": icon})
    cross_launched = org.id != request.user.org_id
    return {
        "hub": hub,
        "org": org,
        "nav": nav,
        "can": {a.name.lower(): a in actions for a in Action},
        "cross_launched": cross_launched,
        "back_link": _back_link(request) if cross_launched else None,
    }
