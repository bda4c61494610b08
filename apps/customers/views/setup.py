"""Partner Hub's "Set up customer" wizard (the guide's "Set up Customer"): add and confirm locations → add
users → assign phone numbers to the users with a calling package → review → create users.

The wizard's state lives in the session, keyed by the customer's id: every request first takes in what the
step on screen posted, then moves. Going forward checks every step before the target again, with the
services' own rules (``location_clean``, ``subscriber_precheck``), so the rows only carry what the services
would accept. Nothing is written before "Create users": then the new locations are created, and each user in
its own transaction (a new number added to its location's inventory, then ``subscriber_add``): a user that
fails undoes only itself and stays in the wizard with the reason, ready to be fixed and created again.
Cancelling forgets the state; a customer the admin can no longer see is a 404.
"""

import contextlib
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.permissions import Action, require
from apps.core.htmx import partial_or_page
from apps.customers.locations_selectors import locations_of, number_by_e164, numbers_of_location
from apps.customers.models import Customer, Location, PackageStatus
from apps.customers.numbers_models import NumberStatus
from apps.customers.services import subscriber_add, subscriber_precheck
from apps.customers.services.locations import location_create
from apps.customers.services.numbers import e164_parse, extension_length_of, numbers_add
from apps.customers.services.provisioning import ErrorCode
from apps.customers.services.subscribers import READY
from apps.customers.setup_forms import (
    CALLING_FIELDS,
    LOCATION_FIELDS,
    USER_FIELDS,
    CallingRowForm,
    NewLocationForm,
    UserRowForm,
    add_service_errors,
)
from apps.customers.views.partner import customer_for_partner
from apps.packages import catalogue
from apps.packages.constants import SUBSCRIBER_PACKAGES

TEMPLATE = "customers/setup_wizard.html"
SESSION_KEY = "customer_setup"
LOCATIONS, USERS, NUMBERS, REVIEW = "locations", "users", "numbers", "review"
STEP_KEYS = [LOCATIONS, USERS, NUMBERS, REVIEW]
STEP_TITLES = {
    LOCATIONS: gettext_lazy("Locations"),
    USERS: gettext_lazy("Users"),
    NUMBERS: gettext_lazy("Phone numbers"),
    REVIEW: gettext_lazy("Review"),
}
USERS_MAX = 25  # the guide's limit of users added by hand in one go
LOCATIONS_MAX = 20
FIRST_USER_ROWS = 3
RAW_MAX = 255  # longest posted value kept in the session (every form field is shorter)
DATALIST_MAX = 200  # available numbers suggested per location

_BLANK_USER = dict.fromkeys((*USER_FIELDS, *CALLING_FIELDS), "")


# --- the state ---------------------------------------------------------------------------------------------


def _fresh_state(default_location: str) -> dict:
    return {
        "step": LOCATIONS,
        "reached": 0,
        "locations": [],
        "users": [{**_BLANK_USER, "location": default_location} for _ in range(FIRST_USER_ROWS)],
        "outcome": None,
    }


def _valid_state(state) -> bool:
    return (
        isinstance(state, dict)
        and state.get("step") in STEP_KEYS
        and isinstance(state.get("locations"), list)
        and isinstance(state.get("users"), list)
    )


