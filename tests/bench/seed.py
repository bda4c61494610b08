"""What the benchmarks seed, how they time a request and how they print it, written once.

Bench rows are bulk-inserted, shaped like what provisioning and ``subscriber_add`` write (the services would
take minutes at bench scale): customers of one partner (``bulk_customers``, the wholesale-looking ones the
customer lists page through; ``bulk_other_customers``, the plain ones that hold the other subscribers) and
subscribers of one customer (``seed_subscribers``: ``generate_series`` on PostgreSQL, ``bulk_create``
elsewhere). The query-count tests (``tests/core``, ``tests/provisioning``) and ``make load`` seed with the
same functions.
"""

import re
import statistics
import time
import uuid
from urllib.parse import parse_qs, urlparse

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import AuditEvent, Organization, OrgKind
from apps.customers.models import Customer, CustomerPackage, CustomerStatus, PackageStatus
from apps.locations.models import Extension, Location, PhoneNumber
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import PackageAssignment, Subscriber, Workspace
from apps.subscribers.services.history import open_assignment_counts_rebuild

CUSTOMER_STATUSES = [
    CustomerStatus.PROVISIONED,
    CustomerStatus.ERROR,
    CustomerStatus.PROVISIONED_WITH_ERRORS,
] + [CustomerStatus.PROVISIONED] * 7
PACKAGES = ["webex_suite", "webex_calling"]
BATCH = 5_000


def bulk_customers(partner: Organization, template: OnboardingTemplate, start: int, count: int) -> None:
    """``count`` provisioned-looking customers with two packages each, in batches, numbered from ``start``
    (``Bench Customer 00042``, external id ``BENCH-00042``; one in ten in error, one in ten with errors)."""
    now = timezone.now()
    snapshot = template.settings_snapshot()
    for offset in range(0, count, 1000):
        numbers = range(start + offset, start + min(offset + 1000, count))
        orgs = [
            Organization(
                id=uuid.uuid4(), name=f"Bench Customer {n:05d}", kind=OrgKind.CUSTOMER, parent=partner
            )
            for n in numbers
        ]
        Organization.objects.bulk_create(orgs)
        customers = [
            Customer(
                id=uuid.uuid4(),
                org=org,
                partner_uuid=partner.id,
                external_id=f"BENCH-{n:05d}",
                status=CUSTOMER_STATUSES[n % len(CUSTOMER_STATUSES)],
                status_changed=now,
                provisioned_at=now,
                template=template,
                template_settings=snapshot,
                primary_email=f"admin@bench{n}.test",
                address_line1=f"{n} Bench Street",
                city="Milpitas",
                country="US",
                org_locale="en_US",
                meeting_site_locale="en_US",
            )
            for n, org in zip(numbers, orgs, strict=True)
        ]
        Customer.objects.bulk_create(customers)
        CustomerPackage.objects.bulk_create(
            CustomerPackage(customer=c, code=code, status=PackageStatus.PROVISIONED, license_ids=["L"])
            for c in customers
            for code in ("webex_calling", "webex_meetings")
        )


def bulk_other_customers(partner: Organization, count: int) -> list[Customer]:
    """``count`` bare provisioned customers (``Bench Customer 0042``) holding both of ``PACKAGES``: the other
    customers among which the subscriber benches spread their other subscribers."""
    orgs = [
        Organization(id=uuid.uuid4(), name=f"Bench Customer {n:04d}", kind=OrgKind.CUSTOMER, parent=partner)
        for n in range(count)
    ]
    Organization.objects.bulk_create(orgs)
    customers = [
        Customer(
            id=uuid.uuid4(),
            org=org,
            partner_uuid=partner.id,
            external_id=f"BENCH-{n:04d}",
            status=CustomerStatus.PROVISIONED,
        )
        for n, org in enumerate(orgs)
    ]
    Customer.objects.bulk_create(customers)
    CustomerPackage.objects.bulk_create(
        CustomerPackage(customer=c, code=code, status=PackageStatus.PROVISIONED)
        for c in customers
        for code in PACKAGES
    )
    return customers


