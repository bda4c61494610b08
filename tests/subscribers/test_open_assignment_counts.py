"""The open-assignment counts the overviews read (``OpenAssignmentCount``): kept by ``services.history`` in
the transaction of every write of an interval, they equal a live count of the open intervals — for every
customer, package and kind of holder — after any mix of writes, and the overviews' licences in use equal a
live count of the subscribers by package. Each row is kept under its customer's partner (the organisation's
parent), by which a partner's own administrators' sums read it."""

from collections import Counter
from dataclasses import fields
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.customers.models import Customer
from apps.customers.selectors import customers_visible_to
from apps.provisioning.services.provisioning import customer_remove_request
from apps.subscribers.models import OpenAssignmentCount, PackageAssignment, Subscriber
from apps.subscribers.selectors.counts import licences_in_use
from apps.subscribers.services.history import (
    open_assignment_counts_check,
    open_assignment_counts_fold,
    open_assignment_counts_rebuild,
)
from apps.subscribers.services.imports import subscriber_import_create, subscriber_import_run
from apps.subscribers.services.subscribers import (
    subscriber_add,
    subscriber_change_package,
    subscriber_remove,
)
from apps.subscribers.services.workspaces import workspace_create, workspace_remove
from tests.conftest import fresh
from tests.subscribers.test_user_import import csv_bytes
from tests.subscribers.test_workspaces import harbor  # noqa: F401 - a fixture


def kept() -> Counter:
    """The counts as kept: the sum of each one's rows (none when 0)."""
    sums = Counter()
    for row in OpenAssignmentCount.objects.all():
        sums[(row.customer_id, row.package, row.kind)] += row.n
    return +sums


def misfiled() -> list:
    """The kept rows not filed under their customer's partner."""
    rows = OpenAssignmentCount.objects.filter(customer__in=Customer.objects.values("pk"))
    return list(rows.exclude(partner_uuid=F("customer__org__parent_id")).values_list("pk", flat=True))


def counted() -> Counter:
    """The open intervals of existing customers, counted live."""
    rows = (
        PackageAssignment.objects.filter(
            ended_at__isnull=True, customer_uuid__in=Customer.objects.values("pk")
        )
        .values("customer_uuid", "package")
        .annotate(
            subscriber=Count("pk", filter=Q(subscriber_uuid__isnull=False)),
            workspace=Count("pk", filter=Q(subscriber_uuid__isnull=True)),
        )
    )
    live = Counter()
    for row in rows:
        for kind in ("subscriber", "workspace"):
            if row[kind]:
                live[(row["customer_uuid"], row["package"], kind)] = row[kind]
    return live


def _most_first(row: dict) -> tuple:
    return (-row["n"], row["package"])


def subscribers_by_package(org) -> list[dict]:
    rows = Subscriber.objects.filter(customer__org=org).values("package").annotate(n=Count("id"))
    return sorted(
        ({"package": r["package"], "n": r["n"]} for r in rows), key=lambda r: (-r["n"], r["package"])
    )


