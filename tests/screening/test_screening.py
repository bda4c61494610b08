"""Denied-party screening (the guide's "Restricted and Denied Persons Checks"): matching, the gate
provisioning calls, the 72-hour re-check by the beat task, the operator's decisions and the list itself
(CSV import)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.customers.models import CustomerStatus
from apps.screening import services as svc
from apps.screening.models import HoldState, ScreeningEntry, ScreeningHold
from apps.screening.services import screen, screening_gate, screening_recheck_all
from tests.factories import CustomerFactory


def entries(*rows):
    """Unsaved list entries: matching needs no database."""
    return [ScreeningEntry(name=name, address=address, country=country) for name, address, country in rows]


def hits(name, *rows, address="", country="US"):
    return screen(name=name, address=address, country=country, entries=entries(*rows))


# --- Matching -----------------------------------------------------------------------------------------------


def test_case_punctuation_and_company_suffixes_do_not_hide_a_party():
    [hit] = hits("ROSNEFT TRADING S.A.", ("Rosneft Trading Ltd", "", ""))
    assert hit.on == "name"
    assert "case, accents, punctuation and suffixes are ignored" in hit.reasons[0]
    assert "Company suffixes ignored: ltd, sa." in hit.reasons
    assert hits("Shadow Trading L.L.C.", ("Shadow Trading LLC", "", ""))
    assert hits("Shadow Trading, Inc.", ("shadow trading", "", ""))


def test_word_order_does_not_matter_and_is_explained():
    [hit] = hits("Trading Rosneft GmbH", ("Rosneft Trading", "", ""))
    assert "The words are in a different order." in hit.reasons


def test_accents_and_ampersand():
    assert hits("Muller and Sohne", ("Müller & Söhne GmbH", "", ""))
    assert hits("MÜLLER UND SÖHNE", ("Muller & Sohne", "", ""))


def test_one_typo_in_a_long_word_but_not_in_a_short_one():
    [hit] = hits("Rosneft Tradng", ("Rosneft Trading", "", ""))
    assert "“tradng” is one letter away from “trading”." in hit.reasons
    assert hits("Rosenft Trading", ("Rosneft Trading", "", ""))  # two neighbours swapped
    assert not hits("Acne", ("Acme", "", ""))  # short words must be equal
    assert hits("Rosnaft Tradeng", ("Rosneft Trading", "", ""))  # one typo in each word
    assert not hits("Rozneft Tradinggg", ("Rosneft Trading", "", ""))  # two letters off is not


def test_a_longer_name_containing_every_word_of_a_listed_name_hits():
    [hit] = hits("Rosneft Trading Deutschland", ("Rosneft Trading", "", ""))
    assert "extra: “deutschland”" in hit.reasons[0]


def test_a_one_word_entry_hits_only_the_same_name():
    assert not hits("Acme Pizza", ("Acme", "", ""))
    assert hits("ACME, Inc.", ("Acme", "", ""))


def test_a_near_match_counts_only_in_the_listed_country():
    listed = ("Rosneft Trading", "", "CH")
    assert hits("Rosneft Tradng", listed, country="CH")
    assert not hits("Rosneft Tradng", listed, country="US")
    # The same name is a hit wherever the customer is, and the page says so.
    [hit] = hits("Rosneft Trading", listed, country="US")
    assert "Listed for CH; the customer is in US." in hit.reasons


def test_an_address_hits_when_the_billing_address_contains_it():
    listed = ("Shadow Exports", "12 Harbour Road, Dubai", "AE")
    [hit] = hits("Blue Lagoon Cafe", listed, address="Unit 4, 12 harbour rd DUBAI 00000", country="AE")
    assert hit.on == "address"
    assert not hits("Blue Lagoon Cafe", listed, address="12 Harbour Road, Dubai", country="GB")
    assert not hits("Blue Lagoon Cafe", listed, address="14 Harbour Road, Dubai", country="AE")


def test_unrelated_names_do_not_hit():
    listed = [("Rosneft Trading", "", ""), ("Shadow Exports LLC", "", ""), ("Acme", "", "")]
    for name in (
        "Blue Harbor Dental",
        "Cedar & Pine Legal",
        "Acme Telecom",
        "Trading Post",
        "Shadow Puppets",
    ):
        assert not hits(name, *listed), name


# --- The gate and the hold ----------------------------------------------------------------------------------


@pytest.fixture
def listed(world):
    return svc.screening_entry_add(
        actor=world.operator, name="Sanctioned Widgets Ltd", country="", note="demo"
    )


def new_customer(world, name="Sanctioned Widgets GmbH"):
    return CustomerFactory(actor=world.acme_admin, partner=world.acme, name=name)


def test_no_hit_lets_provisioning_go_on(world, listed):
    customer = new_customer(world, name="Harmless Bakery")
    status = customer.status
    assert screening_gate(customer=customer) is True
    customer.refresh_from_db()
    assert customer.status == status
    assert not ScreeningHold.objects.exists()


def test_a_hit_holds_the_customer_and_records_what_matched(world, listed):
    customer = new_customer(world)
    now = timezone.now()
    assert screening_gate(customer=customer, now=now) is False
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PENDING_RPL_REVIEW
    hold = customer.screening_hold
    assert hold.state == HoldState.PENDING and hold.first_hit == now == hold.last_checked
    assert [m["name"] for m in hold.matches] == ["Sanctioned Widgets Ltd"]
    assert hold.matches[0]["entry_id"] == str(listed.id) and hold.matches[0]["reasons"]
    event = AuditEvent.objects.get(action="customer.screening_hold")
    assert event.acting_org == customer.org and event.after["status"] == "pending_rpl_review"
    # Provisioning retried while the hold is open: still held, no second hold, no second audit record.
    assert screening_gate(customer=customer) is False
    assert ScreeningHold.objects.count() == 1
    assert AuditEvent.objects.filter(action="customer.screening_hold").count() == 1


def test_the_gate_respects_the_operators_decision(world, listed):
    cleared, rejected = new_customer(world), new_customer(world, name="Sanctioned Widgets Inc")
    screening_gate(customer=cleared)
    screening_gate(customer=rejected)
    svc.screening_hold_clear(actor=world.operator, hold=cleared.screening_hold, note="Different company")
    svc.screening_hold_reject(actor=world.operator, hold=rejected.screening_hold, note="Confirmed")
    assert screening_gate(customer=cleared) is True  # cleared stays cleared though the name still matches
    assert screening_gate(customer=rejected) is False


def hold_customer(world, now=None):
    customer = new_customer(world)
    assert screening_gate(customer=customer, now=now or timezone.now()) is False
    return ScreeningHold.objects.get(customer=customer)


def test_still_a_hit_within_72_hours_stays_pending(world, listed):
    hold = hold_customer(world)
    just_before = hold.first_hit + timedelta(hours=72) - timedelta(seconds=1)
    assert screening_recheck_all(now=just_before) == {"pending": 1}
    hold.refresh_from_db()
    assert hold.state == HoldState.PENDING and hold.last_checked == just_before
    assert hold.customer.status == CustomerStatus.PENDING_RPL_REVIEW


def test_still_a_hit_after_72_hours_stops_onboarding_and_escalates(world, listed):
    hold = hold_customer(world)
    at_deadline = hold.first_hit + timedelta(hours=72)
    assert screening_recheck_all(now=at_deadline) == {"escalated": 1}
    hold.refresh_from_db()
    customer = hold.customer
    customer.refresh_from_db()
    assert hold.state == HoldState.ESCALATED and hold.escalated_at == at_deadline
    assert customer.status == CustomerStatus.ERROR
    [error] = customer.errors
    assert error["errorCode"] == svc.ERROR_SCREENING_ESCALATED and "72 hours" in error["description"]
    assert AuditEvent.objects.filter(action="customer.screening_escalate", target_id=str(hold.id)).exists()
    # Ops has taken over: the beat task no longer touches it.
    assert screening_recheck_all(now=at_deadline + timedelta(hours=1)) == {}


def test_no_longer_a_hit_releases_the_hold_and_resumes_provisioning(world, listed, monkeypatch):
    resumed = []
    monkeypatch.setattr(
        "apps.provisioning.services.provisioning.customer_provision_enqueue",
        lambda *, customer: resumed.append(customer.pk),
    )
    hold = hold_customer(world)
    svc.screening_entry_remove(actor=world.operator, entry=listed)
    assert screening_recheck_all(now=hold.first_hit + timedelta(hours=1)) == {"released": 1}
    hold.refresh_from_db()
    assert hold.state == HoldState.CLEARED and hold.decided_by is None
    assert hold.note == "No longer matches the screening list."
    assert resumed == [hold.customer_id]
    assert AuditEvent.objects.filter(action="customer.screening_clear").exists()


def test_the_beat_task_rechecks_with_the_clock(world, listed, monkeypatch):
    from apps.screening.tasks import screening_recheck_task

    hold = hold_customer(world)
    later = hold.first_hit + timedelta(hours=73)
    monkeypatch.setattr(timezone, "now", lambda: later)
    screening_recheck_task.delay()
    hold.refresh_from_db()
    assert hold.state == HoldState.ESCALATED
    event = AuditEvent.objects.get(action="customer.screening_escalate")
    assert event.channel == "task"


def test_the_beat_task_runs_every_15_minutes():
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["screening-recheck"]
    assert entry["schedule"] == 15 * 60
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


# --- The operator's decisions -------------------------------------------------------------------------------


def test_only_the_operator_decides(world, listed):
    hold = hold_customer(world)
    for person in (world.acme_admin, world.blue_admin):
        with pytest.raises(PermissionDenied):
            svc.screening_hold_clear(actor=person, hold=hold)
        with pytest.raises(PermissionDenied):
            svc.screening_hold_reject(actor=person, hold=hold, note="no")
        with pytest.raises(PermissionDenied):
            svc.screening_entry_add(actor=person, name="Someone")
    hold.refresh_from_db()
    assert hold.state == HoldState.PENDING


def test_clearing_resumes_provisioning(world, listed, monkeypatch):
    resumed = []
    monkeypatch.setattr(
        "apps.provisioning.services.provisioning.customer_provision_enqueue",
        lambda *, customer: resumed.append(customer.pk),
    )
    hold = hold_customer(world)
    screening_recheck_all(now=hold.first_hit + timedelta(hours=80))  # escalated, status error
    svc.screening_hold_clear(actor=world.operator, hold=hold, note="False positive: another company")
    hold.refresh_from_db()
    assert hold.state == HoldState.CLEARED and hold.decided_by == world.operator and hold.decided_at
    assert hold.customer.errors == []  # the screening error is gone once cleared
    assert resumed == [hold.customer_id]
    event = AuditEvent.objects.get(action="customer.screening_clear")
    assert event.actor == world.operator and event.after["note"] == "False positive: another company"
    with pytest.raises(ValidationError, match="already cleared"):
        svc.screening_hold_reject(actor=world.operator, hold=hold, note="changed my mind")


def test_rejecting_needs_a_reason_and_keeps_the_customer_in_error(world, listed):
    hold = hold_customer(world)
    with pytest.raises(ValidationError) as exc:
        svc.screening_hold_reject(actor=world.operator, hold=hold, note="  ")
    assert "note" in exc.value.message_dict
    hold.refresh_from_db()
    assert hold.state == HoldState.PENDING
    svc.screening_hold_reject(actor=world.operator, hold=hold, note="Confirmed listed party")
    hold.refresh_from_db()
    customer = hold.customer
    assert hold.state == HoldState.REJECTED and hold.note == "Confirmed listed party"
    assert customer.status == CustomerStatus.ERROR
    assert [e["errorCode"] for e in customer.errors] == [svc.ERROR_SCREENING_REJECTED]
    assert AuditEvent.objects.get(action="customer.screening_reject").actor == world.operator
    assert screening_recheck_all(now=timezone.now() + timedelta(days=5)) == {}


# --- The list -----------------------------------------------------------------------------------------------


def test_adding_an_entry_validates_and_audits(world):
    with pytest.raises(ValidationError) as exc:
        svc.screening_entry_add(actor=world.operator, name="  ", country="XX")
    assert set(exc.value.message_dict) == {"name", "country"}
    with pytest.raises(ValidationError):
        svc.screening_entry_add(actor=world.operator, name="--- ...")
    assert not ScreeningEntry.objects.exists()
    entry = svc.screening_entry_add(actor=world.operator, name=" Evil Corp ", country="us")
    assert (entry.name, entry.country, entry.added_by) == ("Evil Corp", "US", world.operator)
    assert AuditEvent.objects.get(action="screening.entry_add").after["name"] == "Evil Corp"
    with pytest.raises(ValidationError, match="already on the list"):
        svc.screening_entry_add(actor=world.operator, name="EVIL CORP, INC.", country="US")
    svc.screening_entry_add(actor=world.operator, name="Evil Corp", country="GB")  # another party
    svc.screening_entry_remove(actor=world.operator, entry=entry)
    assert list(ScreeningEntry.objects.values_list("country", flat=True)) == ["GB"]
    assert AuditEvent.objects.get(action="screening.entry_remove").before["name"] == "Evil Corp"


GOOD_CSV = (
    "name,address,country,note\n"
    "Shadow Exports LLC,12 Harbour Road Dubai,AE,OFAC\n"
    '"Rosneft Trading, S.A.",,CH,\n'
    "\n"
    "Evil Corp,,,\n"
)


def test_a_good_csv_file_is_imported_and_known_parties_are_skipped(world):
    svc.screening_entry_add(actor=world.operator, name="EVIL CORP.")
    assert svc.screening_csv_import(actor=world.operator, data=GOOD_CSV.encode()) == 2
    assert sorted(ScreeningEntry.objects.values_list("name", flat=True)) == [
        "EVIL CORP.",
        "Rosneft Trading, S.A.",
        "Shadow Exports LLC",
    ]
    event = AuditEvent.objects.get(action="screening.csv_import")
    assert event.after == {"rows": 3, "added": 2, "already_listed": 1}


def test_the_template_is_a_valid_file():
    rows = svc.screening_csv_parse(svc.screening_csv_template().encode())
    assert rows[0]["name"] == "Example Trading LLC"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"company,country\nX,US\n", "The first line must name the columns"),
        (b"name,country,risk\nX,US,high\n", "Unknown columns: risk."),
        (b"name,country\n", "The file has no parties."),
        (b"name,country\nGood Ltd,US\n,US\nOther,ZZ\nGood Ltd,US\n", None),
        (b"name,country\nA Ltd,US,extra\n", "Line 2: more values than columns."),
    ],
)
def test_a_bad_csv_file_imports_nothing_and_says_why(world, data, expected):
    with pytest.raises(ValidationError) as exc:
        svc.screening_csv_import(actor=world.operator, data=data)
    problems = exc.value.message_dict["file"]
    if expected is None:
        assert problems == [
            "Line 3, name: Enter the party's name.",
            "Line 4, country: “ZZ” is not an ISO 3166 country code.",
            "Line 5: the same party appears twice in the file.",
        ]
    else:
        assert any(expected in p for p in problems), problems
    assert not ScreeningEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="screening.csv_import").exists()


def test_a_csv_file_in_windows_encoding_or_with_a_bom_is_read(world):
    svc.screening_csv_import(actor=world.operator, data="name\nSöhne Handel\n".encode("cp1252"))
    svc.screening_csv_import(actor=world.operator, data="\ufeffname\nZürich Export AG\n".encode())
    assert set(ScreeningEntry.objects.values_list("name", flat=True)) == {"Söhne Handel", "Zürich Export AG"}


def test_an_oversized_csv_file_is_refused(world):
    with pytest.raises(ValidationError, match="larger than"):
        svc.screening_csv_import(actor=world.operator, data=b"name\n" + b"x" * svc.CSV_MAX_BYTES)
