"""Form helpers shared by every console page."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.audit_words import audit_event_choices

T = TypeVar("T")


def add_service_errors(
    form: forms.Form, exc: ValidationError, *, fields: dict[str, str] | None = None
) -> None:
    """A service's keyed ValidationError on the form: ``fields`` maps a service key to a field of the form
    (default: the same name); keys the form does not have become errors of the whole form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        name = (fields or {}).get(key, key)
        form.add_error(name if name in form.fields else None, messages)


def posted(request) -> dict | None:
    """The form data of a POST, even an empty body (the form then says what is missing); None otherwise, so
    that a GET shows the form unbound."""
    return request.POST if request.method == "POST" else None


def call_service(form: forms.Form, service: Callable[..., T], **kwargs) -> T | None:
    """Run a service; a ValidationError it raises lands on the form's fields (or the form) and yields None."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


class AuditFilterForm(forms.Form):
    """The audit log's filters. The Event drop-down offers every event an app records, by its words
    (``core.audit_words.audit_event_choices``); a code typed in the URL, such as ``action=customer.`` for
    every customer event, still filters, and shows as the choice."""

    actor = forms.CharField(required=False, label=_("Actor e-mail"))
    action = forms.CharField(required=False, label=_("Event"), widget=forms.Select)
    date_from = forms.DateField(
        required=False,
        label=pgettext_lazy("audit log filter: the first day", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        required=False,
        label=pgettext_lazy("audit log filter: the last day", "To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        events = audit_event_choices()
        given = str(self.data.get("action", "")).strip()
        if given and given not in dict(events):  # a code or a part of one from the URL: shown as it filters
            events = [(given, given), *events]
        self.fields["action"].widget.choices = [("", _("Any event")), *events]
