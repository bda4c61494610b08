"""The SCIM 2.0 endpoint an identity provider keeps an organisation's users in step with: list, create, read,
replace (PUT), update (PATCH, as Okta and Entra ID send it) and delete, through the directory's services
(their checks, their audit, channel ``scim``); one organisation's secret never reaches another's users; every
refusal is a SCIM error body and leaves everything as it was."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.directory.models import DirectorySettings
from apps.directory.services import scim_enable
from apps.restrictions.services import restricted_mode_set
from apps.subscribers.models import PackageAssignment, Subscriber

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
JSON = "application/scim+json"


@pytest.fixture
def idp(world, blue) -> Client:
    """Blue Harbor's identity provider, with the secret acme's admin turned SCIM on with."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {scim_enable(actor=world.acme_admin, org=blue)}")


@pytest.fixture
def maria(world) -> Subscriber:
    return Subscriber.objects.get(email="maria@blueharbor.test")


def _url(subscriber_or_id) -> str:
    user_id = getattr(subscriber_or_id, "webex_id", subscriber_or_id)
    return reverse("scim_user", kwargs={"user_id": user_id})


def _patch(client: Client, subscriber, *operations):
    body = {"schemas": [PATCH_OP], "Operations": list(operations)}
    return client.patch(_url(subscriber), body, content_type=JSON)


def _put(client: Client, subscriber, body):
    return client.put(_url(subscriber), body, content_type=JSON)


def _refused(response, status: int, scim_type: str | None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"] and body["status"] == str(
        status
    )
    assert body.get("scimType") == scim_type and body["detail"]


def _as_it_was(subscriber: Subscriber) -> tuple:
    fresh = Subscriber.objects.get(pk=subscriber.pk)
    return (fresh.email, fresh.first_name, fresh.last_name, fresh.chosen_display_name)


def _open_interval(subscriber: Subscriber) -> bool:
    return PackageAssignment.objects.filter(subscriber_uuid=subscriber.pk, ended_at__isnull=True).exists()


def _scim_events(world, action: str):
    return AuditEvent.objects.filter(action=action, actor=world.acme_admin, channel="scim")


