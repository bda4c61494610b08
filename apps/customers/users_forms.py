"""Forms of the Control Hub Users page: the list's filters, the manual add (a formset of up to 25 rows) and
the package change. They parse input only: every rule about subscribers is the service's
(``apps.customers.services.subscribers``), whose keyed errors land on these forms' fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.customers.models import SubscriberStatus
from apps.customers.subscribers_selectors import SUBSCRIBER_SORTS
from apps.packages.catalogue import package_get

MAX_ROWS = 25
SEARCH_MAX = 100
# The service's keyed errors that belong to a row's fields; anything else (customer, subscriber) is the row's.
NUMBERS_LIST = "available-numbers"
ROW_FIELDS = ("first_name", "last_name", "email", "package", "location", "phone_number", "extension")


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
    """Package, location, number and extension as the subscriber services take them (plain strings)."""

    package = forms.ChoiceField(required=False, label=_("Package"))
    location = forms.ChoiceField(required=False, label=_("Location"))
    # Free text offered the available numbers through a <datalist> (NUMBERS_LIST): an inventory of thousands
    # would not fit a select, and the service says whether a number is the organisation's and free.
    phone_number = forms.CharField(required=False, max_length=32, label=_("Phone number"))
    extension = forms.CharField(required=False, max_length=10, label=_("Extension"))

    def __init__(self, *args, packages: list[str], locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", _("Choose a package")), *package_choices(packages)]
        self.fields["location"].choices = [("", _("Default location")), *location_choices(locations)]
        self.fields["phone_number"].widget.attrs.update(
            {"list": NUMBERS_LIST, "autocomplete": "off", "placeholder": "+1…"}
        )
        self.fields["extension"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class UserRowForm(_CallingFields):
    """One person of the manual add. Nothing is required here: the service says what is missing."""

    first_name = forms.CharField(required=False, max_length=150, label=_("First name"))
    last_name = forms.CharField(required=False, max_length=150, label=_("Last name"))
    email = forms.CharField(required=False, max_length=254, label=_("E-mail"))

    field_order = ("first_name", "last_name", "email", "package", "location", "phone_number", "extension")

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
