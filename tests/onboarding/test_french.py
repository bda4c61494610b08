"""Onboarding templates in French (issue 12, item 12): the list, the detail and the wizard read in the
reader's language, and the wizard's choices follow the language of each request (not the import's)."""

from django.urls import reverse
from django.utils import translation

from apps.onboarding.forms import TemplateForm
from apps.onboarding.models import OnboardingTemplate


def _choose_french(user):
    user.language = "fr"
    user.save(update_fields=["language"])


def test_the_extension_lengths_follow_the_language_of_the_request():
    for language, four in (("fr", "4 chiffres"), ("en", "4 digits"), ("fr", "4 chiffres")):
        with translation.override(language):
            form = TemplateForm(subscription_id="sub-1")
            assert str(dict(form.fields["extension_length"].choices)[4]) == four


def test_the_templates_read_in_french(world, page_client):
    _choose_french(world.acme_admin)
    client = page_client(world.acme_admin)
    org_id = world.acme.webex_id
    page = client.get(reverse("partner:template_list", kwargs={"org_id": org_id})).content.decode()
    assert "<h1>Modèles d'intégration</h1>" in page and "Créer un modèle" in page
    assert "Onboarding templates" not in page

    template = OnboardingTemplate.objects.get(partner=world.acme)
    detail = reverse(
        "partner:template_detail", kwargs={"org_id": org_id, "template_id": template.provisioning_id}
    )
    page = client.get(detail).content.decode()
    assert "ID de provisionnement" in page and "4 chiffres" in page and "Paramètres principaux" in page
    assert "Primary settings" not in page

    wizard = client.get(reverse("partner:template_create", kwargs={"org_id": org_id})).content.decode()
    assert "Nom du modèle" in wizard and ">Suivant</button>" in wizard and "Annuler" in wizard
