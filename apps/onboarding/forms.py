"""The onboarding-template wizard of Partner Hub: one form with every setting, split into the guide's steps.

The wizard engine (``core.wizard``) keeps the values of every step under the tab's run, so the whole template
is re-validated by the service whenever the person moves forward. The form only parses; the rules are the
service's (``services.template_validate``).
"""

from dataclasses import dataclass

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from apps.onboarding.models import (
    CLOUD_CONNECTED_PSTN_VENDORS,
    EXTENSION_LENGTH_MAX,
    EXTENSION_LENGTH_MIN,
    AuthMode,
    OnboardingTemplate,
)
from apps.packages.locales import country_choices, language_choices, locale_label


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("primary", _("Primary settings"), ("name", "subscription_id", "country", "language")),
    Step("authentication", _("Authentication"), ("auth_mode", "idp_entity_id", "idp_name")),
    Step("calling", _("Wholesale calling"), ("pstn_vendor",)),
    Step(
        "common",
        _("Common settings"),
        (
            "send_admin_invite_email",
            "allow_admin_invite_on_attach",
            "extension_length",
            "voicemail_enabled",
            "international_calling",
        ),
    ),
)
REVIEW = Step("review", pgettext_lazy("wizard step", "Review"), ())
ALL_STEPS = (*STEPS, REVIEW)

AUTH_MODE_HELP = {
    AuthMode.WEBEX: _("People sign in with Webex credentials managed by Webex."),
    AuthMode.PARTNER_SAML: _(
        "People sign in through your SAML identity provider: give the EntityID of its SAML metadata."
    ),
    AuthMode.PARTNER_OIDC: _(
        "People sign in through your OpenID Connect identity provider: give the IdP name it was set up with."
    ),
}


def _digits_text(n: int) -> str:
    return gettext("%(n)d digits") % {"n": n}


# A choice's words in the reader's language: formatting a lazy string at import would fix the language then.
_digits = lazy(_digits_text, str)


class TemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Template name"),
        max_length=OnboardingTemplate._meta.get_field("name").max_length,
        help_text=_("Shown to your administrators when they create a customer; unique in your organisation."),
        error_messages={"required": _("Enter a name for the template.")},
    )
    subscription_id = forms.ChoiceField(label=_("Wholesale subscription"))
    country = forms.ChoiceField(
        label=_("Country"),
        help_text=_("Combined with a two-letter language to pick the customer's locale."),
        error_messages={"required": _("Choose the country.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        help_text=_("The default language of new customers."),
        error_messages={"required": _("Choose the language.")},
    )
    auth_mode = forms.ChoiceField(
        label=_("Authentication method"), choices=AuthMode.choices, widget=forms.RadioSelect
    )
    idp_entity_id = forms.CharField(
        label=_("IdP entity ID"),
        required=False,
        max_length=255,
        help_text=_("The EntityID from the SAML metadata XML of the identity provider."),
    )
    idp_name = forms.CharField(
        label=_("IdP name"),
        required=False,
        max_length=255,
        help_text=_("The name given as the OpenID Connect IdP entity ID when the IdP was set up."),
    )
    pstn_vendor = forms.ChoiceField(
        label=_("Cloud Connected PSTN vendor"),
        required=False,
        choices=[("", _("None — set up PSTN per location (recommended)"))]
        + [(v, v) for v in CLOUD_CONNECTED_PSTN_VENDORS],
    )
    send_admin_invite_email = forms.BooleanField(
        label=_("Send the welcome e-mail to the customer's first administrator"), required=False
    )
    allow_admin_invite_on_attach = forms.BooleanField(
        label=_("Allow admin-invite emails when attaching to existing orgs"), required=False
    )
    extension_length = forms.TypedChoiceField(
        label=_("Extension length"),
        coerce=int,
        choices=[(n, _digits(n)) for n in range(EXTENSION_LENGTH_MIN, EXTENSION_LENGTH_MAX + 1)],
    )
    voicemail_enabled = forms.BooleanField(label=_("Turn voicemail on for new users"), required=False)
    international_calling = forms.BooleanField(label=_("Allow international calls"), required=False)

    def __init__(self, *args, subscription_id: str, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscription_id"].choices = (
            [(subscription_id, subscription_id)] if subscription_id else []
        )
        self.fields["country"].choices = [("", _("Choose a country"))] + country_choices()
        languages = [("", _("Choose a language"))] + language_choices()
        # A template created through the API may hold a bare language ("en"): keep it choosable.
        if language and language not in dict(languages):
            languages.append((language, locale_label(language)))
        self.fields["language"].choices = languages

    @staticmethod
    def initial_for(template: OnboardingTemplate | None, *, subscription_id: str) -> dict:
        if template is None:
            return {
                "subscription_id": subscription_id,
                "auth_mode": AuthMode.WEBEX,
                "send_admin_invite_email": True,
                "allow_admin_invite_on_attach": False,
                "extension_length": 4,
                "voicemail_enabled": True,
                "international_calling": False,
            }
        initial = {name: getattr(template, name) for name in TemplateForm.base_fields}
        initial["subscription_id"] = subscription_id
        return initial

    def step_fields(self, step: Step) -> list[forms.BoundField]:
        return [self[name] for name in step.fields]
