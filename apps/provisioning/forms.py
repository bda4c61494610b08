"""The forms of Partner Hub's "Create customer" wizard, one per step, and the order they add up to.

The wizard engine keeps what each step posted under the tab's run (``views.wizard``), so each form is
validated again whenever the admin moves forward and the order is built from the valid steps alone; two tabs
are two runs and can create two customers at once.
"""

from functools import cache

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.locations.forms import LOCATION_FIELDS, location_field_set
from apps.packages.catalogue import (
    PACKAGE_GROUPS,
    PACKAGES,
    Package,
    needs_calling_location,
    package_problems,
)
from apps.packages.locales import (
    LANGUAGE_LOCALES,
    SUPPORTED_LOCALES,
    country_choices,
    is_country,
    is_time_zone,
    language_choices,
    locale_label,
    normalise_locale,
    time_zones,
)
from apps.provisioning.orders import Address, CallingLocation, CustomerOrder

ADDRESS_LINE_MAX = 50
PACKAGE_LIMIT_MAX = 1_000_000


def customer_language_choices() -> list:
    """customerInfo.language: a bare language (combined with the template's country) or a locale, in the
    reader's language."""
    return _customer_language_choices(get_language())


@cache
def _customer_language_choices(language: str) -> list:
    """The choices built once per portal language (``language`` keys the cache)."""
    languages = sorted(
        (
            (code, _("%(language)s, with the template's country") % {"language": locale_label(code)})
            for code in LANGUAGE_LOCALES
        ),
        key=lambda pair: pair[1],
    )
    return [
        ("", _("The template's language")),
        (_("Languages"), languages),
        (_("Locales"), language_choices()),
    ]


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [
        (tz, tz.replace("_", " ")) for tz in sorted(time_zones()) if "/" in tz and not tz.startswith("Etc/")
    ]


def address_from(cleaned: dict, prefix: str = "") -> Address:
    """The address of a form's cleaned address fields (``prefix``: ``billing_`` for the billing address)."""
    return Address(
        address_line1=cleaned[f"{prefix}address_line1"].strip(),
        address_line2=cleaned[f"{prefix}address_line2"].strip(),
        city=cleaned[f"{prefix}city"].strip(),
        state_or_province=cleaned[f"{prefix}state_or_province"].strip(),
        zip_or_postal_code=cleaned[f"{prefix}zip_or_postal_code"].strip(),
        country=cleaned[f"{prefix}country"],
    )


def _country_field(label, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=required, choices=[("", "—")] + country_choices())


def _line(label, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=ADDRESS_LINE_MAX)


class WizardStepForm(forms.Form):
    """A step of the wizard: its key and title, and how it shows values already typed (unvalidated)."""

    key: str = ""
    title: str = ""

    def initial_from(self, data) -> dict:
        """Values already posted for this step, to show again unvalidated (a step not yet submitted)."""
        values = {}
        for name, field in self.fields.items():
            if name not in data:
                continue
            multiple = isinstance(field, forms.MultipleChoiceField)
            values[name] = data.getlist(name) if multiple else data.get(name)
        return values


