"""Form helpers shared by every console page."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")


def call_service(form: forms.Form, service: Callable[..., T], **kwargs) -> T | None:
    """Run a service; a ValidationError it raises lands on the form's fields (or the form) and yields None."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Actor e-mail")
    action = forms.CharField(required=False, widget=forms.TextInput(attrs={"list": "audit-actions"}))
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