@dataclass
class Setup:
    """One request of the wizard: the customer, what it already has, and the state being edited."""

    request: HttpRequest
    customer: Customer
    existing: list[Location]
    state: dict
    step_errors: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, request: HttpRequest, customer: Customer) -> "Setup":
        existing = list(locations_of(actor=request.user, scope=customer.org))
        setup = cls(request, customer, existing, {})
        state = request.session.get(SESSION_KEY, {}).get(str(customer.pk))
        setup.state = state if _valid_state(state) else _fresh_state(setup.default_location_name)
        return setup

    def save(self) -> None:
        states = dict(self.request.session.get(SESSION_KEY, {}))
        states[str(self.customer.pk)] = self.state
        self.request.session[SESSION_KEY] = states

    def forget(self) -> None:
        states = dict(self.request.session.get(SESSION_KEY, {}))
        states.pop(str(self.customer.pk), None)
        self.request.session[SESSION_KEY] = states

    @property
    def actor(self):
        return self.request.user

    @property
    def headquarters(self) -> Location | None:
        return next(
            (loc for loc in self.existing if loc.is_headquarters), self.existing[0] if self.existing else None
        )

    @property
    def default_location_name(self) -> str:
        hq = self.headquarters
        return hq.name if hq else ""

    def refresh_existing(self) -> None:
        self.existing = list(locations_of(actor=self.actor, scope=self.customer.org))

    # Locations are named, not numbered: a row keeps its location when the wizard creates it.
    def existing_location(self, name: str) -> Location | None:
        key = (name or "").casefold()
        return next((loc for loc in self.existing if loc.name.casefold() == key), None)

    def new_location(self, name: str) -> dict | None:
        key = (name or "").strip().casefold()
        return next((row for row in self.state["locations"] if row["name"].strip().casefold() == key), None)

    def location_names(self) -> list[str]:
        return [loc.name for loc in self.existing] + [
            row["name"].strip() for row in self.state["locations"] if row["name"].strip()
        ]

    def row_location(self, row: dict) -> Location | None:
        """The existing location of a user row (none chosen: the headquarters); None for a new one."""
        name = (row.get("location") or "").strip()
        return self.existing_location(name) if name else self.headquarters

    def in_new_location(self, row: dict) -> bool:
        name = (row.get("location") or "").strip()
        return bool(name) and self.existing_location(name) is None and self.new_location(name) is not None

    def row_country(self, row: dict) -> str:
        location = self.row_location(row)
        if location is not None:
            return location.country
        return (self.new_location(row.get("location", "")) or {}).get("country", "").upper()

    def package_choices(self) -> list[tuple[str, str]]:
        """The packages a person can hold that the customer holds (the service checks the order anyway)."""
        held = {p.code for p in self.customer.packages.all() if p.status == PackageStatus.PROVISIONED}
        return [
            (code, catalogue.PACKAGES[code].name)
            for code in SUBSCRIBER_PACKAGES
            if code in held and code in catalogue.PACKAGES
        ]

    def calling_rows(self) -> list[tuple[int, dict]]:
        return [(i, row) for i, row in enumerate(self.state["users"]) if _has_calling(row)]


def _has_calling(row: dict) -> bool:
    package = catalogue.package_get(row.get("package") or "")
    return package is not None and package.has_calling


def _raw(data, key: str) -> str:
    value = data.get(key, "")
    return value[:RAW_MAX] if isinstance(value, str) else ""


def _count(data, key: str, limit: int) -> int:
    try:
        return max(0, min(int(data.get(key, 0)), limit))
    except (TypeError, ValueError):
        return 0


def _absorb(setup: Setup, step: str, data) -> None:
    """Keep what the step on screen posted (valid or not: going back loses nothing)."""
    state = setup.state
    if step == LOCATIONS:
        count = _count(data, "loc-count", LOCATIONS_MAX)
        state["locations"] = [
            {name: _raw(data, f"loc-{i}-{name}") for name in LOCATION_FIELDS} for i in range(count)
        ]
    elif step == USERS:
        count = _count(data, "user-count", USERS_MAX)
        rows = state["users"]
        state["users"] = [
            {
                **_BLANK_USER,
                **(rows[i] if i < len(rows) else {}),
                **{name: _raw(data, f"user-{i}-{name}") for name in USER_FIELDS},
                "errors": [],
            }
            for i in range(count)
        ]
    elif step == NUMBERS:
        for i, row in enumerate(state["users"]):
            if f"user-{i}-phone_number" in data:
                row.update({name: _raw(data, f"user-{i}-{name}") for name in CALLING_FIELDS}, errors=[])


def _blank_location(row: dict) -> bool:
    return not any(row.get(name, "").strip() for name in ("name", "address_line1", "address_line2", "city"))


