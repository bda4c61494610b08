"""Forms of the Control Hub Users and Workspaces pages and of the CSV upload. They parse input only: every
rule is the services'."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.locations.services.numbers import EXTENSION_MAX_DIGITS
from apps.packages import catalogue
from apps.packages.catalogue import package_get
from apps.subscribers.models import SubscriberStatus
from apps.subscribers.selectors.subscribers import SUBSCRIBER_SORTS
from apps.subscribers.services.subscribers import EMAIL_MAX, NAME_MAX
from apps.subscribers.services.workspaces import WORKSPACE_PACKAGES

MAX_ROWS = 25
SEARCH_MAX = 100
# The service's keyed errors that belong to a row's fields; anything else (customer, subscriber) is the row's.
NUMBERS_LIST = "available-numbers"
PERSON_FIELDS = ("first_name", "last_name", "email", "package", "location")
CALLING_FIELDS = ("phone_number", "extension")
ROW_FIELDS = (*PERSON_FIELDS, *CALLING_FIELDS)
NUMBER_MAX = 32


def package_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, package_get(code).name) for code in codes]


def location_choices(locations) -> list[tuple[str, str]]:
    return [(loc.webex_id, loc.name) for loc in locations]


class UserFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX,
        label=_("Search"),
        widget=forms.SearchInput(attrs={"placeholder": _("Search by name, e-mail, number or extension")}),
    )
    package = forms.ChoiceField(required=False, label=_("Package"))
    status = forms.ChoiceField(
        required=False, label=_("Status"), choices=[("", _("Any status")), *SubscriberStatus.choices]
    )
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SUBSCRIBER_SORTS])

    def __init__(self, *args, packages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", _("Any package")), *package_choices(packages)]

    def values(self) -> dict[str, str]:
        """The valid filters (an invalid one is dropped, never a 500)."""
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return {
            "search": (data.get("q") or "").strip(),
            "package": data.get("package") or "",
            "status": data.get("status") or "",
            "sort": data.get("sort") or "name",
        }


class _CallingFields(forms.Form):
    """Package, location, number and extension as the subscriber services take them (plain strings).

    ``locations`` are the organisation's locations, picked by id with a blank "default location"; a form
    whose rows may name a location that does not exist yet (the Set up customer wizard) passes
    ``location_names`` instead and picks by name."""

    package = forms.ChoiceField(required=False, label=_("Package"))
    location = forms.ChoiceField(required=False, label=_("Location"))
    # Free text offered the available numbers through a <datalist> (NUMBERS_LIST): an inventory of thousands
    # would not fit a select, and the service says whether a number is the organisation's and free.
    phone_number = forms.CharField(required=False, max_length=NUMBER_MAX, label=_("Phone number"))
    # Webex extensions are of variable length (the guide's "Extension dialing, variable length"), at most
    # EXTENSION_MAX_DIGITS digits: the form never takes more than the service could accept.
    extension = forms.CharField(required=False, max_length=EXTENSION_MAX_DIGITS, label=_("Extension"))

    def __init__(self, *args, packages: list[str], locations=(), location_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", _("Choose a package")), *package_choices(packages)]
        if location_names is not None:
            self.fields["location"].choices = [(name, name) for name in location_names] or [("", "—")]
        else:
            self.fields["location"].choices = [("", _("Default location")), *location_choices(locations)]
        self.fields["phone_number"].widget.attrs.update(
            {"list": NUMBERS_LIST, "autocomplete": "off", "inputmode": "tel", "placeholder": "+14155550100"}
        )
        self.fields["extension"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class UserRowForm(_CallingFields):
    """One person to add, the one row form of every place that adds people (the Users page's manual add,
    the Set up customer wizard). Nothing is required here: the service says what is missing.

    ``fields`` keeps a part of the row: the wizard asks for the person (``PERSON_FIELDS``) on one step and,
    for a calling package, the number (``CALLING_FIELDS``) on the next."""

    first_name = forms.CharField(required=False, max_length=NAME_MAX, label=_("First name"))
    last_name = forms.CharField(required=False, max_length=NAME_MAX, label=_("Last name"))
    email = forms.CharField(
        required=False,
        max_length=EMAIL_MAX,
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    field_order = ROW_FIELDS

    def __init__(self, *args, fields=ROW_FIELDS, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(fields):
            del self.fields[name]

    def order(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in ROW_FIELDS}


class _UserRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(_("Fill in at least one user."), code="empty")


def row_formset(data=None, *, extra: int = 3, **choices):
    """The manual-add formset, its rows built with the organisation's packages, locations and numbers."""
    formset_class = forms.formset_factory(
        UserRowForm,
        formset=_UserRowFormSet,
        extra=extra,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS + 1,  # a flood of rows is refused without building thousands of forms
    )
    return formset_class(data, form_kwargs=choices, prefix="users")


class UserPackageForm(_CallingFields):
    """Change one person's package (and, for calling, their number, extension or location)."""

    def __init__(self, *args, asks_calling: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_calling = asks_calling
        self.fields["package"].label = _("New package")

    def order(self) -> dict[str, str]:
        keys = ("package", "phone_number", "extension", "location") if self.asks_calling else ("package",)
        return {key: self.cleaned_data.get(key) or "" for key in keys}


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
            attrs={
                "list": NUMBERS_LIST,
                "autocomplete": "off",
                "inputmode": "tel",
                "maxlength": NUMBER_MAX,
            }
        ),
    )
    extension = forms.CharField(
        label=_("Extension"),
        required=False,
        help_text=_("Digits only. Give a phone number, an extension or both."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "maxlength": EXTENSION_MAX_DIGITS}
        ),
    )

    def __init__(self, *args, locations=(), held_packages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [(loc.webex_id, loc.name) for loc in locations]
        codes = [code for code in WORKSPACE_PACKAGES if code in set(held_packages)] or list(
            WORKSPACE_PACKAGES
        )
        self.fields["package"].choices = [(code, catalogue.package_get(code).name) for code in codes]


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: Action (add, modify or delete), First Name, Last Name, Email, Package, Location, "
            "Phone Number, Extension. Only Email is required. UTF-8, at most 20,000 rows and 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
