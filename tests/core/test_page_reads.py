"""What a console page reads once (issue 11): the acting organisation's customer record once per request,
the admin's own organisation not twice, choice labels translated once per process, and a list page's
per-row values worked out before the template (the rows read the same as before)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.core.memo import memo_open, read_memo, remembered
from apps.customers.models import Customer, CustomerStatus, PackageStatus
from apps.customers.selectors import (
    customers_with_people_visible_to,
    people_hidden_from_partner_staff,
    people_hidden_from_partner_staff_of,
)
from apps.locations.models import Extension, Location, PhoneNumber
from apps.locations.services.numbers import numbers_add
from apps.packages.catalogue import package_label
from apps.subscribers.models import Subscriber, SubscriberStatus
from apps.subscribers.services.subscribers import subscriber_add
from tests.bench.seed import bulk_customers
from tests.conftest import fresh

pytestmark = pytest.mark.django_db


def _queries(client, url: str, params: dict | None = None, **headers) -> list[str]:
    client.get(url, params or {}, headers=headers)  # warm the once-a-while reads (session, token use)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {}, headers=headers)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in captured.captured_queries]


def _from(table: str, queries: list[str]) -> list[str]:
    return [sql for sql in queries if f'FROM "{table}"' in sql]


@pytest.mark.parametrize("who", ["acme_admin", "blue_admin", "blue_readonly"])
@pytest.mark.parametrize("params", [{}, {"q": "tom"}, {"package": "webex_calling", "page": "2"}])
def test_the_users_page_reads_the_customer_record_once(world, client, who, params):
    """The guard (restrictions' reach), the view, the subscribers' scope and the template's restricted-mode
    tags each needed the customer: four reads of one row before."""
    client.force_login(fresh(getattr(world, who)))
    url = reverse("control:user_list", kwargs={"org_id": world.blue_harbor.org.webex_id})
    assert len(_from("customers_customer", _queries(client, url, params, **{"HX-Request": "true"}))) == 1
    assert len(_from("customers_customer", _queries(client, url, params))) == 1


def test_a_partner_hub_page_does_not_read_the_admins_own_organisation_twice(world, client):
    client.force_login(fresh(world.acme_admin))
    url = reverse("partner:customer_list", kwargs={"org_id": world.acme.webex_id})
    by_id = [sql for sql in _from("core_organization", _queries(client, url)) if "LIMIT 21" in sql]
    assert len(by_id) == 1  # the signed-in person's organisation, which is also the page's


def test_an_organisation_out_of_scope_is_still_a_404(world, client):
    client.force_login(fresh(world.globex_admin))
    for name in ("control:user_list", "control:overview"):
        assert client.get(reverse(name, kwargs={"org_id": world.blue_harbor.org.webex_id})).status_code == 404
    client.force_login(fresh(world.blue_admin))  # a customer admin asking for its partner's hub
    assert (
        client.get(reverse("partner:customer_list", kwargs={"org_id": world.acme.webex_id})).status_code
        == 404
    )


def test_people_hidden_from_partner_staff_agrees_with_its_query(world):
    blue = world.blue_harbor
    cases = [
        {"existing_org": False, "attach_state": "", "partner_access": "full_admin"},
        {"existing_org": True, "attach_state": "pending_approval", "partner_access": "full_admin"},
        {"existing_org": True, "attach_state": "approved", "partner_access": "full_admin"},
        {"existing_org": True, "attach_state": "automatic", "partner_access": "provisioning_admin"},
        {"existing_org": False, "attach_state": "", "partner_access": "provisioning_admin"},
    ]
    for values in cases:
        Customer.objects.filter(pk=blue.pk).update(**values)
        customer = Customer.objects.get(pk=blue.pk)
        in_sql = Customer.objects.filter(pk=blue.pk).filter(people_hidden_from_partner_staff()).exists()
        assert people_hidden_from_partner_staff_of(customer) is in_sql, values
        seen = customers_with_people_visible_to(actor=fresh(world.acme_admin)).filter(pk=blue.pk).exists()
        assert seen is not in_sql


def test_the_read_memo_holds_only_inside_a_block():
    calls = []

    def read():
        calls.append(1)
        return len(calls)

    assert not memo_open()
    assert remembered("k", read) == 1 and remembered("k", read) == 2  # no memo: read each time
    with read_memo():
        assert memo_open()
        assert remembered("k", read) == 3 and remembered("k", read) == 3
    assert not memo_open() and remembered("k", read) == 4


@pytest.mark.parametrize("language", ["en", "fr"])
def test_choice_labels_read_as_djangos_own(language):
    with translation.override(language):
        for value, label in CustomerStatus.choices:
            assert Customer(status=value).get_status_display() == str(label)
        for value, label in SubscriberStatus.choices:
            assert Subscriber(status=value).get_status_display() == str(label)
        assert Customer(status="no_such_status").get_status_display() == "no_such_status"


def test_choice_labels_follow_the_language_of_the_moment():
    customer = Customer(status=CustomerStatus.PROVISIONED)
    with translation.override("en"):
        english = customer.get_status_display()
    with translation.override("fr"):
        french = customer.get_status_display()
    assert english == "Provisioned" and french != english


def test_the_users_page_shows_numbers_then_extensions(world, page_client):
    blue = world.blue_harbor
    hq = Location.objects.get(org=blue.org, is_headquarters=True)
    numbers_add(actor=world.acme_admin, location=hq, phone_numbers=["+14155550199", "+14155550142"])
    person = subscriber_add(
        actor=world.acme_admin,
        customer=blue,
        email="ann@blueharbor.test",
        first_name="Annabel",
        last_name="Quill",
        package="webex_calling",
        phone_number="+14155550199",
        extension="3090",
    )
    PhoneNumber.objects.filter(e164="+14155550142").update(subscriber=person)
    Extension.objects.create(org=blue.org, extension="3005", subscriber=person)
    response = page_client(world.acme_admin).get(
        reverse("control:user_list", kwargs={"org_id": blue.org.webex_id}), {"q": "quill"}
    )
    html = response.content.decode()
    assert '<td class="mono small">+14155550142, +14155550199 · x3005, x3090</td>' in html
    assert "<td>Webex Calling</td>" in html
    assert '<span class="badge badge-provisioned">Provisioned</span>' in html


def test_the_customers_page_counts_subscribers_and_shows_packages(world, client):
    acme = world.acme
    client.force_login(fresh(world.acme_admin))
    url = reverse("partner:customer_list", kwargs={"org_id": acme.webex_id})
    response = client.get(url, {"q": "Blue Harbor"})
    rows = response.context["page"].rows
    assert [row.org.name for row in rows] == ["Blue Harbor Dental"]
    blue = rows[0]
    assert blue.subscribers_shown == str(Subscriber.objects.filter(customer=world.blue_harbor).count())
    held = world.blue_harbor.packages.order_by("code")
    assert blue.package_badges == [(package_label(p.code), str(PackageStatus(p.status).label)) for p in held]


def test_a_deep_customers_page_counts_only_its_own_rows(world, client):
    """The subscribers are counted for the page's customers, not under the OFFSET for every row skipped."""
    from apps.onboarding.models import OnboardingTemplate

    acme = world.acme
    bulk_customers(acme, OnboardingTemplate.objects.get(partner=acme), 0, 60)
    client.force_login(fresh(world.acme_admin))
    url = reverse("partner:customer_list", kwargs={"org_id": acme.webex_id})
    queries = _queries(client, url, {"page": "3"}, **{"HX-Request": "true"})
    listing = next(sql for sql in queries if "OFFSET" in sql)
    assert "subscribers_subscriber" not in listing
    counting = _from("subscribers_subscriber", queries)
    # The page's ids: a list of parameters, or on PostgreSQL one array of them (provisioning.selectors).
    assert len(counting) == 1 and ("IN (" in counting[0] or "UNNEST(" in counting[0])
    assert all(
        row.pk.hex in counting[0].replace("-", "")
        for row in client.get(url, {"page": "3"}).context["page"].rows
    )