class CustomerInfoForm(WizardStepForm):
    key = "info"
    title = _("Customer information")

    name = forms.CharField(label=_("Company name"), max_length=255)
    primary_email = forms.EmailField(
        label=_("Administrator e-mail"),
        help_text=_(
            "The customer's first full administrator. They get the customer's richest package and, unless "
            "the template says otherwise, an invitation e-mail."
        ),
    )
    template = forms.ChoiceField(label=_("Onboarding template"))
    external_id = forms.CharField(
        label=_("External id"),
        max_length=255,
        help_text=_(
            "Your reference for this customer, e.g. its account in your billing system. Unique per partner."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("The organisation's language and its meeting sites'. Leave it to use the template's."),
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {t.provisioning_id: t for t in templates}
        choices = [(t.provisioning_id, t.name) for t in self.templates.values()]
        self.fields["template"].choices = [("", _("Choose a template")), *choices]
        if len(choices) == 1:  # a partner with one template: nothing to choose
            self.fields["template"].initial = choices[0][0]
        self.fields["language"].choices = customer_language_choices()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if "%" in name:
            raise forms.ValidationError(_("The name must not contain “%”."))
        return name

    def clean_external_id(self) -> str:
        return self.cleaned_data["external_id"].strip()

    def chosen_template(self):
        return self.templates.get(self.cleaned_data.get("template"))


class PackagesForm(WizardStepForm):
    key = "packages"
    title = _("Packages")

    packages = forms.MultipleChoiceField(
        label=_("Packages"),
        choices=[(code, package.name) for code, package in PACKAGES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one package.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in PACKAGES:
            self.fields[self.limit_name(code)] = forms.IntegerField(
                label=_("Limit"),
                required=False,
                min_value=1,
                max_value=PACKAGE_LIMIT_MAX,
                help_text=_("Most licences of this package the customer may hold. Empty: no limit."),
            )

    @staticmethod
    def limit_name(code: str) -> str:
        return f"limit_{code}"

    def clean(self):
        cleaned = super().clean()
        codes = cleaned.get("packages") or []
        problems = package_problems(codes)
        for code, bases in problems.missing_base.items():
            needed = ", ".join(PACKAGES[b].name for b in bases)
            self.add_error(
                "packages",
                _("%(name)s is an add-on: also pick one of %(bases)s.")
                % {
                    "name": PACKAGES[code].name,
                    "bases": needed,
                },
            )
        for code in problems.unknown:
            self.add_error("packages", _("“%(code)s” is not a Wholesale package.") % {"code": code})
        return cleaned

    def limits(self) -> dict[str, int]:
        """Limits of the chosen packages (a limit typed for a package not chosen is dropped)."""
        chosen = set(self.cleaned_data.get("packages") or [])
        limits = {}
        for code in PACKAGES:
            value = self.cleaned_data.get(self.limit_name(code))
            if code in chosen and value:
                limits[code] = value
        return limits

    def cards(self) -> list[dict]:
        """The catalogue's package groups, each with one card per package: checkbox state, what it
        includes, what an add-on needs, and its limit field."""
        if self.is_bound:
            chosen = set(self.data.getlist("packages"))
        else:
            chosen = set(self.initial.get("packages") or [])

        def card(package: Package) -> dict:
            return {
                "package": package,
                "checked": package.code in chosen,
                "limit": self[self.limit_name(package.code)],
                "includes": package_includes(package),
                "requires": [PACKAGES[b].name for b in package.requires_one_of],
            }

        groups, seen = [], set()
        for group in PACKAGE_GROUPS:
            groups.append(
                {
                    "title": group.title,
                    "description": group.description,
                    "cards": [card(p) for p in group.packages],
                }
            )
            seen |= set(group.codes)
        rest = [card(p) for code, p in PACKAGES.items() if code not in seen]
        if rest:
            groups.append({"title": _("Other packages"), "description": "", "cards": rest})
        return groups


def package_includes(package: Package) -> list[str]:
    """What a package includes, in words, from its catalogue entitlements."""
    items = []
    if package.has_calling:
        items.append(_("Calling: %(level)s") % {"level": package.calling.label})
    if package.messaging:
        items.append(_("Messaging"))
    if package.meetings:
        items.append(_("Meetings up to %(n)s participants") % {"n": package.meeting_participants})
    items.extend(str(feature)[:1].upper() + str(feature)[1:] for feature in package.contact_centre)
    if package.assignable_to_workspaces and not package.assignable_to_users:
        items.append(_("For workspaces and shared devices"))
    return items


# The location field set as the headquarters step names it: apart from the customer's own name and language.
_RENAMED = {"name": "location_name", "language": "location_language"}
HEADQUARTERS_FIELDS = tuple(_RENAMED.get(name, name) for name in LOCATION_FIELDS)


class HeadquartersForm(WizardStepForm, location_field_set(**_RENAMED)):
    """The headquarters (the calling location) and, when it differs, the billing address: the location field
    set, its name and language renamed apart from the customer's own."""

    key = "location"
    title = _("Headquarters location")

    billing_differs = forms.BooleanField(
        label=_("The billing address differs from the headquarters address"), required=False
    )
    billing_address_line1 = _line(_("Billing address line 1"))
    billing_address_line2 = _line(_("Billing address line 2"), required=False)
    billing_city = forms.CharField(label=_("Billing city"), max_length=100)
    billing_state_or_province = forms.CharField(
        label=_("Billing state or province"), max_length=100, required=False
    )
    billing_zip_or_postal_code = forms.CharField(
        label=_("Billing postal code"), max_length=20, required=False
    )
    billing_country = _country_field(_("Billing country"))
    supported_location = forms.BooleanField(
        label=_("I verify that this customer is in a Cisco Webex supported location"),
        error_messages={"required": _("Confirm that the customer is in a supported location.")},
    )

    BILLING_FIELDS = (
        "billing_address_line1",
        "billing_address_line2",
        "billing_city",
        "billing_state_or_province",
        "billing_zip_or_postal_code",
        "billing_country",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        differs = self.fields["billing_differs"].widget.value_from_datadict(
            self.data, self.files, "billing_differs"
        )
        if self.is_bound and not differs:
            for name in self.BILLING_FIELDS:  # only asked for when the billing address differs
                self.fields[name].required = False
        self.fields["location_name"].label = _("Location name")
        self.fields["location_name"].initial = _("Headquarters")
        self.fields["timezone"].choices = [("", "—")] + time_zone_choices()
        self.fields["location_language"].label = _("Location language")
        self.fields["location_language"].help_text = _("Announcements and phone menus of this location.")
        self.fields["emergency_location_identifier"].help_text = ""
        self.fields["country"].help_text = _(
            "Unless the billing address differs, this becomes the organisation's country and picks the "
            "default call-in number of its meetings."
        )
        self.fields["billing_country"].help_text = _(
            "The organisation's country: it picks the default call-in number of its meetings."
        )

    def clean_timezone(self) -> str:
        value = self.cleaned_data["timezone"]
        if not is_time_zone(value):
            raise forms.ValidationError(_("Pick a time zone."))
        return value

    def clean_location_language(self) -> str:
        value = normalise_locale(self.cleaned_data["location_language"])
        if value not in SUPPORTED_LOCALES:
            raise forms.ValidationError(_("Pick a supported language."))
        return value

    def clean(self):
        cleaned = super().clean()
        for name in ("country", "billing_country"):
            if cleaned.get(name) and not is_country(cleaned[name]):
                self.add_error(name, _("Pick a country."))
        return cleaned

    def headquarters_address(self) -> Address:
        return address_from(self.cleaned_data)

    def billing_address(self) -> Address:
        if not self.cleaned_data.get("billing_differs"):
            return self.headquarters_address()
        return address_from(self.cleaned_data, prefix="billing_")

    def calling_location(self) -> CallingLocation:
        c = self.cleaned_data
        return CallingLocation(
            name=c["location_name"].strip(),
            address=self.headquarters_address(),
            timezone=c["timezone"],
            language=c["location_language"],
            emergency_location_identifier=c["emergency_location_identifier"].strip(),
        )


STEP_FORMS: tuple[type[WizardStepForm], ...] = (CustomerInfoForm, PackagesForm, HeadquartersForm)


def customer_order_from(
    info: CustomerInfoForm, packages: PackagesForm, location: HeadquartersForm
) -> CustomerOrder:
    """The order of three valid steps: what customer_precheck and customer_provision_request take."""
    codes = tuple(packages.cleaned_data["packages"])
    meetings_timezone = ""
    if any(PACKAGES[c].meetings for c in codes):
        meetings_timezone = location.cleaned_data["timezone"]
    return CustomerOrder(
        provisioning_id=info.cleaned_data["template"],
        packages=codes,
        external_id=info.cleaned_data["external_id"],
        address=location.billing_address(),
        name=info.cleaned_data["name"],
        primary_email=info.cleaned_data["primary_email"],
        language=info.cleaned_data["language"],
        calling_location=location.calling_location(),
        meetings_timezone=meetings_timezone,
        package_limits=packages.limits(),
    )


class ChangePackagesForm(PackagesForm):
    """The full package list of an existing customer; asks for a calling location when the new set needs one
    and the customer has none."""

    def __init__(self, *args, needs_location_fields: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_location_fields = needs_location_fields
        if needs_location_fields:
            location = HeadquartersForm(*args, **kwargs)
            for name in HEADQUARTERS_FIELDS:
                field = location.fields[name]
                field.required = False
                self.fields[name] = field
            self.fields["country"].help_text = ""  # the billing country is not asked for here

    def clean(self):
        cleaned = super().clean()
        if not self.needs_location_fields or not needs_calling_location(cleaned.get("packages") or []):
            return cleaned
        for name in ("location_name", "address_line1", "city", "country", "timezone", "location_language"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("A calling package needs the customer's calling location."))
        if cleaned.get("timezone") and not is_time_zone(cleaned["timezone"]):
            self.add_error("timezone", _("Pick a time zone."))
        if cleaned.get("country") and not is_country(cleaned["country"]):
            self.add_error("country", _("Pick a country."))
        return cleaned

    def calling_location(self) -> CallingLocation | None:
        c = self.cleaned_data
        if not self.needs_location_fields or not needs_calling_location(c.get("packages") or []):
            return None
        return CallingLocation(
            name=c["location_name"].strip(),
            address=address_from(c),
            timezone=c["timezone"],
            language=normalise_locale(c["location_language"]),
            emergency_location_identifier=c["emergency_location_identifier"].strip(),
        )
