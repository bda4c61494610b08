"""People read names, not internals (issue 12, item 8): audit entries name the event in words and offer ids
to copy instead of printing them, restriction keys and API package codes stay off the pages that list them."""

import re

from django.urls import reverse

from apps.core.templatetags.console import audit_label, change_pairs
from apps.restrictions.registry import CONTROLS

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
LOCATION = "3f2b8c9e-1d4a-4b6e-9f0a-2c7d5e8b1a33"


def test_audit_codes_read_as_words():
    assert audit_label("customer.attach_request") == "Customer: attach request"
    assert audit_label("subscriber.package_change") == "Subscriber: package change"


def test_ids_in_an_audit_change_are_offered_to_copy_not_shown():
    rows = change_pairs({"location_id": LOCATION, "package": "Webex Calling", "enabled": True})
    assert rows == [("location", "", LOCATION), ("package", "Webex Calling", ""), ("enabled", "yes", "")]


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
