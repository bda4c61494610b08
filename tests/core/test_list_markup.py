"""Markup helpers of the list pages: a filter drop-down and a form's input box written in one go, e-mail
addresses that may wrap."""

import re

import pytest
from django import forms
from django.utils import translation

from apps.core.forms import AuditFilterForm
from apps.core.templatetags.console import email_wrap, field_input, filter_select
from apps.locations.forms import NumberAddForm


class Filters(forms.Form):
    package = forms.ChoiceField(
        required=False, choices=[("", "Any package"), ("webex_calling", "Webex Calling"), ("a&b", "A & <B>")]
    )


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("data", [{}, {"package": "webex_calling"}, {"package": "a&b"}])
def test_the_drop_down_is_the_widgets_markup(data):
    field = Filters(data)["package"]
    assert _tags(filter_select(field)) == _tags(field)


def test_an_unknown_value_selects_nothing_and_points_at_no_error():
    # A list drops a filter it does not know (no error is shown), so the drop-down does not point at one
    # either, as the widget would (aria-describedby of an error message the page never writes).
    shown = _tags(filter_select(Filters({"package": "nope"})["package"]))
    assert "selected" not in shown and "aria-" not in shown


def test_an_email_may_wrap_after_its_at_sign_and_stays_escaped():
    assert email_wrap("stefan.brennan@blueharbor.example") == "stefan.brennan@<wbr>blueharbor.example"
    assert email_wrap('<b>"x"@evil.example') == "&lt;b&gt;&quot;x&quot;@<wbr>evil.example"
    assert email_wrap("Stefan Brennan") == "Stefan Brennan"  # a name: as it is (the template escapes it)


@pytest.mark.parametrize("data", [{}, {"action": "subscriber.create"}, {"action": "customer."}])
def test_the_audit_logs_event_drop_down_is_the_widgets_markup(data):
    # A CharField drawn as a Select (a code typed in the URL still filters): its choices are the widget's.
    field = AuditFilterForm(data)["action"]
    assert _tags(filter_select(field)) == _tags(field.as_widget())


def test_the_drop_downs_read_in_the_readers_language_each_time():
    # The options are written once per language and choice: French after English is French, then English.
    for language, words in (("en", "Any event"), ("fr", "Tous les événements"), ("en", "Any event")):
        with translation.override(language):
            field = AuditFilterForm({})["action"]
            shown = _tags(filter_select(field))
            assert shown == _tags(field.as_widget())
            assert f'<option value="" selected>{words}</option>' in shown


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"actor": "ann@acme.example", "date_from": "2026-01-31", "date_to": "2026-02-01"},
        {"actor": '"><script>x</script>', "date_from": "not a day", "date_to": "2026-13-45"},  # errors
    ],
)
@pytest.mark.parametrize("name", ["actor", "date_from", "date_to"])
def test_the_audit_logs_filter_boxes_are_the_widgets_markup(data, name):
    # Escaped as the widget escapes, and a day the form refuses points at its error (aria-invalid,
    # aria-describedby) as the widget's own markup does.
    form = AuditFilterForm(data)
    form.is_valid()
    assert _tags(field_input(form[name])) == _tags(form[name])


@pytest.mark.parametrize(
    "data",
    [None, {"first": "+14155550100", "count": "3"}, {"first": "", "count": "0", "last": "<i>x" * 20}],
)
@pytest.mark.parametrize("name", ["first", "count", "last"])
def test_the_number_forms_boxes_are_the_widgets_markup(data, name):
    # Required, help text (aria-describedby), a number's bounds, refused values (aria-invalid).
    form = NumberAddForm(data)
    if data is not None:
        form.is_valid()
    assert _tags(field_input(form[name])) == _tags(form[name])


def test_a_field_not_drawn_as_an_input_is_the_widgets_own_markup():
    field = Filters({"package": "webex_calling"})["package"]  # a drop-down
    assert field_input(field) == field.as_widget()
