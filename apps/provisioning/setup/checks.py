"""The checks of the "Set up customer" wizard's steps, before anything is written: each builds the step's
forms from the session state and asks the services' own rules (``location_clean`` through the location
form, ``subscriber_precheck``), placing their keyed errors on the fields. A check returns None when its step
is fine, else the forms to show again. Only what is about the wizard itself is added here: a row listed
twice, a number given to two users, and what the wizard settles later (the number, a location to create).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.errors import ErrorCode
from apps.core.forms import add_service_errors
from apps.locations.forms import LOCATION_FIELDS
from apps.provisioning.services.setup import setup_number_plan
from apps.provisioning.setup.forms import NewLocationForm
from apps.provisioning.setup.state import BLANK_USER, Setup, blank_location, blank_user, has_calling
from apps.subscribers.forms import CALLING_FIELDS, PERSON_FIELDS, UserRowForm
from apps.subscribers.services.subscribers import subscriber_precheck


def _prefixed(prefix: str, row: dict, names) -> dict:
    return {f"{prefix}-{name}": row.get(name, "") for name in names}


def location_forms(setup: Setup, bound: bool) -> list[NewLocationForm]:
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


def user_forms(setup: Setup, bound: bool) -> list[UserRowForm]:
    kwargs = {
        "packages": setup.package_codes(),
        "location_names": setup.location_names(),
        "fields": PERSON_FIELDS,
    }
    forms = []
    for i, row in enumerate(setup.state["users"]):
        prefix = f"user-{i}"
        if bound:
            form = UserRowForm(_prefixed(prefix, row, PERSON_FIELDS), prefix=prefix, **kwargs)
        else:
            form = UserRowForm(initial=row, prefix=prefix, **kwargs)
        form.row_errors = row.get("errors") or []
        forms.append(form)
    return forms


def calling_forms(setup: Setup, bound: bool) -> list[tuple[dict, UserRowForm]]:
    kwargs = {"packages": setup.package_codes(), "fields": CALLING_FIELDS}
    pairs = []
    for i, row in setup.calling_rows():
        prefix = f"user-{i}"
        if bound:
            form = UserRowForm(_prefixed(prefix, row, CALLING_FIELDS), prefix=prefix, **kwargs)
        else:
            form = UserRowForm(initial=row, prefix=prefix, **kwargs)
        pairs.append((row, form))
    return pairs


def number_plan(setup: Setup, row: dict) -> tuple[str, bool]:
    """(E.164 of the row's number or "", whether it is new to the inventory); a ValidationError when the
    typed number is no phone number or not of its location's country."""
    return setup_number_plan(
        actor=setup.actor,
        org=setup.customer.org,
        text=row.get("phone_number") or "",
        country=setup.row_country(row),
    )


def check_locations(setup: Setup) -> list[NewLocationForm] | None:
    """None when every new location is valid, else the forms with their errors."""
    setup.state["locations"] = [row for row in setup.state["locations"] if not blank_location(row)]
    forms = location_forms(setup, bound=True)
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
    calling = has_calling(row)
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


def check_users(setup: Setup) -> list[UserRowForm] | None:
    setup.state["users"] = [row for row in setup.state["users"] if not blank_user(row)]
    if not setup.state["users"]:
        setup.state["users"] = [{**BLANK_USER, "location": setup.default_location_name}]
        setup.step_errors.append(_("Add at least one user."))
        return user_forms(setup, bound=False)
    forms = user_forms(setup, bound=True)
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


def check_numbers(setup: Setup) -> list[tuple[dict, UserRowForm]] | None:
    pairs = calling_forms(setup, bound=True)
    numbers: set[str] = set()
    extensions: set[str] = set()
    for row, form in pairs:
        if not form.is_valid():
            continue
        try:
            e164, new = number_plan(setup, row)
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
