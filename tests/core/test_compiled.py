"""``core.compiled.CompiledQuery``: a queryset compiled once per set of value names, then run with other
values, answers what the queryset itself answers (its rows, their select_related objects and annotations), and
refuses values that the compiled SQL would not carry as parameters."""

import uuid

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Organization, User
from apps.core import pagination
from apps.core.compiled import CompiledList, CompiledQuery
from apps.customers.models import Customer, CustomerPackage
from apps.onboarding.models import OnboardingTemplate
from tests.bench.seed import bulk_customers


def _customers(*, pk, email: str, code: str, **more) -> "list":
    return (
        Customer.objects.filter(pk=pk)
        .select_related("org", "org__parent")
        .annotate(
            admin_known=Exists(User.objects.filter(email=email)),
            holds=Exists(CustomerPackage.objects.filter(customer_id=OuterRef("pk"), code=code)),
            **{
                name: Exists(CustomerPackage.objects.filter(customer_id=OuterRef("pk"), code=v))
                for name, v in more.items()
            },
        )
        .order_by()
    )


def _same(mine, django) -> None:
    assert [row.pk for row in mine] == [row.pk for row in django]
    for one, other in zip(mine, django, strict=True):
        fields = {k: v for k, v in vars(one).items() if k != "_state"}
        assert fields == {k: v for k, v in vars(other).items() if k != "_state"}
        assert vars(one.org) | {"_state": None} == vars(other.org) | {"_state": None}
        assert one.org.parent == other.org.parent
        assert one._state.adding is False and one._state.db == other._state.db


def test_rows_are_the_querysets_rows_with_any_values(world):
    query = CompiledQuery(_customers)
    cases = [
        (world.blue_harbor.pk, "admin@blueharbor.test", "webex_suite"),
        (world.blue_harbor.pk, "nobody@blueharbor.test", "webex_meetings"),
        (world.cedar_pine.pk, "admin@blueharbor.test", "webex_calling"),
        (world.initech.pk, "", ""),
        (world.acme.pk, "admin@acme.test", "webex_suite"),  # no such customer: no row
    ]
    for pk, email, code in cases:
        mine = query.rows(pk=pk, email=email, code=code)
        _same(mine, list(_customers(pk=pk, email=email, code=code)))
    assert query.rows(pk=world.blue_harbor.pk, email="admin@blueharbor.test", code="webex_suite")[0].holds
    assert not query.rows(pk=world.cedar_pine.pk, email="x@y.test", code="webex_suite")[0].admin_known


def test_the_queryset_is_built_once_per_set_of_value_names(world):
    built = []

    def build(**values):
        built.append(sorted(values))
        return _customers(**values)

    query = CompiledQuery(build)
    for code in ("webex_suite", "webex_calling", "webex_meetings"):
        query.rows(pk=world.blue_harbor.pk, email="admin@blueharbor.test", code=code)
    assert built == [["code", "email", "pk"]]
    rows = query.rows(pk=world.blue_harbor.pk, email="e@x.test", code="webex_suite", also="webex_calling")
    assert rows[0].holds and rows[0].also
    assert built == [["code", "email", "pk"], ["also", "code", "email", "pk"]]


def test_one_statement_and_the_related_objects_read_with_it(world):
    query = CompiledQuery(_customers)
    query.rows(pk=world.blue_harbor.pk, email="a@b.test", code="webex_suite")  # compiled
    with CaptureQueriesContext(connection) as captured:
        (row,) = query.rows(pk=world.blue_harbor.pk, email="a@b.test", code="webex_suite")
        assert row.org.parent == world.acme
    assert len(captured.captured_queries) == 1


def test_a_text_choice_is_its_text(world):
    from apps.packages.constants import PackageCode

    query = CompiledQuery(_customers)
    (row,) = query.rows(pk=world.blue_harbor.pk, email="a@b.test", code=PackageCode.WEBEX_SUITE)
    assert row.holds


@pytest.mark.parametrize("value", [None, 1.5, True, ["a"]])
def test_a_value_that_could_change_the_sql_is_refused(world, value):
    with pytest.raises(TypeError):
        CompiledQuery(_customers).rows(pk=world.blue_harbor.pk, email=value, code="webex_suite")


def test_a_value_the_sql_does_not_carry_is_refused(world):
    query = CompiledQuery(lambda *, pk, unused: Customer.objects.filter(pk=pk))
    with pytest.raises(ValueError, match="unused"):
        query.rows(pk=world.blue_harbor.pk, unused="x")


def test_querysets_of_value_lists_or_prefetches_are_refused(world):
    with pytest.raises(TypeError):
        CompiledQuery(lambda *, pk: Customer.objects.filter(pk=pk).values_list("pk")).rows(
            pk=world.blue_harbor.pk
        )
    with pytest.raises(TypeError):
        CompiledQuery(lambda *, pk: Customer.objects.filter(pk=pk).prefetch_related("packages")).rows(
            pk=world.blue_harbor.pk
        )


