"""Each person reads the portal in their language: their own choice, else their organisation's, else their
browser's; the API answers in English whatever the request asks."""

from django.utils import translation

from apps.accounts.language import language_for, portal_language


def _speak_french(customer):
    customer.org_locale = "fr_FR"
    customer.save(update_fields=["org_locale"])


def test_portal_language_reads_locales():
    assert portal_language("fr_CA") == "fr"
    assert portal_language("en-GB") == "en"
    assert portal_language("de_DE") is None
    assert portal_language("") is None


def test_a_customer_admin_reads_their_organisation_language(world, page_client):
    _speak_french(world.blue_harbor)
    response = page_client(world.blue_admin).get(f"/org/{world.blue_harbor.org.webex_id}/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert b'<html lang="fr">' in response.content


def test_their_own_choice_wins_over_the_organisation(world, page_client):
    _speak_french(world.blue_harbor)
    client = page_client(world.blue_admin)
    response = client.post("/accounts/language/", {"language": "en"}, follow=True)
    assert response.status_code == 200
    world.blue_admin.refresh_from_db()
    assert world.blue_admin.language == "en"
    assert language_for(world.blue_admin) == "en"
    page = client.get(f"/org/{world.blue_harbor.org.webex_id}/")
    assert b'<html lang="en">' in page.content


def test_the_picker_names_the_organisation_language(world, page_client):
    _speak_french(world.blue_harbor)
    response = page_client(world.blue_admin).get("/accounts/language/")
    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("en"):
        labels = [str(label) for _, label in form.fields["language"].choices]
    assert labels[0].endswith("(Français)")
    assert [code for code, _ in form.fields["language"].choices] == ["", "en", "fr"]


def test_a_language_the_portal_does_not_speak_is_refused(world, page_client):
    response = page_client(world.blue_admin).post("/accounts/language/", {"language": "xx"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    world.blue_admin.refresh_from_db()
    assert world.blue_admin.language == ""


def test_a_partner_admin_follows_the_browser(world, page_client):
    client = page_client(world.acme_admin)
    response = client.get(f"/partner/{world.acme.webex_id}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert b'<html lang="fr">' in response.content
    response = client.get(f"/partner/{world.acme.webex_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'<html lang="en">' in response.content


def test_the_api_answers_in_english_whatever_is_asked(world, api_client):
    _speak_french(world.blue_harbor)
    response = api_client(world.acme_admin).get(
        "/v1/wholesale/customers/not-an-id", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 404
    assert response.headers.get("Content-Language", "en") == "en"


def test_the_language_of_a_request_ends_with_it(world, page_client):
    _speak_french(world.blue_harbor)
    with translation.override("en"):
        page_client(world.blue_admin).get(f"/org/{world.blue_harbor.org.webex_id}/")
        assert translation.get_language() == "en"


def test_signing_in_greets_in_the_persons_language(world, client):
    from django.contrib.messages import get_messages

    from tests.conftest import PASSWORD

    _speak_french(world.blue_harbor)
    response = client.post(
        "/accounts/login/", {"login": world.blue_admin.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts and all("Successfully signed in" not in text for text in texts), texts
