"""User details (first and last name, display name, primary e-mail): editable by customer admins even under
restricted-by-partner mode (the guide), audited, 10022 on an address someone else has."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.errors import ErrorCode
from apps.core.models import AuditEvent
from apps.subscribers.models import Subscriber
from apps.subscribers.services.details import subscriber_details_update


@pytest.fixture
def maria(world):
    return Subscriber.objects.get(email="maria@blueharbor.test")


def _url(world, subscriber) -> str:
    return reverse(
        "control:user_details",
        kwargs={"org_id": world.blue_harbor.org.webex_id, "subscriber_id": subscriber.webex_id},
    )


def test_a_customer_admin_edits_names_and_email_under_restricted_mode(world, page_client, maria):
    assert world.blue_harbor.restricted_by_partner
    response = page_client(world.blue_admin).post(
        _url(world, maria),
        {
            "first_name": "Maria",
            "last_name": "Lopez",
            "display_name": "Dr. Lopez",
            "email": "M.Lopez@blueharbor.test",
        },
    )
    assert response.status_code == 302
    maria.refresh_from_db()
    assert (maria.first_name, maria.last_name, maria.display_name) == ("Maria", "Lopez", "Dr. Lopez")
    assert maria.email == "m.lopez@blueharbor.test"
    event = AuditEvent.objects.get(action="subscriber.details", actor=world.blue_admin)
    assert (
        event.before["email"] == "maria@blueharbor.test" and event.after["chosen_display_name"] == "Dr. Lopez"
    )


def test_a_taken_address_is_10022_and_nothing_changes(world, maria):
    for taken in ("tom@blueharbor.test", "admin@acme.test", "ADMIN@blueharbor.test"):
        with pytest.raises(ValidationError) as refused:
            subscriber_details_update(
                actor=world.blue_admin,
                subscriber=maria,
                first_name="X",
                last_name="",
                display_name="",
                email=taken,
            )
        assert refused.value.error_dict["email"][0].code == ErrorCode.EMAIL_IN_USE
    maria.refresh_from_db()
    assert maria.first_name != "X" and maria.email == "maria@blueharbor.test"


def test_the_page_shows_10022_on_the_field(world, page_client, maria):
    response = page_client(world.blue_admin).post(
        _url(world, maria),
        {"first_name": "", "last_name": "", "display_name": "", "email": "tom@blueharbor.test"},
    )
    assert response.status_code == 200
    assert "already associated with an existing user" in response.content.decode()


def test_read_only_admins_see_but_cannot_edit(world, page_client, maria):
    client = page_client(world.blue_readonly)
    assert client.get(_url(world, maria)).status_code == 200
    assert client.post(_url(world, maria), {"email": "x@blueharbor.test"}).status_code == 403
    with pytest.raises(PermissionDenied):
        subscriber_details_update(
            actor=world.blue_readonly,
            subscriber=maria,
            first_name="",
            last_name="",
            display_name="",
            email="x@y.test",
        )


@pytest.mark.parametrize("field", ["first_name", "last_name", "display_name"])
def test_a_name_with_a_control_or_text_direction_character_is_refused(world, maria, field):
    names = {"first_name": "Maria", "last_name": "Lopez", "display_name": ""}
    with pytest.raises(ValidationError) as refused:
        subscriber_details_update(
            actor=world.blue_admin,
            subscriber=maria,
            email=maria.email,
            **names | {field: "Ma\u202eria"},
        )
    assert refused.value.error_dict[field][0].code == ErrorCode.PERSON_NAME_INVALID
    maria.refresh_from_db()
    assert "\u202e" not in maria.display_name
