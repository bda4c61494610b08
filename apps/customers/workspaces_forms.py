"""Forms of the Control Hub workspace pages. They parse input only: every rule (name, package, location,
number, extension) is the service's, and its keyed errors land on these fields (``call_service``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.packages import catalogue

from .services.workspaces import WORKSPACE_PACKAGES


class WorkspaceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        required=False,
        help_text=_("A lobby, a meeting room, a warehouse floor: up to 80 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 80}),
    )
    package = forms.ChoiceField(label=_("Package"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)
    phone_number = forms.CharField(
        label=_("Phone number"),
        required=False,
        help_text=_("An available number of the location, in E.164 form (+14155550100)."),
        widget=forms.TextInput(
            attrs={"list": "available-numbers", "autocomplete": "off", "inputmode": "tel", "maxlength": 32}
        ),
    )
    extension = forms.CharField(
        label=_("Extension"),
        required=False,
        help_text=_("Digits only. Give a phone number, an extension or both."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "maxlength": 10}),
    )

    def __init__(self, *args, locations=(), held_packages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [(loc.webex_id, loc.name) for loc in locations]
        codes = [code for code in WORKSPACE_PACKAGES if code in set(held_packages)] or list(
            WORKSPACE_PACKAGES
        )
        self.fields["package"].choices = [(code, catalogue.package_get(code).name) for code in codes]


class WorkspaceSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
