"""The audit log's scope and filters, held to their rule person by person.

``accounts.selectors.audit_events_visible_to`` reads a log through an id subquery, and leaves the actor's
visibility out when the roles alone show the whole log (``sees_whole_audit_log_of``); the rule it must keep
is worked out here in Python from ``orgs_visible_to``: the organisation's events and, for a partner, its
children's, those of the organisations the actor sees, less what an audit limit hides (an attach not
approved: only the actor's own organisation's events there); the platform's log adds the events of removed
organisations its people made.
"""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts import selectors
from apps.accounts.selectors import (
    audit_events_for_api,
    audit_events_page,
    audit_events_visible_to,
    orgs_visible_to,
    sees_whole_audit_log_of,
)
from apps.core.models import AuditEvent, Organization
from apps.core.selectors import audit_events_filter, audit_filter_lookups
from tests.conftest import fresh


def _rule(actor, org: Organization) -> set:
    visible = set(orgs_visible_to(actor=actor).values_list("pk", flat=True))
    if org.is_platform:
        logged = visible
    else:
        children = set(Organization.objects.filter(parent=org).values_list("pk", flat=True))
        logged = ({org.pk} | (children if org.is_partner else set())) & visible
    limited = set()
    for limit in selectors._AUDIT_LIMITS:
        kind = actor.org.kind if actor.org is not None else ""
        limited |= {
            row["org_id"] if isinstance(row, dict) else row for row in limit(actor_org_kind=kind) or ()
        }
    shown = set()
    for event in AuditEvent.objects.all():
        orphan = event.acting_org_id is None and org.is_platform and event.actor_org_id == org.pk
        if event.acting_org_id not in logged and not orphan:
            continue
        if event.acting_org_id in limited and event.actor_org_id != actor.org_id:
            continue
        shown.add(event.pk)
    return shown


@pytest.fixture
def events(world):
    """An event in every organisation of the world, made by its own people and by its partner's, and one of a
    removed organisation by the platform's people."""
    for org in Organization.objects.all():
        for actor_org in {org, org.parent or org}:
            AuditEvent.objects.create(
                acting_org=org,
                actor_org=actor_org,
                action="branding.update",
                target_type="org",
                channel="page",
            )
    AuditEvent.objects.create(
        acting_org=None, actor_org=world.platform, action="partner.remove", target_type="org", channel="page"
    )


PEOPLE = (
    "operator",
    "acme_admin",
    "acme_readonly",
    "acme_partner_admin",
    "acme_wholesale",
    "northwind_admin",
    "globex_admin",
    "blue_admin",
    "blue_readonly",
    "blue_user_admin",
    "blue_support",
    "cedar_admin",
)


@pytest.mark.parametrize("person", PEOPLE)
def test_every_log_a_person_may_read_shows_what_the_rule_shows(world, events, person):
    actor = fresh(getattr(world, person))
    orgs = {actor.org, *orgs_visible_to(actor=actor)}
    assert len(orgs) >= 1
    for org in orgs:
        shown = set(audit_events_visible_to(actor=actor, org=org).values_list("pk", flat=True))
        assert shown == _rule(actor, org), (person, org.name, sees_whole_audit_log_of(actor=actor, org=org))


@pytest.mark.parametrize("person", PEOPLE)
def test_the_apis_compiled_log_shows_what_the_rule_shows(world, events, person):
    """``GET /v1/partner/auditEvents``' list (compiled once per shape) for every log the person may read."""
    actor = fresh(getattr(world, person))
    for org in {actor.org, *orgs_visible_to(actor=actor)}:
        bound = audit_events_for_api(actor=actor, org=org, lookups={})
        shown = {row["id"] for row in bound.page(offset=0, limit=1000)}
        assert shown == _rule(actor, org), (person, org.name)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_pages_compiled_log_shows_what_the_rule_shows_newest_first(world, events, person):
    """The audit log page's list (compiled once per shape) for every log the person may read: the rule's
    events, in the order of the log, each with its organisations."""
    actor = fresh(getattr(world, person))
    for org in {actor.org, *orgs_visible_to(actor=actor)}:
        rows = audit_events_page(actor=actor, org=org, lookups={}).page(offset=0, limit=1000)
        assert {row.pk for row in rows} == _rule(actor, org), (person, org.name)
        expected = audit_events_visible_to(actor=actor, org=org)
        assert [(row.pk, row.acting_org, row.actor_org) for row in rows] == [
            (event.pk, event.acting_org, event.actor_org) for event in expected
        ]


