"""Control Hub's users controls: Claim users, Auto-assign licences, Directory synchronisation (CSV, SCIM)
and Services status — each guarded by its restricted-mode control's action (hidden controls: the page
itself; the greyed one: its writes)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.customers.selectors import customer_of_org
from apps.directory import services
from apps.directory.selectors import (
    claimable_people,
    claimed_domains_of,
    directory_settings_of,
    services_status_of,
)
from apps.packages.catalogue import package_get
from apps.subscribers.models import SubscriberStatus
from apps.subscribers.selectors.subscribers import subscriber_packages_held

CLAIM_PAGE = 200  # people listed at once; the page says when there are more


class AutoAssignForm(forms.Form):
    package = forms.ChoiceField(label=gettext_lazy("Licence given to new users"), required=False)

    def __init__(self, *args, packages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", gettext_lazy("None: add people by hand"))] + [
            (code, package_get(code).name) for code in packages
        ]


class DirectoryCsvForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Directory CSV"), help_text=gettext_lazy("Columns: Email, First Name, Last Name.")
    )


def _url(request: HttpRequest, name: str) -> str:
    return reverse(f"control:{name}", kwargs={"org_id": request.org.webex_id})


@hub_page(Action.USERS_CLAIM)
def user_claim(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            claimed = services.users_claim(
                actor=request.user, org=request.org, emails=request.POST.getlist("email")
            )
            messages.success(
                request,
                ngettext("%(n)d person claimed.", "%(n)d people claimed.", len(claimed))
                % {"n": len(claimed)},
            )
            return redirect(request.path)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    people = list(claimable_people(org=request.org)[: CLAIM_PAGE + 1])
    context = {
        "people": people[:CLAIM_PAGE],
        "more": len(people) > CLAIM_PAGE,
        "domains": claimed_domains_of(org=request.org),
        "auto_assign": package_get(directory_settings_of(org=request.org).auto_assign_package),
    }
    return render(request, "directory/user_claim.html", context)


@hub_page(Action.AUTO_ASSIGN_MANAGE)
def auto_assign(request: HttpRequest) -> HttpResponse:
    customer = customer_of_org(org=request.org)
    held = subscriber_packages_held(customer=customer) if customer else []
    packages = [code for code in held if not package_get(code).has_calling]  # calling needs a number each
    current = directory_settings_of(org=request.org).auto_assign_package
    form = AutoAssignForm(
        request.POST if request.method == "POST" else None, initial={"package": current}, packages=packages
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.auto_assign_set, actor=request.user, org=request.org, **form.cleaned_data
        )
    ):
        messages.success(request, _("Auto-assigned licence saved."))
        return redirect(request.path)
    return render(request, "directory/auto_assign.html", {"form": form})


@hub_page(Action.ORG_VIEW, write=Action.DIRECTORY_SYNC_MANAGE)
def directory_sync(request: HttpRequest) -> HttpResponse:
    form = (
        DirectoryCsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST"
        else DirectoryCsvForm()
    )
    secret = None
    if request.method == "POST":
        operation = request.POST.get("operation")
        try:
            if operation == "scim_enable":
                secret = services.scim_enable(actor=request.user, org=request.org)
            elif operation == "scim_disable":
                services.scim_disable(actor=request.user, org=request.org)
                messages.success(request, _("The SCIM endpoint is off."))
                return redirect(request.path)
            elif form.is_valid():
                summary = services.directory_csv_sync(
                    actor=request.user, org=request.org, data=form.cleaned_data["file"].read()
                )
                messages.success(
                    request,
                    _("Synchronised: %(added)d added, %(updated)d updated.")
                    % {"added": summary["added"], "updated": summary["updated"]},
                )
                return redirect(request.path)
        except ValidationError as exc:
            form.add_error("file" if operation not in ("scim_enable", "scim_disable") else None, exc.messages)
    context = {
        "form": form,
        "settings": directory_settings_of(org=request.org),
        "secret": secret,
        # The base URL identity providers ask for (Okta's connector base URL, Entra ID's tenant URL): they
        # append /Users and the discovery paths themselves.
        "scim_url": request.build_absolute_uri(reverse("scim_users")).removesuffix("/Users"),
        "may_sync": Action.DIRECTORY_SYNC_MANAGE in request.actions,
    }
    return render(request, "directory/directory_sync.html", context)


@hub_page(Action.SERVICES_STATUS_VIEW)
def services_status(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "package": package_get(row["package"]),
            "code": row["package"],
            "status": SubscriberStatus(row["status"]).label,
            "n": row["n"],
        }
        for row in services_status_of(org=request.org)
    ]
    return render(request, "directory/services_status.html", {"rows": rows})
