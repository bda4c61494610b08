"""A customer's organisation settings and domains on the partner API: the same services as the pages, all
or nothing, Webex error bodies."""

from django.urls import reverse

from apps.calling.selectors import calling_settings_of
from apps.core.errors import ErrorCode
from apps.core.models import AuditEvent
from apps.customers.selectors import org_settings_of


def _url(name: str, customer) -> str:
    return reverse(name, kwargs={"customer_id": customer.webex_id})


def test_a_partner_reads_and_changes_a_customers_settings(world, api_client):
    client = api_client(world.acme_admin)
    url = _url("api_customer_settings", world.blue_harbor)
    body = client.get(url).json()
    assert body["companyName"] == "Blue Harbor Dental" and body["webexAssistantEnabled"] is True
    response = client.put(
        url,
        {
            "companyName": "Blue Harbor Dental Group",
            "suppressAdminInviteEmail": True,
            "webexAssistantEnabled": False,
            "calling": {"callRecording": True, "pstnConnection": "local_gateway"},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["companyName"] == "Blue Harbor Dental Group" and body["suppressAdminInviteEmail"] is True
    assert body["calling"]["callRecording"] is True and body["calling"]["pstnConnection"] == "local_gateway"
    assert body["webexAssistantEnabled"] is False
    assert AuditEvent.objects.filter(action="calling.call_recording", actor=world.acme_admin).exists()


def test_one_bad_field_writes_nothing(world, api_client):
    client = api_client(world.acme_admin)
    response = client.put(
        _url("api_customer_settings", world.blue_harbor),
        {"companyName": "Renamed", "emailLocale": "xx_YY", "calling": {"callRecording": True}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["errorCode"] == ErrorCode.LANGUAGE_UNSUPPORTED
    world.blue_harbor.org.refresh_from_db()
    assert world.blue_harbor.org.name == "Blue Harbor Dental"
    assert not calling_settings_of(org=world.blue_harbor.org).call_recording
    assert org_settings_of(org=world.blue_harbor.org).email_locale != "xx_YY"
    for garbage in ({"calling": "x"}, {"companyName": ""}, {"webexAssistantEnabled": "maybe"}, []):
        assert (
            client.put(_url("api_customer_settings", world.blue_harbor), garbage, format="json").status_code
            == 400
        )


def test_domains_are_added_verified_and_claimed(world, api_client):
    client = api_client(world.acme_admin)
    url = _url("api_customer_domains", world.blue_harbor)
    added = client.post(url, {"name": "blue.example"}, format="json")
    assert added.status_code == 201 and added.json()["items"][0]["txtRecord"].startswith("wholesalehub-site-")
    unverified = client.post(url, {"name": "blue.example", "action": "claim"}, format="json")
    assert (
        unverified.status_code == 400
        and unverified.json()["errors"][0]["errorCode"] == ErrorCode.DOMAIN_NOT_VERIFIED
    )
    assert client.post(url, {"name": "nope.example", "action": "verify"}, format="json").status_code == 400
    readonly = api_client(world.acme_readonly)
    assert readonly.get(url).status_code == 200
    assert readonly.post(url, {"name": "x.example"}, format="json").status_code == 403
    assert api_client(world.globex_admin).get(url).status_code == 404