def _blank_user(row: dict) -> bool:
    return not any(row.get(name, "").strip() for name in ("first_name", "last_name", "email"))


def _prefixed(prefix: str, row: dict, names) -> dict:
    return {f"{prefix}-{name}": row.get(name, "") for name in names}


# --- the steps' forms and checks ---------------------------------------------------------------------------


def _location_forms(setup: Setup, bound: bool) -> list[NewLocationForm]:
    taken = [loc.name for loc in setup.existing]
    forms = []
    for i, row in enumerate(setup.state["locations"]):
        prefix = f"loc-{i}"
        kwargs = {"prefix": prefix, "taken_names": list(taken)}
        if bound:
            forms.append(NewLocationForm(_prefixed(prefix, row, LOCATION_FIELDS), **kwargs))
        else:
            forms.append(NewLocationForm(initial=row, **kwargs))
        taken.append(row.get("name", "").strip())
    return forms


def _user_forms(setup: Setup, bound: bool) -> list[UserRowForm]:
    kwargs = {"packages": setup.package_choices(), "locations": setup.location_names()}
    forms = []
    for i, row in enumerate(setup.state["users"]):
        prefix = f"user-{i}"
        if bound:
            form = UserRowForm(_prefixed(prefix, row, USER_FIELDS), prefix=prefix, **kwargs)
        else:
            form = UserRowForm(initial=row, prefix=prefix, **kwargs)
        form.row_errors = row.get("errors") or []
        forms.append(form)
    return forms


def _calling_forms(setup: Setup, bound: bool) -> list[tuple[dict, CallingRowForm]]:
    pairs = []
    for i, row in setup.calling_rows():
        prefix = f"user-{i}"
        if bound:
            form = CallingRowForm(_prefixed(prefix, row, CALLING_FIELDS), prefix=prefix)
        else:
            form = CallingRowForm(initial=row, prefix=prefix)
        pairs.append((row, form))
    return pairs


def _check_locations(setup: Setup) -> list[NewLocationForm] | None:
    """None when every new location is valid, else the forms with their errors."""
    setup.state["locations"] = [row for row in setup.state["locations"] if not _blank_location(row)]
    forms = _location_forms(setup, bound=True)
    if all(form.is_valid() for form in forms):
        for row, form in zip(setup.state["locations"], forms, strict=True):
            row.update({name: form.cleaned_data.get(name, "") for name in LOCATION_FIELDS})
        return None
    return forms


def _precheck(
    setup: Setup, row: dict, *, phone_number: str = "", extension: str = "", number_later: bool = True
) -> ValidationError | None:
    """What ``subscriber_precheck`` says of the row, less what the wizard settles later: the number of a
    calling user (``number_later``: before the numbers step, or a new number), and a location not created
    yet."""
    calling = _has_calling(row)
    location = setup.row_location(row) if calling else None
    new_location = calling and setup.in_new_location(row)
    try:
        subscriber_precheck(
            actor=setup.actor,
            customer=setup.customer,
            email=row.get("email", ""),
            package=row.get("package", ""),
            first_name=row.get("first_name", ""),
            last_name=row.get("last_name", ""),
            phone_number=phone_number if calling else "",
            extension=extension if calling else "",
            location=location.webex_id if location else "",
        )
    except ValidationError as exc:
        kept: dict[str, list[ValidationError]] = {}
        for key, errors in exc.error_dict.items():
            for error in errors:
                if number_later and key == "phone_number" and error.code == ErrorCode.CALLING_NUMBER_REQUIRED:
                    continue  # the numbers step asks for it (or adds the new number)
                if key == "location" and new_location:
                    continue  # created before the users
                kept.setdefault(key, []).append(error)
        return ValidationError(kept) if kept else None
    return None


