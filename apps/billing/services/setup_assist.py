"""Setup Assist orders (the guide's *Onboarding with Wholesale Setup Assist*): after provisioning, a partner
orders it for one customer location at least six business days before the wanted completion date; the SKU
follows the location's seats (Express: a flat charge up to five; Standard: per user above); the platform's
Setup Assist team moves the order through the project phases. The order is billed on the UTC day it was
placed (``services.usage`` adds it to that day's usage)."""

from datetime import UTC, date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, require
from apps.billing.catalogue import EXPRESS_MAX_SEATS, SETUP_ASSIST_EXPRESS, SETUP_ASSIST_STANDARD
from apps.billing.models import SetupAssistOrder, SetupAssistPhase
from apps.core.errors import ErrorCode, Errors, refuse
from apps.core.services import audit_record
from apps.customers.models import Customer, CustomerStatus
from apps.locations.models import Location
from apps.subscribers.models import Subscriber

NOTICE_BUSINESS_DAYS = 6
P = SetupAssistPhase
FLOWS = {
    SETUP_ASSIST_EXPRESS: [P.REQUESTED, P.DISCOVERY, P.SOLUTION_DESIGN, P.COMPLETED],
    SETUP_ASSIST_STANDARD: [P.REQUESTED, P.PROJECT_MANAGEMENT, P.DISCOVERY, P.SOLUTION_DESIGN, P.COMPLETED],
}


def add_business_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def earliest_completion(today: date) -> date:
    return add_business_days(today, NOTICE_BUSINESS_DAYS)


def sku_for(seats: int) -> str:
    return SETUP_ASSIST_EXPRESS if seats <= EXPRESS_MAX_SEATS else SETUP_ASSIST_STANDARD


def location_seats(*, location: Location) -> int:
    """The users set up at the location: its seats."""
    return Subscriber.objects.filter(location=location).count()


@transaction.atomic
def setup_assist_order(
    *, actor, customer: Customer, location: Location | None, wanted_completion, notes: str = ""
) -> SetupAssistOrder:
    """Order Setup Assist for a provisioned customer's location (the caller found the customer through a
    scoped selector). Refused: a location of another organisation, a customer not provisioned, a wanted
    completion fewer than six business days away."""
    partner = customer.org.parent
    require(actor, Action.BILLING_MANAGE, partner)
    errors = Errors()
    if customer.status not in (CustomerStatus.PROVISIONED, CustomerStatus.PROVISIONED_WITH_ERRORS):
        errors.add(
            "customer", ErrorCode.SETUP_ASSIST_NOT_PROVISIONED, _("Provision the customer first, then order.")
        )
    if location is None or location.org_id != customer.org_id:
        errors.add(
            "location", ErrorCode.SETUP_ASSIST_LOCATION_INVALID, _("Choose a location of this customer.")
        )
    now = timezone.now()
    earliest = earliest_completion(now.astimezone(UTC).date())
    if not isinstance(wanted_completion, date):
        errors.add(
            "wanted_completion", ErrorCode.SETUP_ASSIST_TOO_LATE, _("Give the wanted completion date.")
        )
    elif wanted_completion < earliest:
        errors.add(
            "wanted_completion",
            ErrorCode.SETUP_ASSIST_TOO_LATE,
            _("At least six business days' notice: %(day)s or later.")
            % {"day": date_format(earliest, "d F Y")},
        )
    errors.raise_if_any()
    seats = location_seats(location=location)
    order = SetupAssistOrder.objects.create(
        customer=customer,
        location=location,
        partner=partner,
        customer_uuid=customer.pk,
        org_uuid=customer.org_id,
        customer_external_id=customer.external_id,
        location_uuid=location.pk,
        location_name=location.name,
        sku=sku_for(seats),
        seats=seats,
        wanted_completion=wanted_completion,
        notes=str(notes)[:2000],
        billing_day=now.astimezone(UTC).date(),
        ordered_at=now,
        ordered_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        acting_org=partner,
        action="setup_assist.order",
        target=order,
        after={"sku": order.sku, "seats": seats, "location": location.name, "wanted": str(wanted_completion)},
    )
    return order


def next_phase(order: SetupAssistOrder) -> str | None:
    flow = FLOWS[order.sku]
    at = flow.index(order.phase) if order.phase in flow else len(flow) - 1
    return flow[at + 1] if at + 1 < len(flow) else None


@transaction.atomic
def setup_assist_advance(*, actor, order: SetupAssistOrder) -> SetupAssistOrder:
    """The platform's Setup Assist team moves the order to its flow's next phase."""
    require(actor, Action.BILLING_OPERATE, actor.org)
    order = SetupAssistOrder.objects.select_for_update().get(pk=order.pk)
    following = next_phase(order)
    if following is None:
        refuse("phase", ErrorCode.SETUP_ASSIST_TOO_LATE, _("The order is completed."))
    before = order.phase
    order.phase = following
    order.save(update_fields=["phase"])
    audit_record(
        actor=actor,
        acting_org=actor.org,
        action="setup_assist.advance",
        target=order,
        before={"phase": before},
        after={"phase": following},
    )
    return order
