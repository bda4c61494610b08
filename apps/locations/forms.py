"""Forms of the Control Hub location and number pages: they parse; the services hold the rules."""

import copy

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.locations.models import NumberStatus
from apps.locations.services.locations import ADDRESS_LINE_MAX, NAME_MAX, TEXT_LIMITS
from apps.locations.services.numbers import RANGE_MAX
from apps.packages.locales import country_choices, language_choices, time_zones


def _time_zone_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(tz, tz.replace("_", " ")) for tz in sorted(time_zones())]


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *country_choices()]


def _language_choices() -> list[tuple[str, str]]:
    return [("", "—"), *language_choices()]


class LocationForm(forms.Form):
    """The one location field set: Control Hub's location page, the Set up customer wizard's new locations
    and (renamed through ``location_field_set``) the Create customer wizard's headquarters and a package
    change that needs a calling location. Its fields are the service's (``FIELDS``), bounded by its limits."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    address_line1 = forms.CharField(label=_("Address line 1"), max_length=ADDRESS_LINE_MAX)
    address_line2 = forms.CharField(label=_("Address line 2"), max_length=ADDRESS_LINE_MAX, required=False)
    city = forms.CharField(label=_("City"), max_length=TEXT_LIMITS["city"])
    state_or_province = forms.CharField(
        label=_("State or province"), max_length=TEXT_LIMITS["state_or_province"], required=False
    )
    zip_or_postal_code = forms.CharField(
        label=_("Postal code"), max_length=TEXT_LIMITS["zip_or_postal_code"], required=False
    )
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)
    emergency_location_identifier = forms.CharField(
        label=_("Emergency location id"),
        max_length=TEXT_LIMITS["emergency_location_identifier"],
        required=False,
        help_text=_("The identifier your emergency services provider gave this address."),
    )


LOCATION_FIELDS: tuple[str, ...] = tuple(LocationForm.base_fields)


def location_field_set(**renamed: str) -> type[forms.Form]:
    """A form class holding the location field set, some fields renamed (``name="location_name"``) for a
    form that asks for more than a location, to mix into it."""
    fields = {
        renamed.get(name, name): copy.deepcopy(field) for name, field in LocationForm.base_fields.items()
    }
    return type("LocationFieldSet", (forms.Form,), fields)


class NumberAddForm(forms.Form):
    """One number, or a range: the first number plus how many, or plus the last number."""

    first = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        help_text=_("E.164, such as +14155550100. For a range, the first number."),
        widget=forms.TextInput(attrs={"placeholder": "+14155550100", "inputmode": "tel"}),
    )
    count = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=RANGE_MAX,
        required=False,
    )
    last = forms.CharField(
        label=_("Last number"),
        max_length=32,
        required=False,
        help_text=_("Or the last number of the range."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request: a lazy text formatted at import would stay in the language of the import.
        self.fields["count"].help_text = gettext("For a range: up to %(max)s numbers from the first.") % {
            "max": number_format(RANGE_MAX, force_grouping=True)
        }

    def clean(self):
        data = super().clean()
        if data.get("count") and data.get("last"):
            raise forms.ValidationError(_("Give either how many numbers or the last number, not both."))
        return data


class NumberFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("All numbers")), *NumberStatus.choices], required=False, label=_("Status")
    )
    q = forms.CharField(required=False, max_length=16, label=_("Search"))