def test_scim_lists_creates_and_reads_users_of_its_own_organisation_only(world, blue):
    secret = scim_enable(actor=world.acme_admin, org=blue)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    users = client.get(reverse("scim_users")).json()
    assert users["totalResults"] == Subscriber.objects.filter(customer__org=blue).count()
    created = client.post(
        reverse("scim_users"),
        {"userName": "scim@blueharbor.test", "name": {"givenName": "Sam", "familyName": "Cim"}},
        content_type="application/scim+json",
    )
    assert created.status_code == 201 and created.json()["userName"] == "scim@blueharbor.test"
    assert _scim_events(world, "subscriber.create").filter(acting_org=blue).count() == 1
    again = client.post(
        reverse("scim_users"), {"userName": "scim@blueharbor.test"}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"
    # An inactive user would hold (and be billed for) a package: not created.
    for inactive in (False, "False"):
        refused = client.post(
            reverse("scim_users"), {"userName": "off@blueharbor.test", "active": inactive}, content_type=JSON
        )
        _refused(refused, 400, "invalidValue")
    assert not Subscriber.objects.filter(email="off@blueharbor.test").exists()
    found = client.get(reverse("scim_users"), {"filter": 'userName eq "scim@blueharbor.test"'}).json()
    assert found["totalResults"] == 1
    assert client.get(reverse("scim_users"), {"filter": "garbage"}).status_code == 400
    assert client.post(reverse("scim_users"), b"{", content_type="application/json").status_code == 400
    # Another organisation's secret: its users only; Blue Harbor's user is a 404.
    other = Client(
        HTTP_AUTHORIZATION=f"Bearer {scim_enable(actor=world.acme_admin, org=world.cedar_pine.org)}"
    )
    user_url = reverse("scim_user", kwargs={"user_id": created.json()["id"]})
    assert client.get(user_url).status_code == 200
    assert other.get(user_url).status_code == 404
    assert "scim@blueharbor.test" not in other.get(reverse("scim_users")).content.decode()
    assert Client().get(reverse("scim_users")).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nope").get(user_url).status_code == 401


@pytest.mark.parametrize(
    "wanted",
    [
        'userName eq "maria@blueharbor.test"',
        'username EQ "Maria@BlueHarbor.test"',  # names and operators in any case (RFC 7644 §3.4.2.2)
        f'{USER_SCHEMA}:userName eq "maria@blueharbor.test"',
        'emails.value eq "maria@blueharbor.test"',  # the addresses follow userName
        'emails eq "maria@blueharbor.test"',
    ],
)
def test_the_list_filter_finds_a_user_by_address_as_identity_providers_ask(idp, maria, wanted):
    found = idp.get(reverse("scim_users"), {"filter": wanted}).json()
    assert found["totalResults"] == 1 and [r["id"] for r in found["Resources"]] == [maria.webex_id]


@pytest.mark.parametrize(
    "wanted",
    [
        'displayName eq "Maria"',
        'userName co "maria"',
        "userName eq maria@blueharbor.test",
        'userName eq "maria@blueharbor.test" and active eq true',
        'userName eq "unterminated',
        "userName eq 42",
    ],
)
def test_a_filter_this_endpoint_cannot_answer_is_refused_not_taken_for_a_match(idp, maria, wanted):
    _refused(idp.get(reverse("scim_users"), {"filter": wanted}), 400, "invalidFilter")


def test_post_keeps_a_chosen_display_name_through_the_details_service(world, idp):
    created = idp.post(
        reverse("scim_users"),
        {
            "userName": "Ada@BlueHarbor.test",
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "displayName": "Countess Ada",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    assert created.json()["displayName"] == "Countess Ada"
    ada = Subscriber.objects.get(email="ada@blueharbor.test")
    assert ada.chosen_display_name == "Countess Ada"
    assert _scim_events(world, "subscriber.create").filter(target_id=str(ada.pk)).exists()
    # The name shown without a chosen one is no choice: it keeps following the names.
    plain = idp.post(
        reverse("scim_users"),
        {
            "userName": "bo@blueharbor.test",
            "name": {"givenName": "Bo", "familyName": "Ek"},
            "displayName": "Bo Ek",
        },
        content_type=JSON,
    )
    assert plain.status_code == 201
    assert Subscriber.objects.get(email="bo@blueharbor.test").chosen_display_name == ""


def test_post_refuses_a_display_name_the_details_page_refuses_and_creates_nobody(idp):
    refused = idp.post(
        reverse("scim_users"),
        {"userName": "eve@blueharbor.test", "displayName": "Eve\u202egnp.exe"},
        content_type=JSON,
    )
    _refused(refused, 400, "invalidValue")
    assert not Subscriber.objects.filter(email="eve@blueharbor.test").exists()
    assert not User.objects.filter(email="eve@blueharbor.test").exists()


# --- PUT -------------------------------------------------------------------------------------------------


def test_put_replaces_the_names_through_the_details_service_and_is_audited(world, idp, maria):
    response = _put(
        idp,
        maria,
        {
            "schemas": [USER_SCHEMA],
            "id": maria.webex_id,
            "userName": "maria@blueharbor.test",
            "name": {"givenName": "Maria", "familyName": "Lopez"},
            "displayName": "Dr. Lopez",
            "emails": [{"value": "someone.else@blueharbor.test", "primary": True}],  # read-only: ignored
            "title": "Dentist",  # not kept here: ignored
            "active": True,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["name"], body["displayName"], body["active"]) == (
        maria.webex_id,
        {"givenName": "Maria", "familyName": "Lopez"},
        "Dr. Lopez",
        True,
    )
    assert _as_it_was(maria) == ("maria@blueharbor.test", "Maria", "Lopez", "Dr. Lopez")
    event = _scim_events(world, "subscriber.details").get()
    assert event.acting_org == world.blue_harbor.org and event.after["chosen_display_name"] == "Dr. Lopez"
    # A replacement leaves out what it empties; the same replacement again writes nothing.
    assert (
        _put(idp, maria, {"userName": "maria@blueharbor.test"}).json()["displayName"]
        == "maria@blueharbor.test"
    )
    assert _as_it_was(maria) == ("maria@blueharbor.test", "", "", "")
    assert _put(idp, maria, {"userName": "maria@blueharbor.test"}).status_code == 200
    assert _scim_events(world, "subscriber.details").count() == 2


def test_put_changes_the_address_unless_someone_has_it(world, idp, maria):
    taken = _put(idp, maria, {"userName": "tom@blueharbor.test", "name": {"givenName": "Maria"}})
    _refused(taken, 409, "uniqueness")
    assert _as_it_was(maria) == ("maria@blueharbor.test", "", "", "")
    moved = _put(idp, maria, {"userName": "M.Lopez@BlueHarbor.test"})
    assert moved.status_code == 200 and moved.json()["userName"] == "m.lopez@blueharbor.test"
    assert User.objects.get(pk=maria.user_id).email == "m.lopez@blueharbor.test"


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({"name": {"givenName": "No userName"}}, "invalidValue"),
        ({"userName": "", "name": {"givenName": "Empty"}}, "invalidValue"),
        ({"userName": "maria@blueharbor.test", "name": {"givenName": "Ma\u202eria"}}, "invalidValue"),
        ({"userName": "maria@blueharbor.test", "name": {"familyName": "x" * 151}}, "invalidValue"),
        ({"userName": "maria@blueharbor.test", "name": "Maria Lopez"}, "invalidValue"),
        ({"userName": "maria@blueharbor.test", "displayName": 7}, "invalidValue"),
        ({"userName": "not an address", "name": {"givenName": "X"}}, "invalidValue"),
        ({"userName": "maria@blueharbor.test", "active": "maybe"}, "invalidValue"),
        (["userName", "maria@blueharbor.test"], "invalidSyntax"),
    ],
)
def test_put_refuses_what_the_details_page_refuses_and_writes_nothing(world, idp, maria, body, scim_type):
    before = _as_it_was(maria)
    _refused(_put(idp, maria, body), 400, scim_type)
    assert _as_it_was(maria) == before
    assert not AuditEvent.objects.filter(actor=world.acme_admin, channel="scim").exists()


def test_put_with_active_false_removes_the_user_and_stops_their_billing(world, idp, maria):
    assert _open_interval(maria)
    response = _put(idp, maria, {"userName": "maria@blueharbor.test", "active": "False"})
    assert response.status_code == 200 and response.json()["active"] is False
    assert not Subscriber.objects.filter(pk=maria.pk).exists() and not _open_interval(maria)
    assert _scim_events(world, "subscriber.remove").get().target_id == str(maria.pk)
    # A removed user is gone: reactivating it is a 404 (the provider creates it again with POST).
    _refused(_put(idp, maria, {"userName": "maria@blueharbor.test", "active": True}), 404, None)


# --- PATCH -----------------------------------------------------------------------------------------------


def test_okta_deactivates_with_a_pathless_replace(world, idp, maria):
    response = _patch(idp, maria, {"op": "replace", "value": {"id": maria.webex_id, "active": False}})
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["id"] == maria.webex_id
    assert not Subscriber.objects.filter(pk=maria.pk).exists() and not _open_interval(maria)
    assert _scim_events(world, "subscriber.remove").filter(acting_org=world.blue_harbor.org).count() == 1
    _refused(idp.get(_url(maria)), 404, None)
    _refused(_patch(idp, maria, {"op": "replace", "value": {"active": True}}), 404, None)


def test_okta_renames_with_a_pathless_replace(world, idp, maria):
    response = _patch(
        idp,
        maria,
        {"op": "replace", "value": {"name": {"givenName": "Mia"}, "displayName": "Mia L", "password": "x"}},
    )
    assert response.status_code == 200 and response.json()["name"]["givenName"] == "Mia"
    assert _as_it_was(maria) == ("maria@blueharbor.test", "Mia", "", "Mia L")


def test_entra_updates_by_paths_with_capitalised_ops_and_string_booleans(world, idp, maria):
    response = _patch(
        idp,
        maria,
        {"op": "Replace", "path": "name.givenName", "value": "Maria"},
        {"op": "Add", "path": "name.familyName", "value": "Lopez"},
        {"op": "Add", "path": "displayName", "value": "Maria Lopez"},  # the names' own: no choice
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "Maria@blueharbor.test"},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Surgery"},  # not kept: ignored
        {"op": "Replace", "path": "active", "value": "True"},
        {"op": "Replace", "path": f"{USER_SCHEMA}:name.formatted", "value": "Maria Lopez"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["displayName"] == "Maria Lopez" and response.json()["active"] is True
    assert _as_it_was(maria) == ("maria@blueharbor.test", "Maria", "Lopez", "")
    assert _scim_events(world, "subscriber.details").count() == 1
    # The same changes again write nothing; then Entra disables the user.
    assert (
        _patch(idp, maria, {"op": "Replace", "path": "name.givenName", "value": "Maria"}).status_code == 200
    )
    assert _scim_events(world, "subscriber.details").count() == 1
    deactivated = _patch(idp, maria, {"op": "Replace", "path": "active", "value": "False"})
    assert deactivated.status_code == 200 and deactivated.json()["active"] is False
    assert not Subscriber.objects.filter(pk=maria.pk).exists() and not _open_interval(maria)


def test_entra_changes_the_address_with_username_and_emails_together(world, idp, maria):
    response = _patch(
        idp,
        maria,
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "m.lopez@blueharbor.test"},
        {"op": "Replace", "path": "userName", "value": "m.lopez@blueharbor.test"},
    )
    assert response.status_code == 200 and response.json()["userName"] == "m.lopez@blueharbor.test"
    assert _as_it_was(maria)[0] == "m.lopez@blueharbor.test"


@pytest.mark.parametrize(
    ("operations", "scim_type"),
    [
        ([{"op": "remove", "value": {"active": False}}], "noTarget"),
        ([{"op": "move", "path": "active", "value": False}], "invalidSyntax"),
        (["replace active"], "invalidSyntax"),
        ([{"op": "replace", "path": "name[", "value": "x"}], "invalidPath"),
        ([{"op": "replace", "path": "active.value", "value": False}], "invalidPath"),
        ([{"op": "replace", "path": "active", "value": "no"}], "invalidValue"),
        ([{"op": "replace", "path": "active"}], "invalidValue"),
        ([{"op": "replace", "value": "active=false"}], "invalidValue"),
        ([{"op": "remove", "path": "userName"}], "mutability"),
        ([{"op": "remove", "path": "active"}], "mutability"),
        ([{"op": "replace", "path": "id", "value": "another"}], "mutability"),
        ([{"op": "replace", "path": 'emails[type eq "work"].value', "value": "else@x.test"}], "mutability"),
        ([{"op": "replace", "path": "name.givenName", "value": "Ma\u202eria"}], "invalidValue"),
        ([{"op": "replace", "path": "displayName", "value": "x" * 151}], "invalidValue"),
        ([{"op": "replace", "path": "userName", "value": "not an address"}], "invalidValue"),
    ],
)
def test_patch_refusals_are_scim_errors_and_write_nothing(world, idp, maria, operations, scim_type):
    # Each refused operation follows one that would have renamed her: all of them or none.
    first = {"op": "replace", "path": "name.givenName", "value": "Renamed"}
    _refused(_patch(idp, maria, first, *operations), 400, scim_type)
    assert _as_it_was(maria) == ("maria@blueharbor.test", "", "", "") and _open_interval(maria)
    assert not AuditEvent.objects.filter(actor=world.acme_admin, channel="scim").exists()


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"\xff",
        b'"Operations"',
        b'{"Operations": []}',
        b'{"Operations": {"op": "replace"}}',
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the JSON parser goes
    ],
    ids=["truncated", "not-utf8", "a-string", "no-operations", "operations-not-a-list", "too-deep"],
)
def test_a_patch_that_is_not_a_patch_request_is_invalid_syntax(idp, maria, body):
    _refused(idp.patch(_url(maria), body, content_type=JSON), 400, "invalidSyntax")