def test_aggregates_and_or_conditions_compile_too(world):
    def build(*, parent, kind):
        return (
            Organization.objects.filter(Q(parent_id=parent) | Q(pk=parent), kind=kind)
            .annotate(n_children=Count("children"))
            .order_by("name")
        )

    query = CompiledQuery(build)
    for parent, kind in (
        (world.acme.pk, "customer"),
        (world.acme.pk, "partner"),
        (world.globex.pk, "customer"),
    ):
        mine = query.rows(parent=parent, kind=kind)
        django = list(build(parent=parent, kind=kind))
        assert [(o.pk, o.n_children) for o in mine] == [(o.pk, o.n_children) for o in django]


def test_parts_of_texts_are_parameters_with_their_wildcards_escaped(world):
    """A value in a pattern lookup (``icontains``, ``startswith``, ``iexact`` ...) is compiled once too: its
    pattern (``%term%``, LIKE's wildcards and the escape character escaped) is made from each run's value."""
    built = []

    def build(*, term, exact):
        built.append(1)
        return Organization.objects.filter(
            Q(name__icontains=term)
            | Q(name__startswith=term)
            | Q(name__iendswith=term)
            | Q(name__iexact=exact)
            | Q(name__contains=exact),
        ).order_by("name", "id")

    orgs = list(Organization.objects.order_by("name"))
    Organization.objects.filter(pk=orgs[0].pk).update(name="100% off_the shelf\\x")
    query = CompiledQuery(build)
    terms = ["blue", "BLUE", "harbor", "Acme", "%", "_", "0%", "f_t", "\\", "\\x", "", "no such", "a"]
    for term in terms:
        for exact in ("Blue Harbor", "blue harbor", "%", "_", "ACME"):
            mine = [org.pk for org in query.rows(term=term, exact=exact)]
            assert mine == [org.pk for org in build(term=term, exact=exact)], (term, exact)
    assert len(built) == 1 + len(terms) * 5  # compiled once; the rest built the querysets compared
    assert [org.pk for org in query.rows(term="0% off_", exact="no such")] == [orgs[0].pk]
    assert query.rows(term="0x off", exact="no such") == []  # "%" is no wildcard in a value


def test_a_form_chooses_the_query_and_is_compiled_once_for_each(world):
    built = []

    def children(kind, *, parent):
        return Organization.objects.filter(parent_id=parent, kind=kind).order_by("name")

    def build(kind, *, parent):
        built.append(kind)
        return children(kind, parent=parent)

    query = CompiledQuery(build)
    for parent in (world.acme.pk, world.globex.pk, world.acme.pk):
        for kind in ("customer", "partner"):
            assert query.rows(kind, parent=parent) == list(children(kind, parent=parent))
    assert built == ["customer", "partner"]


def test_share_locked_pks_locks_the_rows_and_answers_their_keys(world):
    query = CompiledQuery(lambda *, parent: Organization.objects.filter(parent_id=parent).order_by("name"))
    expected = set(Organization.objects.filter(parent_id=world.acme.pk).values_list("pk", flat=True))
    assert expected and set(query.share_locked_pks(parent=world.acme.pk)) == expected
    bound = query.bind(parent=world.acme.pk)
    with CaptureQueriesContext(connection) as captured:
        assert set(bound.share_locked_pks()) == expected
    (sql,) = [q["sql"] for q in captured.captured_queries]
    if connection.vendor == "postgresql":
        assert sql.endswith('FOR SHARE OF "core_organization"')


@pytest.mark.django_db(transaction=True)
def test_share_locked_pks_needs_a_transaction():
    from django.db import transaction

    query = CompiledQuery(lambda *, pk: Customer.objects.filter(pk=pk))
    with pytest.raises(transaction.TransactionManagementError):
        query.share_locked_pks(pk=uuid.uuid4())
    with transaction.atomic():
        assert query.share_locked_pks(pk=uuid.uuid4()) == []


def test_a_queryset_that_can_match_nothing_runs_no_query(world):
    query = CompiledQuery(lambda *, pk: Customer.objects.filter(pk=pk, org_id__in=[]))
    with CaptureQueriesContext(connection) as captured:
        assert query.rows(pk=world.blue_harbor.pk) == []
        assert query.share_locked_pks(pk=world.blue_harbor.pk) == []
    assert captured.captured_queries == []


def test_values_rows_are_the_querysets_dicts_and_slices_are_parameters(world):
    """A ``values()`` queryset answers its dicts; a slice's bounds are parameters of one compiled SQL."""
    built = []

    def build(*, parent, offset, limit):
        built.append(1)
        rows = Organization.objects.filter(parent_id=parent).order_by("name", "id").values("id", "name")
        return rows[offset : offset + limit]

    query = CompiledQuery(build)
    for parent in (world.acme.pk, world.globex.pk):
        for offset, limit in ((1, 1), (1, 2), (2, 5), (7, 3)):
            mine = query.rows(parent=parent, offset=offset, limit=limit)
            django = list(build(parent=parent, offset=offset, limit=limit))
            assert mine == django
    assert len(built) == 1 + 8  # compiled once; the rest are the reference querysets


