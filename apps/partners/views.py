"""Partner Hub's settings page and the operations console's partners (list, create)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.core.htmx import list_search, render_list
from apps.partners import services
from apps.partners.forms import PartnerCreateForm, PartnerSettingsForm
from apps.partners.selectors import partner_settings_of, partners_visible_to


@hub_page(Action.ORG_VIEW, write=Action.ORG_MANAGE)
def settings_edit(request: HttpRequest) -> HttpResponse:
    settings = partner_settings_of(org=request.org)
    form = PartnerSettingsForm(
        request.POST or None, initial={"require_admin_mfa": settings.require_admin_mfa}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.partner_settings_update, actor=request.user, org=request.org, **form.cleaned_data
        )
    ):
        messages.success(request, _("Settings saved."))
        return redirect(request.path)
    return render(request, "partners/settings.html", {"form": form})


@hub_page(Action.ORG_VIEW)
def ops_partner_list(request: HttpRequest) -> HttpResponse:
    search = list_search(request)
    rows = partners_visible_to(actor=request.user, search=search)
    return render_list(request, "partners/ops_partner_list.html", rows, name="partner", search=search)


@hub_page(Action.PARTNERS_MANAGE)
def ops_partner_create(request: HttpRequest) -> HttpResponse:
    parents = list(partners_visible_to(actor=request.user).filter(parent__isnull=True))
    form = PartnerCreateForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        org = call_service(form, services.partner_create, actor=request.user, **form.cleaned_data)
        if org is not None:
            messages.success(
                request, _("%(name)s created; its first administrator has been invited.") % {"name": org.name}
            )
            return redirect(reverse("ops:partner_list"))
    return render(request, "partners/ops_partner_create.html", {"form": form})
