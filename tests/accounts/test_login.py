"""Signing in: e-mail login, no public sign-up, rate limits, invitations, required two-factor."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.services import person_invite
from apps.partners.services import partner_settings_update
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_email_login_lands_in_the_home_hub(world, client):
    response = login(client, "admin@acme.test")
    assert response.status_code == 302
    home = client.get(response.url)
    assert home.url == f"/partner/{world.acme.webex_id}/"


@pytest.mark.parametrize(
    ("persona", "prefix"),
    [
        ("operator", "/ops/"),
        ("acme_admin", "/partner/"),
        ("northwind_admin", "/partner/"),
        ("blue_admin", "/org/"),
    ],
)
def test_home_redirects_each_persona_to_its_console(world, page_client, persona, prefix):
    response = page_client(getattr(world, persona)).get("/")
    assert response.status_code == 302 and response.url.startswith(prefix)
    assert page_client(getattr(world, persona)).get(response.url).status_code == 200


def test_a_person_without_a_role_has_no_console(world, page_client):
    subscriber = world.blue_harbor.subscribers.get(email="maria@blueharbor.test").user
    response = page_client(subscriber).get("/")
    assert response.status_code == 403
    assert b"No administrator access" in response.content


def test_there_is_no_public_signup(client, db):
    response = client.get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code in (403, 404)
    client.post("/accounts/signup/", {"email": "intruder@example.com", "password1": "Whatever-123456"})
    from apps.accounts.selectors import user_get_by_email

    assert user_get_by_email(email="intruder@example.com") is None


def test_failed_logins_are_rate_limited(world, client):
    for _ in range(5):
        assert login(client, "admin@acme.test", "wrong-password").status_code == 200
    response = login(client, "admin@acme.test", PASSWORD)
    assert response.status_code != 302
    assert b"Too many failed login attempts" in response.content


def test_invited_admin_sets_a_password_through_the_link_and_signs_in(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_invite(
            actor=world.acme_admin, org=world.acme, email="invitee@acme.test", roles=[Role.FULL_ADMIN]
        )
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    password = "A-new-Password-2026"
    # The welcome page (issue 12, item 6) names its fields as Django's SetPasswordForm does.
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert login(client, "invitee@acme.test", "A-new-Password-2026").status_code == 302
    # Using the e-mailed link proved the address: allauth lets the person add an authenticator.
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user__email="invitee@acme.test").verified


def test_partner_can_require_two_factor_for_its_admins(world, page_client):
    partner_settings_update(actor=world.acme_admin, org=world.acme, require_admin_mfa=True)
    client = page_client(world.acme_readonly)
    response = client.get(f"/partner/{world.acme.webex_id}/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert client.get(response.url, follow=True).status_code == 200  # via re-authentication
    Authenticator.objects.create(user=world.acme_readonly, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(f"/partner/{world.acme.webex_id}/").status_code == 200
    # Other partners and customer admins are not affected.
    assert page_client(world.globex_admin).get(f"/partner/{world.globex.webex_id}/").status_code == 200