def test_the_counts_follow_every_write_of_an_interval(world, harbor):  # noqa: F811
    acme_admin, blue, cedar = world.acme_admin, world.blue_harbor, world.cedar_pine
    assert kept() == counted() and kept()  # the world, written through the services

    ana = subscriber_add(
        actor=acme_admin,
        customer=blue,
        email="ana@blueharbor.test",
        package="webex_calling",
        extension="3001",
    )
    subscriber_add(
        actor=acme_admin, customer=cedar, email="bo@cedarpine.test", package="webex_calling", extension="3001"
    )
    assert kept() == counted()

    subscriber_change_package(actor=acme_admin, subscriber=ana, package="webex_suite")
    assert kept() == counted()
    subscriber_change_package(actor=acme_admin, subscriber=ana, package="webex_suite")  # no change
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    subscriber_remove(actor=acme_admin, subscriber=tom)
    assert kept() == counted()

    desk = workspace_create(actor=acme_admin, customer=harbor, name="Front desk", extension="4001")
    workspace_create(actor=acme_admin, customer=harbor, name="Lobby", extension="4002")
    assert kept()[(harbor.pk, desk.package, "workspace")] == 2
    harbor_open = PackageAssignment.objects.filter(customer_uuid=harbor.pk, ended_at__isnull=True)
    assert licences_in_use(actor=acme_admin, org=harbor.org).held == {
        row["package"]: row["n"] for row in harbor_open.values("package").annotate(n=Count("pk"))
    }  # the package chart's now: subscribers and workspaces
    workspace_remove(actor=acme_admin, workspace=desk)
    assert kept() == counted()

    data = csv_bytes(
        *(f"add,User,{n:02d},user{n:02d}@blueharbor.test,webex_suite,,,{3100 + n}" for n in range(30))
    )
    job = subscriber_import_create(actor=acme_admin, customer=blue, data=data, file_name="u.csv")
    job = subscriber_import_run(import_id=job.pk)
    assert job.added_count == 30
    assert kept() == counted()
    assert licences_in_use(actor=acme_admin, org=blue.org).subscribers == subscribers_by_package(blue.org)

    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_remove_request(actor=acme_admin, customer=cedar)
    assert not Customer.objects.filter(pk=cedar.pk).exists()
    assert kept() == counted()
    assert not OpenAssignmentCount.objects.filter(customer_id=cedar.pk).exists()

    # Folded: one row per count, the same counts.
    rows = OpenAssignmentCount.objects.count()
    assert open_assignment_counts_fold() > 0
    assert OpenAssignmentCount.objects.count() == len(counted()) < rows
    assert kept() == counted()
    assert open_assignment_counts_fold() == 0  # nothing left to fold

    # A later fold rewrites only the counts written to since (it reads and locks only their customers' rows).
    others = set(OpenAssignmentCount.objects.exclude(customer=blue).values_list("pk", flat=True))
    subscriber_add(
        actor=acme_admin, customer=blue, email="cy@blueharbor.test", package="webex_suite", extension="3901"
    )
    assert open_assignment_counts_fold() > 0
    assert set(OpenAssignmentCount.objects.exclude(customer=blue).values_list("pk", flat=True)) == others
    assert kept() == counted()
    assert OpenAssignmentCount.objects.exists() and misfiled() == []


def test_the_check_finds_counts_that_differ_and_counts_them_again(world):
    blue = world.blue_harbor
    before = kept()
    assert open_assignment_counts_check() == []
    OpenAssignmentCount.objects.filter(customer=blue).update(n=99)
    assert open_assignment_counts_check() == [blue.pk]
    with pytest.raises(CommandError):
        call_command("check_assignment_counts", stdout=StringIO())
    assert open_assignment_counts_check(repair=True) == [blue.pk]
    assert kept() == before == counted()
    out = StringIO()
    call_command("check_assignment_counts", stdout=out)
    assert "agree" in out.getvalue()


def test_the_check_finds_counts_kept_under_another_partner_and_files_them_again(world):
    blue = world.blue_harbor
    before = kept()
    globex = licences_in_use(actor=world.globex_admin, org=world.globex).held
    OpenAssignmentCount.objects.filter(customer=blue).update(partner_uuid=world.globex.pk)
    assert misfiled() and open_assignment_counts_check() == [blue.pk]
    assert licences_in_use(actor=world.globex_admin, org=world.globex).held != globex  # what the check is for
    assert open_assignment_counts_check(repair=True) == [blue.pk]
    assert misfiled() == [] and kept() == before


def test_a_fold_files_counts_written_without_their_partner(world):
    """Rows a process older than the partner column wrote during a deploy: the next fold files them; the
    partner's totals count them all along (through their customer until then)."""
    blue = world.blue_harbor
    filed = licences_in_use(actor=world.acme_admin, org=world.acme).held
    OpenAssignmentCount.objects.filter(customer=blue).update(partner_uuid=None)
    assert misfiled() != []
    unfiled = licences_in_use(actor=world.acme_admin, org=world.acme).held
    open_assignment_counts_fold()
    assert misfiled() == []
    after = licences_in_use(actor=world.acme_admin, org=world.acme).held
    assert sum(filed.values()) > 0 and unfiled == filed and after == filed


def test_a_partners_own_administrators_read_its_counts_by_partner_not_through_every_customer(world):
    """The partner's full and read-only admins (and the platform's operators) see every customer of the
    partner: its kept counts are read by the partner they are filed under, with no join of the partner's
    customers to their organisations (at 10,000 customers, a scan and a hash of all of them); a partner
    admin who sees only its assigned customers still reads them through those customers."""
    for actor, by_partner in (
        (world.acme_admin, True),
        (world.acme_readonly, True),
        (world.operator, True),
        (world.acme_partner_admin, False),
    ):
        with CaptureQueriesContext(connection) as queries:
            licences_in_use(actor=fresh(actor), org=world.acme)
        sql = next(q["sql"] for q in queries if "openassignmentcount" in q["sql"])
        held = sql.split("UNION")[0]
        assert ('"partner_uuid" =' in held) is by_partner, actor.email
        assert ("core_organization" in held) is not by_partner, actor.email


