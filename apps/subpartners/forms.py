from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import OrgStatus


class SubPartnerSetupForm(forms.Form):
    name = forms.CharField(label=_("Sub-partner organisation name"), max_length=255)
    admin_email = forms.EmailField(label=_("First administrator's e-mail"), max_length=254)
    admin_first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    billing_start_date = forms.DateField(
        label=_("Billing start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day billed to your shared subscription. Default: today, the set-up date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["billing_start_date"].initial = timezone.localdate()


class SubPartnerStatusForm(forms.Form):
    status = forms.ChoiceField(choices=OrgStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log and shown to the indirect provider's administrators."),
    )


class SetupDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SetupPolicyForm(forms.Form):
    setup_needs_approval = forms.BooleanField(
        label=_("Partners' sub-partner set-ups wait for an operator's approval"), required=False
    )