def test_deactivating_an_administrator_is_refused_and_their_rename_with_it(world, idp):
    admin = Subscriber.objects.get(email="admin@blueharbor.test")
    before = _as_it_was(admin)
    response = _patch(
        idp,
        admin,
        {"op": "replace", "path": "name.familyName", "value": "Renamed"},
        {"op": "replace", "path": "active", "value": False},
    )
    _refused(response, 409, None)
    assert "administrator" in response.json()["detail"]
    assert _as_it_was(admin) == before and _open_interval(admin)
    assert not AuditEvent.objects.filter(actor=world.acme_admin, channel="scim").exists()


# --- DELETE ----------------------------------------------------------------------------------------------


def test_delete_removes_the_user_through_the_removal_service(world, idp, maria):
    response = idp.delete(_url(maria))
    assert response.status_code == 204 and response.content == b""
    assert not Subscriber.objects.filter(pk=maria.pk).exists() and not _open_interval(maria)
    event = _scim_events(world, "subscriber.remove").get()
    assert event.acting_org == world.blue_harbor.org and event.before["email"] == "maria@blueharbor.test"
    _refused(idp.delete(_url(maria)), 404, None)


def test_delete_refuses_an_administrator(world, idp):
    admin = Subscriber.objects.get(email="admin@blueharbor.test")
    _refused(idp.delete(_url(admin)), 409, None)
    assert Subscriber.objects.filter(pk=admin.pk).exists()