def bulk_subscribers(customer: Customer, prefix: str, count: int, first: int = 0) -> None:
    """``count`` provisioned subscribers of ``customer`` (half on calling, each with an extension and its
    open package assignment, the history the dashboards and billing read), in batches; numbered (e-mail,
    extension) from ``first``."""
    now = timezone.now()
    partner_id = Organization.objects.filter(pk=customer.org_id).values_list("parent_id", flat=True).get()
    for start in range(first, first + count, BATCH):
        users, subscribers, extensions, held = [], [], [], []
        for n in range(start, min(start + BATCH, first + count)):
            email = f"{prefix}{n:06d}@bench.test"
            user = User(id=uuid.uuid4(), email=email, first_name=f"First{n}", last_name=f"Last{n:06d}")
            user.org_id = customer.org_id
            users.append(user)
            subscriber = Subscriber(
                id=uuid.uuid4(),
                customer=customer,
                user=user,
                email=email,
                first_name=user.first_name,
                last_name=user.last_name,
                package=PACKAGES[n % 2],
                status="provisioned",
                status_changed=now,
            )
            subscribers.append(subscriber)
            extensions.append(Extension(org_id=customer.org_id, extension=f"{n:06d}", subscriber=subscriber))
            held.append(
                PackageAssignment(
                    subscriber=subscriber,
                    subscriber_uuid=subscriber.id,
                    subscriber_email=email,
                    customer_uuid=customer.pk,
                    org_uuid=customer.org_id,
                    partner_uuid=partner_id,
                    package=subscriber.package,
                    started_at=now,
                )
            )
        User.objects.bulk_create(users)
        Subscriber.objects.bulk_create(subscribers)
        Extension.objects.bulk_create(extensions)
        PackageAssignment.objects.bulk_create(held)


def _filled(model, given: dict[str, str]) -> tuple[str, str, list]:
    """(columns, select expressions, params) of an INSERT ... SELECT into ``model``: the ``given`` SQL
    expressions, and every other NOT NULL column its Django default (so that a column added later does not
    break the seeding)."""
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        columns.append(f'"{field.column}"')
        if field.column in given:
            expressions.append(given[field.column])
        elif field.null:
            expressions.append("NULL")
        else:
            expressions.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    return ", ".join(columns), ", ".join(expressions), params


def sql_subscribers(customer: Customer, prefix: str, count: int) -> None:
    """``bulk_subscribers`` made by PostgreSQL from ``generate_series`` (seconds instead of minutes for
    200,000 people): the same rows, numbered from 0."""
    key = f"'{prefix}' || n"
    email = f"'{prefix}' || lpad(n::text, 6, '0') || '@bench.test'"
    org = f"'{customer.org_id}'::uuid"
    tables = {
        User: {
            "id": f"md5('u' || {key})::uuid",
            "password": "'!'",
            "email": email,
            "first_name": "'First' || n",
            "last_name": "'Last' || lpad(n::text, 6, '0')",
            "org_id": org,
            "date_joined": "now()",
        },
        Subscriber: {
            "id": f"md5('s' || {key})::uuid",
            "customer_id": f"'{customer.pk}'::uuid",
            "user_id": f"md5('u' || {key})::uuid",
            "email": email,
            "first_name": "'First' || n",
            "last_name": "'Last' || lpad(n::text, 6, '0')",
            "package": f"(ARRAY{PACKAGES})[n % 2 + 1]",
            "status": "'provisioned'",
            "status_changed": "now() - n * interval '1 ms'",
            "created": "now() - n * interval '1 ms'",
            "modified": "now()",
        },
        Extension: {
            "id": f"md5('e' || {key})::uuid",
            "org_id": org,
            "extension": "lpad(n::text, 6, '0')",
            "subscriber_id": f"md5('s' || {key})::uuid",
            "created": "now()",
            "modified": "now()",
        },
        PackageAssignment: {
            "id": f"md5('p' || {key})::uuid",
            "subscriber_id": f"md5('s' || {key})::uuid",
            "subscriber_uuid": f"md5('s' || {key})::uuid",
            "subscriber_email": email,
            "customer_uuid": f"'{customer.pk}'::uuid",
            "org_uuid": org,
            "partner_uuid": f"(SELECT parent_id FROM {Organization._meta.db_table} WHERE id = {org})",
            "package": f"(ARRAY{PACKAGES})[n % 2 + 1]",
            "started_at": "now() - n * interval '1 ms'",
        },
    }
    with connection.cursor() as cursor:
        for model, given in tables.items():
            columns, expressions, params = _filled(model, given)
            sql = (
                f'INSERT INTO "{model._meta.db_table}" ({columns}) '
                f"SELECT {expressions.replace('%', '%%').replace('%%s', '%s')} "
                f"FROM generate_series(0, {int(count)} - 1) AS n"
            )
            cursor.execute(sql, params)


