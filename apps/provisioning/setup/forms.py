"""The forms of Partner Hub's "Set up customer" wizard: one per new location, one per user row, one per
calling row. They parse; the rules stay in the services (``location_clean``, ``subscriber_precheck``),
whose keyed errors the wizard places on these forms' fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import add_service_errors
from apps.locations.forms import LocationForm
from apps.locations.services.locations import location_clean
from apps.subscribers.services.subscribers import NAME_MAX

EMAIL_MAX = 254
NUMBER_MAX = 32
EXTENSION_MAX = 16

LOCATION_FIELDS = (
    "name",
    "address_line1",
    "address_line2",
    "city",
    "state_or_province",
    "zip_or_postal_code",
    "country",
    "timezone",
    "language",
    "emergency_location_identifier",
)
USER_FIELDS = ("first_name", "last_name", "email", "package", "location")
CALLING_FIELDS = ("phone_number", "extension")


class NewLocationForm(LocationForm):
    """A branch office to add. Its name must differ from every other location of the customer and of the
    wizard: the user rows pick their location by name."""

    def __init__(self, *args, taken_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_names = {str(name).casefold() for name in taken_names if name}
        self.fields["emergency_location_identifier"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            values = location_clean(cleaned)
        except ValidationError as exc:
            add_service_errors(self, exc)
            return cleaned
        if values["name"].casefold() in self.taken_names:
            self.add_error(
                "name", _("Another location is already named “%(name)s”.") % {"name": values["name"]}
            )
        return {**cleaned, **values}


class UserRowForm(forms.Form):
    """One person to add: the subscriber service checks every value (``subscriber_precheck``)."""

    first_name = forms.CharField(label=_("First name"), required=False, max_length=NAME_MAX)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=NAME_MAX)
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    package = forms.ChoiceField(label=_("Package"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)

    def __init__(self, *args, packages=(), locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", "—"), *packages]
        self.fields["location"].choices = [(name, name) for name in locations] or [("", "—")]


class CallingRowForm(forms.Form):
    """The number and/or extension of a user with a calling package. A number not yet in the customer's
    inventory is added to the user's location when the wizard creates the users."""

    phone_number = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=NUMBER_MAX,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+14155550100"}),
    )
    extension = forms.CharField(
        label=_("Extension"),
        required=False,
        max_length=EXTENSION_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
