"""Forms of Control Hub's organisation settings (values are validated by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.customers.models import OrgAuthMode
from apps.packages.locales import language_choices


class CompanyNameForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=255)


class EmailSettingsForm(forms.Form):
    email_locale = forms.ChoiceField(label=_("E-mail language"), required=False)
    suppress_admin_invite_email = forms.BooleanField(
        label=_("Suppress admin invite e-mails"),
        required=False,
        help_text=_("New administrators are not e-mailed an invitation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_locale"].choices = [("", _("The organisation's language"))] + language_choices()


class AuthSettingsForm(forms.Form):
    auth_mode = forms.ChoiceField(label=_("Sign-in method"))

    def __init__(self, *args, choices: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auth_mode"].choices = [(c, OrgAuthMode(c).label) for c in choices]


class ServicesSettingsForm(forms.Form):
    migrations_enabled = forms.BooleanField(label=_("Migrations"), required=False)
    connected_uc_enabled = forms.BooleanField(label=_("Connected UC"), required=False)


class DomainAddForm(forms.Form):
    name = forms.CharField(label=_("Domain"), max_length=253, help_text=_("Such as example.com."))
