"""Control Hub's Users page: the list (search, filters, sort, pages, a fixed number of queries), the manual
add of up to 25 people, the package change, the removal, the CSV export and restricted-by-partner mode."""

import csv
import io

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.restrictions.services import restricted_mode_set
from apps.subscribers.models import PackageAssignment, Subscriber
from apps.subscribers.selectors import subscribers as subscribers_selectors
from apps.subscribers.selectors.subscribers import SUBSCRIBER_SORTS, subscribers_of_org, user_list_page
from apps.subscribers.services.subscribers import subscriber_add
from tests.bench.seed import bulk_subscribers
from tests.conftest import fresh
from tests.factories import provision_customer

pytestmark = pytest.mark.django_db


def url(name: str, org, **kwargs) -> str:
    return reverse(f"control:{name}", kwargs={"org_id": org.webex_id, **kwargs})


def sub_url(name: str, subscriber: Subscriber) -> str:
    return url(name, subscriber.customer.org, subscriber_id=subscriber.webex_id)


@pytest.fixture
def meadow(world):
    """An Acme customer holding Meetings and Calling (no restricted-mode concerns: partner admins act)."""
    return provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Meadow Clinic",
        admin_email="admin@meadow.test",
        packages=["webex_meetings", "webex_calling"],
    )


def add_people(world, customer, n: int, package: str = "webex_meetings") -> list[Subscriber]:
    return [
        subscriber_add(
            actor=world.acme_admin,
            customer=customer,
            email=f"person{i:02d}@meadow.test",
            first_name=f"First{i:02d}",
            last_name=f"Last{i:02d}",
            package=package,
        )
        for i in range(n)
    ]


def rows_of(response) -> list[str]:
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-testid="user-row" data-email="')[1:]]


def formset_data(rows: list[dict], total: int | None = None) -> dict:
    data = {
        "users-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "users-INITIAL_FORMS": "0",
        "users-MIN_NUM_FORMS": "0",
        "users-MAX_NUM_FORMS": "25",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"users-{i}-{key}"] = value
    return data


# --- the list -----------------------------------------------------------------------------------------------


def test_list_shows_the_people_with_package_number_and_location(world, page_client):
    response = page_client(world.acme_admin).get(url("user_list", world.blue_harbor.org))
    assert response.status_code == 200
    html = response.content.decode()
    assert set(rows_of(response)) == {
        "admin@blueharbor.test",
        "maria@blueharbor.test",
        "tom@blueharbor.test",
    }
    assert "Webex Calling" in html and "x2002" in html and "Headquarters" in html
    assert f'href="{url("user_list", world.blue_harbor.org)}"' in html  # the navigation's Users entry


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=2001", {"maria@blueharbor.test"}),  # an extension
        ("q=TOM", {"tom@blueharbor.test"}),  # an e-mail, any case
        ("package=webex_calling", {"tom@blueharbor.test"}),
        ("status=pending_user_migration", set()),
        ("q=nobody-here", set()),
    ],
)
def test_search_and_filters(world, page_client, query, expected):
    response = page_client(world.acme_admin).get(f"{url('user_list', world.blue_harbor.org)}?{query}")
    assert response.status_code == 200
    assert set(rows_of(response)) == expected


def test_search_by_name_and_number(world, page_client, meadow):
    from apps.locations.models import Location
    from apps.locations.services.numbers import numbers_add

    hq = Location.objects.get(org=meadow.org, is_headquarters=True)
    numbers_add(actor=world.acme_admin, location=hq, phone_numbers=["+14155550142"])
    subscriber_add(
        actor=world.acme_admin,
        customer=meadow,
        email="ann@meadow.test",
        first_name="Annabel",
        last_name="Quill",
        package="webex_calling",
        phone_number="+14155550142",
    )
    client = page_client(world.acme_admin)
    for query in ("q=quill", "q=5550142"):
        response = client.get(f"{url('user_list', meadow.org)}?{query}")
        assert rows_of(response) == ["ann@meadow.test"], query