def test_licences_in_use_count_subscribers_waiting_for_their_consent_too(world):
    """A subscriber who came with a free account holds no interval until they consent: the overview still
    counts them under their package, as it counted every subscriber."""
    blue = world.blue_harbor
    waiting = Subscriber.objects.filter(customer=blue, status="pending_user_migration")
    if not waiting.exists():
        subscriber = Subscriber.objects.filter(customer=blue).first()
        Subscriber.objects.filter(pk=subscriber.pk).update(status="pending_user_migration")
        PackageAssignment.objects.filter(subscriber_uuid=subscriber.pk).delete()
        open_assignment_counts_rebuild(customer=blue)
    for org in (blue.org, world.acme):
        expected = (
            subscribers_by_package(org)
            if org.is_customer
            else sorted(
                (
                    {"package": r["package"], "n": r["n"]}
                    for r in Subscriber.objects.filter(customer__org__parent=org)
                    .values("package")
                    .annotate(n=Count("id"))
                ),
                key=lambda r: (-r["n"], r["package"]),
            )
        )
        assert licences_in_use(actor=world.acme_admin, org=org).subscribers == expected
    # Held now: the open intervals only (the one waiting holds none).
    blue_open = PackageAssignment.objects.filter(customer_uuid=blue.pk, ended_at__isnull=True)
    assert licences_in_use(actor=world.acme_admin, org=blue.org).held == {
        row["package"]: row["n"] for row in blue_open.values("package").annotate(n=Count("pk"))
    }


def test_licences_in_use_are_what_every_persona_sees_of_every_organisation(world):
    """``licences_in_use`` runs compiled once per form (a customer organisation or a partner, the actor's
    reach there): for every persona and organisation, the live counts of the subscribers and open intervals
    of the customers that persona sees — none of an organisation it does not see."""
    personas = [
        fresh(getattr(world, f.name)) for f in fields(world) if isinstance(getattr(world, f.name), User)
    ]
    orgs = [
        world.acme,
        world.northwind,
        world.globex,
        *(c.org for c in Customer.objects.select_related("org")),
    ]
    compared = 0
    for actor in personas:
        visible = customers_visible_to(actor=actor)
        for org in orgs:
            scope = visible.filter(org=org) if org.is_customer else visible.filter(org__parent=org)
            subscribers = (
                Subscriber.objects.filter(customer__in=scope).values("package").annotate(n=Count("id"))
            )
            intervals = (
                PackageAssignment.objects.filter(customer_uuid__in=scope.values("pk"), ended_at__isnull=True)
                .values("package")
                .annotate(n=Count("pk"))
            )
            found = licences_in_use(actor=actor, org=org)
            assert found.subscribers == sorted(
                ({"package": r["package"], "n": r["n"]} for r in subscribers),
                key=lambda r: (-r["n"], r["package"]),
            ), (actor.email, org.name)
            assert found.held == {r["package"]: r["n"] for r in intervals}, (actor.email, org.name)
            compared += bool(found.held)
    assert compared >= 10


def test_a_count_kept_under_no_partner_still_counts_for_the_partners_own_administrators(world):
    """A count row a process older than the partner column wrote (kept under none until the next fold files
    it) is read through its customer: the partner's totals do not drop it meanwhile, as the overview's
    customer figures count a customer filed under none."""
    acme_admin = fresh(world.acme_admin)
    before = licences_in_use(actor=acme_admin, org=world.acme).held
    OpenAssignmentCount.objects.create(
        customer=world.blue_harbor, partner_uuid=None, kind="subscriber", package="webex_calling", n=3
    )
    after = licences_in_use(actor=fresh(world.acme_admin), org=world.acme).held
    assert after.get("webex_calling", 0) == before.get("webex_calling", 0) + 3


def test_the_check_takes_counts_kept_under_no_partner_for_what_they_are(world):
    """Rows a process older than the partner column wrote (kept under none until the next fold files them)
    are counted by their partner's sums through their customer: right counts, which the check does not
    report (``check_assignment_counts`` failed on them during every deploy)."""
    blue = world.blue_harbor
    OpenAssignmentCount.objects.filter(customer=blue).update(partner_uuid=None)
    assert OpenAssignmentCount.objects.filter(customer=blue).exists()
    assert open_assignment_counts_check() == []
    call_command("check_assignment_counts", stdout=StringIO())
