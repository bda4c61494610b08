"""The invoice preview: a period's quantities per service (summed in SQL, per day so that a price change
mid-month applies from its day), priced with the transfer prices in force each day. Monthly services cost
quantity × price ÷ days of the month (a licence held all month costs the monthly price); Setup Assist costs
its units × price. Per customer on demand, and the same for a customer's statement."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from apps.billing.catalogue import PriceUnit, Service, service
from apps.billing.models import TransferPrice
from apps.billing.selectors.usage import usage_per_service_and_day
from apps.core.models import Organization

CENT = Decimal("0.01")


@dataclass
class InvoiceLine:
    service: Service
    quantity: float = 0.0
    amount: Decimal = Decimal(0)
    priced: bool = True  # False when a day of usage had no price in force

    @property
    def unit_label(self) -> str:
        return _("licence-days") if self.service.unit == PriceUnit.MONTHLY else _("units")


@dataclass
class Invoice:
    start: date
    end: date
    lines: list[InvoiceLine] = field(default_factory=list)
    currency: str = "USD"
    # A sub-partner sees quantities only: the transfer prices are its parent's agreement with the platform.
    priced_by_parent: bool = False

    @property
    def quantity(self) -> float:
        return sum(line.quantity for line in self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0)).quantize(CENT, ROUND_HALF_UP)

    @property
    def complete(self) -> bool:
        return all(line.priced for line in self.lines)


def subscription_owner(partner: Organization) -> Organization:
    return partner.parent if partner.is_subpartner else partner


def prices_of(*, partner: Organization) -> dict[str, list[TransferPrice]]:
    """The price history per service of the partner's subscription, latest first."""
    found = defaultdict(list)
    for price in TransferPrice.objects.filter(partner=subscription_owner(partner)).order_by(
        "-effective_from"
    ):
        found[price.service].append(price)
    return found


def transfer_prices_list(*, partner: Organization):
    return (
        TransferPrice.objects.filter(partner=partner)
        .select_related("created_by")
        .order_by("service", "-effective_from")
    )


def _price_on(history: list[TransferPrice], day: date) -> TransferPrice | None:
    return next((p for p in history if p.effective_from <= day), None)


def invoice_preview(
    *,
    partner: Organization,
    start: date,
    end: date,
    subpartner: Organization | None = None,
    customer_org_id=None,
) -> Invoice:
    per_day = usage_per_service_and_day(
        partner=partner, start=start, end=end, subpartner=subpartner, customer_org_id=customer_org_id
    )
    prices = {} if partner.is_subpartner else prices_of(partner=partner)
    lines: dict[str, InvoiceLine] = {}
    currency = "USD"
    for code, day, total in per_day:
        line = lines.setdefault(code, InvoiceLine(service(code)))
        line.quantity += total
        price = _price_on(prices.get(code, []), day)
        if price is None:
            line.priced = False
            continue
        currency = price.currency
        amount = Decimal(str(total)) * price.amount
        if line.service.unit == PriceUnit.MONTHLY:
            amount /= calendar.monthrange(day.year, day.month)[1]
        line.amount += amount
    for line in lines.values():
        line.amount = line.amount.quantize(CENT, ROUND_HALF_UP)
    ordered = sorted(lines.values(), key=lambda line: line.service.name)
    return Invoice(start, end, ordered, currency, priced_by_parent=partner.is_subpartner)


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: date) -> tuple[date, date]:
    return month_bounds(day.replace(day=1) - timedelta(days=1))