def test_sort_and_htmx_partial(world, page_client):
    client = page_client(world.acme_admin)
    response = client.get(f"{url('user_list', world.blue_harbor.org)}?sort=-email")
    assert rows_of(response) == ["tom@blueharbor.test", "maria@blueharbor.test", "admin@blueharbor.test"]
    partial = client.get(f"{url('user_list', world.blue_harbor.org)}?q=tom", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and 'id="results"' in html
    assert 'hx-swap-oob="true"' in html and "export.csv?q=tom" in html  # the export link follows the search


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-3", "package=bogus", "sort=drop", "status=x", "q=" + "a" * 500]
)
def test_bad_list_input_is_no_500(world, page_client, query):
    response = page_client(world.acme_admin).get(f"{url('user_list', world.blue_harbor.org)}?{query}")
    assert response.status_code == 200


def test_pages_of_25(world, page_client, meadow):
    add_people(world, meadow, 30)
    client = page_client(world.acme_admin)
    first = client.get(url("user_list", meadow.org))
    assert len(rows_of(first)) == 25
    assert "page=2" in first.content.decode()
    second = client.get(f"{url('user_list', meadow.org)}?page=2")
    assert len(rows_of(second)) == 31 - 25  # 30 people and the first administrator


def test_the_list_takes_the_same_queries_at_2_and_30_people(
    world, page_client, meadow, django_assert_num_queries
):
    client = page_client(world.acme_admin)
    people = add_people(world, meadow, 2, package="webex_meetings")
    client.get(url("user_list", meadow.org))  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert len(rows_of(client.get(url("user_list", meadow.org)))) == len(people) + 1
    for i in range(28):
        subscriber_add(
            actor=world.acme_admin,
            customer=meadow,
            email=f"more{i}@meadow.test",
            package="webex_calling",
            extension=str(3000 + i),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows_of(client.get(url("user_list", meadow.org)))) == 25


# --- manual add ---------------------------------------------------------------------------------------------


def test_add_page_offers_only_the_customers_packages(world, page_client, meadow):
    html = page_client(world.acme_admin).get(url("user_add", meadow.org)).content.decode()
    assert 'value="webex_meetings"' in html and 'value="webex_calling"' in html
    assert 'value="webex_suite"' not in html
    assert 'id="user-row-template"' in html and "users-__prefix__-email" in html  # "+ Add row"


def test_add_three_users(world, page_client, meadow):
    rows = [
        {"first_name": "Ada", "last_name": "One", "email": "ada@meadow.test", "package": "webex_meetings"},
        {
            "first_name": "Bo",
            "last_name": "Two",
            "email": "bo@meadow.test",
            "package": "webex_calling",
            "extension": "4001",
        },
        {"first_name": "Cy", "last_name": "Three", "email": "cy@meadow.test", "package": "webex_meetings"},
    ]
    client = page_client(world.acme_admin)
    response = client.post(url("user_add", meadow.org), formset_data(rows + [{}, {}], total=5))
    assert response.status_code == 302
    assert response["Location"] == url("user_list", meadow.org)
    added = Subscriber.objects.filter(customer=meadow, email__in=[r["email"] for r in rows])
    assert added.count() == 3
    bo = added.get(email="bo@meadow.test")
    assert list(bo.extensions.values_list("extension", flat=True)) == ["4001"]
    assert bo.location is not None
    assert "3 users added." in client.get(url("user_list", meadow.org)).content.decode()


