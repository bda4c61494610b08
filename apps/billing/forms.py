"""Forms of the Billing pages: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.billing.catalogue import SERVICE_CHOICES
from apps.billing.models import ReportType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    type = forms.ChoiceField(
        label=_("Report type"),
        choices=[
            (ReportType.PARTNER, _("Partner: one line per service")),
            (ReportType.CUSTOMER, _("Customer: per customer and location")),
            (ReportType.USER, _("User: per user and workspace")),
        ],
    )
    subpartner = forms.ChoiceField(label=_("Indirect provider"), required=False)

    def __init__(self, *args, subpartners=(), **kwargs):
        super().__init__(*args, **kwargs)
        if subpartners:
            self.fields["subpartner"].choices = [("", _("All my customers (my subscription)"))] + [
                (sp.webex_id, sp.name) for sp in subpartners
            ]
        else:
            del self.fields["subpartner"]


class SetupAssistForm(forms.Form):
    location = forms.ChoiceField(label=_("Location"))
    wanted_completion = forms.DateField(label=_("Wanted completion date"), widget=DATE)
    notes = forms.CharField(
        label=_("Notes for the Setup Assist team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", _("Choose a location"))] + [
            (str(loc.pk), loc.name) for loc in locations
        ]


class PriceForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"))
    code = forms.ChoiceField(label=_("Service"), choices=SERVICE_CHOICES)
    amount = forms.DecimalField(
        label=_("Price"),
        min_value=0,
        max_digits=12,
        decimal_places=4,
        help_text=_("Per licence and month (prorated by the day); per unit for Setup Assist."),
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("Choose a partner"))] + [
            (str(p.pk), p.name) for p in partners
        ]
