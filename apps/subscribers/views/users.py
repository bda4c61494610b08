"""Control Hub's Users page of a customer organisation (``/org/<org-id>/users/...``): the list with its live
search, filters and CSV export, the manual add of up to 25 people at once, and each person's panel with
their package history, the package change, the consent e-mail and the removal.

Every rule is the subscriber services' (``apps.subscribers.services.subscribers``); their keyed errors land on
the form fields. What restricted-by-partner mode takes from customer admins the templates ask through
``{% control_state %}`` and the hub decorator refuses (``Action.USERS_PROVISION``).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.csv_download import csv_download
from apps.core.errors import ErrorCode
from apps.core.forms import add_service_errors
from apps.core.htmx import partial_or_page, render_list
from apps.core.urlshapes import row_urls
from apps.customers.models import Customer
from apps.customers.selectors import customer_of_org_get
from apps.exports.services import export_request
from apps.locations.selectors import locations_of
from apps.packages.catalogue import package_get
from apps.subscribers.exports import USERS_EXPORT, users_export_queryset
from apps.subscribers.fixes import error_codes, fixes_for
from apps.subscribers.forms import MAX_ROWS, UserFilterForm, UserPackageForm, UserRowForm, row_formset
from apps.subscribers.models import Subscriber
from apps.subscribers.selectors.subscribers import (
    numbers_available_of,
    subscriber_get,
    subscriber_package_history,
    subscriber_packages_held,
    user_list_page,
    user_list_shown,
)
from apps.subscribers.services.subscribers import (
    subscriber_add,
    subscriber_change_package,
    subscriber_consent_send,
    subscriber_remove,
    subscriber_remove_problem,
)

NUMBERS_OFFERED = 200  # available numbers suggested in the number fields


def _list_url(request: HttpRequest) -> str:
    return reverse("control:user_list", kwargs={"org_id": request.org.webex_id})


def _detail_url(request: HttpRequest, subscriber: Subscriber) -> str:
    return reverse(
        "control:user_detail",
        kwargs={"org_id": request.org.webex_id, "subscriber_id": subscriber.webex_id},
    )


def _filters(request: HttpRequest, customer: Customer) -> tuple[UserFilterForm, dict[str, str]]:
    form = UserFilterForm(request.GET, packages=subscriber_packages_held(customer=customer))
    return form, form.values()


def _rows_shown(org) -> Callable[[list], list]:
    """The page's rows as the list shows them (``user_list_shown``), with the link to each person's panel."""

    def shown(rows: list) -> list:
        detail_url = row_urls("control:user_detail", org_id=org.webex_id)
        for row in user_list_shown(rows):
            row.detail_url = detail_url(subscriber_id=row.webex_id)
        return rows

    return shown


@hub_page(Action.USERS_VIEW)
def user_list(request: HttpRequest) -> HttpResponse:
    customer = customer_of_org_get(actor=request.user, org=request.org)
    filters, values = _filters(request, customer)
    rows = user_list_page(actor=request.user, org=request.org, **values)
    context = {
        "customer": customer,
        "filters": filters,
        "sort": values["sort"],  # the search form keeps the sort a column header chose
        "export_query": request.GET.urlencode(),
    }
    return render_list(
        request,
        "subscribers/user_list.html",
        rows,
        name="user",
        search=values["search"],
        filtered=any(values[k] for k in ("search", "package", "status")),
        context=context,
        shape=_rows_shown(request.org),
    )


# --- manual add ---------------------------------------------------------------------------------------------


def _choices(request: HttpRequest, customer: Customer) -> dict:
    return {
        "packages": subscriber_packages_held(customer=customer),
        "locations": list(locations_of(actor=request.user, scope=request.org)),
    }


def _add_rows(request: HttpRequest, customer: Customer, formset) -> tuple[int, list[UserRowForm], list[int]]:
    """Each filled row through ``subscriber_add`` in its own savepoint: a failing row writes nothing and
    keeps its own errors; the others are added. Also returns the failing rows' error codes."""
    added, failed, codes = 0, [], []
    for form in formset.forms:
        if not form.has_changed():
            continue
        if not form.is_valid():  # too long for its field: the row stays, the others go ahead
            failed.append(form)
            continue
        try:
            with transaction.atomic():
                subscriber_add(actor=request.user, customer=customer, **form.order())
        except ValidationError as exc:
            add_service_errors(form, exc)
            failed.append(form)
            codes += error_codes(exc)
        else:
            added += 1
    return added, failed, codes


