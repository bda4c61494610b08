"""Administrators (both hubs) and personal API tokens."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.forms import call_service
from apps.customers.selectors import customers_of_partner

from . import services
from .forms import ApiTokenForm, AssignCustomersForm, InviteAdminForm, RolesForm
from .permissions import Action
from .roles import Role
from .selectors import (
    admins_of_org,
    api_token_get,
    api_tokens_of,
    assigned_customers_of,
    person_get,
    roles_of,
)


def _admins_url(request) -> str:
    return reverse(f"{request.hub.key}:admin_list", kwargs={"org_id": request.org.webex_id})


def admin_list(request: HttpRequest) -> HttpResponse:
    form = InviteAdminForm(request.POST or None, org=request.org)
    if request.method == "POST":
        if Action.ADMINS_MANAGE not in request.actions:
            raise PermissionDenied
        if form.is_valid():
            person = call_service(
                form, services.person_invite, actor=request.user, org=request.org, **form.cleaned_data
            )
            if person is not None:
                messages.success(request, f"Invitation sent to {person.email}.")
                return redirect(_admins_url(request))
    admins = list(admins_of_org(org=request.org))
    return render(request, "accounts/admin_list.html", {"admins": admins, "form": form})


def admin_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_get(org=request.org, person_id=person_id)
    roles_form = RolesForm(initial={"roles": [r.role for r in person.role_rows.all()]}, org=request.org)
    assignable = Role.PARTNER_ADMIN in roles_of(person) and request.org.is_partner
    assign_form = None
    if assignable:
        customers = [c.org for c in customers_of_partner(actor=request.user, partner=request.org)[:500]]
        assign_form = AssignCustomersForm(
            initial={"customers": [c.webex_id for c in assigned_customers_of(user=person)]},
            customers=customers,
        )
    if request.method == "POST":
        if Action.ADMINS_MANAGE not in request.actions:
            raise PermissionDenied
        if request.POST.get("form") == "customers" and assignable:
            assign_form = AssignCustomersForm(
                request.POST, customers=list(assign_form.customer_objects.values())
            )
            if assign_form.is_valid() and call_service(
                assign_form,
                services.person_assign_customers,
                actor=request.user,
                org=request.org,
                person=person,
                customers=assign_form.selected(),
            ):
                messages.success(request, "Customer assignments saved.")
                return redirect(request.path)
        else:
            roles_form = RolesForm(request.POST, org=request.org)
            if roles_form.is_valid() and call_service(
                roles_form,
                services.person_set_roles,
                actor=request.user,
                org=request.org,
                person=person,
                roles=roles_form.cleaned_data["roles"],
            ):
                messages.success(request, f"Roles of {person.email} saved.")
                return redirect(request.path)
    context = {"person": person, "roles_form": roles_form, "assign_form": assign_form}
    return render(request, "accounts/admin_detail.html", context)


@require_POST
def admin_remove(request: HttpRequest, person_id: str) -> HttpResponse:
    if Action.ADMINS_MANAGE not in request.actions:
        raise PermissionDenied
    person = person_get(org=request.org, person_id=person_id)
    try:
        services.person_remove_admin(actor=request.user, org=request.org, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(
            reverse(
                f"{request.hub.key}:admin_detail",
                kwargs={"org_id": request.org.webex_id, "person_id": person_id},
            )
        )
    messages.success(request, f"{person.email} is no longer an administrator.")
    return redirect(_admins_url(request))


def api_token_list(request: HttpRequest) -> HttpResponse:
    """Personal tokens of the signed-in admin, in their own organisation only."""
    if request.org.id != request.user.org_id:
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    created_secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        result = call_service(
            form,
            services.api_token_create,
            actor=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        if result is not None:
            token, created_secret = result
            messages.success(request, f"Token “{token.name}” created. Copy it now: it is not shown again.")
            form = ApiTokenForm()
    tokens = api_tokens_of(user=request.user)
    return render(
        request,
        "accounts/api_token_list.html",
        {"form": form, "tokens": tokens, "created_secret": created_secret},
    )


@require_POST
def api_token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    if request.org.id != request.user.org_id:
        raise PermissionDenied
    token = api_token_get(user=request.user, token_id=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect(reverse("partner:api_token_list", kwargs={"org_id": request.org.webex_id}))
