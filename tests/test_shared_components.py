"""The shared components have one copy each: the user-row form, the location field set, the wizard engine,
the list-page component, the confirm dialog and the error registry's API table."""

import re
from pathlib import Path

import pytest

from apps.locations.forms import LOCATION_FIELDS, LocationForm
from apps.locations.services.locations import FIELDS, TEXT_LIMITS
from apps.locations.services.numbers import EXTENSION_MAX_DIGITS
from apps.provisioning.forms import HeadquartersForm
from apps.provisioning.setup.forms import NewLocationForm
from apps.subscribers.forms import CALLING_FIELDS, PERSON_FIELDS, ROW_FIELDS, UserRowForm
from tests.html import squash

# --- one user-row form --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fields", [ROW_FIELDS, CALLING_FIELDS], ids=["users page", "set-up numbers step"])
def test_an_extension_has_at_most_the_services_ten_digits_wherever_a_row_is_typed(fields):
    """The guide's extensions are of variable length; the service takes 2 to 10 digits. Both places that add
    people (the Users page: 10, the set-up wizard: 16 before) now refuse an 11th digit on the field."""
    assert EXTENSION_MAX_DIGITS == 10
    longest = UserRowForm({"extension": "1" * 10}, packages=[], fields=fields)
    assert longest.is_valid(), longest.errors
    too_long = UserRowForm({"extension": "1" * 11}, packages=[], fields=fields)
    assert not too_long.is_valid()
    assert list(too_long.errors) == ["extension"]
    assert 'maxlength="10"' in str(too_long["extension"])


def test_the_set_up_wizard_asks_a_row_in_two_parts_of_the_same_form():
    person = UserRowForm(packages=[], location_names=["Head office", "Depot"], fields=PERSON_FIELDS)
    calling = UserRowForm(packages=[], fields=CALLING_FIELDS)
    assert tuple(person.fields) == PERSON_FIELDS
    assert tuple(calling.fields) == CALLING_FIELDS
    assert [value for value, _label in person.fields["location"].choices] == ["Head office", "Depot"]
    assert set(PERSON_FIELDS) | set(CALLING_FIELDS) == set(ROW_FIELDS)


# --- one location field set ---------------------------------------------------------------------------------


def test_every_location_form_asks_the_services_fields_with_its_limits():
    assert LOCATION_FIELDS == FIELDS
    headquarters = HeadquartersForm()
    renamed = {"name": "location_name", "language": "location_language"}
    for form in (LocationForm(), NewLocationForm()):
        assert tuple(form.fields) == FIELDS
    for name in FIELDS:
        for field in (LocationForm().fields[name], headquarters.fields[renamed.get(name, name)]):
            if getattr(field, "max_length", None) is not None:
                assert field.max_length == TEXT_LIMITS[name], name
    assert list(headquarters.fields)[: len(FIELDS)] == [renamed.get(name, name) for name in FIELDS]
    assert headquarters.fields["location_name"].initial == "Headquarters"


# --- one confirm dialog, one confirm page -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def test_nothing_asks_through_the_browsers_confirm():
    script = (ROOT / "static/js/app.js").read_text()
    assert "window.confirm" not in script
    assert 'addEventListener("htmx:confirm"' in script  # hx-confirm asks the dialog too
    assert '{% include "components/dialog.html" %}' in (ROOT / "templates/base.html").read_text()


def test_every_removal_page_is_the_confirm_page():
    pages = [
        p
        for pattern in ("*_delete.html", "*_remove.html")
        for p in ROOT.glob(f"apps/*/templates/**/{pattern}")
    ]
    assert len(pages) == 5
    for path in pages:
        assert '{% include "components/confirm_page.html"' in path.read_text(), path.name
        assert "btn-danger" not in path.read_text(), path.name


# --- one list page ------------------------------------------------------------------------------------------


def list_pages(world) -> list[tuple[str, str, object]]:
    """(name, url, who) of every list page on the list component."""
    from apps.locations.models import Location

    acme, blue = world.acme.webex_id, world.blue_harbor.org.webex_id
    headquarters = Location.objects.get(org=world.blue_harbor.org, is_headquarters=True).webex_id
    return [
        ("number", f"/org/{blue}/locations/{headquarters}/", world.acme_admin),
        ("entry", "/ops/screening/", world.operator),
        ("location", f"/org/{blue}/locations/", world.acme_admin),
        ("user", f"/org/{blue}/users/", world.acme_admin),
        ("workspace", f"/org/{blue}/workspaces/", world.acme_admin),
        ("customer", f"/partner/{acme}/customers/", world.acme_admin),
        ("template", f"/partner/{acme}/templates/", world.acme_admin),
        ("partner", "/ops/", world.operator),
        ("hold", "/ops/screening/reviews/", world.operator),
    ]


