"""Control Hub pages of a customer's workspaces (``/org/<org-id>/workspaces/...``): list, add, detail, edit,
remove. The rules are ``services.workspaces``'; these pages parse, call and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import add_service_errors
from apps.core.htmx import list_search, render_list
from apps.customers.models import Customer
from apps.customers.selectors import customer_of_org, customer_of_org_get
from apps.subscribers.fixes import error_codes, fixes_for
from apps.subscribers.forms import WorkspaceForm
from apps.subscribers.models import Workspace
from apps.subscribers.selectors.workspaces import (
    workspace_get,
    workspace_intervals,
    workspace_list_shown,
    workspace_locations,
    workspace_numbers_available,
    workspace_packages_held,
    workspaces_of_org,
)
from apps.subscribers.services import workspaces as workspace_services


def _detail_url(request: HttpRequest, workspace: Workspace) -> str:
    return reverse(
        "control:workspace_detail",
        kwargs={"org_id": request.org.webex_id, "workspace_id": workspace.webex_id},
    )


def _customer(request: HttpRequest) -> Customer:
    """The wholesale customer of the page's organisation (an organisation without one has no workspaces)."""
    return customer_of_org_get(actor=request.user, org=request.org)


def workspace_in_url(request: HttpRequest, workspace_id: str) -> Workspace:
    """The workspace of this organisation (404 first: an id out of scope names nothing)."""
    return workspace_get(actor=request.user, workspace_id=workspace_id, scope=request.org)


@hub_page(Action.USERS_VIEW)
def workspace_list(request: HttpRequest) -> HttpResponse:
    search = list_search(request)
    rows = workspaces_of_org(actor=request.user, org=request.org, search=search)
    context = {"has_customer": customer_of_org(org=request.org) is not None}
    return render_list(
        request,
        "subscribers/workspace_list.html",
        rows,
        name="workspace",
        search=search,
        context=context,
        shape=workspace_list_shown,
    )


def _form(request: HttpRequest, customer: Customer, workspace: Workspace | None) -> WorkspaceForm:
    initial = {}
    if workspace is not None:
        number = next(iter(workspace.phone_numbers.all()), None)
        extension = next(iter(workspace.extensions.all()), None)
        initial = {
            "name": workspace.name,
            "package": workspace.package,
            "location": workspace.location.webex_id,
            "phone_number": number.e164 if number else "",
            "extension": extension.extension if extension else "",
        }
    return WorkspaceForm(
        request.POST or None,
        initial=initial,
        locations=workspace_locations(actor=request.user, org=request.org),
        held_packages=workspace_packages_held(customer=customer),
    )


def _workspace_form(request: HttpRequest, workspace: Workspace | None) -> HttpResponse:
    customer = workspace.customer if workspace is not None else _customer(request)
    form = _form(request, customer, workspace)
    codes: list[int] = []
    if request.method == "POST" and form.is_valid():
        values = {key: form.cleaned_data.get(key) or "" for key in workspace_services.ORDER_KEYS}
        try:
            if workspace is None:
                saved = workspace_services.workspace_create(actor=request.user, customer=customer, **values)
            else:
                saved = workspace_services.workspace_update(actor=request.user, workspace=workspace, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved, codes = None, error_codes(exc)
        if saved is not None:
            messages.success(request, _("Workspace “%(name)s” saved.") % {"name": saved.name})
            return redirect(_detail_url(request, saved))
    context = {
        "form": form,
        "workspace": workspace,
        "available_numbers": workspace_numbers_available(actor=request.user, org=request.org),
        "fixes": fixes_for(codes, actor=request.user, customer=customer),
    }
    return render(request, "subscribers/workspace_form.html", context)


@hub_page(Action.USERS_PROVISION)
def workspace_create(request: HttpRequest) -> HttpResponse:
    return _workspace_form(request, None)


@hub_page(Action.USERS_PROVISION, on=workspace_in_url)
def workspace_edit(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return _workspace_form(request, workspace)


@hub_page(Action.USERS_VIEW, on=workspace_in_url)
def workspace_detail(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = {"workspace": workspace, "intervals": list(workspace_intervals(workspace=workspace)[:20])}
    return render(request, "subscribers/workspace_detail.html", context)


@hub_page(Action.USERS_REMOVE, on=workspace_in_url)
def workspace_remove(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            workspace_services.workspace_remove(actor=request.user, workspace=workspace)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Workspace “%(name)s” removed.") % {"name": workspace.name})
            return redirect(reverse("control:workspace_list", kwargs={"org_id": request.org.webex_id}))
    return render(request, "subscribers/workspace_remove.html", {"workspace": workspace, "problem": error})
