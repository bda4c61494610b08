"""The Help page of both hubs and the support requests: a customer's administrators open one (Control Hub),
its partner sees and moves them along (Partner Hub), the operator sees them all (operations console)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.core.pagination import paginate
from apps.support import services
from apps.support.models import RequestStatus, SupportRequest
from apps.support.selectors import support_contacts_of, support_request_get, support_requests_visible_to


class SupportRequestForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What happened?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    escalated = forms.BooleanField(
        label=gettext_lazy("Urgent: escalate to the escalation contact"), required=False
    )


class SupportContactsForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Help desk phone"), required=False, max_length=40)
    email = forms.EmailField(label=gettext_lazy("Support e-mail"), required=False)
    case_portal_url = forms.URLField(
        label=gettext_lazy("Case portal"), required=False, max_length=500, assume_scheme="https"
    )
    chat_url = forms.URLField(
        label=gettext_lazy("Chat"), required=False, max_length=500, assume_scheme="https"
    )
    escalation_contact = forms.CharField(
        label=gettext_lazy("Escalation contact"), required=False, max_length=255
    )


@hub_page(Action.ORG_VIEW)
def control_help(request: HttpRequest) -> HttpResponse:
    form = SupportRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        opened = call_service(
            form, services.support_request_open, actor=request.user, org=request.org, **form.cleaned_data
        )
        if opened is not None:
            messages.success(
                request,
                _("Support request “%(subject)s” sent to %(partner)s.")
                % {"subject": opened.subject, "partner": request.org.parent.name},
            )
            return redirect(request.path)
    context = {
        "form": form,
        "contacts": support_contacts_of(org=request.org),
        "page": paginate(support_requests_visible_to(actor=request.user, org=request.org), request),
    }
    return render(request, "support/help.html", context)


@hub_page(Action.ORG_VIEW, write=Action.ORG_MANAGE)
def partner_help(request: HttpRequest) -> HttpResponse:
    contacts = support_contacts_of(org=request.org)
    initial = {name: getattr(contacts, name) for name in services.CONTACT_FIELDS} if contacts else {}
    form = SupportContactsForm(request.POST if request.method == "POST" else None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.support_contacts_update, actor=request.user, org=request.org, **form.cleaned_data
        )
    ):
        messages.success(request, _("Support contacts saved."))
        return redirect(request.path)
    context = {
        "contacts_form": form,
        "contacts": contacts,
        "page": paginate(support_requests_visible_to(actor=request.user, org=request.org), request),
        "statuses": RequestStatus.choices,
    }
    return render(request, "support/help.html", context)


def support_request_in_url(request: HttpRequest, request_id: str) -> SupportRequest:
    return support_request_get(actor=request.user, org=request.org, request_id=request_id)


@hub_page(Action.WHOLESALE_MANAGE, on=support_request_in_url)
@require_POST
def support_request_status(request: HttpRequest, support_request: SupportRequest) -> HttpResponse:
    try:
        services.support_request_set_status(
            actor=request.user, request=support_request, status=request.POST.get("status")
        )
        messages.success(
            request,
            _("“%(subject)s” is %(status)s.")
            % {"subject": support_request.subject, "status": support_request.get_status_display().lower()},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("partner:help", kwargs={"org_id": request.org.webex_id}))


@hub_page(Action.ORG_VIEW)
def ops_support_request_list(request: HttpRequest) -> HttpResponse:
    page = paginate(support_requests_visible_to(actor=request.user, org=request.org), request)
    return render(request, "support/help.html", {"page": page})
