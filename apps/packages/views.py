"""Partner Hub's package catalogue page: every package side by side, and the Webex Calling feature list."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.packages.catalogue import (
    FEATURED_PACKAGE,
    PACKAGE_GROUPS,
    CallingLevel,
    calling_features,
    packages_with_calling,
)


@hub_page(Action.ORG_VIEW)
def package_list(request: HttpRequest) -> HttpResponse:
    context = {
        "groups": PACKAGE_GROUPS,
        "featured": FEATURED_PACKAGE,
        "compared": [p for group in PACKAGE_GROUPS for p in group.packages if p.base],
        "features": calling_features(),
        # Names joined here, so that the sentence naming them is one message to translate.
        "common_area_names": ", ".join(p.name for p in packages_with_calling(CallingLevel.COMMON_AREA)),
        "professional_names": ", ".join(p.name for p in packages_with_calling(CallingLevel.PROFESSIONAL)),
    }
    return render(request, "packages/package_list.html", context)