def _failed_formset(failed: list[UserRowForm], choices: dict):
    """A formset of the failing rows only (numbered from 0), each with the errors the service gave it."""
    prefix = "users"
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(failed)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(MAX_ROWS),
    }
    for index, form in enumerate(failed):
        for name in form.fields:
            data[f"{prefix}-{index}-{name}"] = form.data.get(form.add_prefix(name), "")
    formset = row_formset(data, **choices)
    formset.is_valid()
    for form, old in zip(formset.forms, failed, strict=True):
        for name, errors in old.errors.as_data().items():
            if name not in form.errors:  # a field's own check finds the same error again
                form.add_error(None if name == "__all__" else name, errors)
    return formset


@hub_page(Action.USERS_PROVISION)
def user_add(request: HttpRequest) -> HttpResponse:
    customer = customer_of_org_get(actor=request.user, org=request.org)
    choices = _choices(request, customer)
    codes: list[int] = []
    if request.method == "POST":
        formset = row_formset(request.POST, **choices)
        if not formset.non_form_errors():  # rows counted and within the limit; each row stands alone
            added, failed, codes = _add_rows(request, customer, formset)
            if added:
                messages.success(
                    request, ngettext("%(n)d user added.", "%(n)d users added.", added) % {"n": added}
                )
            if not failed:
                return redirect(_list_url(request))
            formset = _failed_formset(failed, choices)
    else:
        formset = row_formset(**choices)
    context = {
        "customer": customer,
        "formset": formset,
        "max_rows": MAX_ROWS,
        "numbers": numbers_available_of(actor=request.user, org=request.org)[:NUMBERS_OFFERED],
        "fixes": fixes_for(codes, actor=request.user, customer=customer),
    }
    return render(request, "subscribers/user_add.html", context)


# --- one person ---------------------------------------------------------------------------------------


def subscriber_in_url(request: HttpRequest, subscriber_id: str) -> Subscriber:
    """The person of this organisation (404 otherwise, whatever the action: someone else's id names
    nothing)."""
    return subscriber_get(actor=request.user, subscriber_id=subscriber_id, org=request.org)


def _remove_fixes(request: HttpRequest, subscriber: Subscriber, codes=(ErrorCode.SUBSCRIBER_IS_ADMIN,)):
    """Where the cause of a refused removal is fixed (an administrator's roles: the Administrators page)."""
    return fixes_for(codes, actor=request.user, customer=subscriber.customer)


