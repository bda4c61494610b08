"""Partner Hub's "Set up customer" wizard (the guide's "Set up Customer"): add and confirm locations → add
users → assign phone numbers to the users with a calling package → review → create users.

The wizard's state lives in the session, keyed by the customer's id (``setup.state``): every request first
takes in what the step on screen posted, then moves. Going forward checks every step before the target
again (``setup.checks``, with the services' own rules), so the rows only carry what the services would
accept. Nothing is written before "Create users": then ``customer_setup_apply`` creates the new locations
and each user in its own transaction; a user that fails stays in the wizard with the reason, ready to be
fixed and created again. Cancelling forgets the state; a customer the admin can no longer see is a 404.
"""

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.htmx import partial_or_page
from apps.core.wizard import CANCEL, NEXT
from apps.customers.models import Customer
from apps.locations.models import NumberStatus
from apps.locations.selectors import numbers_of_location
from apps.locations.services.numbers import extension_length_of
from apps.packages import catalogue
from apps.provisioning.services.setup import SetupResult, customer_setup_apply
from apps.provisioning.setup.checks import (
    calling_forms,
    check_locations,
    check_numbers,
    check_users,
    location_forms,
    number_plan,
    user_forms,
)
from apps.provisioning.setup.state import (
    LOCATIONS,
    LOCATIONS_MAX,
    NUMBERS,
    REVIEW,
    SETUP_WIZARD,
    USERS,
    USERS_MAX,
    Setup,
    absorb,
    display_name,
    edit_rows,
    has_calling,
    location_values,
    package_name,
    setup_user,
)
from apps.provisioning.views.panel import customer_for_partner
from apps.subscribers.services.subscribers import READY

__all__ = ["SETUP_WIZARD", "USERS_MAX", "customer_setup"]

TEMPLATE = "provisioning/setup_wizard.html"
DATALIST_MAX = 200  # available numbers suggested per location


def _detail_url(request: HttpRequest, customer: Customer) -> str:
    return reverse(
        "partner:customer_detail", kwargs={"org_id": request.org.webex_id, "customer_id": customer.webex_id}
    )


def _go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@hub_page(Action.USERS_PROVISION, on=customer_for_partner)
def customer_setup(request: HttpRequest, customer: Customer) -> HttpResponse:
    if customer.status not in READY:
        return render(request, TEMPLATE, {"customer": customer, "not_ready": True})
    setup = Setup.load(request, customer)
    if request.method != "POST":
        return _render(setup, setup.run.step)

    step = SETUP_WIZARD.step_of(request.POST.get("step"), default=setup.run.step)
    nav = request.POST.get("nav", NEXT)
    if nav == CANCEL:
        setup.forget()
        messages.info(request, _("The set-up of %(name)s was cancelled.") % {"name": customer.org.name})
        return _go(request, _detail_url(request, customer))
    absorb(setup, step, request.POST)
    if step != REVIEW:
        setup.state["outcome"] = None  # an edit makes the last outcome stale

    if edit_rows(setup, nav):
        return _render(setup, step)

    target = SETUP_WIZARD.target(step, nav, setup.run.reached)
    if SETUP_WIZARD.goes_back(step, target):
        return _render(setup, target)  # shown as it was left, unchecked: nothing is lost on the way

    # Going forward checks every step before the target; the first one with a problem is shown.
    checks = {
        LOCATIONS: (check_locations, "location_forms"),
        USERS: (check_users, "user_forms"),
        NUMBERS: (check_numbers, "calling_forms"),
    }
    for key in SETUP_WIZARD.before(target):
        if key not in checks:
            continue
        check, name = checks[key]
        invalid = check(setup)
        if invalid is not None or setup.step_errors:
            return _render(setup, key, **{name: invalid})
    if target is not None:
        return _render(setup, target)
    return _create(setup)


def _create(setup: Setup) -> HttpResponse:
    """Hand the checked rows to the service; what failed stays in the state with its reasons."""
    state = setup.state
    result = customer_setup_apply(
        actor=setup.actor,
        customer=setup.customer,
        locations=[location_values(row) for row in state["locations"]],
        users=[setup_user(row) for row in state["users"]],
    )
    outcome = _outcome(result)
    state["locations"] = [state["locations"][f.index] for f in result.failed_locations]
    state["users"] = [{**state["users"][f.index], "errors": f.errors} for f in result.failed_users]
    setup.refresh_existing()
    request = setup.request
    if result.failed_users or result.failed_locations:
        state["outcome"] = outcome
        setup.save()
        messages.warning(
            request,
            ngettext(
                "%(done)d user created; %(failed)d could not be: see why below.",
                "%(done)d users created; %(failed)d could not be: see why below.",
                len(outcome["users"]),
            )
            % {"done": len(outcome["users"]), "failed": outcome["failed_users"]},
        )
        return _render(setup, REVIEW)
    setup.forget()
    messages.success(
        request,
        ngettext("%(n)d user created.", "%(n)d users created.", len(outcome["users"]))
        % {"n": len(outcome["users"])},
    )
    return _render_done(setup, outcome)


