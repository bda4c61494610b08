"""Control Hub's Settings → Restrictions: every restricted control of the organisation and whether it
applies to the person looking."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.restrictions.registry import AREA_LABELS, CONTROLS, When
from apps.restrictions.selectors import restricted_mode_origin, restrictions_for


@hub_page(Action.ORG_VIEW)
def restriction_list(request: HttpRequest) -> HttpResponse:
    restrictions = restrictions_for(actor=request.user, org=request.org, actions=request.actions)
    groups = []
    for area, label in AREA_LABELS.items():
        rows = [
            {
                "state": restrictions.states[c.key],
                "url": reverse(c.page, kwargs={"org_id": request.org.webex_id}) if c.page else "",
            }
            for c in CONTROLS
            if c.area == area
        ]
        if rows:
            groups.append({"label": label, "rows": rows})
    context = {
        "restrictions": restrictions,
        "origin": restricted_mode_origin(org=request.org),
        "groups": groups,
        "always": When.ALWAYS,
        "control_count": len(CONTROLS),
        "restricted_count": sum(1 for s in restrictions.states.values() if s.restricted),
    }
    return render(request, "restrictions/restriction_list.html", context)
