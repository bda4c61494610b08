"""Partner Hub pages of one customer: the detail panel with live progress, changing its packages, removing
its wholesale services, and the CSV export of the customer list.

The panel's actions follow what the signed-in admin may do on the customer's organisation
(``Action.WHOLESALE_MANAGE``): hidden for read-only admins, refused with 403 when posted anyway.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseStopPolling

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action, effective_actions, restriction_reason
from apps.accounts.selectors import admins_of_org
from apps.core.exceptions import ApplicationError
from apps.core.forms import call_service
from apps.core.ids import IdType, decode_id
from apps.customers.models import AttachState, Customer, CustomerStatus, PackageStatus
from apps.packages.catalogue import PACKAGES
from apps.packages.locales import locale_label
from apps.provisioning.forms import ChangePackagesForm
from apps.provisioning.selectors import customers_of_partner
from apps.provisioning.services import attach
from apps.provisioning.services import provisioning as provisioning_services
from apps.provisioning.services.provisioning import (
    BUSY,
    customer_provision_retry,
    customer_removal_stopped,
    customer_remove_request,
    customer_retry_action,
    customer_retry_problem,
    customer_update_request,
)
from apps.provisioning.stored import stored_text_translated
from apps.restrictions.registry import CONTROLS, MODE_RESTRICTED
from apps.restrictions.services import restricted_mode_set
from apps.subscribers.selectors.counts import package_usage

# While a customer is busy (provisioning, updating, deleting) its panel polls for progress every second.
BUSY_STATUSES = BUSY
# The texts of a customer's (and its packages') stored errors that come with values, read back to translate.
STORED_TEXTS = (*attach.STORED_TEXTS, *provisioning_services.STORED_TEXTS)


def _shown(problems) -> list[str]:
    """Stored errors or warnings (``{"errorCode", "description"}`` or plain texts) in the reader's language;
    the API shows them as stored."""
    return [
        stored_text_translated(p.get("description", "") if isinstance(p, dict) else str(p), STORED_TEXTS)
        for p in problems or ()
    ]


def customer_for_partner(request: HttpRequest, customer_id: str) -> Customer:
    """The customer behind an opaque id among those of the partner (and its indirect providers) the admin may
    see; 404 otherwise."""
    pk = decode_id(customer_id, IdType.CUSTOMER)
    if pk is None:
        raise Http404
    customer = (
        customers_of_partner(actor=request.user, partner=request.org, include_indirect=True)
        .filter(id=pk)
        .select_related("template")
        .prefetch_related("packages", "org__locations")
        .first()
    )
    if customer is None:
        raise Http404
    return customer


def _panel_context(request: HttpRequest, customer: Customer) -> dict:
    actions = effective_actions(request.user, customer.org)
    packages = list(customer.packages.all())
    settled = sum(1 for p in packages if p.status in (PackageStatus.PROVISIONED, PackageStatus.ERROR))
    # An attach waiting for the organisation administrator's approval may wait for days: no polling then.
    busy = customer.status in BUSY_STATUSES and customer.attach_state != AttachState.PENDING_APPROVAL
    removal_stopped = customer_removal_stopped(customer=customer)
    can_manage = Action.WHOLESALE_MANAGE in actions
    usage = package_usage(customer=customer)
    return {
        "customer": customer,
        "packages": [
            {
                "row": p,
                "name": getattr(PACKAGES.get(p.code), "name", p.code),
                "limit": (customer.package_limits or {}).get(p.code),
                "in_use": usage.get(p.code, 0),
                "for_workspaces": getattr(PACKAGES.get(p.code), "assignable_to_workspaces", False),
                "warnings": _shown(p.warnings),
                "errors": _shown(p.errors),
            }
            for p in packages
        ],
        "error_texts": _shown(customer.errors),
        "progress": {"done": settled, "total": len(packages)},
        "busy": busy,
        "org_ready": customer.provisioned_at is not None,  # as the API, which shows orgId from then on
        "locations": list(customer.org.locations.all()),
        # Only what the partner may see there: nothing of an organisation that has not let it in yet.
        "administrators": list(admins_of_org(org=customer.org)) if Action.ADMINS_VIEW in actions else [],
        "can_manage": can_manage,
        "can_set_up": Action.USERS_PROVISION in actions,  # the "Set up customer" wizard's own gate
        "can_change": can_manage and not busy,
        # A suspended (sub-)partner may still remove the customer's wholesale services (issue 9).
        "can_remove": Action.CUSTOMER_REMOVE in actions and not busy,
        "manage_refused": ""
        if can_manage
        else restriction_reason(request.user, Action.WHOLESALE_MANAGE, customer.org),
        # The retry of a removal that stopped runs the removal again: the removal's permission, not the
        # manager's (a suspended partner may still remove, issue 9).
        "retry_removes": removal_stopped,
        "can_retry": customer_retry_action(customer=customer) in actions
        and customer_retry_problem(customer=customer) is None,
        "can_open_control_hub": Action.ORG_VIEW in actions,
        "org_locale": locale_label(customer.org_locale) if customer.org_locale else "",
        "meeting_site_locale": locale_label(customer.meeting_site_locale)
        if customer.meeting_site_locale
        else "",
        "mode_controls": [c for c in CONTROLS if c.key in MODE_RESTRICTED],
        # One sentence names them all (the confirmation), in the page's language.
        "mode_control_labels": "; ".join(str(c.label) for c in CONTROLS if c.key in MODE_RESTRICTED),
        "template_name": (customer.template_settings or {}).get("name")
        or (customer.template.name if customer.template else ""),
    }


@hub_page(Action.ORG_VIEW, on=customer_for_partner)
def customer_detail(request: HttpRequest, customer: Customer) -> HttpResponse:
    return render(request, "provisioning/customer_detail.html", _panel_context(request, customer))


def _customer_polled(request: HttpRequest, customer_id: str) -> Customer | None:
    """The customer, or None when the polling browser asks for one that is gone (its removal finished)."""
    try:
        return customer_for_partner(request, customer_id)
    except Http404:
        if not request.htmx:
            raise
        return None


@hub_page(Action.ORG_VIEW, on=_customer_polled)
def customer_progress(request: HttpRequest, customer: Customer | None) -> HttpResponse:
    """The live region of the panel, polled every second while the customer is busy; when it settles the
    last answer carries the final state and stops the polling (HTTP 286). A customer whose removal finished
    is gone: the 404 then also sends the polling browser back to the list."""
    if customer is None:
        response = HttpResponse(status=404)
        response["HX-Redirect"] = reverse("partner:customer_list", kwargs={"org_id": request.org.webex_id})
        return response
    context = _panel_context(request, customer)
    response = render(request, "provisioning/customer_detail.html#live", context)
    if context["busy"] or not request.htmx:
        return response
    return HttpResponseStopPolling(response.content)


def _detail_url(request: HttpRequest, customer: Customer) -> str:
    return reverse(
        "partner:customer_detail", kwargs={"org_id": request.org.webex_id, "customer_id": customer.webex_id}
    )


@hub_page(Action.WHOLESALE_MANAGE, on=customer_for_partner)
def customer_packages(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Change the customer's packages: the full list (packages left out are removed)."""
    has_location = bool(customer.org.locations.all())
    current = [p.code for p in customer.packages.all()]
    initial = {"packages": current}
    initial.update(
        {ChangePackagesForm.limit_name(code): n for code, n in (customer.package_limits or {}).items()}
    )
    kwargs = {"needs_location_fields": not has_location}
    form = ChangePackagesForm(request.POST if request.method == "POST" else None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        if customer.status in BUSY_STATUSES:
            form.add_error(None, _("Wait until the customer's current change has finished."))
        elif call_service(
            form,
            _update,
            actor=request.user,
            customer=customer,
            packages=form.cleaned_data["packages"],
            calling_location=form.calling_location(),
            package_limits=form.limits(),
        ):
            messages.success(
                request, _("The packages of %(name)s are being updated.") % {"name": customer.org}
            )
            return redirect(_detail_url(request, customer))
    context = {
        "customer": customer,
        "form": form,
        "cards": form.cards(),
        "has_location": has_location,
        "location_fields": [
            form[name] for name in form.fields if not name.startswith(("limit_", "packages"))
        ],
    }
    return render(request, "provisioning/customer_packages.html", context)


def _update(**kwargs) -> Customer:
    """``customer_update_request``, with a rule of the product (ApplicationError) shown on the form too."""
    try:
        return customer_update_request(**kwargs)
    except ApplicationError as exc:
        raise ValidationError(exc.message) from exc


@hub_page(Action.WHOLESALE_MANAGE, on=customer_for_partner)
@require_POST
def customer_restricted_mode(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Turn restricted-by-partner mode on or off (``enabled`` = "on" | "off"); htmx swaps the card."""
    enabled = request.POST.get("enabled")
    if enabled not in ("on", "off"):
        messages.error(request, _("Choose whether Restricted by Partner Mode is on or off."))
    else:
        restricted_mode_set(actor=request.user, customer=customer, enabled=enabled == "on")
        text = (
            _("Restricted by Partner Mode is on for %(name)s.")
            if customer.restricted_by_partner
            else _(
                "Restricted by Partner Mode is off for %(name)s: its administrators can add users and "
                "change packages."
            )
        )
        messages.success(request, text % {"name": customer.org})
    if request.htmx:
        return render(request, "restrictions/partner_toggle.html", _panel_context(request, customer))
    return redirect(_detail_url(request, customer))


@hub_page(Action.CUSTOMER_REMOVE, on=customer_for_partner)
@require_POST
def customer_retry(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Provisioning again, once what stopped it was fixed; back to the panel, which shows the progress."""
    try:
        customer = customer_provision_retry(actor=request.user, customer=customer)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if customer.status == CustomerStatus.DELETING:  # the retry of a removal that stopped
            messages.success(
                request,
                _("The removal of the wholesale services of %(name)s runs again.") % {"name": customer.org},
            )
            return redirect(reverse("partner:customer_list", kwargs={"org_id": request.org.webex_id}))
        messages.success(request, _("Provisioning of %(name)s runs again.") % {"name": customer.org})
    return redirect(_detail_url(request, customer))


@hub_page(Action.CUSTOMER_REMOVE, on=customer_for_partner)
@require_POST
def customer_remove(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Remove the customer's wholesale services; the organisation stays. Back to the list, where the
    customer shows ``deleting`` until it is gone."""
    try:
        customer_remove_request(actor=request.user, customer=customer)
    except (ValidationError, ApplicationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
        messages.error(request, text)
        return redirect(_detail_url(request, customer))
    messages.success(
        request,
        _("The wholesale services of %(name)s are being removed; the organisation stays.")
        % {"name": customer.org},
    )
    return redirect(reverse("partner:customer_list", kwargs={"org_id": request.org.webex_id}))