# --- Who may -----------------------------------------------------------------------------------------------


def test_another_organisations_secret_or_a_malformed_id_is_a_404_and_changes_nothing(world, idp, maria):
    other = Client(
        HTTP_AUTHORIZATION=f"Bearer {scim_enable(actor=world.acme_admin, org=world.cedar_pine.org)}"
    )
    location = world.blue_harbor.org.locations.first()
    for client, target in (
        (other, maria.webex_id),
        (idp, "not-an-id"),
        (idp, "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9ub3RoaW5n"),
        (idp, location.webex_id if location else "x"),  # an id of another kind
    ):
        url = reverse("scim_user", kwargs={"user_id": target})
        _refused(client.get(url), 404, None)
        _refused(client.put(url, {"userName": "x@cedarpine.test"}, content_type=JSON), 404, None)
        _refused(
            client.patch(
                url, {"Operations": [{"op": "replace", "value": {"active": False}}]}, content_type=JSON
            ),
            404,
            None,
        )
        _refused(client.delete(url), 404, None)
    assert _as_it_was(maria) == ("maria@blueharbor.test", "", "", "") and _open_interval(maria)
    assert not AuditEvent.objects.filter(channel="scim").exists()


def test_without_a_valid_secret_every_method_is_401(idp, maria):
    for client in (Client(), Client(HTTP_AUTHORIZATION="Bearer nope"), Client(HTTP_AUTHORIZATION="Basic x")):
        for method in ("get", "put", "patch", "delete"):
            response = getattr(client, method)(_url(maria), {}, content_type=JSON)
            _refused(response, 401, None)
            assert response["WWW-Authenticate"] == "Bearer"
    assert Subscriber.objects.filter(pk=maria.pk).exists()


