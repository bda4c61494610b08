"""Partner Hub's Indirect providers (list, set-up, suspend or reactivate, remove) and the operations
console's queue of sub-partner set-up requests."""

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_errors, call_service
from apps.core.htmx import partial_or_page
from apps.core.memo import OncePerKey
from apps.core.models import Organization, OrgStatus
from apps.core.pagination import paginate
from apps.core.templatetags.console import status_badge
from apps.core.urlshapes import row_urls
from apps.subpartners import services
from apps.subpartners.forms import (
    SetupDecisionForm,
    SetupPolicyForm,
    SubPartnerSetupForm,
    SubPartnerStatusForm,
)
from apps.subpartners.models import SetupState, SubPartnerSetupRequest
from apps.subpartners.selectors import (
    Counts,
    billing_start_date_of_row,
    setup_needs_approval,
    setup_request_get,
    setup_requests_of,
    setup_requests_pending,
    subpartner_counts,
    subpartner_get,
    subpartner_list_page,
)


def subpartner_in_url(request: HttpRequest, subpartner_id: str) -> Organization:
    return subpartner_get(actor=request.user, partner=request.org, org_id=subpartner_id)


def request_in_url(request: HttpRequest, setup_request_id: str) -> SubPartnerSetupRequest:
    return setup_request_get(request_id=setup_request_id)


def _list_url(request: HttpRequest) -> str:
    return reverse("partner:subpartner_list", kwargs={"org_id": request.org.webex_id})


@hub_page(Action.SUBPARTNERS_VIEW)
def subpartner_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in OrgStatus.values else ""
    page = paginate(
        subpartner_list_page(actor=request.user, partner=request.org, search=search, status=status), request
    )
    counts = subpartner_counts(subpartner_ids=[org.id for org in page.rows])
    overview_url = row_urls("partner:overview")
    status_url = row_urls("partner:subpartner_status", org_id=request.org.webex_id)
    remove_url = row_urls("partner:subpartner_remove", org_id=request.org.webex_id)
    # The rows' buttons' accessible names, worded once for the page instead of a {% blocktranslate %} each.
    open_label, remove_label = _("Open Partner Hub of %(name)s"), _("Remove %(name)s")
    status_label = {OrgStatus.SUSPENDED: _("Reactivate %(name)s"), OrgStatus.ACTIVE: _("Suspend %(name)s")}
    # A page's rows share a few statuses, numbers and days: each is worded once (in the page's language).
    badges = OncePerKey(
        lambda org: status_badge(org.status, org.get_status_display()), key=lambda org: org.status
    )
    numbers = OncePerKey(intcomma)
    days = OncePerKey(lambda day: date_format(day, "j M Y"))
    rows = []
    for org in page.rows:
        org_id, name = org.webex_id, {"name": org.name}
        held = counts.get(org.id, Counts())
        rows.append(
            {
                "org": org,
                "status_badge": badges[org],
                "customers_shown": numbers[held.customers],
                "subscribers_shown": numbers[held.subscribers],
                "billing_start_shown": days[billing_start_date_of_row(org)],
                # the row's links from shapes looked up once for the page (core.urlshapes)
                "overview_url": overview_url(org_id=org_id),
                "status_url": status_url(subpartner_id=org_id),
                "remove_url": remove_url(subpartner_id=org_id),
                "open_label": open_label % name,  # plain text: the template escapes it
                "status_label": status_label.get(org.status, status_label[OrgStatus.ACTIVE]) % name,
                "remove_label": remove_label % name,
            }
        )
    context = {
        "page": page,
        "rows": rows,
        "q": search,
        "status": status,
        "statuses": OrgStatus.choices,
        "requests": list(setup_requests_of(parent=request.org)[:20]),
    }
    return render(request, partial_or_page(request, "subpartners/subpartner_list.html", "results"), context)


@hub_page(Action.SUBPARTNERS_MANAGE)
def subpartner_setup(request: HttpRequest) -> HttpResponse:
    form = SubPartnerSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, services.subpartner_setup, actor=request.user, parent=request.org, **form.cleaned_data
        )
        if done is not None:
            if done.state == SetupState.PENDING:
                messages.success(
                    request,
                    _("The set-up of %(name)s waits for the platform operator's approval.")
                    % {"name": done.name},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s is set up; its first administrator has been invited.") % {"name": done.name},
                )
            return redirect(_list_url(request))
    return render(
        request, "subpartners/subpartner_setup.html", {"form": form, "needs_approval": setup_needs_approval()}
    )


@hub_page(Action.SUBPARTNERS_MANAGE, on=subpartner_in_url)
def subpartner_status(request: HttpRequest, subpartner: Organization) -> HttpResponse:
    """Suspend (with a reason) or reactivate; GET asks, POST does."""
    wanted = OrgStatus.ACTIVE if subpartner.status == OrgStatus.SUSPENDED else OrgStatus.SUSPENDED
    form = SubPartnerStatusForm(request.POST or None, initial={"status": wanted})
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            services.subpartner_set_status,
            actor=request.user,
            subpartner=subpartner,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            done_message = (
                _("%(name)s suspended.") if done.status == OrgStatus.SUSPENDED else _("%(name)s reactivated.")
            )
            messages.success(request, done_message % {"name": done.name})
            return redirect(_list_url(request))
    return render(
        request,
        "subpartners/subpartner_status.html",
        {"form": form, "subpartner": subpartner, "suspending": wanted == OrgStatus.SUSPENDED},
    )


@hub_page(Action.SUBPARTNERS_MANAGE, on=subpartner_in_url)
def subpartner_remove(request: HttpRequest, subpartner: Organization) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            services.subpartner_remove(actor=request.user, subpartner=subpartner)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(name)s removed.") % {"name": subpartner.name})
            return redirect(_list_url(request))
    return render(request, "subpartners/subpartner_remove.html", {"subpartner": subpartner, "error": error})


# --- operations console ------------------------------------------------------------------------------------


@hub_page(Action.PARTNERS_MANAGE)
def setup_request_list(request: HttpRequest) -> HttpResponse:
    """The queue of set-ups waiting for approval, and the policy that fills it."""
    form = SetupPolicyForm(request.POST or None, initial={"setup_needs_approval": setup_needs_approval()})
    if request.method == "POST" and form.is_valid():
        services.setup_policy_update(
            actor=request.user, needs_approval=form.cleaned_data["setup_needs_approval"]
        )
        messages.success(request, _("Sub-partner set-up policy saved."))
        return redirect(reverse("ops:setup_request_list"))
    page = paginate(setup_requests_pending(), request)
    return render(request, "subpartners/ops_setup_requests.html", {"form": form, "page": page})


@hub_page(Action.PARTNERS_MANAGE, on=request_in_url)
def setup_request_decide(request: HttpRequest, setup: SubPartnerSetupRequest) -> HttpResponse:
    form = SetupDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.setup_request_approve(actor=request.user, request=setup)
                messages.success(
                    request,
                    _("%(name)s is set up under %(parent)s.")
                    % {"name": setup.name, "parent": setup.parent.name},
                )
            else:
                services.setup_request_decline(
                    actor=request.user, request=setup, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The set-up of %(name)s was declined.") % {"name": setup.name})
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(reverse("ops:setup_request_list"))
    return render(request, "subpartners/ops_setup_request.html", {"form": form, "setup": setup})