def _check_users(setup: Setup) -> list[UserRowForm] | None:
    setup.state["users"] = [row for row in setup.state["users"] if not _blank_user(row)]
    if not setup.state["users"]:
        setup.state["users"] = [{**_BLANK_USER, "location": setup.default_location_name}]
        setup.step_errors.append(_("Add at least one user."))
        return _user_forms(setup, bound=False)
    forms = _user_forms(setup, bound=True)
    seen: set[str] = set()
    for row, form in zip(setup.state["users"], forms, strict=True):
        if not form.is_valid():
            continue
        email = form.cleaned_data["email"].strip().casefold()
        if email and email in seen:
            form.add_error("email", _("This e-mail is listed twice."))
            continue
        seen.add(email)
        problem = _precheck(setup, row)
        if problem is not None:
            add_service_errors(form, problem)
    return forms if any(form.errors for form in forms) else None


def _number_plan(setup: Setup, row: dict) -> tuple[str, bool]:
    """(E.164 of the row's number or "", whether it is new to the inventory); a ValidationError when the
    typed number is no phone number or not of its location's country."""
    text = (row.get("phone_number") or "").strip()
    if not text:
        return "", False
    e164 = e164_parse(text)
    if number_by_e164(actor=setup.actor, org=setup.customer.org, e164=e164) is not None:
        return e164, False
    country = setup.row_country(row) or None
    return e164_parse(text, country=country), True


def _check_numbers(setup: Setup) -> list[tuple[dict, CallingRowForm]] | None:
    pairs = _calling_forms(setup, bound=True)
    numbers: set[str] = set()
    extensions: set[str] = set()
    for row, form in pairs:
        if not form.is_valid():
            continue
        try:
            e164, new = _number_plan(setup, row)
        except ValidationError as exc:
            form.add_error("phone_number", exc.messages)
            continue
        if e164 and e164 in numbers:
            form.add_error("phone_number", _("%(number)s is given to another user too.") % {"number": e164})
        numbers.add(e164)
        extension = form.cleaned_data["extension"].strip()
        if extension and extension in extensions:
            form.add_error(
                "extension", _("Extension %(ext)s is given to another user too.") % {"ext": extension}
            )
        extensions.add(extension)
        if e164 and not new and setup.in_new_location(row):
            form.add_error(
                "phone_number",
                _("%(number)s is in the inventory of another location: give %(location)s a new number.")
                % {"number": e164, "location": row["location"]},
            )
        if form.errors:
            continue
        row["phone_number"] = e164
        problem = _precheck(
            setup, row, phone_number="" if new else e164, extension=extension, number_later=new
        )
        if problem is not None:
            add_service_errors(form, problem)
    return pairs if any(form.errors for _, form in pairs) else None


# --- creating ----------------------------------------------------------------------------------------------


def _error_lines(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        labels = {"phone_numbers": "phone_number"}
        return [
            f"{labels.get(key, key).replace('_', ' ').capitalize()}: {text}"
            for key, texts in exc.message_dict.items()
            for text in texts
        ]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or _("You may not do this here.")]


def _create_user(setup: Setup, row: dict):
    """One user in one transaction: a new number joins its location's inventory, then the subscriber is
    added; a refusal of either undoes both."""
    calling = _has_calling(row)
    location = None
    if calling:
        location = setup.row_location(row)
        if location is None:
            raise ValidationError(
                {"location": _("The location “%(name)s” was not created.") % {"name": row.get("location")}}
            )
    with transaction.atomic():
        e164, new = _number_plan(setup, row) if calling else ("", False)
        if new:
            numbers_add(actor=setup.actor, location=location, phone_numbers=[e164])
        return subscriber_add(
            actor=setup.actor,
            customer=setup.customer,
            email=row.get("email", ""),
            package=row.get("package", ""),
            first_name=row.get("first_name", ""),
            last_name=row.get("last_name", ""),
            phone_number=e164,
            extension=(row.get("extension") or "").strip() if calling else "",
            location=location.webex_id if location else "",
        )


