"""The new-location form of Partner Hub's "Set up customer" wizard (the user rows are the subscribers' one
``UserRowForm``). It parses; the rules stay in ``location_clean``, whose keyed errors land on its fields.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import add_service_errors
from apps.locations.forms import LocationForm
from apps.locations.services.locations import location_clean


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
