"""The Wholesale Billing Reports API against the official OpenAPI file: create, get, list, delete; the
guide's period rules; the CSV columns and sums; the signed download link; scopes, roles and sub-partners."""

import csv
import io
from datetime import UTC, timedelta

import pytest
from django.core import signing
from django.test import TestCase, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import ApiScope
from apps.billing.models import BillingReport, ReportStatus, UsageDay
from apps.billing.services.reports import COLUMNS, billing_report_link_token
from apps.core.models import Organization
from apps.subscribers.models import Subscriber
from tests.contract.openapi_contract import assert_webex_error

URL = "/v1/wholesale/billing/reports"


def _today():
    return timezone.now().astimezone(UTC).date()


def _period(days_back_start: int, days_back_end: int = 1):
    today = _today()
    return str(today - timedelta(days=days_back_start)), str(today - timedelta(days=days_back_end))


def _create(contract, client, start, end, **extra):
    """Order a report; its task runs once the request's transaction commits (as the worker would)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return contract(client, "post", URL, body={"billingStartDate": start, "billingEndDate": end, **extra})


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_create_get_download_list_delete(past_world, api_client, contract):
    client = api_client(past_world.acme_admin)
    start, end = _period(40)
    created = _create(contract, client, start, end, type="USER")
    assert created.response.status_code == 200
    body = created.body
    assert (
        body["type"] == "USER" and body["category"] == "RECONCILIATION" and body["billingStartDate"] == start
    )
    got = contract(client, "get", f"{URL}/{body['id']}").body
    assert got["status"] == "COMPLETED" and got["createdBy"] == past_world.acme_admin.webex_id
    assert got["created"].endswith("Z")
    rows = _download(APIClient(), got["tempDownloadURL"])  # the link needs no token
    assert list(rows[0]) == COLUMNS["USER"]
    kim = {r["SERVICE_NAME"]: r for r in rows if r["SUBSCRIBER_ID"] == past_world.kim_id}
    assert float(kim["WEBEX_CALLING"]["QUANTITY"]) == pytest.approx(10.25)  # day 10 12:00 → day 20 18:00
    assert float(kim["WEBEX_SUITE"]["QUANTITY"]) == pytest.approx(9.5)  # day 20 18:00 → day 30 06:00
    assert kim["WEBEX_SUITE"]["CUSTOMER_EXTERNAL_ID"] == "BLUE" and kim["WEBEX_SUITE"]["LOCATION_ID"]
    assert kim["WEBEX_SUITE"]["SKU"] == "A-WHL-SUITE" or kim["WEBEX_SUITE"]["SKU"].startswith("A-WHL")
    # A person still there carries their Webex user id; a workspace its own id and no subscriber id.
    maria = Subscriber.objects.get(email="maria@blueharbor.test")
    assert {r["USER_ID"] for r in rows if r["SUBSCRIBER_ID"] == maria.webex_id} == {maria.user.webex_id}

    listed = contract(client, "get", URL, query={"type": "USER", "status": "COMPLETED"}).body["items"]
    assert [item["id"] for item in listed] == [body["id"]]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert contract(client, "delete", f"{URL}/{body['id']}").response.status_code == 204
    assert APIClient().get(got["tempDownloadURL"]).status_code == 404  # deleting kills the link
    missing = contract(client, "get", f"{URL}/{body['id']}")
    assert missing.response.status_code == 404


def test_the_user_customer_and_partner_reports_add_up_to_the_same_quantity(past_world, api_client, contract):
    client = api_client(past_world.acme_admin)
    start, end = _period(40)
    totals = {}
    for kind in ("USER", "CUSTOMER", "PARTNER"):
        report = _create(contract, client, start, end, type=kind).body
        link = contract(client, "get", f"{URL}/{report['id']}").body["tempDownloadURL"]
        rows = _download(APIClient(), link)
        assert list(rows[0]) == COLUMNS[kind]
        totals[kind] = sum(float(r["QUANTITY"]) for r in rows)
        assert {r["PARTNER_NAME"] for r in rows} == {"Acme Telecom"}
    assert totals["USER"] > 100
    assert totals["USER"] == pytest.approx(totals["CUSTOMER"], abs=1e-4)
    assert totals["USER"] == pytest.approx(totals["PARTNER"], abs=1e-4)


@pytest.mark.parametrize(
    ("start_back", "end_back", "why"),
    [
        (3, 0, "today"),
        (3, -2, "the future"),
        (2, 5, "end before start"),
        (5 * 366 + 2, 1, "more than five years back"),
    ],
)
def test_the_guides_period_rules(past_world, api_client, contract, start_back, end_back, why):
    start, end = _period(start_back, end_back)
    exchange = _create(contract, api_client(past_world.acme_admin), start, end)
    assert exchange.response.status_code == 400, why
    body = assert_webex_error(exchange.response)
    assert body["errors"][0]["errorCode"] == 4201
    assert not BillingReport.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"billingStartDate": "2026-02-30", "billingEndDate": "2026-03-01"},
        {"billingStartDate": "yesterday", "billingEndDate": "2026-03-01"},
        {"billingStartDate": 20260101, "billingEndDate": "2026-03-01"},
        {"billingEndDate": "2026-03-01"},
        {"billingStartDate": "2026-03-01", "billingEndDate": "2026-03-01", "type": "FAMILY"},
        {"billingStartDate": "2026-03-01", "billingEndDate": "2026-03-01", "subPartnerOrgId": "nope"},
    ],
)
def test_bad_input_is_a_webex_error_and_writes_nothing(past_world, api_client, contract, body):
    exchange = contract(api_client(past_world.acme_admin), "post", URL, body=body)
    assert exchange.response.status_code == 400
    assert_webex_error(exchange.response)
    assert not BillingReport.objects.exists()


def test_a_completed_period_is_refused_until_deleted_failed_and_in_progress_need_no_delete(
    past_world, api_client, contract
):
    client = api_client(past_world.acme_admin)
    start, end = _period(10)
    first = _create(contract, client, start, end).body
    again = _create(contract, client, start, end)
    assert again.response.status_code == 409
    assert assert_webex_error(again.response)["errors"][0]["errorCode"] == 4203
    assert _create(contract, client, start, end, type="CUSTOMER").response.status_code == 200  # another type
    contract(client, "delete", f"{URL}/{first['id']}")
    assert _create(contract, client, start, end).response.status_code == 200
    # A FAILED (or IN_PROGRESS) one does not block.
    start, end = _period(12, 11)
    failed = _create(contract, client, start, end).body
    BillingReport.objects.filter(status=ReportStatus.COMPLETED, start_date=start).update(
        status=ReportStatus.FAILED, errors=[{"code": 4250, "description": "x"}]
    )
    got = contract(client, "get", f"{URL}/{failed['id']}").body
    assert got["status"] == "FAILED" and got["errors"][0]["code"] == 4250 and "tempDownloadURL" not in got
    assert _create(contract, client, start, end).response.status_code == 200


def test_a_tampered_or_expired_link_is_refused(past_world, api_client, contract):
    client = api_client(past_world.acme_admin)
    report = _create(contract, client, *_period(5)).body
    link = contract(client, "get", f"{URL}/{report['id']}").body["tempDownloadURL"]
    anyone = APIClient()
    assert anyone.get(link).status_code == 200
    assert anyone.get(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")).status_code == 404
    stored = BillingReport.objects.get()
    forged = signing.TimestampSigner(salt="another").sign_object({"r": str(stored.pk), "f": stored.file_name})
    assert anyone.get(link.rsplit("/", 1)[0] + "/" + forged).status_code == 404
    with override_settings(BILLING_REPORT_LINK_MAX_AGE=-1):
        assert anyone.get(link).status_code == 410
    assert anyone.post(link).status_code == 405
    # A fresh link of the same report works too; each is its own signed key.
    assert (
        anyone.get(link.rsplit("/", 1)[0] + "/" + billing_report_link_token(report=stored)).status_code == 200
    )


def test_scopes_and_roles(past_world, api_client, contract):
    start, end = _period(5)
    read_only = api_client(past_world.acme_admin, scopes=[ApiScope.WHOLESALE_BILLING_REPORTS_READ])
    refused = _create(contract, read_only, start, end)
    assert refused.response.status_code == 403
    assert contract(read_only, "get", URL).response.status_code == 200
    # A read-only admin lists, but may not create; a partner admin of one customer sees no billing.
    readonly_admin = api_client(past_world.acme_readonly)
    assert contract(readonly_admin, "get", URL).response.status_code == 200
    assert _create(contract, readonly_admin, start, end).response.status_code == 403
    assert contract(api_client(past_world.acme_partner_admin), "get", URL).response.status_code == 403
    assert not BillingReport.objects.exists()


def test_a_partner_reports_on_its_subpartner_and_the_subpartner_sees_only_its_own(
    past_world, api_client, contract
):
    start, end = _period(40)
    acme = api_client(past_world.acme_admin)
    sub_id = past_world.northwind.webex_id
    report = _create(contract, acme, start, end, type="CUSTOMER", subPartnerOrgId=sub_id).body
    got = contract(acme, "get", f"{URL}/{report['id']}").body
    rows = _download(APIClient(), got["tempDownloadURL"])
    assert {r["CUSTOMER_EXTERNAL_ID"] for r in rows} == {"RIVE"}
    assert {r["PARTNER_NAME"] for r in rows} == {"Northwind Reseller"}
    listed = contract(acme, "get", URL, query={"subPartnerOrgId": sub_id}).body["items"]
    assert [i["id"] for i in listed] == [report["id"]]
    # The sub-partner's own admin: its own reports only (not its parent's), its own customers only.
    northwind = api_client(past_world.northwind_admin)
    assert contract(northwind, "get", URL).body["items"] == []
    assert contract(northwind, "get", f"{URL}/{report['id']}").response.status_code == 404
    own = _create(contract, northwind, start, end, type="CUSTOMER").body
    rows = _download(APIClient(), contract(northwind, "get", f"{URL}/{own['id']}").body["tempDownloadURL"])
    assert {r["CUSTOMER_EXTERNAL_ID"] for r in rows} == {"RIVE"}
    # Another partner's sub-partner id is refused like an unknown one.
    globex = api_client(past_world.globex_admin)
    assert _create(contract, globex, start, end, subPartnerOrgId=sub_id).response.status_code == 400
    assert contract(globex, "get", f"{URL}/{report['id']}").response.status_code == 404
    assert contract(globex, "delete", f"{URL}/{report['id']}").response.status_code == 404


def test_point_in_time_lists_current_allocations(past_world, api_client, contract):
    client = api_client(past_world.acme_admin)
    start, end = _period(1)
    report = _create(contract, client, start, end, type="USER", category="POINT_IN_TIME").body
    assert report["category"] == "POINT_IN_TIME"
    rows = _download(APIClient(), contract(client, "get", f"{URL}/{report['id']}").body["tempDownloadURL"])
    assert rows and all(r["QUANTITY"] == "1" for r in rows)
    assert past_world.kim_id not in {r["SUBSCRIBER_ID"] for r in rows}  # removed before the day ended
    assert contract(client, "get", URL, query={"sortBy": "status", "max": "1"}).response.status_code == 200


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_csv_keeps_free_text_as_text_never_a_formula(past_world, api_client, contract, start):
    """The partner's name and the customer's external id are typed by a (sub-)partner admin: a cell starting
    with ``=``, ``+``, ``-`` or ``@`` ran as a formula when the parent partner opened the CSV in a
    spreadsheet. They are written as every other export writes free text; ids, dates, numbers as they are."""
    formula = f'{start}HYPERLINK("https://evil.test","x")'
    Organization.objects.filter(id=past_world.acme.id).update(name=formula)
    UsageDay.objects.filter(customer_external_id="BLUE").update(customer_external_id=formula)
    client = api_client(past_world.acme_admin)
    begin, end = _period(40)
    report = _create(contract, client, begin, end, type="CUSTOMER").body
    rows = _download(APIClient(), contract(client, "get", f"{URL}/{report['id']}").body["tempDownloadURL"])
    assert {r["PARTNER_NAME"] for r in rows} == {"'" + formula}
    assert "'" + formula in {r["CUSTOMER_EXTERNAL_ID"] for r in rows}
    for row in rows:
        assert row["PARTNER_ORG_ID"] == past_world.acme.webex_id
        assert not row["CUSTOMER_ORG_ID"].startswith("'") and not row["QUANTITY"].startswith("'")
        assert not row["CONSUMPTION_START_DATE"].startswith("'") and not row["SKU"].startswith("'")
