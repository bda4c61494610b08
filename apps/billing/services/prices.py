"""Transfer prices: the platform operator agrees a price per service with each top-level partner's
subscription. Prices are never edited: a new one from a later day replaces the old from that day on."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, require
from apps.billing.catalogue import SERVICES
from apps.billing.models import TransferPrice
from apps.core.errors import ErrorCode, Errors
from apps.core.models import Organization
from apps.core.services import audit_record


@transaction.atomic
def transfer_price_set(
    *, actor, partner: Organization | None, code, amount, effective_from, currency: str = "USD"
) -> TransferPrice:
    require(actor, Action.BILLING_OPERATE, actor.org)
    errors = Errors()
    if partner is None or not partner.is_partner or partner.is_subpartner:
        errors.add("partner", ErrorCode.PRICE_INVALID, _("Choose a partner with its own subscription."))
    if code not in SERVICES:
        errors.add("code", ErrorCode.PRICE_INVALID, _("Choose a package, add-on or Setup Assist SKU."))
    try:
        value = Decimal(str(amount))
        if not value.is_finite() or value < 0 or value >= Decimal(10) ** 8:
            raise InvalidOperation
        value = value.quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError):
        errors.add("amount", ErrorCode.PRICE_INVALID, _("Give a price of 0 or more, such as 12.50."))
        value = None
    if not isinstance(effective_from, date):
        errors.add("effective_from", ErrorCode.PRICE_INVALID, _("Give the first day the price applies."))
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        errors.add("currency", ErrorCode.PRICE_INVALID, _("A three-letter currency code, such as USD."))
    errors.raise_if_any()
    if TransferPrice.objects.filter(partner=partner, service=code, effective_from=effective_from).exists():
        errors.add(
            "effective_from",
            ErrorCode.PRICE_INVALID,
            _("A price of this service already starts that day (prices are history): choose another day."),
        )
        errors.raise_if_any()
    price = TransferPrice.objects.create(
        partner=partner,
        service=code,
        amount=value,
        currency=currency.upper(),
        effective_from=effective_from,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        acting_org=actor.org,
        action="transfer_price.set",
        target=price,
        after={
            "partner": partner.name,
            "service": code,
            "amount": str(value),
            "from": str(effective_from),
        },
    )
    return price
