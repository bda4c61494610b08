"""Transfer prices: what the platform charges a partner's subscription per service. A price is never
edited: a new one with a later ``effective_from`` replaces it from that day on, so history stays."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.billing.catalogue import SERVICE_CHOICES
from apps.core.choices import ChoiceLabels
from apps.core.models import Organization


class TransferPrice(ChoiceLabels, models.Model):
    id = models.BigAutoField(primary_key=True)
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="transfer_prices")
    service = models.CharField(_("service"), max_length=40, choices=SERVICE_CHOICES)
    amount = models.DecimalField(_("price"), max_digits=12, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    effective_from = models.DateField(_("effective from"))
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["partner", "service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "service", "effective_from"], name="one_price_per_service_and_day"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=Decimal(0)), name="price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.amount} {self.currency} from {self.effective_from}"