def _create(setup: Setup) -> dict:
    """Create the new locations, then every user; what failed stays in the state with its reasons."""
    outcome: dict = {"locations": [], "users": [], "failed_locations": [], "failed_users": 0}
    kept_locations = []
    for row in setup.state["locations"]:
        try:
            location = location_create(
                actor=setup.actor,
                org=setup.customer.org,
                values={name: row.get(name, "") for name in LOCATION_FIELDS},
            )
        except (ValidationError, PermissionDenied) as exc:
            kept_locations.append(row)
            outcome["failed_locations"].append({"name": row.get("name", ""), "errors": _error_lines(exc)})
        else:
            outcome["locations"].append(location.name)
    setup.state["locations"] = kept_locations
    setup.refresh_existing()
    kept_users = []
    for row in setup.state["users"]:
        try:
            subscriber = _create_user(setup, row)
        except (ValidationError, PermissionDenied) as exc:
            kept_users.append({**row, "errors": _error_lines(exc)})
        else:
            outcome["users"].append(
                {
                    "name": f"{subscriber.first_name} {subscriber.last_name}".strip(),
                    "email": subscriber.email,
                    "package": _package_name(subscriber.package),
                }
            )
    outcome["failed_users"] = len(kept_users)
    setup.state["users"] = kept_users
    return outcome


def _display_name(row: dict) -> str:
    name = f"{row.get('first_name', '').strip()} {row.get('last_name', '').strip()}".strip()
    return name or row.get("email", "")


def _package_name(code: str) -> str:
    package = catalogue.package_get(code or "")
    return package.name if package else (code or "")


# --- the view ----------------------------------------------------------------------------------------------


def _detail_url(request: HttpRequest, customer: Customer) -> str:
    return reverse(
        "partner:customer_detail", kwargs={"org_id": request.org.webex_id, "customer_id": customer.webex_id}
    )


def _go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def customer_setup(request: HttpRequest, customer_id: str) -> HttpResponse:
    customer = customer_for_partner(request, customer_id)
    require(request.user, Action.USERS_PROVISION, customer.org)
    if customer.status not in READY:
        return render(request, TEMPLATE, {"customer": customer, "not_ready": True})
    setup = Setup.load(request, customer)
    if request.method != "POST":
        return _render(setup, setup.state["step"])

    step = request.POST.get("step")
    step = step if step in STEP_KEYS else setup.state["step"]
    nav = request.POST.get("nav", "next")
    if nav == "cancel":
        setup.forget()
        messages.info(request, _("The set-up of %(name)s was cancelled.") % {"name": customer.org.name})
        return _go(request, _detail_url(request, customer))
    _absorb(setup, step, request.POST)
    if step != REVIEW:
        setup.state["outcome"] = None  # an edit makes the last outcome stale

    if _edit_rows(setup, nav):
        setup.save()
        return _render(setup, step)

    index = STEP_KEYS.index(step)
    if nav == "back":
        target = STEP_KEYS[max(index - 1, 0)]
    elif nav.startswith("goto:") and nav[5:] in STEP_KEYS:
        target = nav[5:]
    elif nav == "create":
        target = None
    else:
        target = STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]

    if target is not None and STEP_KEYS.index(target) <= index:
        # Going back (or staying): shown as it was left, unchecked; nothing is lost on the way.
        setup.save()
        return _render(setup, target)

    # Going forward checks every step before the target; the first one with a problem is shown.
    upto = len(STEP_KEYS) if target is None else STEP_KEYS.index(target)
    checks = (
        (LOCATIONS, _check_locations, "location_forms"),
        (USERS, _check_users, "user_forms"),
        (NUMBERS, _check_numbers, "calling_forms"),
    )
    for key, check, name in checks[:upto]:
        invalid = check(setup)
        if invalid is not None or setup.step_errors:
            setup.save()
            return _render(setup, key, **{name: invalid})
    if target is not None:
        setup.save()
        return _render(setup, target)

    outcome = _create(setup)
    if outcome["failed_users"] or outcome["failed_locations"]:
        setup.state["outcome"] = outcome
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