def test_the_pages_filters_compiled_or_not_are_the_querysets(world, events):
    actor, org = fresh(world.acme_admin), world.acme
    day = timezone.localdate()
    days = {"date_from": day, "date_to": day}
    searches = ({"actor": "ACME.TEST"}, {"actor": "admin@", "action": "partner."}, {"actor": "%"})
    for filters in ({"action": "branding.update"}, {"action": "partner."}, days, *searches):
        lookups = audit_filter_lookups(**filters)
        listed = audit_events_page(actor=actor, org=org, lookups=lookups)
        assert not isinstance(listed, QuerySet), filters  # compiled, a part of a text too
        rows = listed.page(offset=0, limit=1000)
        expected = audit_events_filter(audit_events_visible_to(actor=actor, org=org), **filters)
        assert [row.pk for row in rows] == list(expected.values_list("pk", flat=True)), filters
        assert rows or filters.get("action") == "partner." or filters.get("actor") == "%", filters


def test_the_whole_log_shortcut_is_taken_by_the_partners_own_full_admin_only(world):
    acme = world.acme
    assert sees_whole_audit_log_of(actor=fresh(world.acme_admin), org=acme)
    assert not sees_whole_audit_log_of(actor=fresh(world.acme_partner_admin), org=acme)  # assigned customers
    assert not sees_whole_audit_log_of(
        actor=fresh(world.acme_admin), org=world.blue_harbor.org
    )  # a customer's
    assert sees_whole_audit_log_of(actor=fresh(world.blue_admin), org=world.blue_harbor.org)


def test_an_events_code_is_that_event_and_a_part_of_one_still_filters(world):
    for action in ("subpartner.setup", "subpartner.setup_request", "customer.provisioned"):
        AuditEvent.objects.create(acting_org=world.acme, action=action, target_type="org", channel="page")
    events = AuditEvent.objects.filter(acting_org=world.acme)
    assert set(audit_events_filter(events, action="subpartner.setup").values_list("action", flat=True)) == {
        "subpartner.setup"
    }
    assert set(audit_events_filter(events, action="subpartner.").values_list("action", flat=True)) == {
        "subpartner.setup",
        "subpartner.setup_request",
    }


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Auckland"])
def test_the_days_are_the_readers_days(world, zone):
    """From the first day's start to the last day's end in the reader's time zone, as the day of each event
    (``created__date``) read them."""
    instants = [
        dt.datetime(2026, 3, 8, 4, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 8, 5, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 9, 10, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 9, 11, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=dt.UTC),
    ]
    for instant in instants:
        event = AuditEvent.objects.create(
            acting_org=world.globex, action="x.y", target_type="org", channel="page"
        )
        AuditEvent.objects.filter(pk=event.pk).update(created=instant)
    events = AuditEvent.objects.filter(acting_org=world.globex, action="x.y")
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for first, last in [
            (dt.date(2026, 3, 8), dt.date(2026, 3, 8)),
            (dt.date(2026, 3, 9), dt.date(2026, 3, 10)),
        ]:
            expected = set(events.filter(created__date__gte=first, created__date__lte=last).values_list("pk"))
            got = set(audit_events_filter(events, date_from=first, date_to=last).values_list("pk"))
            assert got == expected, (zone, first, last)


def test_the_event_filter_costs_the_page_no_read_of_the_log(world, page_client):
    """The Event drop-down offers every event an app records: the page does not read the events the log
    holds (a DISTINCT over a partner's whole log, 80 ms at 200,000 events, on every page)."""
    client = page_client(world.acme_admin)
    url = reverse("partner:audit_list", kwargs={"org_id": world.acme.webex_id})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    reads = [q["sql"] for q in captured if "core_auditevent" in q["sql"]]
    assert len(reads) == 1 and "DISTINCT" not in reads[0]
