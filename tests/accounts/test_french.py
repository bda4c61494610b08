"""Accounts in French (issue 12, item 12): the administrators' pages, the hubs' navigation, refusals, flash
messages, the invitation e-mail and the welcome page read in the person's (or their organisation's)
language."""

from django.core import mail
from django.utils import translation

from apps.accounts.permissions import Action, refusal_reason
from apps.accounts.roles import Role
from apps.accounts.services import password_set_url, person_invite


def _speak_french(customer):
    customer.org_locale = "fr_FR"
    customer.save(update_fields=["org_locale"])


def _choose_french(user):
    user.language = "fr"
    user.save(update_fields=["language"])


def test_the_administrators_page_and_the_navigation_read_in_french(world, page_client):
    _choose_french(world.acme_admin)
    client = page_client(world.acme_admin)
    page = client.get(f"/partner/{world.acme.webex_id}/administrators/").content.decode()
    assert "<h1>Administrateurs</h1>" in page
    assert "Inviter un administrateur" in page and "Administrateur complet du partenaire" in page
    assert "Fournisseurs indirects" in page and "Journal d&#x27;audit" in page  # the hub's navigation
    assert "Invite an administrator" not in page and "Indirect providers" not in page

    response = client.post(
        f"/partner/{world.acme.webex_id}/administrators/",
        {"email": "nia@acme.test", "roles": [Role.PARTNER_ADMIN]},
        follow=True,
    )
    assert "Invitation envoyée à nia@acme.test." in response.content.decode()


def test_a_refusal_names_the_action_in_the_reader_language(world):
    with translation.override("fr"):
        reason = refusal_reason(world.acme_readonly, Action.ADMINS_MANAGE, world.acme)
    assert reason == "Vos rôles ne vous autorisent pas à gérer les administrateurs ici."
    with translation.override("en"):
        reason = refusal_reason(world.acme_readonly, Action.ADMINS_MANAGE, world.acme)
    assert reason == "Your roles do not allow you to manage administrators here."


def test_the_invitation_email_speaks_the_organisation_language(world, django_capture_on_commit_callbacks):
    _speak_french(world.blue_harbor)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        person_invite(
            actor=world.blue_admin,
            org=world.blue_harbor.org,
            email="claire@blueharbor.test",
            first_name="Claire",
            roles=[Role.READ_ONLY_ADMIN],
        )
    message = mail.outbox[-1]
    assert message.subject == "Invitation à administrer Blue Harbor Dental sur Wholesale Hub"
    assert message.body.startswith("Bonjour Claire,")
    assert "/welcome/" in message.body


def test_the_welcome_page_speaks_the_invitee_language_before_they_sign_in(world, client):
    _speak_french(world.blue_harbor)
    link = password_set_url(user=world.blue_readonly).split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{link}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bienvenue dans Blue Harbor Dental" in page
    assert "administrateur en lecture seule" in page  # the role, in the sentence, in French
    assert "Choisissez votre mot de passe" in page