def _edit_rows(setup: Setup, nav: str) -> bool:
    """Adding or removing a row of the step on screen; True when ``nav`` was one (even a refused one)."""
    state = setup.state
    kind, _sep, rest = nav.partition(":")
    if kind == "add_location":
        if len(state["locations"]) < LOCATIONS_MAX:
            hq = setup.headquarters
            defaults = {"country": hq.country, "timezone": hq.timezone, "language": hq.language} if hq else {}
            state["locations"].append({**dict.fromkeys(LOCATION_FIELDS, ""), **defaults})
        return True
    if kind == "add_user":
        if len(state["users"]) < USERS_MAX:
            state["users"].append({**_BLANK_USER, "location": setup.default_location_name})
        return True
    if kind in ("remove_location", "remove_user"):
        rows = state["locations"] if kind == "remove_location" else state["users"]
        if rest.isdigit() and int(rest) < len(rows):
            del rows[int(rest)]
        return True
    return False


# --- rendering ---------------------------------------------------------------------------------------------


def _steps(current: str, reached: int) -> list[dict]:
    index = STEP_KEYS.index(current)
    return [
        {
            "key": key,
            "title": STEP_TITLES[key],
            "state": "current" if n == index else ("done" if n < index else "upcoming"),
            "reachable": n != index and n <= reached,
        }
        for n, key in enumerate(STEP_KEYS)
    ]


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
        calling = _has_calling(row)
        number = (row.get("phone_number") or "").strip() if calling else ""
        new_number = False
        if number:
            with contextlib.suppress(ValidationError):  # shown as typed; creating says what is wrong
                number, new_number = _number_plan(setup, row)
        rows.append(
            {
                "row": row,
                "package": _package_name(row.get("package")),
                "calling": calling,
                "number": number,
                "new_number": new_number,
                "extension": (row.get("extension") or "").strip() if calling else "",
                "location": (row.get("location") or setup.default_location_name) if calling else "",
                "errors": row.get("errors") or [],
            }
        )
    return rows


def _render(setup: Setup, step: str, **forms) -> HttpResponse:
    state = setup.state
    index = STEP_KEYS.index(step)
    state["step"] = step
    state["reached"] = max(int(state.get("reached") or 0), index)
    setup.save()
    context = {
        "customer": setup.customer,
        "step": step,
        "steps": _steps(step, state["reached"]),
        "reached": state["reached"],
        "previous": STEP_KEYS[index - 1] if index else None,
        "step_errors": setup.step_errors,
        "outcome": state.get("outcome") if step == REVIEW else None,
        "existing": setup.existing,
        "users_max": USERS_MAX,
        "locations_max": LOCATIONS_MAX,
    }
    if step == LOCATIONS:
        context["location_forms"] = forms.get("location_forms") or _location_forms(setup, bound=False)
    elif step == USERS:
        context["user_forms"] = forms.get("user_forms") or _user_forms(setup, bound=False)
        richest = catalogue.richest_user_package([code for code, _name in setup.package_choices()])
        context["admin_package"] = richest.name if richest else ""
    elif step == NUMBERS:
        pairs = forms.get("calling_forms") or _calling_forms(setup, bound=False)
        datalists = _datalists(setup)
        rows = []
        for row, form in pairs:
            location = setup.row_location(row)
            if location is not None and location.webex_id in datalists:
                form.fields["phone_number"].widget.attrs["list"] = f"numbers-{location.webex_id}"
            rows.append(
                {
                    "row": row,
                    "form": form,
                    "name": _display_name(row),
                    "package": _package_name(row.get("package")),
                    "location": row.get("location") or setup.default_location_name,
                    "new_location": setup.in_new_location(row),
                }
            )
        context["calling_rows"] = rows
        context["datalists"] = datalists
        context["extension_length"] = extension_length_of(org=setup.customer.org)
    else:
        context["new_locations"] = state["locations"]
        context["review"] = _review(setup)
    return render(setup.request, partial_or_page(setup.request, TEMPLATE, "wizard"), context)


def _render_done(setup: Setup, outcome: dict) -> HttpResponse:
    context = {"customer": setup.customer, "step": "done", "outcome": outcome, "done": True}
    return render(setup.request, partial_or_page(setup.request, TEMPLATE, "wizard"), context)
