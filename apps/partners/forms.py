from django import forms
from django.utils.translation import gettext_lazy as _


class PartnerCreateForm(forms.Form):
    name = forms.CharField(label=_("Partner name"), max_length=255)
    parent = forms.ChoiceField(
        label=_("Parent partner"),
        required=False,
        help_text=_("Set it to create an indirect provider (sub-partner) under that partner."),
    )
    admin_email = forms.EmailField(label=_("First administrator's e-mail"))
    admin_first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    require_admin_mfa = forms.BooleanField(label=_("Require two-factor authentication"), required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = {p.webex_id: p for p in parents}
        self.fields["parent"].choices = [("", _("— none: a direct partner —"))] + [
            (p.webex_id, p.name) for p in parents
        ]

    def clean_parent(self):
        value = self.cleaned_data["parent"]
        return self.parents.get(value) if value else None


class PartnerSettingsForm(forms.Form):
    require_admin_mfa = forms.BooleanField(
        label=_("Require two-factor authentication for this partner's administrators"), required=False
    )
