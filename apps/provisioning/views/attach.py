"""Control Hub: the wholesale request a partner sent to attach its services to this organisation, which the
organisation's full administrator approves or declines."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service, posted
from apps.customers.models import AttachRequestState
from apps.customers.selectors import attach_request_of
from apps.provisioning.services import attach as services


class AttachDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("decline", gettext_lazy("Decline"))]
    )
    note = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Optional. The partner sees it with the declined request."),
    )


@hub_page(Action.ATTACH_APPROVE)
def attach_request(request: HttpRequest) -> HttpResponse:
    wholesale_request = attach_request_of(org=request.org)
    form = AttachDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid() and wholesale_request is not None:
        customer = wholesale_request.customer
        if form.cleaned_data["decision"] == "approve":
            done = call_service(form, services.attach_request_approve, actor=request.user, customer=customer)
            text = _("Approved: %(partner)s now manages wholesale services here.") % {
                "partner": wholesale_request.partner.name
            }
        else:
            done = call_service(
                form,
                services.attach_request_decline,
                actor=request.user,
                customer=customer,
                note=form.cleaned_data["note"],
            )
            text = _("Declined: %(partner)s was told.") % {"partner": wholesale_request.partner.name}
        if done is not None:
            messages.success(request, text)
            return redirect(request.path)
    elif request.method == "POST" and wholesale_request is None:
        form.add_error(None, _("There is no wholesale request waiting for a decision."))
    context = {
        "wholesale_request": wholesale_request,
        # Stored in English: shown in the reader's language.
        "reasons": [services.attach_reason_translated(r) for r in wholesale_request.reasons]
        if wholesale_request is not None
        else [],
        "form": form,
        "pending": wholesale_request is not None and wholesale_request.state == AttachRequestState.PENDING,
    }
    return render(request, "provisioning/attach_request.html", context)
