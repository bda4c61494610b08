"""The consent e-mail speaks the invited person's language: their own choice, else the language of the
organisation inviting them; English otherwise, word for word as before."""

from django.core import mail

from apps.accounts.models import User
from apps.customers.models import Customer
from apps.subscribers.services import subscriber_add


def _invite(world, django_capture_on_commit_callbacks, **person):
    User.objects.create_user(email="sam@gmail.test", first_name="Sam", **person)
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_add(
            actor=world.acme_admin,
            customer=world.cedar_pine,
            email="sam@gmail.test",
            package="webex_calling",
            extension="3001",
        )
    (message,) = mail.outbox
    return message


def test_in_english_the_e_mail_reads_as_before(world, django_capture_on_commit_callbacks):
    message = _invite(world, django_capture_on_commit_callbacks)
    assert message.subject == "Cedar & Pine Legal invites you to move your Webex account"
    assert message.body.startswith(
        "Hello Sam,\n\nCedar & Pine Legal (with Acme Telecom) has added you to its Webex organisation with "
        "the Webex Calling package.\n\nYou already have a Webex account with sam@gmail.test. To move it into "
        "Cedar & Pine Legal, open this link and accept:\nhttp"
    )
    assert message.body.endswith(
        "Your account keeps its sign-in; Cedar & Pine Legal's administrators will manage it from then on. "
        "The link works once and expires in 30 days. If you do not expect this, ignore this e-mail: nothing "
        "changes.\n\n— Wholesale Hub"
    )


def test_a_french_organisation_invites_in_french(world, django_capture_on_commit_callbacks):
    Customer.objects.filter(pk=world.cedar_pine.pk).update(org_locale="fr_FR")
    message = _invite(world, django_capture_on_commit_callbacks)
    assert message.subject == "Cedar & Pine Legal vous invite à transférer votre compte Webex"
    assert message.body.startswith("Bonjour Sam,")
    assert "ouvrez ce lien et acceptez" in message.body


def test_the_person_s_own_language_comes_first(world, django_capture_on_commit_callbacks):
    Customer.objects.filter(pk=world.cedar_pine.pk).update(org_locale="fr_FR")
    message = _invite(world, django_capture_on_commit_callbacks, language="en")
    assert message.body.startswith("Hello Sam,")
