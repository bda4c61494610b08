"""The wire conventions every /v1/ answer keeps: the Webex error body, TrackingID, JSON, Link pagination."""

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponseServerError
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from apps.accounts.api.views import AdminListApi
from apps.accounts.models import ApiScope
from apps.accounts.roles import Role
from apps.accounts.services import api_token_create, api_token_revoke, person_invite
from apps.core.middleware import ApiErrorBodyMiddleware
from tests.conftest import fresh

ADMINS = "/v1/partner/admins"
AUDIT = "/v1/partner/auditEvents"
LINK = re.compile(r'<([^>]+)>;\s*rel="([a-z]+)"')


def assert_webex_error(response, status: int, *, tracking_id: str | None = None) -> dict:
    """A Webex error body with all three keys, served as JSON, its tracking id also in the header."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    assert body["errors"] and all(
        isinstance(e["description"], str) and e["description"] for e in body["errors"]
    )
    assert body["trackingId"] == response["TrackingID"]
    if tracking_id is not None:
        assert body["trackingId"] == tracking_id
    return body


def links_of(response) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response.get("Link", ""))}


def anonymous() -> APIClient:
    return APIClient()


# --- 401 ---------------------------------------------------------------------------------------------------


def test_no_token_is_401_with_www_authenticate(world):
    response = anonymous().get(ADMINS)
    assert_webex_error(response, 401)
    assert response["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer two parts", "Token whub_abc", "bearer"],
)
def test_malformed_authorization_header_is_401(world, header):
    client = anonymous()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ADMINS)
    assert_webex_error(response, 401)
    assert "WWW-Authenticate" in response


@pytest.mark.parametrize("secret", ["whub_unknown", "not-ours-at-all", "whub_" + "x" * 300])
def test_unknown_token_is_401(world, secret):
    client = anonymous()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get(ADMINS)
    assert_webex_error(response, 401)
    assert "WWW-Authenticate" in response


def test_expired_and_revoked_tokens_are_401(world, monkeypatch):
    admin = fresh(world.acme_admin)
    expiring, expiring_secret = api_token_create(
        actor=admin, name="soon", scopes=ApiScope.values, expires_at=timezone.now() + timedelta(hours=1)
    )
    revoked, revoked_secret = api_token_create(actor=admin, name="gone", scopes=ApiScope.values)
    api_token_revoke(actor=admin, token=revoked)

    client = anonymous()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {revoked_secret}")
    assert_webex_error(client.get(ADMINS), 401)

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {expiring_secret}")
    assert client.get(ADMINS).status_code == 200
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(ADMINS)
    assert_webex_error(response, 401)
    assert "WWW-Authenticate" in response


# --- 403 ---------------------------------------------------------------------------------------------------


def test_token_without_the_scope_is_403(world, api_client):
    client = api_client(world.acme_admin, scopes=[ApiScope.AUDIT_EVENTS_READ])
    body = assert_webex_error(client.get(ADMINS), 403)
    assert ApiScope.PEOPLE_READ in body["message"]
    read_only = api_client(world.acme_admin, scopes=[ApiScope.PEOPLE_READ])
    assert read_only.get(ADMINS).status_code == 200
    assert_webex_error(read_only.post(ADMINS, {"email": "x@acme.test", "roles": [Role.READ_ONLY_ADMIN]}), 403)


def test_role_without_the_permission_is_403(world, api_client):
    client = api_client(world.acme_readonly)
    response = client.post(ADMINS, {"email": "new@acme.test", "roles": [Role.READ_ONLY_ADMIN]})
    assert_webex_error(response, 403)


# --- 404 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/nope", "/v1/partner/admins/", "/v1/wholesale/unknown/thing", "/v1/"])
def test_unknown_api_path_is_404_json(world, api_client, path):
    assert_webex_error(api_client(world.acme_admin).get(path), 404)
    assert_webex_error(anonymous().get(path), 404)


@pytest.mark.parametrize("person_id", ["nope", "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9ub3QtYS11dWlk", "x" * 500])
def test_unknown_person_is_404(world, api_client, person_id):
    assert_webex_error(api_client(world.acme_admin).get(f"{ADMINS}/{person_id}"), 404)


def test_another_partners_person_is_404(world, api_client):
    client = api_client(world.acme_admin)
    assert_webex_error(client.get(f"{ADMINS}/{world.globex_admin.webex_id}"), 404)
    assert_webex_error(client.delete(f"{ADMINS}/{world.globex_admin.webex_id}"), 404)


@pytest.mark.parametrize("path", [ADMINS, AUDIT])
def test_outsider_org_id_is_404(world, api_client, path):
    client = api_client(world.acme_admin)
    assert_webex_error(client.get(path, {"orgId": world.initech.org.webex_id}), 404)
    assert_webex_error(client.get(path, {"orgId": world.globex.webex_id}), 404)
    assert_webex_error(client.get(path, {"orgId": "garbage"}), 404)


# --- 405 ---------------------------------------------------------------------------------------------------


def test_wrong_method_is_405_with_allow(world, api_client):
    client = api_client(world.acme_admin)
    response = client.post(AUDIT, {})
    assert_webex_error(response, 405)
    assert "GET" in response["Allow"]
    response = client.patch(ADMINS, {})
    assert_webex_error(response, 405)
    assert "POST" in response["Allow"]


# --- 400 and 415 -------------------------------------------------------------------------------------------


def test_bad_json_body_is_400(world, api_client):
    client = api_client(world.acme_admin)
    response = client.generic("POST", ADMINS, '{"email": ', content_type="application/json")
    assert_webex_error(response, 400)


def test_deeply_nested_json_is_400_not_a_crash(world, api_client):
    client = api_client(world.acme_admin)
    client.raise_request_exception = False
    response = client.generic("POST", ADMINS, "[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert_webex_error(response, 400)


def test_non_json_body_is_415(world, api_client):
    client = api_client(world.acme_admin)
    response = client.post(ADMINS, {"email": "a@acme.test"}, format="multipart")
    assert_webex_error(response, 415)


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "roles": [Role.READ_ONLY_ADMIN]},
        {"email": "new@acme.test", "roles": []},
        {"email": "new@acme.test", "roles": ["emperor"]},
        {"email": "new@acme.test"},
        {"email": "new@acme.test", "roles": [Role.SUPPORT_ADMIN]},  # a customer role in a partner
        {"email": "new@acme.test", "roles": "full_admin"},
        {"email": "new@acme.test", "firstName": "x" * 151, "roles": [Role.READ_ONLY_ADMIN]},
        {"email": "admin@globex.test", "roles": [Role.READ_ONLY_ADMIN]},  # already someone's address
        [],
        "text",
    ],
)
def test_invalid_invite_is_400_and_names_the_field(world, api_client, payload):
    response = api_client(world.acme_admin).post(ADMINS, payload)
    body = assert_webex_error(response, 400)
    if isinstance(payload, dict):
        assert any(":" in e["description"] for e in body["errors"])


@pytest.mark.parametrize(
    "params",
    [
        {"offset": "-1"},
        {"offset": "abc"},
        {"offset": "1.5"},
        {"max": "0"},
        {"max": "101"},
        {"max": "-1"},
        {"max": "abc"},
        {"max": "null"},
        {"max": ""},
        {"max": " 5"},
        {"max": "1_0"},
        {"max": "\u0661\u0662"},  # Arabic-Indic digits: int() takes them, the API must not
        {"offset": "99999999999999999999999"},  # past a 64-bit OFFSET: was a database error, a 500
        {"offset": "1" * 5000},  # past Python's int() digit limit
    ],
)
@pytest.mark.parametrize("path", [ADMINS, AUDIT])
def test_bad_offset_or_max_is_400(world, api_client, params, path):
    body = assert_webex_error(api_client(world.acme_admin).get(path, params), 400)
    name = next(iter(params))
    assert body["errors"][0]["description"].startswith(f"{name}:")


@pytest.mark.parametrize("params", [{"from": "yesterday"}, {"to": "2026-13-01"}])
def test_bad_audit_dates_are_400(world, api_client, params):
    assert_webex_error(api_client(world.acme_admin).get(AUDIT, params), 400)


# --- 429 ---------------------------------------------------------------------------------------------------


class TwoPerMinute(UserRateThrottle):
    rate = "2/min"


def test_too_many_requests_is_429_with_retry_after(world, api_client, monkeypatch):
    monkeypatch.setattr(AdminListApi, "throttle_classes", [TwoPerMinute])
    client = api_client(world.acme_admin)
    assert client.get(ADMINS).status_code == 200
    assert client.get(ADMINS).status_code == 200
    response = client.get(ADMINS, HTTP_TRACKINGID="busy_1")
    assert_webex_error(response, 429, tracking_id="busy_1")
    assert 0 < int(response["Retry-After"]) <= 60


# --- TrackingID --------------------------------------------------------------------------------------------


def test_tracking_id_is_echoed_in_header_and_error_body(world, api_client):
    client = api_client(world.acme_admin)
    ok = client.get(ADMINS, HTTP_TRACKINGID="WEBEX-SDK_0f1e2d3c_1")
    assert ok.status_code == 200
    assert ok["TrackingID"] == "WEBEX-SDK_0f1e2d3c_1"
    missing = client.get(f"{ADMINS}/nope", HTTP_TRACKINGID="ROUTER_5f0a-11:2.3")
    assert_webex_error(missing, 404, tracking_id="ROUTER_5f0a-11:2.3")
    assert_webex_error(anonymous().get(ADMINS, HTTP_TRACKINGID="anon_1"), 401, tracking_id="anon_1")
    assert_webex_error(anonymous().get("/v1/nope", HTTP_TRACKINGID="anon_2"), 404, tracking_id="anon_2")


def test_tracking_id_is_generated_when_absent_or_unusable(world, api_client):
    client = api_client(world.acme_admin)
    first = client.get(ADMINS)
    second = client.get(ADMINS)
    assert first["TrackingID"] and second["TrackingID"]
    assert first["TrackingID"] != second["TrackingID"]
    for bad in ("has spaces in it", "x" * 200, "<script>"):
        response = client.get(f"{ADMINS}/nope", HTTP_TRACKINGID=bad)
        body = assert_webex_error(response, 404)
        assert body["trackingId"] != bad


# --- Content-Type ------------------------------------------------------------------------------------------


def test_json_content_type_with_charset_is_accepted_on_every_method(world, api_client):
    client = api_client(world.acme_admin)
    content_type = "application/json;charset=utf-8"
    listed = client.get(ADMINS, CONTENT_TYPE=content_type)
    assert listed.status_code == 200
    assert listed["Content-Type"].startswith("application/json")
    person = person_invite(
        actor=fresh(world.acme_admin), org=world.acme, email="temp@acme.test", roles=[Role.READ_ONLY_ADMIN]
    )
    got = client.get(f"{ADMINS}/{person.webex_id}", CONTENT_TYPE=content_type)
    assert got.status_code == 200 and got.json()["email"] == "temp@acme.test"
    put = client.generic(
        "PUT",
        f"{ADMINS}/{person.webex_id}",
        '{"roles": ["partner_read_only_admin"]}',
        content_type=content_type,
    )
    assert put.status_code == 200 and put.json()["roles"] == ["partner_read_only_admin"]
    deleted = client.generic("DELETE", f"{ADMINS}/{person.webex_id}", "", content_type=content_type)
    assert deleted.status_code == 204, deleted.content
    assert deleted["TrackingID"]


def test_every_success_is_json(world, api_client):
    client = api_client(world.acme_admin)
    for path in (ADMINS, AUDIT, f"{ADMINS}/{world.acme_admin.webex_id}"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"


# --- 500 ---------------------------------------------------------------------------------------------------


def test_a_crash_in_a_view_answers_with_the_webex_body(world, api_client, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("selector exploded")

    monkeypatch.setattr("apps.accounts.api.views.admins_of_org", boom)
    client = api_client(world.acme_admin)
    client.raise_request_exception = False
    body = assert_webex_error(client.get(ADMINS, HTTP_TRACKINGID="crash_1"), 500, tracking_id="crash_1")
    assert "exploded" not in body["message"]


def test_a_crash_in_authentication_answers_with_the_webex_body(world, api_client, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("apps.accounts.api.authentication.api_token_authenticate", boom)
    client = api_client(world.acme_admin)
    client.raise_request_exception = False
    assert_webex_error(client.get(AUDIT), 500)


def test_failures_outside_drf_still_get_the_webex_body(rf: RequestFactory):
    middleware = ApiErrorBodyMiddleware(lambda request: HttpResponseServerError("<h1>Server Error</h1>"))
    response = middleware(rf.get("/v1/anything"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert set(json.loads(response.content)) == {"message", "errors", "trackingId"}
    crashed = middleware.process_exception(rf.get("/v1/anything"), RuntimeError("boom"))
    assert crashed.status_code == 500
    assert set(json.loads(crashed.content)) == {"message", "errors", "trackingId"}
    assert middleware.process_exception(rf.get("/partner/x/"), RuntimeError("boom")) is None


# --- Pagination --------------------------------------------------------------------------------------------


@pytest.fixture
def many_admins(world):
    actor = fresh(world.acme_admin)
    for n in range(7):
        person_invite(actor=actor, org=world.acme, email=f"extra{n}@acme.test", roles=[Role.READ_ONLY_ADMIN])
    return world


def test_following_next_links_collects_every_admin_once(many_admins, api_client):
    world = many_admins
    client = api_client(world.acme_admin)
    everything = client.get(ADMINS).json()["items"]
    assert len(everything) == 11  # 4 personas + 7 extras

    response = client.get(ADMINS, {"orgId": world.acme.webex_id, "max": "2"})
    collected, pages = [], 0
    while True:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        items = response.json()["items"]
        assert 1 <= len(items) <= 2
        collected += items
        pages += 1
        links = links_of(response)
        for url in links.values():
            parts = urlsplit(url)
            assert parts.scheme == "http" and parts.netloc == "testserver"
            assert parts.path == ADMINS
            query = parse_qs(parts.query, keep_blank_values=True)
            assert query["orgId"] == [world.acme.webex_id]
            assert query["max"] == ["2"]
            assert len(query["offset"]) == 1 and query["offset"][0].isdigit()
            assert "null" not in parts.query and "None" not in parts.query
        if pages > 1:
            assert "prev" in links
        if "next" not in links:
            break
        response = client.get(links["next"])
        assert pages < 20
    assert pages == 6
    ids = [item["id"] for item in collected]
    assert len(ids) == len(set(ids))
    assert ids == [item["id"] for item in everything]


def test_prev_links_walk_back_to_the_first_page(many_admins, api_client):
    client = api_client(many_admins.acme_admin)
    first = client.get(ADMINS, {"max": "3"})
    assert "prev" not in links_of(first)
    third = client.get(ADMINS, {"max": "3", "offset": "6"})
    back = client.get(links_of(third)["prev"])
    assert back.json()["items"] == client.get(ADMINS, {"max": "3", "offset": "3"}).json()["items"]
    assert parse_qs(urlsplit(links_of(back)["prev"]).query)["offset"] == ["0"]


def test_links_without_a_requested_max_carry_the_default(many_admins, api_client):
    client = api_client(many_admins.acme_admin)
    response = client.get(ADMINS, {"offset": "1"})
    prev = parse_qs(urlsplit(links_of(response)["prev"]).query)
    assert prev["max"] == ["100"] and prev["offset"] == ["0"]
    assert "next" not in links_of(response)


def test_filters_survive_the_links_of_the_audit_log(many_admins, api_client):
    client = api_client(many_admins.acme_admin)
    params = {"action": "admin.invite", "actorEmail": "admin@acme", "max": "2"}
    response = client.get(AUDIT, params)
    seen = []
    while True:
        seen += [event["id"] for event in response.json()["items"]]
        assert all(event["action"] == "admin.invite" for event in response.json()["items"])
        nxt = links_of(response).get("next")
        if not nxt:
            break
        query = parse_qs(urlsplit(nxt).query)
        assert query["action"] == ["admin.invite"] and query["actorEmail"] == ["admin@acme"]
        response = client.get(nxt)
    assert len(seen) == len(set(seen)) == 10  # 3 persona invites + 7 extras


def test_past_the_end_is_an_empty_page_without_links_forward(world, api_client):
    response = api_client(world.acme_admin).get(ADMINS, {"offset": "500", "max": "2"})
    assert response.status_code == 200
    assert response.json() == {"items": []}
    assert "next" not in links_of(response)
