"""The state of Partner Hub's "Set up customer" wizard, kept by the wizard engine (``core.wizard``) under
the customer's id. This module owns its shape (the new locations, the user rows, the last outcome), how a
step's POST is taken in (valid or not: going back loses nothing), adding and removing rows, and how a user
row reads (its location, country, package) against the customer's existing locations.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext_lazy, pgettext_lazy

from apps.core.wizard import Wizard, WizardRun
from apps.customers.models import Customer, PackageStatus
from apps.locations.forms import LOCATION_FIELDS
from apps.locations.models import Location
from apps.locations.selectors import locations_of
from apps.packages import catalogue
from apps.packages.constants import SUBSCRIBER_PACKAGES
from apps.provisioning.services.setup import (
    SetupUser,
    headquarters_of,
    location_named,
    package_has_calling,
    user_location,
)
from apps.subscribers.forms import CALLING_FIELDS, PERSON_FIELDS

LOCATIONS, USERS, NUMBERS, REVIEW = "locations", "users", "numbers", "review"
SETUP_WIZARD = Wizard(
    "customer_setup",
    (
        (LOCATIONS, gettext_lazy("Locations")),
        (USERS, gettext_lazy("Users")),
        (NUMBERS, gettext_lazy("Phone numbers")),
        (REVIEW, pgettext_lazy("wizard step", "Review")),
    ),
)
USERS_MAX = 25  # the guide's limit of users added by hand in one go
LOCATIONS_MAX = 20
FIRST_USER_ROWS = 3
RAW_MAX = 255  # longest posted value kept in the session (every form field is shorter)

BLANK_USER = dict.fromkeys((*PERSON_FIELDS, *CALLING_FIELDS), "")


def fresh_state(default_location: str) -> dict:
    return {
        "locations": [],
        "users": [{**BLANK_USER, "location": default_location} for _ in range(FIRST_USER_ROWS)],
        "outcome": None,
    }


def valid_state(state: dict) -> bool:
    return isinstance(state.get("locations"), list) and isinstance(state.get("users"), list)


def has_calling(row: dict) -> bool:
    return package_has_calling(row.get("package") or "")


@dataclass
class Setup:
    """One request of the wizard: the customer, what it already has, and the state being edited."""

    request: HttpRequest
    customer: Customer
    existing: list[Location]
    run: WizardRun | None = None
    step_errors: list[str] = field(default_factory=list)
    resumed: bool = False  # the state is a draft left from an earlier visit

    @classmethod
    def load(cls, request: HttpRequest, customer: Customer) -> "Setup":
        existing = list(locations_of(actor=request.user, scope=customer.org))
        setup = cls(request, customer, existing)
        setup.run = SETUP_WIZARD.load(
            request,
            str(customer.pk),
            fresh=lambda: fresh_state(setup.default_location_name),
            valid=valid_state,
        )
        setup.resumed = setup.run.resumed
        return setup

    @property
    def state(self) -> dict:
        return self.run.state

    def start_over(self) -> None:
        """Forget the draft and begin again with the first step."""
        self.forget()
        self.run = SETUP_WIZARD.load(
            self.request, str(self.customer.pk), fresh=lambda: fresh_state(self.default_location_name)
        )
        self.resumed = False

    def save(self) -> None:
        self.run.save()

    def forget(self) -> None:
        self.run.forget()

    @property
    def actor(self):
        return self.request.user

    @property
    def headquarters(self) -> Location | None:
        return headquarters_of(self.existing)

    @property
    def default_location_name(self) -> str:
        hq = self.headquarters
        return hq.name if hq else ""

    def refresh_existing(self) -> None:
        self.existing = list(locations_of(actor=self.actor, scope=self.customer.org))

    # Locations are named, not numbered: a row keeps its location when the wizard creates it.
    def existing_location(self, name: str) -> Location | None:
        return location_named(self.existing, name)

    def new_location(self, name: str) -> dict | None:
        key = (name or "").strip().casefold()
        return next((row for row in self.state["locations"] if row["name"].strip().casefold() == key), None)

    def location_names(self) -> list[str]:
        return [loc.name for loc in self.existing] + [
            row["name"].strip() for row in self.state["locations"] if row["name"].strip()
        ]

    def row_location(self, row: dict) -> Location | None:
        """The existing location of a user row (none chosen: the headquarters); None for a new one."""
        return user_location(self.existing, row.get("location") or "")

    def in_new_location(self, row: dict) -> bool:
        name = (row.get("location") or "").strip()
        return bool(name) and self.existing_location(name) is None and self.new_location(name) is not None

    def row_country(self, row: dict) -> str:
        location = self.row_location(row)
        if location is not None:
            return location.country
        return (self.new_location(row.get("location", "")) or {}).get("country", "").upper()

    def package_codes(self) -> list[str]:
        """The packages a person can hold that the customer holds (the service checks the order anyway)."""
        held = {p.code for p in self.customer.packages.all() if p.status == PackageStatus.PROVISIONED}
        return [code for code in SUBSCRIBER_PACKAGES if code in held and code in catalogue.PACKAGES]

    def calling_rows(self) -> list[tuple[int, dict]]:
        return [(i, row) for i, row in enumerate(self.state["users"]) if has_calling(row)]


# --- taking in a step's POST -------------------------------------------------------------------------------


def _raw(data, key: str) -> str:
    value = data.get(key, "")
    return value[:RAW_MAX] if isinstance(value, str) else ""


def _count(data, key: str, limit: int) -> int:
    try:
        return max(0, min(int(data.get(key, 0)), limit))
    except (TypeError, ValueError):
        return 0


def absorb(setup: Setup, step: str, data) -> None:
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
                **BLANK_USER,
                **(rows[i] if i < len(rows) else {}),
                **{name: _raw(data, f"user-{i}-{name}") for name in PERSON_FIELDS},
                "errors": [],
            }
            for i in range(count)
        ]
    elif step == NUMBERS:
        for i, row in enumerate(state["users"]):
            if f"user-{i}-phone_number" in data:
                row.update({name: _raw(data, f"user-{i}-{name}") for name in CALLING_FIELDS}, errors=[])


def edit_rows(setup: Setup, nav: str) -> bool:
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
            state["users"].append({**BLANK_USER, "location": setup.default_location_name})
        return True
    if kind in ("remove_location", "remove_user"):
        rows = state["locations"] if kind == "remove_location" else state["users"]
        if rest.isdigit() and int(rest) < len(rows):
            del rows[int(rest)]
        return True
    return False


def blank_location(row: dict) -> bool:
    return not any(row.get(name, "").strip() for name in ("name", "address_line1", "address_line2", "city"))


def blank_user(row: dict) -> bool:
    return not any(row.get(name, "").strip() for name in ("first_name", "last_name", "email"))


# --- reading the rows --------------------------------------------------------------------------------------


def location_values(row: dict) -> dict[str, str]:
    return {name: row.get(name, "") for name in LOCATION_FIELDS}


def setup_user(row: dict) -> SetupUser:
    """A user row as the set-up service takes it."""
    return SetupUser(
        email=row.get("email", ""),
        package=row.get("package", ""),
        first_name=row.get("first_name", ""),
        last_name=row.get("last_name", ""),
        location=row.get("location", ""),
        phone_number=row.get("phone_number", ""),
        extension=row.get("extension", ""),
    )


def display_name(row: dict) -> str:
    name = f"{row.get('first_name', '').strip()} {row.get('last_name', '').strip()}".strip()
    return name or row.get("email", "")


def package_name(code: str) -> str:
    package = catalogue.package_get(code or "")
    return package.name if package else (code or "")
