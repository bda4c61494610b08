"""``/v1/wholesale/subscribers``: wire-compatible with Webex. Every response is validated against the official
OpenAPI document (``contract``); refusals are the Webex error body with the subscriber services' codes."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.models import ApiScope, User
from apps.core.errors import ErrorCode
from apps.core.models import AuditEvent
from apps.customers.models import CustomerPackage, PackageStatus
from apps.subscribers.models import PackageAssignment, Subscriber
from tests.factories import SubscriberFactory, provision_customer

LIST = "/v1/wholesale/subscribers"
VALIDATE = "/v1/wholesale/subscribers/validate"


def detail(subscriber: Subscriber) -> str:
    return f"{LIST}/{subscriber.webex_id}"


def consent_move(subscriber: Subscriber) -> str:
    return f"/v1/subscribers/{subscriber.webex_id}/emails/consentMove"


def error_codes(exchange) -> list[int]:
    return [e.get("errorCode") for e in exchange.body["errors"]]


def open_intervals(subscriber_pk) -> list[PackageAssignment]:
    return list(PackageAssignment.objects.filter(subscriber_uuid=subscriber_pk, ended_at__isnull=True))


@pytest.fixture
def acme(world, api_client):
    return api_client(world.acme_admin)


@pytest.fixture
def blue(world):
    return world.blue_harbor


@pytest.fixture
def order(blue):
    def make(**overrides) -> dict:
        data = {
            "customerId": blue.webex_id,
            "email": "john.anderson@blueharbor.test",
            "packages": ["webex_calling"],
            "provisioningParameters": {"firstName": "John", "lastName": "Andersen", "extension": "3001"},
        }
        data.update(overrides)
        return data

    return make


def sub(email: str) -> Subscriber:
    return Subscriber.objects.select_related("customer", "user").get(email=email)


# --- create ------------------------------------------------------------------------------------------------


def test_provisioning_answers_200_with_the_subscriber_and_its_location(world, acme, blue, order, contract):
    created = contract(acme, "post", LIST, body=order())
    assert created.response.status_code == 200, created.body
    john = sub("john.anderson@blueharbor.test")
    assert created.response["Location"] == f"http://testserver{detail(john)}"
    body = created.body
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body.pop("created"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body.pop("lastStatusChange"))
    assert body == {
        "id": john.webex_id,
        "personId": john.user.webex_id,
        "email": "john.anderson@blueharbor.test",
        "customerId": blue.webex_id,
        "externalCustomerId": "BLUE",
        "package": "webex_calling",
        "packages": ["webex_calling"],
        "status": "provisioned",
        "errors": [],
    }
    assert (john.first_name, john.last_name, john.extensions.get().extension) == ("John", "Andersen", "3001")
    (interval,) = open_intervals(john.pk)
    assert interval.package == "webex_calling"
    event = AuditEvent.objects.get(action="subscriber.create", target_id=str(john.pk))
    assert event.channel == "api" and event.actor == world.acme_admin
    shown = contract(acme, "get", detail(john))
    assert shown.body["id"] == john.webex_id and shown.body["status"] == "provisioned"


def test_the_legacy_single_package_is_taken_too(acme, order, contract):
    data = order(package="webex_suite")
    del data["packages"]
    created = contract(acme, "post", LIST, body=data)
    assert created.response.status_code == 200
    assert (created.body["package"], created.body["packages"]) == ("webex_suite", ["webex_suite"])


@pytest.mark.parametrize(
    "packages",
    [
        {"package": "webex_calling", "packages": ["webex_calling"]},
        {"packages": ["webex_calling", "webex_suite"]},
        {"packages": []},
        {},
        {"packages": ["webex_teleport"]},
    ],
)
def test_one_package_per_subscriber(acme, order, contract, packages):
    data = order()
    del data["packages"]
    data.update(packages)
    for path in (LIST, VALIDATE):
        refused = contract(acme, "post", path, body=data)
        assert refused.response.status_code == 400, refused.body
        assert error_codes(refused) == [ErrorCode.SUBSCRIBER_PACKAGE_INVALID], refused.body
        assert refused.body["errors"][0]["description"].startswith("package: ")
    assert not Subscriber.objects.filter(email="john.anderson@blueharbor.test").exists()


def test_the_rules_of_the_services_through_the_api(world, acme, blue, order, contract):
    events = AuditEvent.objects.count()

    def refused(data, status: int, code: int, field: str):
        for path in (LIST, VALIDATE):
            answer = contract(acme, "post", path, body=data)
            assert answer.response.status_code == status, (path, answer.body)
            assert code in error_codes(answer), (path, answer.body)
            assert any(e["description"].startswith(field) for e in answer.body["errors"]), answer.body

    # The customer must hold the package.
    refused(order(packages=["webex_meetings"]), 400, ErrorCode.PACKAGE_NOT_HELD, "package")
    # Calling needs a number, an extension or both.
    refused(
        order(provisioningParameters={}), 400, ErrorCode.CALLING_NUMBER_REQUIRED, "provisioningParameters"
    )
    # Someone else's e-mail: Webex's own code.
    refused(order(email="tom@blueharbor.test"), 409, ErrorCode.EMAIL_IN_USE, "email")
    refused(order(email="admin@initech.test"), 409, ErrorCode.EMAIL_IN_USE, "email")
    refused(order(email="not an address"), 400, ErrorCode.EMAIL_INVALID, "email")
    # An extension somebody holds, an unknown location.
    refused(
        order(provisioningParameters={"extension": "2002"}),
        409,
        ErrorCode.EXTENSION_IN_USE,
        "provisioningParameters.extension",
    )
    refused(
        order(provisioningParameters={"extension": "3001", "locationId": "Nowhere"}),
        400,
        ErrorCode.LOCATION_UNKNOWN,
        "provisioningParameters.locationId",
    )
    # The customer's limit (Tom holds the only webex_calling allowed).
    blue.package_limits = {"webex_calling": 1}
    blue.save(update_fields=["package_limits"])
    refused(order(), 409, ErrorCode.PACKAGE_LIMIT_REACHED, "package")
    assert AuditEvent.objects.count() == events
    assert not Subscriber.objects.filter(email="john.anderson@blueharbor.test").exists()


def test_an_add_on_needs_its_base_package_on_the_customer(world, acme, contract):
    cedar = world.cedar_pine
    # Cedar holds Attendant Console while its calling package failed: the add-on has no base.
    CustomerPackage.objects.create(customer=cedar, code="attendant_console", status=PackageStatus.PROVISIONED)
    CustomerPackage.objects.filter(customer=cedar, code="webex_calling").update(status=PackageStatus.ERROR)
    data = {"customerId": cedar.webex_id, "email": "desk@cedarpine.test", "packages": ["attendant_console"]}
    for path in (LIST, VALIDATE):
        refused = contract(acme, "post", path, body=data)
        assert refused.response.status_code == 400
        assert error_codes(refused) == [ErrorCode.ADDON_WITHOUT_BASE]


@pytest.mark.parametrize(
    "customer_id", ["garbage", "Y2lzY29zcGFyazovL3VzL0NVU1RPTUVSLzEyMw", "x" * 300, "initech"]
)
def test_an_unknown_or_invisible_customer_is_a_404(world, acme, order, contract, customer_id):
    if customer_id == "initech":
        customer_id = world.initech.webex_id
    for path in (LIST, VALIDATE):
        assert contract(acme, "post", path, body=order(customerId=customer_id)).response.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"email": 5},
        {"packages": "webex_calling"},
        {"packages": [5]},
        {"provisioningParameters": "ext 3001"},
        {"provisioningParameters": {"extension": 3001}},
        {"customerId": ""},
        [],
        "text",
    ],
)
def test_malformed_bodies_are_a_400(acme, order, contract, data):
    payload = {**order(), **data} if isinstance(data, dict) else data
    assert contract(acme, "post", LIST, body=payload).response.status_code == 400
    assert not Subscriber.objects.filter(email="john.anderson@blueharbor.test").exists()


# --- a free account: 202, consent -------------------------------------------------------------------------


def test_a_free_account_is_202_pending_until_the_consent_link_is_followed(
    world, acme, order, contract, client, django_capture_on_commit_callbacks
):
    free = User.objects.create_user(email="sam@gmail.test", first_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        created = contract(acme, "post", LIST, body=order(email="sam@gmail.test"))
    assert created.response.status_code == 202
    sam = sub("sam@gmail.test")
    assert created.response["Location"] == f"http://testserver{detail(sam)}"
    assert created.body["status"] == "pending_user_migration" and "personId" not in created.body
    assert open_intervals(sam.pk) == []
    (message,) = mail.outbox
    assert message.to == ["sam@gmail.test"]

    # consentMove sends it again, under both paths; only while pending.
    with django_capture_on_commit_callbacks(execute=True):
        again = contract(acme, "post", consent_move(sam))
        assert again.response.status_code == 204 and again.response.content == b""
        assert acme.post(f"{detail(sam)}/emails/consentMove").status_code == 204
    assert len(mail.outbox) == 3

    link = next(line for line in message.body.splitlines() if "/consent/" in line)
    path = link[link.index("/consent/") :]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    sam.refresh_from_db()
    free.refresh_from_db()
    assert sam.status == "provisioned" and free.org == world.blue_harbor.org
    (interval,) = open_intervals(sam.pk)
    assert interval.package == "webex_calling"
    shown = contract(acme, "get", detail(sam))
    assert shown.body["status"] == "provisioned" and shown.body["personId"] == free.webex_id

    done = contract(acme, "post", consent_move(sam))
    assert done.response.status_code == 409 and error_codes(done) == [ErrorCode.CONSENT_NOT_PENDING]


# --- update ------------------------------------------------------------------------------------------------


def test_put_changes_the_package_and_the_billing_interval(acme, contract):
    tom = sub("tom@blueharbor.test")
    (before,) = open_intervals(tom.pk)
    changed = contract(acme, "put", detail(tom), body={"packages": ["webex_suite"]})
    assert changed.response.status_code == 200, changed.body
    assert changed.body["packages"] == ["webex_suite"] and changed.body["package"] == "webex_suite"
    assert changed.response["Location"] == f"http://testserver{detail(tom)}"
    before.refresh_from_db()
    assert before.ended_at is not None and before.package == "webex_calling"
    (after,) = open_intervals(tom.pk)
    assert after.package == "webex_suite"
    # A new extension for the same package (legacy field).
    moved = contract(
        acme,
        "put",
        detail(tom),
        body={"package": "webex_suite", "provisioningParameters": {"extension": "2102"}},
    )
    assert moved.response.status_code == 200
    assert list(tom.extensions.values_list("extension", flat=True)) == ["2102"]


def test_put_refusals(world, acme, contract):
    tom = sub("tom@blueharbor.test")
    both = contract(acme, "put", detail(tom), body={"package": "webex_suite", "packages": ["webex_suite"]})
    assert both.response.status_code == 400 and error_codes(both) == [ErrorCode.SUBSCRIBER_PACKAGE_INVALID]
    none = contract(acme, "put", detail(tom), body={})
    assert none.response.status_code == 400 and error_codes(none) == [ErrorCode.SUBSCRIBER_PACKAGE_INVALID]
    not_held = contract(acme, "put", detail(tom), body={"packages": ["webex_meetings"]})
    assert error_codes(not_held) == [ErrorCode.PACKAGE_NOT_HELD]
    assert sub("tom@blueharbor.test").package == "webex_calling"


def test_a_full_administrator_is_never_downgraded(world, api_client, contract):
    suite = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Suite Co",
        admin_email="admin@suite.test",
        external_id="SUIT",
        packages=["webex_suite", "webex_meetings"],
    )
    admin = sub("admin@suite.test")
    assert admin.customer == suite and admin.package == "webex_suite"
    refused = contract(
        api_client(world.acme_admin), "put", detail(admin), body={"packages": ["webex_meetings"]}
    )
    assert refused.response.status_code == 409 and error_codes(refused) == [ErrorCode.ADMIN_DOWNGRADE]


# --- delete ------------------------------------------------------------------------------------------------


def test_delete_removes_the_subscriber_and_closes_the_interval(acme, contract):
    tom = sub("tom@blueharbor.test")
    removed = contract(acme, "delete", detail(tom))
    assert removed.response.status_code == 204 and removed.response.content == b""
    assert open_intervals(tom.pk) == []
    assert PackageAssignment.objects.filter(subscriber_uuid=tom.pk).exists()
    assert contract(acme, "get", detail(tom)).response.status_code == 404
    assert contract(acme, "delete", detail(tom)).response.status_code == 404


def test_an_administrator_cannot_be_removed(acme, contract):
    admin = sub("admin@blueharbor.test")
    refused = contract(acme, "delete", detail(admin))
    assert refused.response.status_code == 409 and error_codes(refused) == [ErrorCode.SUBSCRIBER_IS_ADMIN]
    assert Subscriber.objects.filter(pk=admin.pk).exists()


# --- validate ----------------------------------------------------------------------------------------------


def test_the_precheck_answers_success_and_writes_nothing(acme, order, contract):
    subscribers, events = Subscriber.objects.count(), AuditEvent.objects.count()
    ok = contract(acme, "post", VALIDATE, body=order())
    assert ok.response.status_code == 200
    assert ok.body == {
        "message": "success",
        "info": [{"infoCode": 100, "description": "Provisioning preCheck validation successful."}],
    }
    assert (Subscriber.objects.count(), AuditEvent.objects.count()) == (subscribers, events)


def test_the_precheck_of_a_customer_yet_to_be_provisioned_is_a_clear_400(world, acme, contract):
    from apps.onboarding.models import OnboardingTemplate

    template = OnboardingTemplate.objects.get(partner=world.acme)
    body = {"provisioningId": template.provisioning_id, "email": "a@b.test", "packages": ["webex_calling"]}
    refused = contract(acme, "post", VALIDATE, body=body)
    assert refused.response.status_code == 400
    assert "provisioningId" in refused.body["message"] and "customerId" in refused.body["message"]
    assert contract(acme, "post", VALIDATE, body={"email": "a@b.test"}).response.status_code == 400


# --- list --------------------------------------------------------------------------------------------------


def emails(exchange) -> list[str]:
    assert exchange.response.status_code == 200, exchange.body
    return [s["email"] for s in exchange.body["items"]]


def test_the_list_shows_the_partners_subscribers_oldest_first(world, acme, contract):
    listed = contract(acme, "get", LIST)
    assert emails(listed) == [
        "admin@blueharbor.test",
        "admin@cedarpine.test",
        "maria@blueharbor.test",
        "tom@blueharbor.test",
    ]  # customers' first admins (provisioned first), then Maria and Tom; not Riverside's nor Initech's
    assert "Link" not in listed.response
    assert emails(contract(acme, "get", LIST, query={"sortOrder": "DESC"}))[0] == "tom@blueharbor.test"


def test_the_list_filters(world, acme, blue, contract):
    tom = sub("tom@blueharbor.test")
    free = User.objects.create_user(email="sam@gmail.test")
    SubscriberFactory(
        actor=world.acme_admin, customer=blue, email=free.email, package="webex_suite", extension="3009"
    )

    def only(query) -> list[str]:
        return emails(contract(acme, "get", LIST, query=query))

    assert only({"customerId": world.cedar_pine.webex_id}) == ["admin@cedarpine.test"]
    assert only({"customerId": world.initech.webex_id}) == []
    assert only({"customerId": "garbage"}) == []
    assert only({"personId": tom.user.webex_id}) == ["tom@blueharbor.test"]
    assert only({"personId": free.webex_id}) == []  # pending: no personId yet
    assert only({"externalCustomerId": "CEDA"}) == ["admin@cedarpine.test"]
    assert only({"email": "TOM@blueharbor.test"}) == ["tom@blueharbor.test"]
    assert only({"status": "pending_user_migration"}) == ["sam@gmail.test"]
    assert len(only({"status": "provisioned,pending_user_migration"})) == 5
    assert len(only([("status", "provisioned"), ("status", "pending_user_migration")])) == 5

    # Times: Tom created a day ago, his status changed an hour ago.
    now = datetime.now(UTC)
    Subscriber.objects.filter(pk=tom.pk).update(
        created=now - timedelta(days=1), status_changed=now - timedelta(hours=1)
    )
    Subscriber.objects.exclude(pk=tom.pk).update(created=now - timedelta(days=2), status_changed=now)
    half_an_hour_ago = now - timedelta(minutes=30)
    epoch_ms = str(int((now - timedelta(days=1, hours=1)).timestamp() * 1000))
    assert only({"after": epoch_ms}) == ["tom@blueharbor.test"]
    assert only({"after": (now - timedelta(days=1, hours=1)).isoformat()}) == ["tom@blueharbor.test"]
    assert "tom@blueharbor.test" not in only(
        {"lastStatusChange": half_an_hour_ago.strftime("%Y-%m-%dT%H:%M:%SZ")}
    )
    by_change = only({"sortBy": "lastStatusChange"})
    assert by_change[0] == "tom@blueharbor.test"
    assert only({"sortBy": "lastStatusChange", "sortOrder": "DESC"})[-1] == "tom@blueharbor.test"
    assert only({"after": now.date().isoformat()}) == []  # a date: its midnight (UTC)

    for bad in (
        {"status": "bogus"},
        {"status": "provisioned,"},
        {"after": "yesterday"},
        {"after": "2024-13-45"},
        {"after": "9" * 15},
        {"lastStatusChange": "-5"},
        {"after": "0001-01-01T00:00:00+01:00"},  # before year 1 in UTC
        {"lastStatusChange": "9999-12-31T23:59:59-01:00"},  # after year 9999 in UTC
        {"sortBy": "email"},
        {"sortOrder": "asc"},
        {"max": "0"},
        {"max": "101"},
        {"max": "x"},
        {"offset": "-1"},
        {"externalCustomerId": "x" * 256},
    ):
        refused = contract(acme, "get", LIST, query=bad)
        assert refused.response.status_code == 400, bad


def test_the_list_pages_with_complete_link_headers(world, acme, blue, contract):
    for n in range(3):
        SubscriberFactory(
            actor=world.acme_admin,
            customer=blue,
            email=f"p{n}@blueharbor.test",
            package="webex_suite",
            extension=f"310{n}",
        )
    query = [("customerId", blue.webex_id), ("status", "provisioned"), ("max", "2")]
    first = contract(acme, "get", LIST, query=query)
    assert len(first.body["items"]) == 2
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.response["Link"]))
    assert set(links) == {"next"}
    assert links["next"].startswith(
        f"http://testserver/v1/wholesale/subscribers?customerId={blue.webex_id}&status=provisioned"
        "&offset=2&max=2&cursor="
    )
    seen = emails(first)
    url = links["next"]
    while url:
        page = acme.get(url)
        seen += [s["email"] for s in page.json()["items"]]
        links = dict((rel, u) for u, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', page.get("Link", "")))
        assert "prev" in links and "max=2" in links["prev"] and f"customerId={blue.webex_id}" in links["prev"]
        url = links.get("next")
    assert len(seen) == len(set(seen)) == 6  # admin, Maria, Tom and three more: each once
    assert len(contract(acme, "get", LIST).body["items"]) == 7  # default max 50


def test_the_list_costs_the_same_queries_at_any_size(world, acme, blue, django_assert_num_queries):
    acme.get(LIST)  # the token's first use is recorded once a minute: out of the way
    with CaptureQueriesContext(connection) as captured:
        assert acme.get(LIST, {"max": "100"}).status_code == 200
    few = len(captured)
    for n in range(12):
        SubscriberFactory(
            actor=world.acme_admin,
            customer=blue,
            email=f"q{n}@blueharbor.test",
            package="webex_suite",
            extension=f"32{n:02d}",
        )
    with django_assert_num_queries(few):
        assert len(acme.get(LIST, {"max": "100"}).json()["items"]) == 16


# --- who may -----------------------------------------------------------------------------------------------


def test_a_customer_named_by_org_id_reaches_only_its_own_subscribers(world, acme, order, contract):
    blue_org = {"orgId": world.blue_harbor.org.webex_id}
    assert emails(contract(acme, "get", LIST, query=blue_org)) == [
        "admin@blueharbor.test",
        "maria@blueharbor.test",
        "tom@blueharbor.test",
    ]
    cedar_admin = sub("admin@cedarpine.test")
    assert contract(acme, "get", detail(cedar_admin), query=blue_org).response.status_code == 404
    assert contract(acme, "get", detail(cedar_admin)).response.status_code == 200
    cedar_order = order(customerId=world.cedar_pine.webex_id, email="x@cedarpine.test")
    assert contract(acme, "post", LIST, query=blue_org, body=cedar_order).response.status_code == 404
    assert contract(acme, "post", LIST, body=cedar_order).response.status_code == 200


def test_restricted_mode_does_not_bind_the_partner(world, acme, order, contract):
    from apps.customers.selectors import restricted_mode_of

    assert restricted_mode_of(org=world.blue_harbor.org)
    assert contract(acme, "post", LIST, body=order()).response.status_code == 200


def test_a_read_only_admin_reads_but_changes_nothing(world, api_client, order, contract):
    readonly = api_client(world.acme_readonly)
    tom = sub("tom@blueharbor.test")
    assert contract(readonly, "get", LIST).response.status_code == 200
    assert contract(readonly, "get", detail(tom)).response.status_code == 200
    for method, path, data in (
        ("post", LIST, order()),
        ("post", VALIDATE, order()),
        ("put", detail(tom), {"packages": ["webex_suite"]}),
        ("delete", detail(tom), None),
        ("post", consent_move(tom), None),
    ):
        assert contract(readonly, method, path, body=data).response.status_code == 403, (method, path)
    assert sub("tom@blueharbor.test").package == "webex_calling"


def test_scopes(world, api_client, order, contract):
    reader = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_SUBSCRIBERS_READ])
    tom = sub("tom@blueharbor.test")
    assert contract(reader, "get", LIST).response.status_code == 200
    assert contract(reader, "post", VALIDATE, body=order()).response.status_code == 403
    assert contract(reader, "delete", detail(tom)).response.status_code == 403
    other = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_CUSTOMERS_READ])
    assert contract(other, "get", LIST).response.status_code == 403
    assert contract(APIClient(), "get", LIST).response.status_code == 401


def test_a_partner_admin_sees_its_assigned_customers_subscribers_only(world, api_client, contract):
    client = api_client(world.acme_partner_admin)
    assert {s.split("@")[1] for s in emails(contract(client, "get", LIST))} == {"blueharbor.test"}
    assert contract(client, "get", detail(sub("admin@cedarpine.test"))).response.status_code == 404


def test_on_behalf_of_a_sub_partner(world, acme, api_client, contract):
    northwind = {"onBehalfOfSubPartnerOrgId": world.northwind.webex_id}
    assert emails(contract(acme, "get", LIST, query=northwind)) == ["admin@riverside.test"]
    riverside_admin = sub("admin@riverside.test")
    assert contract(acme, "get", detail(riverside_admin), query=northwind).response.status_code == 200
    tom = sub("tom@blueharbor.test")
    assert contract(acme, "get", detail(tom), query=northwind).response.status_code == 404
    globex = api_client(world.globex_admin)
    assert contract(globex, "get", LIST, query=northwind).response.status_code == 404


def test_another_partners_subscriber_is_a_404_everywhere(world, api_client, contract):
    globex = api_client(world.globex_admin)
    tom = sub("tom@blueharbor.test")
    for method, path, data in (
        ("get", detail(tom), None),
        ("put", detail(tom), {"packages": ["webex_suite"]}),
        ("delete", detail(tom), None),
        ("post", consent_move(tom), None),
    ):
        assert contract(globex, method, path, body=data).response.status_code == 404, (method, path)
    assert globex.post(f"{detail(tom)}/emails/consentMove").status_code == 404
    assert emails(contract(globex, "get", LIST)) == ["admin@initech.test"]
    assert sub("tom@blueharbor.test").package == "webex_calling"