@hub_page(Action.USERS_VIEW, on=subscriber_in_url)
def user_detail(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    remove_problem = subscriber_remove_problem(subscriber=subscriber)
    context = {
        "subscriber": subscriber,
        "package": package_get(subscriber.package),
        "numbers": list(subscriber.phone_numbers.all()),
        "extensions": list(subscriber.extensions.all()),
        "history": list(subscriber_package_history(subscriber=subscriber)),
        "remove_problem": remove_problem,
        "remove_fixes": _remove_fixes(request, subscriber) if remove_problem else [],
    }
    return render(request, partial_or_page(request, "subscribers/user_detail.html", "panel"), context)


@hub_page(Action.USERS_PROVISION, on=subscriber_in_url)
def user_package(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    """Choose the new package; a calling package also takes a number, an extension and a location (asked
    for when the person has neither yet: the service says so). The package select re-renders the form."""
    choices = _choices(request, subscriber.customer)
    source = request.POST if request.method == "POST" else request.GET
    chosen = package_get(str(source.get("package") or subscriber.package)[:40])
    if chosen and chosen.code not in choices["packages"]:  # not offered (?package=...): no hint, no fields
        chosen = None
    holds_calling = bool(subscriber.phone_numbers.all() or subscriber.extensions.all())
    form = UserPackageForm(
        request.POST if request.method == "POST" else None,
        initial={"package": chosen.code if chosen else subscriber.package},
        asks_calling=bool(chosen and chosen.has_calling),
        **choices,
    )
    codes: list[int] = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = subscriber_change_package(actor=request.user, subscriber=subscriber, **form.order())
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved, codes = None, error_codes(exc)
        if saved is not None:
            messages.success(
                request,
                _("%(who)s now holds %(package)s.")
                % {"who": saved.display_name, "package": package_get(saved.package).name},
            )
            return redirect(_detail_url(request, saved))
    context = {
        "subscriber": subscriber,
        "form": form,
        "current": package_get(subscriber.package),
        "chosen": chosen,
        "holds_calling": holds_calling,
        "numbers": numbers_available_of(actor=request.user, org=request.org)[:NUMBERS_OFFERED]
        if form.asks_calling
        else [],
        "fixes": fixes_for(codes, actor=request.user, customer=subscriber.customer),
    }
    template = "subscribers/user_package.html"
    if request.method == "GET":
        template = partial_or_page(request, template, "package-form")
    return render(request, template, context)


@hub_page(Action.USERS_REMOVE, on=subscriber_in_url)
def user_remove(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    """The confirmation, or why the removal is refused with the page that fixes it and a Retry (the same
    removal, posted again once the cause is gone)."""
    error, codes = None, [ErrorCode.SUBSCRIBER_IS_ADMIN]
    if request.method == "POST":
        try:
            subscriber_remove(actor=request.user, subscriber=subscriber)
        except ValidationError as exc:
            error, codes = " ".join(exc.messages), error_codes(exc)
        else:
            messages.success(request, _("%(email)s removed.") % {"email": subscriber.email})
            return redirect(_list_url(request))
    problem = error or subscriber_remove_problem(subscriber=subscriber)
    context = {
        "subscriber": subscriber,
        "problem": problem,
        "fixes": _remove_fixes(request, subscriber, codes) if problem else [],
    }
    return render(request, "subscribers/user_remove.html", context)


@hub_page(Action.USERS_PROVISION, on=subscriber_in_url)
@require_POST
def user_consent_send(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    """POST only; the person and the permission are checked first (404, 403), the method after."""
    try:
        subscriber_consent_send(actor=request.user, subscriber=subscriber)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The consent e-mail was sent again to %(email)s.") % {"email": subscriber.email}
        )
    return redirect(_detail_url(request, subscriber))


# --- CSV export ---------------------------------------------------------------------------------------------


@hub_page(Action.USERS_VIEW)
def user_export(request: HttpRequest) -> HttpResponse:
    """The (searched, filtered, sorted) list as CSV in the import template's columns, streamed in chunks so
    the memory it takes does not grow with the number of users."""
    customer = customer_of_org_get(actor=request.user, org=request.org)
    _form, values = _filters(request, customer)
    subscribers = users_export_queryset(actor=request.user, org=request.org, params=values)
    filename = f"users-{slugify(request.org.name) or 'organisation'}-{timezone.localdate():%Y%m%d}.csv"
    if subscribers.count() > settings.EXPORT_INLINE_MAX:
        # Too many to stream within one request: the worker writes the file, the export's page shows
        # progress and the download link.
        export = export_request(
            actor=request.user, org=request.org, kind=USERS_EXPORT.key, params=values, file_name=filename
        )
        return redirect("control:export_detail", org_id=request.org.webex_id, export_id=export.webex_id)
    return csv_download(filename=filename, header=USERS_EXPORT.header, rows=USERS_EXPORT.rows(subscribers))
