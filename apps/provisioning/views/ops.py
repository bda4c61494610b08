"""Operations console: record an existing (unmanaged) organisation that a partner can attach to."""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service, posted
from apps.core.htmx import render_list
from apps.customers.selectors import unmanaged_orgs_visible_to
from apps.provisioning.services import attach as attach_services


class ExistingOrgForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=255)
    admin_email = forms.EmailField(label=_("Full administrator's e-mail"))
    people = forms.CharField(
        label=_("Further people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One e-mail address a line."),
    )
    domains = forms.CharField(
        label=_("Domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One a line, optionally followed by “verified” and/or “claimed”: contoso.example verified"
        ),
    )
    licences = forms.CharField(
        label=_("Licences"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: name, quantity, status (active, suspended or cancelled)."),
    )
    is_broadworks = forms.BooleanField(label=_("Webex for BroadWorks organisation"), required=False)
    is_trial = forms.BooleanField(label=_("Trial organisation"), required=False)

    def clean_people(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["people"].splitlines() if line.strip()]

    def clean_domains(self) -> list[tuple[str, bool, bool]]:
        rows = []
        for line in self.cleaned_data["domains"].splitlines():
            words = line.replace(",", " ").split()
            if not words:
                continue
            flags = {w.lower() for w in words[1:]}
            if flags - {"verified", "claimed"}:
                raise ValidationError(
                    gettext("“%(line)s”: after the domain only “verified” or “claimed”.")
                    % {"line": line.strip()}
                )
            rows.append((words[0], "verified" in flags, "claimed" in flags))
        return rows

    def clean_licences(self) -> list[tuple[str, int, str]]:
        rows = []
        for line in self.cleaned_data["licences"].splitlines():
            parts = [p.strip() for p in line.split(",")]
            if not any(parts):
                continue
            if len(parts) != 3 or not re.fullmatch(r"[0-9]{1,7}", parts[1]):
                raise ValidationError(
                    gettext("“%(line)s”: write name, quantity, status.") % {"line": line.strip()}
                )
            rows.append((parts[0], int(parts[1]), parts[2].lower()))
        return rows


@hub_page(Action.PARTNERS_MANAGE)
def existing_org_create(request: HttpRequest) -> HttpResponse:
    form = ExistingOrgForm(posted(request))
    if request.method == "POST" and form.is_valid():
        org = call_service(form, attach_services.existing_org_create, actor=request.user, **form.cleaned_data)
        if org is not None:
            messages.success(
                request,
                gettext("%(name)s recorded. Its organisation id is %(id)s.")
                % {"name": org.name, "id": org.webex_id},
            )
            return redirect(reverse("ops:existing_org_create"))
    orgs = unmanaged_orgs_visible_to(actor=request.user)
    return render_list(
        request, "provisioning/existing_org_create.html", orgs, name="org", context={"form": form}, size=10
    )