def test_restricted_mode_takes_the_writes_from_the_customer_admin_who_turned_scim_on(world, blue, maria):
    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=False)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {scim_enable(actor=world.blue_admin, org=blue)}")
    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=True)
    for url in (reverse("scim_users"), _url(maria)):
        refused = client.get(url)
        _refused(refused, 403, None)
        assert "partner" in refused.json()["detail"]  # the restriction's own words
    _refused(
        client.post(reverse("scim_users"), {"userName": "new@blueharbor.test"}, content_type=JSON), 403, None
    )
    _refused(_patch(client, maria, {"op": "replace", "path": "active", "value": False}), 403, None)
    _refused(
        _put(client, maria, {"userName": "maria@blueharbor.test", "name": {"givenName": "X"}}), 403, None
    )
    _refused(client.delete(_url(maria)), 403, None)
    assert _as_it_was(maria) == ("maria@blueharbor.test", "", "", "") and _open_interval(maria)


def test_a_secret_left_by_a_former_administrator_reaches_nothing(world, idp, maria):
    DirectorySettings.objects.filter(org=world.blue_harbor.org).update(
        scim_enabled_by=None
    )  # they were deleted
    _refused(idp.get(reverse("scim_users")), 403, None)
    _refused(idp.get(_url(maria)), 403, None)
    _refused(idp.delete(_url(maria)), 403, None)
    assert Subscriber.objects.filter(pk=maria.pk).exists()