def test_instants_are_parameters(world):
    def build(*, after):
        return Organization.objects.filter(created__gt=after).order_by("created", "id").values("id")

    query = CompiledQuery(build)
    instants = sorted(Organization.objects.values_list("created", flat=True))
    for after in (instants[0], instants[len(instants) // 2], instants[-1]):
        assert query.rows(after=after) == list(build(after=after))
    with pytest.raises(TypeError):
        query.rows(after=instants[0].replace(tzinfo=None))


def test_around_wraps_the_sql_and_its_columns_join_the_rows(world):
    def around(sql: str, vendor: str) -> str:
        return f"SELECT page.*, 1 AS extra FROM ({sql}) page"  # noqa: S608 (a test's constant)

    query = CompiledQuery(
        lambda *, pk: Organization.objects.filter(pk=pk).values("id", "name"), around=around
    )
    (row,) = query.rows(pk=world.acme.pk)
    assert row == {"id": world.acme.pk, "name": world.acme.name, "extra": 1}


def _prepared_like(pattern: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [pattern])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL's")
def test_postgresql_prepares_a_lookup_compiled_so_and_the_log_shows_its_values(world):
    """``prepared=True`` (a row by its key): the SQL goes as written with its values bound by the server
    (``core.prepared``); after a few runs on the connection it is prepared (PostgreSQL stops planning it), and
    Django's query log still shows each run with its values in their places. Without it (a list, whose plan
    depends on its values: PostgreSQL would plan a prepared one once for any), never."""
    lookup = CompiledQuery(lambda *, pk: Customer.objects.filter(pk=pk).select_related("org"), prepared=True)
    listed = CompiledQuery(lambda *, name: Customer.objects.filter(org__name__gte=name).order_by("created"))
    customers = [world.blue_harbor, world.cedar_pine]
    with CaptureQueriesContext(connection) as captured:
        for n in range(8):
            (row,) = lookup.rows(pk=customers[n % 2].pk)
            assert row.pk == customers[n % 2].pk and row.org.name == customers[n % 2].org.name
            assert listed.rows(name="A")
    assert str(world.cedar_pine.pk.hex) in captured[-2]["sql"] and "$1" not in captured[-2]["sql"]
    assert _prepared_like('%"customers_customer"."id" = $1%') >= 1
    assert _prepared_like('%"core_organization"."name" >=%') == 0


def _two_partners_customers(*, first, second):
    """The customers of two partners in name order: a union of two legs, each in that order."""
    first_leg, second_leg = (
        Customer.objects.filter(org__parent=partner).select_related("org").order_by("org__name", "id")
        for partner in (first, second)
    )
    return first_leg.union(second_leg, all=True).order_by("org__name", "id")


@pytest.mark.skipif(
    not connection.features.supports_slicing_ordering_in_compound, reason="a LIMIT in each leg of a union"
)
def test_a_union_lists_legs_each_stop_at_the_pages_last_row(world, monkeypatch):
    """``CompiledList`` of a ``UNION ALL`` whose legs are ordered as the list: each leg of a page's query is
    limited to the page's offset + limit (a parameter), the pages are the union's own (ties across the legs
    too, by the key), deep ones as well; a union with a leg in another order (or none) is refused."""
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 6)
    bulk_customers(world.acme, OnboardingTemplate.objects.get(partner=world.acme), 0, 9)
    bulk_customers(world.globex, OnboardingTemplate.objects.get(partner=world.globex), 4, 5)  # the same names
    values = {"first": world.acme.pk, "second": world.globex.pk}
    whole = [row.pk for row in _two_partners_customers(**values)]
    listed = CompiledList(_two_partners_customers).bind(**values)
    for offset, limit in ((1, 3), (2, 5), (7, 4), (12, 100)):
        with CaptureQueriesContext(connection) as captured:
            rows = listed.page(offset=offset, limit=limit)
        assert [row.pk for row in rows] == whole[offset : offset + limit]
        assert rows and rows[0].org.name == Customer.objects.get(pk=rows[0].pk).org.name
        assert captured[-1]["sql"].count(f"LIMIT {offset + limit}") == 2
    assert listed.cursor_after(rows[0]) is None  # no keyset over a union: the page's number

    def unordered(*, first, second):
        union = _two_partners_customers(first=first, second=second)
        union.query.combined_queries = (
            union.query.combined_queries[0].clone(),
            union.query.combined_queries[1],
        )
        union.query.combined_queries[0].clear_ordering(force=True)
        return union

    with pytest.raises(TypeError, match="ordered as the list"):
        CompiledList(unordered).bind(**values).page(offset=0, limit=2)