def seed_subscribers(customer: Customer, prefix: str, count: int) -> None:
    """``count`` subscribers of ``customer``, the fastest way this database allows (their package intervals
    written around ``services.history``, so their counts are counted again after)."""
    (sql_subscribers if connection.vendor == "postgresql" else bulk_subscribers)(customer, prefix, count)
    open_assignment_counts_rebuild(customer=customer)


def analyse(*models) -> None:
    """ANALYZE these tables, as autovacuum would have after a bulk insert. Never a bare ANALYZE: inside the
    test's transaction it would hold the shared catalogs' lock and wait for (or block) every other database's
    ANALYZE on this server until the test ends."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def measure(call, requests: int) -> tuple[int, float, float]:
    """(queries of one request, median wall milliseconds over ``requests`` requests, median CPU milliseconds
    of this process: the machine is shared, and the CPU time is what the page costs whatever the load)."""
    call()  # warm: caches, the token's once-a-minute last use
    with CaptureQueriesContext(connection) as captured:
        call()
    queries = len(captured)  # now: the next request's start clears Django's query log
    timings, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return queries, statistics.median(timings), statistics.median(cpu)


def next_link(response) -> str:
    """The ``Link rel="next"`` URL of an API list response."""
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))}
    return links["next"]


def next_page(client, url: str, query: dict) -> dict:
    """The query of a list page's Next link (its page number and cursor) from the page ``query`` asks for."""
    page = client.get(url, query, HTTP_HX_REQUEST="true").context["page"]
    return {key: values[0] for key, values in parse_qs(urlparse(page.next_url).query).items()}


def print_small_vs_large(cases, small, large, small_floor, large_floor, *, labels, width, requests) -> None:
    """The table of a list bench: each case's queries and median wall time with the small and the large
    data (``labels``, such as ``("@10", "@10k")``), its large time against its floor (the trivial page or API
    view, by the case's name) and its CPU time; then the floors themselves."""
    small_label, large_label = labels
    ws, wl = len(f"queries {small_label}"), len(f"queries {large_label}")
    print(
        f"{'request':<{width}} {'queries ' + small_label:>{ws}} {'queries ' + large_label:>{wl}}"
        f" {'median ' + small_label:>{ws}} {'median ' + large_label:>{wl}} {'/ floor':>8}"
        f" {'cpu @large':>11} {'cpu / floor':>11}"
    )
    for name in cases:
        (q_small, t_small, _cpu), (q_large, t_large, c_large) = small[name], large[name]
        floor = large_floor["api" if name.startswith("GET") else "page"]
        ratio, cpu_ratio = t_large / floor[1], c_large / floor[2]
        print(
            f"{name:<{width}} {q_small:>{ws}} {q_large:>{wl}} {t_small:>{ws - 2}.1f}ms"
            f" {t_large:>{wl - 2}.1f}ms {ratio:>7.1f}x {c_large:>9.1f}ms {cpu_ratio:>10.1f}x"
        )
    for kind in large_floor:
        (q_small, t_small, _cpu), (q_large, t_large, c_large) = small_floor[kind], large_floor[kind]
        print(
            f"{'floor: trivial ' + kind:<{width}} {q_small:>{ws}} {q_large:>{wl}}"
            f" {t_small:>{ws - 2}.1f}ms {t_large:>{wl - 2}.1f}ms {'':>8} {c_large:>9.1f}ms"
        )
    print(f"(median of {requests} requests each; database: {connection.vendor})\n")


def print_against_console(cases, large, reference: tuple[str, tuple[int, float, float]]) -> None:
    """The page cases' CPU against a plain console page measured in the same run (``reference``: its name and
    ``measure``'s answer), beside the floor's ratios: the floor (``tests.bench.floor``, the base layout with
    nothing listed) has no console around it (no guard, navigation, page head), which every console page
    pays. For the record only: the acceptance's floor is the floor."""
    name, (_queries, _wall, cpu) = reference
    ratios = ", ".join(f"{case} {large[case][2] / cpu:.1f}x" for case in cases if not case.startswith("GET"))
    print(f"CPU against {name} ({cpu:.1f} ms): {ratios}\n")


