"""Advanced branding: the layers a brand is resolved from (``selectors.branding_for``).

One row per (organisation, layer). A partner (or sub-partner) holds its own brand (Partner Hub) and the
default of all its customers; a customer holds the brand its partner set for it, and its own override, which
counts only while the partner allows it (the attach rule: an attached organisation's own, basic branding is
that override, so the partner's advanced branding wins unless the partner lets the customer override).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class BrandLayer(models.TextChoices):
    OWN = "own", _("The partner's own organisation")
    CUSTOMER_DEFAULT = "customer_default", _("Default for all customers")
    CUSTOMER = "customer", _("Set by the partner for this customer")
    OVERRIDE = "override", _("The customer's own override")


# The fields a layer sets; an empty one falls through to the next layer.
BRAND_FIELDS = (
    "logo_light",
    "logo_dark",
    "primary_light",
    "accent_light",
    "primary_dark",
    "accent_dark",
    "help_url",
    "support_url",
    "feedback_url",
)
COLOUR_FIELDS = ("primary_light", "accent_light", "primary_dark", "accent_dark")
LOGO_FIELDS = ("logo_light", "logo_dark")
URL_FIELDS = ("help_url", "support_url", "feedback_url")


class Brand(TimeStampedModel):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="brands")
    layer = models.CharField(max_length=20, choices=BrandLayer.choices)
    # Storage names of validated logos (``images.logo_store``), served by ``views.brand_logo``.
    logo_light = models.CharField(_("logo (light theme)"), max_length=120, blank=True)
    logo_dark = models.CharField(_("logo (dark theme)"), max_length=120, blank=True)
    primary_light = models.CharField(_("primary colour (light theme)"), max_length=7, blank=True)
    accent_light = models.CharField(_("accent colour (light theme)"), max_length=7, blank=True)
    primary_dark = models.CharField(_("primary colour (dark theme)"), max_length=7, blank=True)
    accent_dark = models.CharField(_("accent colour (dark theme)"), max_length=7, blank=True)
    help_url = models.URLField(_("help URL"), max_length=500, blank=True)
    support_url = models.URLField(_("support URL"), max_length=500, blank=True)
    feedback_url = models.URLField(_("feedback URL"), max_length=500, blank=True)
    # CUSTOMER layer: the customer's own administrators may override (and see the Branding page).
    allow_customer_override = models.BooleanField(_("allow the customer to override"), default=False)
    # OWN layer: the partner's sign-in page answers on this host name.
    sign_in_host = models.CharField(_("sign-in host name"), max_length=253, blank=True)

    class Meta:
        ordering = ["org", "layer"]
        constraints = [
            models.UniqueConstraint(fields=["org", "layer"], name="unique_brand_layer_per_org"),
            models.UniqueConstraint(
                fields=["sign_in_host"], condition=~Q(sign_in_host=""), name="unique_brand_sign_in_host"
            ),
            models.CheckConstraint(
                condition=Q(sign_in_host="") | Q(layer="own"), name="brand_sign_in_host_only_own"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_layer_display()} brand of {self.org}"