def _outcome(result: SetupResult) -> dict:
    """The result as the session keeps it and the templates show it."""
    return {
        "locations": [location.name for location in result.locations],
        "users": [
            {
                "name": f"{s.first_name} {s.last_name}".strip(),
                "email": s.email,
                "package": package_name(s.package),
            }
            for s in result.subscribers
        ],
        "failed_locations": [{"name": f.name, "errors": f.errors} for f in result.failed_locations],
        "failed_users": len(result.failed_users),
    }


# --- rendering ---------------------------------------------------------------------------------------------


def _datalists(setup: Setup) -> dict[str, list[str]]:
    """Available numbers of each existing location that a calling user picked, to suggest."""
    lists = {}
    for _i, row in setup.calling_rows():
        location = setup.row_location(row)
        if location is not None and location.webex_id not in lists:
            numbers = numbers_of_location(actor=setup.actor, location=location, status=NumberStatus.AVAILABLE)
            lists[location.webex_id] = list(numbers.values_list("e164", flat=True)[:DATALIST_MAX])
    return lists


def _review(setup: Setup) -> list[dict]:
    rows = []
    for row in setup.state["users"]:
        calling = has_calling(row)
        number = (row.get("phone_number") or "").strip() if calling else ""
        new_number = False
        if number:
            with contextlib.suppress(ValidationError):  # shown as typed; creating says what is wrong
                number, new_number = number_plan(setup, row)
        rows.append(
            {
                "row": row,
                "package": package_name(row.get("package")),
                "calling": calling,
                "number": number,
                "new_number": new_number,
                "extension": (row.get("extension") or "").strip() if calling else "",
                "location": (row.get("location") or setup.default_location_name) if calling else "",
                "errors": row.get("errors") or [],
            }
        )
    return rows


def _numbers_context(setup: Setup, pairs) -> dict:
    datalists = _datalists(setup)
    rows = []
    for row, form in pairs:
        location = setup.row_location(row)
        if location is not None and location.webex_id in datalists:
            form.fields["phone_number"].widget.attrs["list"] = f"numbers-{location.webex_id}"
        else:
            form.fields["phone_number"].widget.attrs.pop("list", None)
        rows.append(
            {
                "row": row,
                "form": form,
                "name": display_name(row),
                "package": package_name(row.get("package")),
                "location": row.get("location") or setup.default_location_name,
                "new_location": setup.in_new_location(row),
            }
        )
    return {
        "calling_rows": rows,
        "datalists": datalists,
        "extension_length": extension_length_of(org=setup.customer.org),
    }


def _render(setup: Setup, step: str, **forms) -> HttpResponse:
    state = setup.state
    setup.run.show(step)
    setup.save()
    context = {
        "customer": setup.customer,
        "step": step,
        "steps": SETUP_WIZARD.indicator(step, setup.run.reached),
        "reached": setup.run.reached,
        "previous": SETUP_WIZARD.previous(step),
        "step_errors": setup.step_errors,
        "outcome": state.get("outcome") if step == REVIEW else None,
        "existing": setup.existing,
        "users_max": USERS_MAX,
        "locations_max": LOCATIONS_MAX,
    }
    if step == LOCATIONS:
        context["location_forms"] = forms.get("location_forms") or location_forms(setup, bound=False)
    elif step == USERS:
        context["user_forms"] = forms.get("user_forms") or user_forms(setup, bound=False)
        richest = catalogue.richest_user_package(setup.package_codes())
        context["admin_package"] = richest.name if richest else ""
    elif step == NUMBERS:
        context |= _numbers_context(setup, forms.get("calling_forms") or calling_forms(setup, bound=False))
    else:
        context["new_locations"] = state["locations"]
        context["review"] = _review(setup)
    return render(setup.request, partial_or_page(setup.request, TEMPLATE, "wizard"), context)


def _render_done(setup: Setup, outcome: dict) -> HttpResponse:
    context = {"customer": setup.customer, "step": "done", "outcome": outcome, "done": True}
    return render(setup.request, partial_or_page(setup.request, TEMPLATE, "wizard"), context)
