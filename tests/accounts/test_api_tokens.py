"""API tokens: hashed at rest, scoped, expiring, revocable, and the create_api_token command."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import ApiScope, ApiToken
from apps.accounts.services import (
    LAST_USED_GRANULARITY,
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from apps.core.models import AuditEvent
from tests.conftest import fresh
from tests.core.test_api_conventions import assert_webex_error

ADMINS = "/v1/partner/admins"


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def every_stored_value(token: ApiToken) -> list[str]:
    return [str(getattr(token, field.attname)) for field in ApiToken._meta.concrete_fields]


def test_only_the_hash_of_the_secret_is_stored(world):
    token, secret = api_token_create(actor=fresh(world.acme_admin), name="CI", scopes=[ApiScope.PEOPLE_READ])
    assert secret.startswith(TOKEN_PREFIX) and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in value for value in every_stored_value(stored))
    assert stored.prefix == secret[: len(stored.prefix)] and len(stored.prefix) < len(secret) // 4
    assert stored.scopes == [ApiScope.PEOPLE_READ]
    event = AuditEvent.objects.get(action="api_token.create", target_id=str(token.pk))
    assert secret not in str(event.after) and event.after["scopes"] == [ApiScope.PEOPLE_READ]


def test_two_tokens_never_share_a_secret(world):
    actor = fresh(world.acme_admin)
    secrets_ = {
        api_token_create(actor=actor, name=f"t{n}", scopes=[ApiScope.PEOPLE_READ])[1] for n in range(5)
    }
    assert len(secrets_) == 5


@pytest.mark.parametrize(
    ("scopes", "expires_in", "name"),
    [
        (["spark-admin:everything"], None, "x"),
        ([], None, "x"),
        ([ApiScope.PEOPLE_READ], timedelta(seconds=-1), "x"),
        ([ApiScope.PEOPLE_READ], None, "   "),
    ],
)
def test_bad_token_requests_are_refused(world, scopes, expires_in, name):
    expires_at = timezone.now() + expires_in if expires_in else None
    with pytest.raises(ValidationError):
        api_token_create(actor=fresh(world.acme_admin), name=name, scopes=scopes, expires_at=expires_at)
    assert not ApiToken.objects.filter(user=world.acme_admin).exists()


def test_only_partner_people_hold_tokens(world):
    with pytest.raises(PermissionDenied):
        api_token_create(actor=fresh(world.blue_admin), name="x", scopes=[ApiScope.PEOPLE_READ])


def test_scopes_limit_what_a_token_reaches(world):
    _, secret = api_token_create(actor=fresh(world.acme_admin), name="read", scopes=[ApiScope.PEOPLE_READ])
    client = bearer(secret)
    assert client.get(ADMINS).status_code == 200
    assert_webex_error(client.post(ADMINS, {"email": "x@acme.test", "roles": ["read_only_admin"]}), 403)
    assert_webex_error(client.get("/v1/partner/auditEvents"), 403)


def test_a_token_acts_with_its_owners_current_roles(world):
    _, secret = api_token_create(actor=fresh(world.acme_readonly), name="all", scopes=ApiScope.values)
    # Every scope, but the owner may not manage administrators: the role decides.
    assert_webex_error(
        bearer(secret).post(ADMINS, {"email": "x@acme.test", "roles": ["read_only_admin"]}), 403
    )


def test_expiry_is_honoured(world, monkeypatch):
    token, secret = api_token_create(
        actor=fresh(world.acme_admin),
        name="short",
        scopes=ApiScope.values,
        expires_at=timezone.now() + timedelta(minutes=30),
    )
    assert api_token_authenticate(secret=secret) == token
    assert bearer(secret).get(ADMINS).status_code == 200
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert api_token_authenticate(secret=secret) is None
    assert_webex_error(bearer(secret).get(ADMINS), 401)


def test_a_revoked_token_is_refused(world):
    actor = fresh(world.acme_admin)
    token, secret = api_token_create(actor=actor, name="gone", scopes=ApiScope.values)
    assert bearer(secret).get(ADMINS).status_code == 200
    api_token_revoke(actor=actor, token=token)
    assert api_token_authenticate(secret=secret) is None
    assert_webex_error(bearer(secret).get(ADMINS), 401)
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).count() == 1
    api_token_revoke(actor=actor, token=token)  # again: nothing more happens
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).count() == 1


def test_only_the_owner_revokes(world):
    token, _ = api_token_create(actor=fresh(world.acme_admin), name="mine", scopes=ApiScope.values)
    with pytest.raises(ValidationError):
        api_token_revoke(actor=fresh(world.acme_wholesale), token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_deactivated_owner_s_token_is_refused(world):
    token, secret = api_token_create(actor=fresh(world.acme_wholesale), name="x", scopes=ApiScope.values)
    token.user.is_active = False
    token.user.save(update_fields=["is_active"])
    assert_webex_error(bearer(secret).get(ADMINS), 401)


def test_last_use_is_recorded_at_most_once_a_minute(world, monkeypatch):
    token, secret = api_token_create(actor=fresh(world.acme_admin), name="used", scopes=ApiScope.values)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None
    bearer(secret).get(ADMINS)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    bearer(secret).get(ADMINS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    later = timezone.now() + LAST_USED_GRANULARITY + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    bearer(secret).get(ADMINS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later


def test_an_unknown_secret_does_not_touch_any_token(world):
    token, secret = api_token_create(actor=fresh(world.acme_admin), name="x", scopes=ApiScope.values)
    assert api_token_authenticate(secret=secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert api_token_authenticate(secret=secret.removeprefix(TOKEN_PREFIX)) is None
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


# --- manage.py create_api_token ----------------------------------------------------------------------------


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_prints_only_the_secret(world):
    output = run_command(
        "--email", "Admin@Acme.test", "--scopes", ApiScope.PEOPLE_READ, ApiScope.AUDIT_EVENTS_READ
    )
    assert output.endswith("\n") and output.count("\n") == 1
    secret = output.strip()
    assert secret.startswith(TOKEN_PREFIX)
    token = api_token_authenticate(secret=secret)
    assert token is not None and token.user == world.acme_admin
    assert token.scopes == sorted([ApiScope.PEOPLE_READ, ApiScope.AUDIT_EVENTS_READ])
    assert token.expires_at is None
    assert bearer(secret).get(ADMINS).status_code == 200
    event = AuditEvent.objects.get(action="api_token.create", target_id=str(token.pk))
    assert event.channel == "command"


def test_command_defaults_to_every_scope_and_can_expire(world):
    secret = run_command(
        "--email", "admin@acme.test", "--name", "nightly sync", "--expires-days", "7"
    ).strip()
    token = api_token_authenticate(secret=secret)
    assert token.scopes == sorted(ApiScope.values)
    assert token.name == "nightly sync"
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "nobody@acme.test"], "nobody@acme.test"),
        (["--email", "admin@acme.test", "--scopes", "spark-admin:everything"], "spark-admin:everything"),
        (["--email", "admin@acme.test", "--expires-days", "0"], "expires"),
        (["--email", "admin@blueharbor.test"], "API tokens"),  # a customer admin holds no tokens
    ],
)
def test_command_refuses_with_a_message_and_creates_nothing(world, args, message):
    before = ApiToken.objects.count()
    with pytest.raises(CommandError, match=message):
        run_command(*args)
    assert ApiToken.objects.count() == before


def test_command_exits_non_zero_with_the_error_on_stderr(world, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends: the shared world's transaction would go with it.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "create_api_token", "--email", "nobody@acme.test"]).execute()
    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nobody@acme.test" in captured.err


def test_the_api_access_page_says_what_each_scope_lets_a_token_do(world, page_client):
    api_token_create(
        actor=world.acme_admin, name="Billing sync", scopes=[ApiScope.WHOLESALE_BILLING_REPORTS_READ]
    )
    url = f"/partner/{world.acme.webex_id}/api-tokens/"
    page = page_client(world.acme_admin).get(url).content.decode()
    # The form offers every scope by what it allows, its Webex name beside it for integrators.
    for scope in ApiScope:
        assert str(scope.label) in page and scope.value in page
    # The token's row reads the same way.
    row = page[page.index("Billing sync") :]
    assert "Read billing reports and Setup Assist orders" in row[:600]