def test_a_method_the_url_does_not_answer_is_a_405_scim_error(idp, maria):
    response = idp.post(_url(maria), {}, content_type=JSON)
    _refused(response, 405, None)
    assert response["Allow"] == "GET, PUT, PATCH, DELETE"
    _refused(idp.delete(reverse("scim_users")), 405, None)


# --- Discovery ---------------------------------------------------------------------------------------------


def test_discovery_says_what_the_endpoint_supports_to_anyone(db):
    client = Client()  # the documents name no organisation: no secret needed
    config = client.get(reverse("scim_service_provider_config"))
    assert config.status_code == 200 and config["Content-Type"] == JSON
    config = config.json()
    assert config["patch"] == {"supported": True} and config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 100}
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    assert config["meta"]["location"].endswith("/scim/v2/ServiceProviderConfig")
    types = client.get(reverse("scim_resource_types")).json()
    assert [t["id"] for t in types["Resources"]] == ["User"] and types["totalResults"] == 1
    user_type = client.get(reverse("scim_resource_type", kwargs={"type_id": "User"})).json()
    assert (user_type["endpoint"], user_type["schema"]) == ("/Users", USER_SCHEMA)
    schema = client.get(reverse("scim_schema", kwargs={"schema_id": USER_SCHEMA})).json()
    attributes = {a["name"]: a for a in schema["attributes"]}
    assert set(attributes) == {"userName", "name", "displayName", "emails", "active"}
    assert attributes["userName"]["required"] and attributes["emails"]["mutability"] == "readOnly"
    assert client.get(reverse("scim_schemas")).json()["Resources"] == [schema]
    _refused(client.get(reverse("scim_resource_type", kwargs={"type_id": "Group"})), 404, None)
    _refused(client.get(reverse("scim_schema", kwargs={"schema_id": ENTERPRISE})), 404, None)
    _refused(client.get(reverse("scim_schemas"), {"filter": 'id eq "x"'}), 403, None)
    _refused(client.post(reverse("scim_schemas")), 405, None)


def test_the_directory_synchronisation_page_gives_the_base_url_identity_providers_ask_for(
    world, blue, page_client
):
    page = page_client(world.acme_admin).get(
        reverse("control:directory_sync", kwargs={"org_id": blue.webex_id})
    )
    html = page.content.decode()
    assert '<code data-testid="scim-url">http://testserver/scim/v2</code>' in html
    assert "deactivates is removed here" in html