def test_a_bad_row_keeps_its_own_error_and_writes_nothing(world, page_client, meadow):
    rows = [
        {"email": "good1@meadow.test", "package": "webex_meetings"},
        {"email": "maria@blueharbor.test", "package": "webex_calling"},  # taken, and calling without a number
        {"email": "good2@meadow.test", "package": "webex_meetings"},
    ]
    client = page_client(world.acme_admin)
    response = client.post(url("user_add", meadow.org), formset_data(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 users added." in html
    assert Subscriber.objects.filter(email__in=["good1@meadow.test", "good2@meadow.test"]).count() == 2
    assert Subscriber.objects.get(email="maria@blueharbor.test").customer_id == world.blue_harbor.pk
    # Only the failing row is left, renumbered from 0, with its errors on its own fields.
    assert html.count('data-testid="user-add-row"') == 2  # the row and the "+ Add row" template
    assert 'name="users-TOTAL_FORMS" value="1"' in html
    assert 'value="maria@blueharbor.test"' in html
    form = response.context["formset"].forms[0]
    assert "already associated" in " ".join(form.errors["email"])
    assert "includes calling" in " ".join(form.errors["phone_number"])
    assert "good1@meadow.test" not in html.split('id="user-rows"')[1]


def test_a_row_too_long_for_its_field_does_not_stop_the_others(world, page_client, meadow):
    rows = [
        {"email": "fine@meadow.test", "package": "webex_meetings"},
        {"email": "long@meadow.test", "package": "webex_meetings", "first_name": "x" * 200},
    ]
    response = page_client(world.acme_admin).post(url("user_add", meadow.org), formset_data(rows))
    assert response.status_code == 200
    assert "1 user added." in response.content.decode()
    assert Subscriber.objects.filter(email="fine@meadow.test").exists()
    assert not Subscriber.objects.filter(email="long@meadow.test").exists()
    assert len(response.context["formset"].forms[0].errors["first_name"]) == 1


def test_more_than_25_rows_are_refused(world, page_client, meadow):
    rows = [{"email": f"p{i}@meadow.test", "package": "webex_meetings"} for i in range(26)]
    response = page_client(world.acme_admin).post(url("user_add", meadow.org), formset_data(rows))
    assert response.status_code == 200
    assert "at most 25" in response.content.decode()
    assert (
        not Subscriber.objects.filter(email__endswith="@meadow.test")
        .exclude(email="admin@meadow.test")
        .exists()
    )


def test_a_flood_of_rows_is_refused_too(world, page_client, meadow):
    response = page_client(world.acme_admin).post(
        url("user_add", meadow.org), formset_data([{"email": "x@meadow.test"}], total=100000)
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="x@meadow.test").exists()


def test_blank_rows_only_ask_for_one_user(world, page_client, meadow):
    response = page_client(world.acme_admin).post(url("user_add", meadow.org), formset_data([{}, {}, {}]))
    assert response.status_code == 200
    assert "Fill in at least one user." in response.content.decode()


def test_a_broken_management_form_is_no_500(world, page_client, meadow):
    response = page_client(world.acme_admin).post(url("user_add", meadow.org), {"users-TOTAL_FORMS": "x"})
    assert response.status_code == 200


# --- the panel, package change, removal ---------------------------------------------------------------------


def test_panel_shows_package_history_and_htmx_panel(world, page_client):
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    client = page_client(world.acme_admin)
    html = client.get(sub_url("user_detail", tom)).content.decode()
    assert 'data-testid="history-row" data-package="webex_calling"' in html
    assert 'data-testid="change-package"' in html and 'data-testid="remove-user"' in html
    assert "2002" in html
    panel = client.get(sub_url("user_detail", tom), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel and 'data-testid="user-detail"' in panel


def test_change_meetings_to_calling_asks_for_a_number_then_takes_an_extension(world, page_client, meadow):
    person = add_people(world, meadow, 1)[0]
    client = page_client(world.acme_admin)
    form = client.get(f"{sub_url('user_package', person)}?package=webex_calling", HTTP_HX_REQUEST="true")
    assert 'name="extension"' in form.content.decode()  # the re-rendered form asks for calling details
    assert "<html" not in form.content.decode()

    refused = client.post(sub_url("user_package", person), {"package": "webex_calling"})
    assert refused.status_code == 200
    assert "includes calling" in " ".join(refused.context["form"].errors["phone_number"])
    person.refresh_from_db()
    assert person.package == "webex_meetings"

    done = client.post(sub_url("user_package", person), {"package": "webex_calling", "extension": "5001"})
    assert done.status_code == 302 and done["Location"] == sub_url("user_detail", person)
    person.refresh_from_db()
    assert person.package == "webex_calling"
    assert list(person.extensions.values_list("extension", flat=True)) == ["5001"]
    intervals = list(PackageAssignment.objects.filter(subscriber_uuid=person.pk).order_by("started_at"))
    assert [(a.package, a.ended_at is None) for a in intervals] == [
        ("webex_meetings", False),
        ("webex_calling", True),
    ]
    assert intervals[0].ended_at == intervals[1].started_at
    html = client.get(sub_url("user_detail", person)).content.decode()
    assert html.count('data-testid="history-row"') == 2


def test_change_to_a_package_the_customer_does_not_hold_is_refused(world, page_client, meadow):
    person = add_people(world, meadow, 1)[0]
    response = page_client(world.acme_admin).post(sub_url("user_package", person), {"package": "webex_suite"})
    assert response.status_code == 200 and response.context["form"].errors["package"]


def test_remove_a_user_and_refuse_an_administrator(world, page_client):
    client = page_client(world.acme_admin)
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    assert client.get(sub_url("user_remove", tom)).status_code == 200
    response = client.post(sub_url("user_remove", tom))
    assert response.status_code == 302
    assert not Subscriber.objects.filter(email="tom@blueharbor.test").exists()

    admin = Subscriber.objects.get(email="admin@blueharbor.test")
    page = client.get(sub_url("user_remove", admin)).content.decode()
    assert "administrator" in page and 'data-testid="confirm-remove"' not in page
    refused = client.post(sub_url("user_remove", admin))
    assert refused.status_code == 200 and "remove their administrator roles first" in refused.content.decode()
    assert Subscriber.objects.filter(email="admin@blueharbor.test").exists()


def test_resend_consent_only_for_pending_and_post_only(world, page_client):
    client = page_client(world.acme_admin)
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    assert client.get(sub_url("user_consent_send", tom)).status_code == 405
    response = client.post(sub_url("user_consent_send", tom), follow=True)
    assert "no consent is awaited" in response.content.decode()


def test_an_unknown_or_foreign_user_is_404(world, page_client):
    client = page_client(world.acme_admin)
    assert client.get(url("user_detail", world.blue_harbor.org, subscriber_id="nope")).status_code == 404
    maria = Subscriber.objects.get(email="maria@blueharbor.test")
    other = url("user_detail", world.cedar_pine.org, subscriber_id=maria.webex_id)
    assert client.get(other).status_code == 404  # Acme sees both customers, but Maria is not Cedar's


# --- export -------------------------------------------------------------------------------------------------


def test_export_has_the_import_columns_and_follows_the_filters(world, page_client):
    client = page_client(world.acme_admin)
    response = client.get(url("user_export", world.blue_harbor.org))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "First Name",
        "Last Name",
        "Email",
        "Package",
        "Location",
        "Phone Number",
        "Extension",
        "Status",
    ]
    by_email = {r[2]: r for r in rows[1:]}
    assert set(by_email) == {"admin@blueharbor.test", "maria@blueharbor.test", "tom@blueharbor.test"}
    assert by_email["tom@blueharbor.test"][3:] == ["webex_calling", "Headquarters", "", "2002", "provisioned"]
    filtered = client.get(f"{url('user_export', world.blue_harbor.org)}?package=webex_calling")
    lines = b"".join(filtered.streaming_content).decode().splitlines()
    assert len(lines) == 2 and "tom@blueharbor.test" in lines[1]


def test_export_neutralises_formulas(world, page_client, meadow):
    subscriber_add(
        actor=world.acme_admin,
        customer=meadow,
        email="eve@meadow.test",
        first_name="=HYPERLINK(1)",
        package="webex_meetings",
    )
    response = page_client(world.acme_admin).get(url("user_export", meadow.org))
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


# --- restricted-by-partner mode -----------------------------------------------------------------------------


def test_restricted_customer_admin_sees_greyed_and_hidden_controls(world, page_client):
    assert world.blue_harbor.restricted_by_partner
    client = page_client(world.blue_admin)
    html = client.get(url("user_list", world.blue_harbor.org)).content.decode()
    assert 'data-testid="manage-users"' in html
    button = html.split('data-testid="manage-users"')[0].rsplit("<button", 1)[1]
    assert "disabled" in button and 'aria-describedby="manage-users-note"' in button
    assert "Restricted by your partner" in html
    assert 'data-testid="add-users"' not in html and 'data-testid="import-users"' not in html
    assert 'data-testid="export-users"' in html

    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    panel = client.get(sub_url("user_detail", tom)).content.decode()
    assert 'data-testid="change-package"' not in panel and 'data-testid="remove-user"' not in panel
    assert 'data-testid="change-number"' not in panel
    assert "readonly" in panel and 'aria-describedby="work-number-note"' in panel
    # And the pages themselves refuse (403: in scope, not allowed).
    assert client.get(url("user_add", world.blue_harbor.org)).status_code == 403
    assert client.get(sub_url("user_package", tom)).status_code == 403
    assert client.post(sub_url("user_remove", tom)).status_code == 403
    assert (
        client.post(url("user_add", world.blue_harbor.org), formset_data([{"email": "z@b.test"}])).status_code
        == 403
    )
    assert Subscriber.objects.filter(email="tom@blueharbor.test").exists()


def test_cross_launched_partner_admin_is_never_restricted(world, page_client):
    assert world.blue_harbor.restricted_by_partner
    client = page_client(world.acme_admin)
    html = client.get(url("user_list", world.blue_harbor.org)).content.decode()
    assert 'data-testid="add-users"' in html and 'data-testid="manage-users"' not in html
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    panel = client.get(sub_url("user_detail", tom)).content.decode()
    assert 'data-testid="change-package"' in panel and 'data-testid="change-number"' in panel
    assert 'aria-describedby="work-number-note"' not in panel


def test_customer_admin_with_the_mode_off_may_add(world, page_client):
    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=False)
    client = page_client(world.blue_admin)
    html = client.get(url("user_list", world.blue_harbor.org)).content.decode()
    assert 'data-testid="add-users"' in html and 'data-testid="manage-users"' not in html
    assert client.get(url("user_add", world.blue_harbor.org)).status_code == 200


def test_read_only_admin_sees_no_controls(world, page_client):
    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=False)
    client = page_client(world.blue_readonly)
    html = client.get(url("user_list", world.blue_harbor.org)).content.decode()
    assert 'data-testid="add-users"' not in html and 'data-testid="manage-users"' not in html
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    panel = client.get(sub_url("user_detail", tom)).content.decode()
    assert 'data-testid="change-package"' not in panel and "restricted by your partner" not in panel.lower()
    assert client.get(url("user_add", world.blue_harbor.org)).status_code == 403


