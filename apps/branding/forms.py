"""The brand form of every branding page: colours, support URLs, logos (and, per layer, the sign-in host or
the override switch). Fields are plain text: the service validates (one place for the page and the API)."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.branding.images import MAX_LOGO_BYTES, MAX_LOGO_SIDE
from apps.branding.models import COLOUR_FIELDS, LOGO_FIELDS, URL_FIELDS, Brand, BrandLayer

_COLOUR = forms.TextInput(attrs={"placeholder": "#0f5bd6", "maxlength": 7, "size": 8, "class": "mono"})

# Lazy, and formatted when read: in the reader's language, not the language active at import.
_LOGO_HELP = lazy(
    lambda: (
        gettext("PNG, JPEG or SVG, at most %(kb)s KB and %(px)s pixels a side.")
        % {"kb": MAX_LOGO_BYTES // 1024, "px": MAX_LOGO_SIDE}
    ),
    str,
)()


class BrandForm(forms.Form):
    primary_light = forms.CharField(label=_("Primary colour, light theme"), required=False, widget=_COLOUR)
    accent_light = forms.CharField(label=_("Accent colour, light theme"), required=False, widget=_COLOUR)
    primary_dark = forms.CharField(label=_("Primary colour, dark theme"), required=False, widget=_COLOUR)
    accent_dark = forms.CharField(label=_("Accent colour, dark theme"), required=False, widget=_COLOUR)
    logo_light = forms.FileField(label=_("Logo, light theme"), required=False, help_text=_LOGO_HELP)
    remove_logo_light = forms.BooleanField(label=_("Remove the light-theme logo"), required=False)
    logo_dark = forms.FileField(label=_("Logo, dark theme"), required=False, help_text=_LOGO_HELP)
    remove_logo_dark = forms.BooleanField(label=_("Remove the dark-theme logo"), required=False)
    help_url = forms.CharField(label=_("Help URL"), required=False, max_length=500)
    support_url = forms.CharField(label=_("Support URL"), required=False, max_length=500)
    feedback_url = forms.CharField(label=_("Feedback URL"), required=False, max_length=500)
    sign_in_host = forms.CharField(
        label=_("Sign-in host name"),
        required=False,
        max_length=253,
        help_text=_(
            "Your own domain for the sign-in page, e.g. portal.example.com (point it at this portal)."
        ),
    )

    def __init__(self, *args, layer: BrandLayer, **kwargs):
        super().__init__(*args, **kwargs)
        self.layer = layer
        for name in ("logo_light", "logo_dark"):
            self.fields[name].widget.attrs["accept"] = "image/png,image/jpeg,image/svg+xml"
        if layer is not BrandLayer.OWN:
            del self.fields["sign_in_host"]

    @staticmethod
    def initial_of(brand: Brand | None) -> dict:
        if brand is None:
            return {}
        names = (*COLOUR_FIELDS, *URL_FIELDS, "sign_in_host")
        return {name: getattr(brand, name) for name in names}

    def values(self) -> dict:
        names = (*COLOUR_FIELDS, *URL_FIELDS) + (("sign_in_host",) if "sign_in_host" in self.fields else ())
        return {name: self.cleaned_data.get(name, "") for name in names}

    def logos(self) -> dict:
        chosen = {}
        for name in LOGO_FIELDS:
            if self.cleaned_data.get(f"remove_{name}"):
                chosen[name] = False
            elif self.cleaned_data.get(name):
                chosen[name] = self.cleaned_data[name]
        return chosen


class OverrideForm(forms.Form):
    allow_customer_override = forms.BooleanField(
        label=_("Allow the customer's administrators to override this brand"),
        required=False,
        help_text=_("Off: their Control Hub has no Branding page, and your brand wins over their own."),
    )
