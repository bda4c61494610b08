"""Control Hub pages of a customer's locations and their phone numbers (``/org/<org-id>/locations/...``)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.core.htmx import list_search, render_list
from apps.core.urlshapes import row_urls
from apps.locations.forms import LocationForm, NumberAddForm, NumberFilterForm
from apps.locations.models import Location, PhoneNumber
from apps.locations.selectors import location_get, location_list_page, number_get, number_list_page
from apps.locations.services import locations as location_services
from apps.locations.services import numbers as number_services
from apps.packages.locales import locale_label


def _detail_url(request: HttpRequest, location: Location) -> str:
    return reverse(
        "control:location_detail", kwargs={"org_id": request.org.webex_id, "location_id": location.webex_id}
    )


def location_in_url(request: HttpRequest, location_id: str) -> Location:
    return location_get(actor=request.user, scope=request.org, location_id=location_id)


def number_in_url(request: HttpRequest, number_id: str) -> PhoneNumber:
    return number_get(actor=request.user, scope=request.org, number_id=number_id)


@hub_page(Action.ORG_VIEW)
def location_list(request: HttpRequest) -> HttpResponse:
    search = list_search(request)
    rows = location_list_page(actor=request.user, scope=request.org, search=search)
    return render_list(request, "locations/location_list.html", rows, name="location", search=search)


def _location_form(request: HttpRequest, location: Location | None) -> HttpResponse:
    initial = {f: getattr(location, f) for f in location_services.FIELDS} if location else {}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if location is None:
            saved = call_service(
                form,
                location_services.location_create,
                actor=request.user,
                org=request.org,
                values=form.cleaned_data,
            )
        else:
            saved = call_service(
                form,
                location_services.location_update,
                actor=request.user,
                location=location,
                values=form.cleaned_data,
            )
        if saved is not None:
            messages.success(request, _("Location “%(name)s” saved.") % {"name": saved.name})
            return redirect(_detail_url(request, saved))
    return render(request, "locations/location_form.html", {"form": form, "location": location})


@hub_page(Action.ORG_MANAGE)
def location_create(request: HttpRequest) -> HttpResponse:
    return _location_form(request, None)


@hub_page(Action.ORG_MANAGE, on=location_in_url)
def location_edit(request: HttpRequest, location: Location) -> HttpResponse:
    return _location_form(request, location)


def _numbers_shown(org) -> Callable[[list], list]:
    """The page's numbers with their Release or Delete form's URL and the Delete button's accessible name,
    worked out once per row here instead of a URL tag and a blocktranslate per row in the template."""

    def shown(rows: list) -> list:
        release_url = row_urls("control:number_release", org_id=org.webex_id)
        delete_url = row_urls("control:number_delete", org_id=org.webex_id)
        for row in rows:
            if row.is_assigned:
                row.action_url = release_url(number_id=row.webex_id)
            else:
                row.action_url = delete_url(number_id=row.webex_id)
                row.delete_label = _("Delete %(number)s") % {"number": row.e164}
        return rows

    return shown


@hub_page(Action.ORG_VIEW, on=location_in_url)
def location_detail(request: HttpRequest, location: Location) -> HttpResponse:
    filters = NumberFilterForm(request.GET)
    status = search = ""
    if filters.is_valid():
        status, search = filters.cleaned_data["status"], filters.cleaned_data["q"].strip()
    numbers = number_list_page(actor=request.user, location=location, status=status, search=search)
    context = {
        "location": location,
        "filters": filters,
        "status": status,
        "search_max": NumberFilterForm.base_fields["q"].max_length,
        "language_label": locale_label(location.language),
        "add_form": NumberAddForm(),
        "delete_problem": location_services.location_delete_problem(location=location),
    }
    return render_list(
        request,
        "locations/location_detail.html",
        numbers,
        name="number",
        search=search,
        filtered=bool(search or status),
        context=context,
        shape=_numbers_shown(request.org),
    )


@hub_page(Action.ORG_MANAGE, on=location_in_url)
def location_delete(request: HttpRequest, location: Location) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            location_services.location_delete(actor=request.user, location=location)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Location “%(name)s” deleted.") % {"name": location.name})
            return redirect(reverse("control:location_list", kwargs={"org_id": request.org.webex_id}))
    problem = error or location_services.location_delete_problem(location=location)
    return render(request, "locations/location_delete.html", {"location": location, "problem": problem})


@hub_page(Action.NUMBERS_MANAGE, on=location_in_url)  # the services' rule: the inventory is partner people's
def number_add(request: HttpRequest, location: Location) -> HttpResponse:
    form = NumberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("count") or data.get("last"):
            added = call_service(
                form,
                number_services.numbers_add_range,
                actor=request.user,
                location=location,
                start=data["first"],
                count=data.get("count"),
                end=data.get("last") or None,
            )
        else:
            added = call_service(
                form,
                number_services.numbers_add,
                actor=request.user,
                location=location,
                phone_numbers=[data["first"]],
            )
        if added is not None:
            count = len(added)
            messages.success(
                request,
                ngettext("%(count)s number added.", "%(count)s numbers added.", count)
                % {"count": number_format(count, force_grouping=True)},
            )
            return redirect(_detail_url(request, location))
    return render(request, "locations/number_add.html", {"location": location, "form": form})


def _number_action(request: HttpRequest, number: PhoneNumber, service, done: str) -> HttpResponse:
    try:
        service(actor=request.user, number=number)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, done % {"number": number.e164})
    return redirect(_detail_url(request, number.location))


@hub_page(Action.USERS_MANAGE, on=number_in_url)
@require_POST
def number_release(request: HttpRequest, number: PhoneNumber) -> HttpResponse:
    return _number_action(request, number, number_services.number_release, _("%(number)s released."))


@hub_page(Action.NUMBERS_MANAGE, on=number_in_url)
@require_POST
def number_delete(request: HttpRequest, number: PhoneNumber) -> HttpResponse:
    return _number_action(request, number, number_services.number_delete, _("%(number)s deleted."))