AUDIT_ACTIONS = [  # events the apps record (core.audit_words.EVENTS)
    "subscriber.create",
    "subscriber.details",
    "subscriber.remove",
    "subscriber.package_change",
    "customer.provisioned",
    "customer.updated",
    "location.create",
    "number.assign",
    "admin.invite",
    "branding.update",
]


def seed_audit_events(org_ids: list, prefix: str, count: int) -> None:
    """``count`` audit events spread evenly over the organisations ``org_ids`` (round robin), one every 13
    seconds back from now (200,000 events: a month), ten kinds of event, fifty actors
    (``admin7@<prefix>.bench``), the shape ``core.services.audit`` writes. ``generate_series`` on PostgreSQL,
    ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        now = timezone.now()
        AuditEvent.objects.bulk_create(
            AuditEvent(
                acting_org_id=org_ids[n % len(org_ids)],
                actor_email=f"admin{n % 50}@{prefix}.bench",
                action=AUDIT_ACTIONS[n % len(AUDIT_ACTIONS)],
                target_type="subscriber",
                target_id=uuid.uuid4().hex,
                target_repr=f"Bench person {n}",
                after={"package": "webex_calling"},
                channel="api" if n % 2 else "page",
                created=now - timezone.timedelta(seconds=13 * n),
            )
            for n in range(count)
        )
        return
    given = {
        "id": f"md5('a{prefix}' || n)::uuid",
        "created": "now() - n * interval '13 s'",
        "actor_email": f"'admin' || (n % 50) || '@{prefix}.bench'",
        "acting_org_id": f"('{{{','.join(str(pk) for pk in org_ids)}}}'::uuid[])[n % {len(org_ids)} + 1]",
        "action": f"(ARRAY{AUDIT_ACTIONS})[n % {len(AUDIT_ACTIONS)} + 1]",
        "target_type": "'subscriber'",
        "target_id": f"md5('t{prefix}' || n)",
        "target_repr": "'Bench person ' || n",
        "after": """'{"package": "webex_calling"}'::jsonb""",
        "channel": "CASE WHEN n % 2 = 1 THEN 'api' ELSE 'page' END",
    }
    columns, expressions, params = _filled(AuditEvent, given)
    sql = (
        f'INSERT INTO "{AuditEvent._meta.db_table}" ({columns}) '
        f"SELECT {expressions.replace('%', '%%').replace('%%s', '%s')} "
        f"FROM generate_series(0, {int(count)} - 1) AS n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert_series(model, given: dict[str, str], first: int, count: int, extra_from: str = "") -> None:
    """INSERT INTO ``model`` one row per ``n`` of ``generate_series(first, first + count - 1)`` (and per row
    of ``extra_from``, a further FROM item), each column the SQL expression ``given`` names, the others
    their Django default (``_filled``)."""
    columns, expressions, params = _filled(model, given)
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({columns}) '
        f"SELECT {expressions.replace('%', '%%').replace('%%s', '%s')} "
        f"FROM generate_series({int(first)}, {int(first) + int(count)} - 1) AS n{extra_from}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _location_values(n: int, name: str, headquarters: bool) -> dict:
    return {
        "name": name,
        "address_line1": f"{n} Bench Street",
        "city": "Milpitas",
        "state_or_province": "CA",
        "zip_or_postal_code": "95035",
        "country": "US",
        "timezone": "America/Los_Angeles",
        "language": "en_US",
        "is_headquarters": headquarters,
    }


def seed_locations(org_ids: list, prefix: str) -> None:
    """A headquarters location for each organisation of ``org_ids`` (``HQ 00042``), and a branch (``Branch
    00042``) for every other one (1.5 a customer), the shape ``location_create`` writes. ``generate_series``
    on PostgreSQL, ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        Location.objects.bulk_create(
            Location(org_id=org, **_location_values(n, f"{label} {n:05d}", label == "HQ"))
            for n, org in enumerate(org_ids)
            for label in ("HQ", "Branch")
            if label == "HQ" or n % 2
        )
        return
    given = {
        "id": f"md5('l{prefix}' || n || '.' || k)::uuid",
        "created": "now() - n * interval '1 s'",
        "modified": "now()",
        "org_id": f"('{{{','.join(str(pk) for pk in org_ids)}}}'::uuid[])[n + 1]",
        "name": "CASE WHEN k = 0 THEN 'HQ ' ELSE 'Branch ' END || lpad(n::text, 5, '0')",
        "address_line1": "n || ' Bench Street'",
        "city": "'Milpitas'",
        "state_or_province": "'CA'",
        "zip_or_postal_code": "'95035'",
        "country": "'US'",
        "timezone": "'America/Los_Angeles'",
        "language": "'en_US'",
        "is_headquarters": "k = 0",
    }
    _insert_series(Location, given, 0, len(org_ids), ", generate_series(0, 1) AS k WHERE k = 0 OR n %% 2 = 1")


