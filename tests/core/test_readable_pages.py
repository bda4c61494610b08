"""People read names, not internals (issue 12, item 8): audit entries name the event in words and offer ids
to copy instead of printing them, restriction keys and API package codes stay off the pages that list them."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from apps.accounts.roles import Role
from apps.calling.settings_table import CALLING_SETTINGS
from apps.core.audit_words import (
    EVENTS,
    audit_change_rows,
    audit_channel_words,
    audit_event_words,
    audit_key_words,
    name_audit_codes,
)
from apps.customers.models import AttachState
from apps.restrictions.registry import CONTROLS

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
LOCATION = "3f2b8c9e-1d4a-4b6e-9f0a-2c7d5e8b1a33"


def _recorded_event_codes() -> set[str]:
    """Every audit event code the apps record: the string values of ``action=`` (both sides of a conditional)
    and ``audit=`` (the organisation settings' helper) in their code, and the calling settings' codes."""
    codes = set()
    for path in Path(settings.BASE_DIR, "apps").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg in ("action", "audit"):
                values = (
                    [node.value.body, node.value.orelse]
                    if isinstance(node.value, ast.IfExp)
                    else [node.value]
                )
                codes |= {
                    v.value
                    for v in values
                    if isinstance(v, ast.Constant) and re.fullmatch(r"[a-z_]+\.[a-z_]+", str(v.value))
                }
    return codes | {f"calling.{setting.key}" for setting in CALLING_SETTINGS}


def test_every_audit_event_the_apps_record_has_words():
    codes = _recorded_event_codes()
    assert len(codes) > 90  # the walk finds them
    assert sorted(codes - set(EVENTS)) == []
    assert sorted(set(EVENTS) - codes) == []  # no words for an event nobody records


def test_audit_events_read_in_the_readers_language():
    assert audit_event_words("customer.screening_hold") == "Customer held by screening"
    with translation.override("fr"):
        assert audit_event_words("customer.screening_hold") == "Client retenu par le contrôle de conformité"
    assert audit_event_words("unknown.thing_done") == "Unknown: thing done"  # a code without words: its own
    assert audit_channel_words("task") == "a background task"
    with translation.override("fr"):
        assert audit_channel_words("api") == "l'API"


def test_audit_keys_read_in_the_readers_language_each_time():
    # Each key's words are kept once per language: a reader of another language never gets the first one's.
    for language, words in (("en", "Location"), ("fr", "Emplacement"), ("en", "Location")):
        with translation.override(language):
            assert audit_key_words("location_id") == words
            assert audit_change_rows({"location_id": LOCATION}) == [(words, "", LOCATION)]
    assert audit_key_words("no_such_key") == "no such key"


def test_ids_in_an_audit_change_are_offered_to_copy_not_shown():
    rows = audit_change_rows({"location_id": LOCATION, "package": "Webex Calling", "enabled": True})
    assert rows == [("Location", "", LOCATION), ("Package", "Webex Calling", ""), ("enabled", "yes", "")]


def test_stored_codes_in_an_audit_change_read_as_their_labels():
    before = {"status": "provisioning", "attach_state": "pending_approval", "country": "US"}
    after = {"status": "pending_rpl_review", "packages": ["webex_calling", "cisco_calling_plan"]}
    assert audit_change_rows(before) == [
        ("Status", "Provisioning", ""),
        ("Attach state", str(AttachState.PENDING_APPROVAL.label), ""),
        ("Country", "US", ""),  # not a code any app named: as stored
    ]
    assert audit_change_rows(after) == [
        ("Status", "Pending compliance review", ""),
        ("Packages", "Webex Calling, Cisco Calling Plan", ""),
    ]
    assert audit_change_rows({"packages": {"webex_meetings": "provisioned"}}) == [
        ("Packages", "Webex Meetings: Provisioned", "")
    ]
    other = {"roles": ["partner_full_admin"], "status": "suspended", "service": "setup_assist_express"}
    assert [shown for _key, shown, _id in audit_change_rows(other)] == [
        str(Role.PARTNER_FULL_ADMIN.label),
        "Suspended",
        "Wholesale Setup Assist Express Usage",
    ]


def test_a_code_named_twice_must_read_the_same():
    with pytest.raises(ImproperlyConfigured, match="pending_rpl_review"):
        name_audit_codes(["status"], [("pending_rpl_review", "Something else")])


def test_the_audit_log_shows_no_event_codes_or_uuids(world, page_client):
    client = page_client(world.acme_admin)
    body = client.get(reverse("partner:audit_list", kwargs={"org_id": world.acme.webex_id})).content.decode()
    visible = re.sub(r'data-[a-z-]+="[^"]*"', "", body)  # what a person reads, not attributes for tools
    assert "audit-row" in body
    assert not re.search(r">\s*[a-z_]+\.[a-z_]+\s*<", visible), "an event code is shown as text"
    assert not UUID.search(re.sub(r"<[^>]+>", " ", visible)), "a raw id is shown as text"


def test_see_what_is_restricted_shows_labels_not_keys(world, page_client):
    client = page_client(world.blue_admin)
    org = world.blue_harbor.org
    body = client.get(reverse("control:restriction_list", kwargs={"org_id": org.webex_id})).content.decode()
    text = re.sub(r"<[^>]+>", " ", body)
    shown = [c.key for c in CONTROLS if c.key in text]
    assert shown == [], f"restriction keys on the page: {shown}"


def test_the_customer_panel_names_packages_without_api_codes(world, page_client):
    client = page_client(world.acme_admin)
    ids = {"org_id": world.acme.webex_id, "customer_id": world.cedar_pine.webex_id}
    text = re.sub(
        r"<[^>]+>", " ", client.get(reverse("partner:customer_detail", kwargs=ids)).content.decode()
    )
    assert "Webex Calling" in text and "webex_calling" not in text


def test_the_event_filter_offers_every_event_in_words_and_keeps_a_code_from_the_url(world, page_client):
    client = page_client(world.acme_admin)
    url = reverse("partner:audit_list", kwargs={"org_id": world.acme.webex_id})
    field = client.get(url).context["form"]["action"]
    offered = dict(field.field.widget.choices)
    assert set(offered) == {"", *EVENTS}  # every event an app records
    assert offered[""] == "Any event" and all(
        label == audit_event_words(code) for code, label in offered.items() if code
    )
    field = client.get(url, {"action": "customer."}).context["form"]["action"]
    assert 'value="customer." selected' in str(field)