def test_every_list_page_searches_in_place_with_one_empty_state(world, page_client):
    for name, url, who in list_pages(world):
        client = page_client(who)
        page = client.get(url)
        body = squash(page.content)
        assert page.status_code == 200, url
        assert f'id="{name}-search" type="search" name="q"' in body and 'maxlength="' in body, url
        assert body.count('id="results"') == 1 and 'hx-swap="outerHTML"' in body, url
        missing = client.get(url, {"q": "zz-none-zz"}, HTTP_HX_REQUEST="true")
        partial = missing.content.decode()
        assert "<html" not in partial and partial.count('id="results"') == 1, url
        assert f'data-testid="{name}-empty"' in partial and 'data-testid="clear-filters"' in partial, url
        assert "matches" in partial, url  # the "no … matches" state, not the "nothing yet" one


def test_a_search_form_asks_its_page_without_the_query_it_was_loaded_with(world, page_client):
    """A list's search (and the audit log's and Indirect providers' filter forms) gets the page's path with
    the form's own fields: an empty ``hx-get`` asked the current URL, query included, and htmx added the
    form's fields to it, so every search pushed one more ``q`` into the address bar (``?q=a&q=ab&q=abc``)."""
    acme = world.acme.webex_id
    pages = [(url, who) for _name, url, who in list_pages(world)]
    pages += [
        (f"/partner/{acme}/audit/", world.acme_admin),
        (f"/partner/{acme}/indirect-providers/", world.acme_admin),
    ]
    for url, who in pages:
        body = page_client(who).get(url, {"q": "a"}).content.decode()
        forms = re.findall(r'<form[^>]*hx-get="([^"]*)"', body)
        assert forms and all(action == url for action in forms), (url, forms)


def test_a_list_page_paginates_in_sql_with_a_fixed_query_count(
    world, page_client, django_assert_max_num_queries
):
    from apps.core.pagination import PAGE_SIZE
    from apps.onboarding.services import template_create

    client = page_client(world.acme_admin)
    url = f"/partner/{world.acme.webex_id}/templates/"
    for n in range(PAGE_SIZE + 2):
        template_create(
            actor=world.acme_admin, partner=world.acme, name=f"T{n:03d}", country="US", language="en"
        )
    with django_assert_max_num_queries(15):
        first = client.get(url, HTTP_HX_REQUEST="true")
    assert first.content.decode().count('data-testid="template-row"') == PAGE_SIZE
    assert "Showing 1–25" in first.content.decode() and "page=2" in first.content.decode()
    second = client.get(url, {"page": 2}, HTTP_HX_REQUEST="true")
    assert second.content.decode().count('data-testid="template-row"') == 3  # + the world's own template


# --- one error vocabulary -----------------------------------------------------------------------------------


def test_the_api_reference_names_error_codes_only_as_the_registry_says(client, db):
    """Every errorCode the API reference mentions — a row of an error table or a code in an operation's
    description — is in the registry, with the registry's HTTP status: no hand-written table remains."""
    import json
    import re

    from apps.core.errors import ERROR_DESCRIPTIONS, ErrorCode, error_status

    document = json.dumps(client.get("/v1/openapi.json").json())
    rows = re.findall(r"\| (\d{4,5}) \| (\d{3}) \|", document)
    mentions = re.findall(r"(\d{3}), errorCode (\d{4,5})", document)
    assert len(rows) > 40 and mentions, "the tables and references are generated into the reference"
    for code, status in rows + [(code, status) for status, code in mentions]:
        assert int(code) in set(ErrorCode) and int(code) in ERROR_DESCRIPTIONS, code
        assert int(status) == error_status(ErrorCode(int(code))), code
    # A code written out in prose instead ("errorCode 4020", "4034 / 4035") would escape the registry.
    prose = re.sub(r"\| \d{4,5} \| \d{3} \|", "", document)
    prose = re.sub(r"\d{3}, errorCode \d{4,5}", "", prose)
    assert not re.findall(r"\b(?:40[0-9]{2}|41[0-9]{2}|10022)\b(?! *\|)", prose)


def test_the_shell_and_its_components_read_french(world, page_client):
    """The shared templates (base, console, list page, pager, dialog) in a French reader's language, down to
    the defaults app.js shows (the dialog's title and button, the copy toast); English stays the default."""
    from django.urls import reverse

    world.acme_admin.language = "fr"
    world.acme_admin.save(update_fields=["language"])
    client = page_client(world.acme_admin)
    html = client.get(reverse("partner:settings", kwargs={"org_id": world.acme.webex_id})).content.decode()
    for text in (
        "Aller au contenu",
        "Se déconnecter",
        "Authentification à deux facteurs",
        'data-default-title="Êtes-vous sûr\u00a0?"',
        'data-default-action="Confirmer"',
        'data-copied="Copié dans le presse-papiers."',
        "Enregistrer",
    ):
        assert text in html, text
    assert "Skip to content" not in html and "Sign out" not in html
    # The messages of core's error pages too.
    assert "Page non trouvée" in client.get("/org/nope/").content.decode()
    world.acme_admin.language = "en"
    world.acme_admin.save(update_fields=["language"])
    html = client.get(reverse("partner:settings", kwargs={"org_id": world.acme.webex_id})).content.decode()
    assert "Skip to content" in html and 'data-default-title="Are you sure?"' in html