def bench_location(org: Organization, name: str = "Bench Big Site") -> Location:
    """The location that ``seed_numbers`` and ``seed_workspaces`` fill."""
    return Location.objects.create(org=org, **_location_values(0, name, False))


def seed_numbers(location: Location, digits: str, count: int, first: int = 0) -> None:
    """``count`` numbers of ``location`` numbered from ``first`` (``+1<digits>0000042``: ``digits``, three of
    them, keep two seeds apart), available until ``seed_workspaces`` gives the first ones to workspaces."""
    if connection.vendor != "postgresql":
        PhoneNumber.objects.bulk_create(
            PhoneNumber(org_id=location.org_id, location=location, e164=f"+1{digits}{n:07d}")
            for n in range(first, first + count)
        )
        return
    given = {
        "id": f"md5('p{digits}' || n)::uuid",
        "created": "now()",
        "modified": "now()",
        "org_id": f"'{location.org_id}'::uuid",
        "location_id": f"'{location.pk}'::uuid",
        "e164": f"'+1{digits}' || lpad(n::text, 7, '0')",
    }
    _insert_series(PhoneNumber, given, first, count)


def seed_workspaces(customer: Customer, location: Location, digits: str, count: int, first: int = 0) -> None:
    """``count`` workspaces of ``customer`` at ``location`` numbered from ``first`` (``Bench Workspace
    00042``, created one second apart, oldest first), each holding the number ``seed_numbers(location,
    digits)`` made with its number and the extension ``8`` + its number (``800042``), as ``workspace_create``
    leaves them."""
    if connection.vendor != "postgresql":
        now = timezone.now()
        workspaces = Workspace.objects.bulk_create(
            Workspace(
                customer=customer,
                location=location,
                name=f"Bench Workspace {n:05d}",
                created=now - timezone.timedelta(seconds=count + first - n),
            )
            for n in range(first, first + count)
        )
        Extension.objects.bulk_create(
            Extension(org_id=customer.org_id, extension=f"8{n:05d}", workspace=workspace)
            for n, workspace in zip(range(first, first + count), workspaces, strict=True)
        )
        for n, workspace in zip(range(first, first + count), workspaces, strict=True):
            PhoneNumber.objects.filter(e164=f"+1{digits}{n:07d}").update(workspace=workspace)
        return
    workspace = f"md5('w{digits}' || n)::uuid"
    given = {
        "id": workspace,
        "created": f"now() - ({int(first) + int(count)} - n) * interval '1 s'",
        "modified": "now()",
        "customer_id": f"'{customer.pk}'::uuid",
        "location_id": f"'{location.pk}'::uuid",
        "name": "'Bench Workspace ' || lpad(n::text, 5, '0')",
    }
    _insert_series(Workspace, given, first, count)
    extension = {
        "id": f"md5('x{digits}' || n)::uuid",
        "created": "now()",
        "modified": "now()",
        "org_id": f"'{customer.org_id}'::uuid",
        "extension": "'8' || lpad(n::text, 5, '0')",
        "workspace_id": workspace,
    }
    _insert_series(Extension, extension, first, count)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{PhoneNumber._meta.db_table}" SET workspace_id = md5(%s || right(e164, 7)::int)::uuid '
            f"WHERE location_id = %s AND right(e164, 7)::int >= %s AND right(e164, 7)::int < %s",
            [f"w{digits}", location.pk, first, first + count],
        )
