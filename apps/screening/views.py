"""Operations console pages of denied-party screening: the list of restricted and denied parties (add, remove,
CSV import with a template) and the review queue where the operator clears or rejects held customers."""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service, posted
from apps.core.htmx import list_search, render_list
from apps.packages.locales import country_choices
from apps.screening import services
from apps.screening.models import HoldState
from apps.screening.selectors import (
    screening_entries_visible_to,
    screening_entry_get,
    screening_hold_get,
    screening_holds_visible_to,
    screening_queue_counts,
)

REVIEW = Action.SCREENING_REVIEW
QUEUES = [  # the holds of each queue, hence their own context (French agrees the word with "holds")
    ("open", pgettext_lazy("holds", "Open")),
    ("pending", pgettext_lazy("holds", "Pending")),
    ("escalated", pgettext_lazy("holds", "Escalated")),
    ("decided", pgettext_lazy("holds", "Decided")),
]


class ScreeningEntryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("— any country —")), *country_choices()]


class ScreeningImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: name, address, country, note. Only the name is required."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class HoldDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("clear", pgettext_lazy("screening decision", "Clear")), ("reject", _("Reject"))]
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to reject: the partner sees the customer's error, your note stays in the record."
        ),
    )
    note.required_when = _("required to reject")  # components/field.html says so instead of "(optional)"


@hub_page(REVIEW)
def screening_list(request: HttpRequest) -> HttpResponse:
    form = ScreeningEntryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        entry = call_service(form, services.screening_entry_add, actor=request.user, **form.cleaned_data)
        if entry is not None:
            messages.success(request, gettext("%(name)s added to the screening list.") % {"name": entry.name})
            return redirect(reverse("ops:screening_list"))
    search = list_search(request)
    rows = screening_entries_visible_to(actor=request.user, search=search)
    counts = screening_queue_counts(actor=request.user)
    context = {"form": form, "open_count": counts[HoldState.PENDING] + counts[HoldState.ESCALATED]}
    return render_list(
        request, "screening/screening_list.html", rows, name="entry", search=search, context=context
    )


@hub_page(REVIEW)
@require_POST
def screening_entry_remove(request: HttpRequest, entry_id: str) -> HttpResponse:
    entry = screening_entry_get(actor=request.user, entry_id=entry_id)
    name = entry.name
    services.screening_entry_remove(actor=request.user, entry=entry)
    messages.success(request, gettext("%(name)s removed from the screening list.") % {"name": name})
    return redirect(reverse("ops:screening_list"))


@hub_page(REVIEW)
def screening_import(request: HttpRequest) -> HttpResponse:
    form = ScreeningImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.CSV_MAX_BYTES:
            form.add_error("file", services.file_too_large())
        else:
            added = call_service(form, services.screening_csv_import, actor=request.user, data=upload.read())
            if added is not None:
                messages.success(
                    request,
                    ngettext(
                        "Imported: %(count)s new party on the list.",
                        "Imported: %(count)s new parties on the list.",
                        added,
                    )
                    % {"count": added},
                )
                return redirect(reverse("ops:screening_list"))
    return render(request, "screening/screening_import.html", {"form": form})


@hub_page(REVIEW)
def screening_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.screening_csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="screening-list-template.csv"'
    return response


@hub_page(REVIEW)
def screening_review_list(request: HttpRequest) -> HttpResponse:
    queue = request.GET.get("queue", "open")
    if queue not in dict(QUEUES):
        queue = "open"
    search = list_search(request)
    rows = screening_holds_visible_to(actor=request.user, queue=queue, search=search)
    counts = screening_queue_counts(actor=request.user)
    queue_counts = {
        "open": counts[HoldState.PENDING] + counts[HoldState.ESCALATED],
        "pending": counts[HoldState.PENDING],
        "escalated": counts[HoldState.ESCALATED],
        "decided": counts[HoldState.CLEARED] + counts[HoldState.REJECTED],
    }
    context = {
        "queue": queue,
        "queues": [(value, label, queue_counts[value]) for value, label in QUEUES],
        "clear_query": urlencode({"queue": queue}),
        "window_hours": int(services.HOLD_WINDOW / timedelta(hours=1)),
        "now": timezone.now(),
    }
    return render_list(
        request, "screening/screening_reviews.html", rows, name="hold", search=search, context=context
    )


@hub_page(REVIEW)
def screening_review(request: HttpRequest, hold_id: str) -> HttpResponse:
    hold = screening_hold_get(actor=request.user, hold_id=hold_id)
    form = HoldDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decide = (
            services.screening_hold_clear
            if form.cleaned_data["decision"] == "clear"
            else services.screening_hold_reject
        )
        decided = call_service(form, decide, actor=request.user, hold=hold, note=form.cleaned_data["note"])
        if decided is not None:
            done = (
                gettext("%(name)s cleared: provisioning resumes.")
                if decided.state == HoldState.CLEARED
                else gettext("%(name)s rejected.")
            )
            messages.success(request, done % {"name": decided.customer.org.name})
            return redirect(reverse("ops:screening_review_list"))
    customer = hold.customer
    context = {
        "hold": hold,
        "matches": [{**m, "reasons": services.reasons_shown(m)} for m in hold.matches],
        "customer": customer,
        "form": form,
        "escalates_at": hold.first_hit + services.HOLD_WINDOW,
        "window_hours": int(services.HOLD_WINDOW / timedelta(hours=1)),
        "address": ", ".join(
            part
            for part in (
                customer.address_line1,
                customer.address_line2,
                customer.city,
                customer.state_or_province,
                customer.zip_or_postal_code,
                customer.country,
            )
            if part
        ),
    }
    return render(request, "screening/screening_review.html", context)
