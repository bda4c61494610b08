"""Control Hub → Calling: every calling setting with its state for the person looking (greyed or hidden as
its restricted-mode control says), and one POST route per setting, guarded by that setting's action."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.calling import services
from apps.calling.models import PARTNER_PSTN_OPTIONS
from apps.calling.selectors import calling_settings_of
from apps.calling.settings_table import CALLING_SETTINGS, CallingSetting


@hub_page(Action.ORG_VIEW)
def calling(request: HttpRequest) -> HttpResponse:
    settings = calling_settings_of(org=request.org)
    pstn_options_allowed = Action.PSTN_OPTIONS_MANAGE in request.actions
    rows = []
    for setting in CALLING_SETTINGS:
        choices = setting.choices
        if setting.key == "pstn" and not pstn_options_allowed:  # hidden options, unless already chosen
            choices = tuple(
                c for c in choices if c[0] not in PARTNER_PSTN_OPTIONS or c[0] == settings.pstn_connection
            )
        rows.append(
            {
                "setting": setting,
                "value": getattr(settings, setting.field),
                "choices": choices,
                "display": getattr(settings, f"get_{setting.field}_display")() if setting.choices else None,
                "allowed": setting.action in request.actions,
                "url": reverse(f"control:calling_{setting.key}", kwargs={"org_id": request.org.webex_id}),
            }
        )
    return render(request, "calling/calling.html", {"rows": rows})


def _update_view(setting: CallingSetting):
    @hub_page(setting.action)
    @require_POST
    def update(request: HttpRequest) -> HttpResponse:
        try:
            services.calling_setting_update(
                actor=request.user, org=request.org, key=setting.key, value=request.POST.get("value", "")
            )
            messages.success(request, _("%(setting)s saved.") % {"setting": setting.label})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("control:calling", kwargs={"org_id": request.org.webex_id}))

    update.__name__ = update.__qualname__ = f"calling_{setting.key}_update"
    return update


SETTING_VIEWS = {setting.key: _update_view(setting) for setting in CALLING_SETTINGS}
