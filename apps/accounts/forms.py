from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.language import language_choices
from apps.accounts.models import ApiScope, User
from apps.accounts.roles import ROLE_DESCRIPTIONS, roles_for_org_kind


def role_choices(org) -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in roles_for_org_kind(org.kind)]


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(org)
        self.role_descriptions = {r.value: ROLE_DESCRIPTIONS[r] for r in roles_for_org_kind(org.kind)}


class InviteAdminForm(RolesForm):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    field_order = ["email", "first_name", "last_name", "roles"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].required = True


class AssignCustomersForm(forms.Form):
    customers = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer_objects = {c.webex_id: c for c in customers}
        self.fields["customers"].choices = [(c.webex_id, c.name) for c in customers]

    def selected(self):
        return [self.customer_objects[i] for i in self.cleaned_data["customers"]]


EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("1 year")), ("", _("Never"))]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple)
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"), choices=EXPIRY_CHOICES, coerce=int, empty_value=None, required=False, initial="90"
    )


class LanguageForm(forms.ModelForm):
    """The language a person reads the portal in: their organisation's (blank) or one the portal speaks."""

    class Meta:
        model = User
        fields = ["language"]
        labels = {"language": _("Language")}
        help_texts = {"language": _("The pages and messages of Wholesale Hub use this language.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(self.instance)
        self.fields["language"].widget = forms.Select(choices=self.fields["language"].choices)