@pytest.mark.parametrize("persona", ["acme_admin", "blue_admin", "blue_readonly", "operator"])
def test_the_users_pages_compiled_list_is_the_selectors(world, persona, monkeypatch):
    """The Users page's list is compiled once per sort, filter and kind of search (``user_list_page``): the
    rows and order of ``subscribers_of_org``, searched (names, e-mails, numbers, extensions) or not."""
    actor, org = fresh(getattr(world, persona)), world.blue_harbor.org
    bulk_subscribers(world.blue_harbor, "compiled", 30)
    for sort in (*SUBSCRIBER_SORTS, "nonsense"):
        for filters in ({}, {"package": "webex_calling"}, {"status": "provisioned"}, {"status": "nonsense"}):
            listed = user_list_page(actor=actor, org=org, sort=sort, **filters)
            assert not isinstance(listed, QuerySet)
            expected = subscribers_of_org(actor=actor, org=org, sort=sort, **filters)
            rows = listed.page(offset=0, limit=1000)
            assert [s.pk for s in rows] == [s.pk for s in expected], (sort, filters)
    searches = [
        "compiled00001",
        " COMPILED0000 ",
        "tom",
        "to",
        "x",
        "%",
        "_",
        "no such",
        "+1",
        "2001",
        "blue",
    ]
    for search in searches:
        for filters in ({}, {"status": "provisioned", "sort": "-created"}, {"package": "webex_calling"}):
            listed = user_list_page(actor=actor, org=org, search=search, **filters)
            assert not isinstance(listed, QuerySet)  # a search's patterns are parameters: compiled too
            expected = subscribers_of_org(actor=actor, org=org, search=search, **filters)
            rows = listed.page(offset=0, limit=1000)
            assert [s.pk for s in rows] == [s.pk for s in expected], (search, filters)
    rows = user_list_page(actor=actor, org=org, search="compiled00001").page(offset=0, limit=1000)
    assert len(rows) == 10
    # A term too frequent for its keys to make the page (PostgreSQL): tested on each row instead.
    monkeypatch.setattr(subscribers_selectors, "SELECTIVE_MATCHES", 5)
    for search in ("compiled0000", "compiled00001", "compiled000011"):
        rows = user_list_page(actor=actor, org=org, search=search, sort="email").page(offset=0, limit=1000)
        expected = subscribers_of_org(actor=actor, org=org, search=search, sort="email")
        assert [s.pk for s in rows] == [s.pk for s in expected] and rows, search
