"""Partner Hub pages of onboarding templates: the guide's wizard, field errors, read-only people, 403, 404."""

import pytest

from apps.core.models import AuditEvent
from apps.onboarding.models import OnboardingTemplate
from apps.onboarding.services import template_create
from apps.partners.selectors import partner_subscription_id


@pytest.fixture
def created(world):
    """The templates this test made (the world brings one per partner)."""
    before = set(OnboardingTemplate.objects.values_list("pk", flat=True))
    return lambda: OnboardingTemplate.objects.exclude(pk__in=before)


def url(org, page=""):
    return f"/partner/{org.webex_id}/templates/{page}"


def make(world, partner=None, **overrides):
    values = {"name": "Small business", "country": "US", "language": "en_US"} | overrides
    partner = partner or world.acme
    actor = world.acme_admin if partner in (world.acme, world.northwind) else world.globex_admin
    return template_create(actor=actor, partner=partner, **values)


def wizard_data(world, partner=None, **overrides) -> dict:
    """Every step's values at once (as a client that names no run of the wizard: a new run keeps them)."""
    data = {
        "name": "SMB Europe",
        "subscription_id": partner_subscription_id(partner=partner or world.acme),
        "country": "GB",
        "language": "en_GB",
        "auth_mode": "webex",
        "idp_entity_id": "",
        "idp_name": "",
        "pstn_vendor": "",
        "send_admin_invite_email": "True",
        "allow_admin_invite_on_attach": "False",
        "extension_length": "4",
        "voicemail_enabled": "True",
        "international_calling": "False",
    }
    data.update(overrides)
    # An unticked checkbox is not posted at all.
    return {k: v for k, v in data.items() if v is not None}


def step_of(response) -> str:
    return response.context["step"].key


# --- the list and the detail --------------------------------------------------------------------------------


def test_the_list_shows_templates_with_their_provisioning_ids_and_subscription(world, page_client):
    template = make(world)
    response = page_client(world.acme_admin).get(url(world.acme))
    body = response.content.decode()
    assert response.status_code == 200
    assert template.provisioning_id in body and "Small business" in body
    assert partner_subscription_id(partner=world.acme) in body
    assert url(world.acme, "new/") in body


def test_the_list_searches_with_an_htmx_partial(world, page_client):
    make(world, name="Alpha")
    make(world, name="Beta")
    response = page_client(world.acme_admin).get(url(world.acme), {"q": "bet"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body
    assert "Beta" in body and "Alpha" not in body


def test_a_subpartner_sees_its_parents_shared_subscription(world, page_client):
    body = page_client(world.northwind_admin).get(url(world.northwind)).content.decode()
    assert partner_subscription_id(partner=world.acme) in body and "shared by Acme Telecom" in body


def test_the_detail_shows_the_provisioning_id_with_a_copy_button(world, page_client):
    template = make(world, pstn_vendor="Lumen")
    response = page_client(world.acme_admin).get(url(world.acme, f"{template.provisioning_id}/"))
    body = response.content.decode()
    assert 'id="provisioning-id"' in body and 'data-copy="provisioning-id"' in body
    assert template.provisioning_id in body
    assert "initial location only" in body  # the guide's PSTN warning beside a chosen vendor
    assert url(world.acme, f"{template.provisioning_id}/edit/") in body


def test_the_partner_hub_nav_offers_templates_and_packages(world, page_client):
    body = page_client(world.acme_readonly).get(url(world.acme)).content.decode()
    assert f'href="{url(world.acme)}"' in body
    assert f'href="/partner/{world.acme.webex_id}/packages/"' in body


# --- read-only people ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["acme_readonly", "acme_partner_admin"])
def test_people_without_templates_manage_read_but_change_nothing(world, page_client, who, created):
    template = make(world)
    client = page_client(getattr(world, who))
    listing = client.get(url(world.acme)).content.decode()
    assert 'aria-disabled="true"' in listing and url(world.acme, "new/") not in listing
    detail = client.get(url(world.acme, f"{template.provisioning_id}/"))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "/edit/" not in body and "/delete/" not in body and "only partner full administrators" in body
    pid = template.provisioning_id
    for path in ["new/", f"{pid}/edit/", f"{pid}/delete/"]:
        assert client.get(url(world.acme, path)).status_code == 403
        assert (
            client.post(url(world.acme, path), wizard_data(world, nav="create", step="review")).status_code
            == 403
        )
    assert created().get() == template
    template.refresh_from_db()
    assert template.name == "Small business"
    assert not AuditEvent.objects.filter(action__in=["template.update", "template.delete"]).exists()


def test_another_partners_template_is_404_in_ones_own_partner_hub(world, page_client):
    theirs = make(world, partner=world.globex)
    client = page_client(world.acme_admin)
    for path in [
        f"{theirs.provisioning_id}/",
        f"{theirs.provisioning_id}/edit/",
        f"{theirs.provisioning_id}/delete/",
    ]:
        assert client.get(url(world.acme, path)).status_code == 404
        assert client.post(url(world.acme, path), {}).status_code == 404
    assert client.get(url(world.acme, "not-a-template/")).status_code == 404
    assert OnboardingTemplate.objects.filter(pk=theirs.pk).exists()


def test_another_partners_template_pages_are_404(world, page_client):
    template = make(world)
    client = page_client(world.globex_admin)
    assert client.get(url(world.acme)).status_code == 404
    assert client.get(url(world.acme, f"{template.provisioning_id}/")).status_code == 404


# --- the wizard ---------------------------------------------------------------------------------------------


def test_the_wizard_walks_the_guides_steps_and_writes_only_on_submit(world, page_client, created):
    client = page_client(world.acme_admin)
    first = client.get(url(world.acme, "new/"))
    assert step_of(first) == "primary"
    assert [s["key"] for s in first.context["steps"]] == [
        "primary",
        "authentication",
        "calling",
        "common",
        "review",
    ]
    data = wizard_data(world)
    for current, expected in [
        ("primary", "authentication"),
        ("authentication", "calling"),
        ("calling", "common"),
        ("common", "review"),
    ]:
        response = client.post(url(world.acme, "new/"), data | {"step": current, "nav": "next"})
        assert response.status_code == 200 and step_of(response) == expected, current
    body = response.content.decode()
    assert "SMB Europe" in body and "English (United Kingdom)" in body and 'value="goto:primary"' in body
    assert not created().exists()

    response = client.post(url(world.acme, "new/"), data | {"step": "review", "nav": "create"})
    template = created().get()
    assert response.status_code == 302 and response["Location"] == url(
        world.acme, f"{template.provisioning_id}/"
    )
    assert (template.name, template.country, template.language) == ("SMB Europe", "GB", "en_GB")
    assert template.send_admin_invite_email and template.voicemail_enabled
    assert not template.allow_admin_invite_on_attach and not template.international_calling
    assert AuditEvent.objects.filter(action="template.create", target_id=str(template.pk)).count() == 1


def test_the_calling_step_carries_the_guides_pstn_warning(world, page_client):
    response = page_client(world.acme_admin).post(
        url(world.acme, "new/"), wizard_data(world, step="authentication", nav="next")
    )
    assert step_of(response) == "calling"
    body = response.content.decode()
    assert "Cisco does not recommend" in body and "initial location only" in body
    assert "no impact on existing customers" in body


def test_the_common_step_offers_the_attach_invite_toggle(world, page_client):
    response = page_client(world.acme_admin).post(
        url(world.acme, "new/"), wizard_data(world, step="calling", nav="next")
    )
    assert step_of(response) == "common"
    assert "Allow admin-invite emails when attaching to existing orgs" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "step", "field"),
    [
        ({"name": ""}, "primary", "name"),
        ({"country": "XX"}, "primary", "country"),
        ({"language": "klingon"}, "primary", "language"),
        ({"subscription_id": "Sub999999999"}, "primary", "subscription_id"),
        ({"auth_mode": "partner_saml"}, "authentication", "idp_entity_id"),
        ({"auth_mode": "partner_oidc"}, "authentication", "idp_name"),
        ({"auth_mode": "kerberos"}, "authentication", "auth_mode"),
        ({"pstn_vendor": "Acme PSTN"}, "calling", "pstn_vendor"),
        ({"extension_length": "9"}, "common", "extension_length"),
    ],
)
def test_a_bad_step_stays_with_its_field_error(world, page_client, overrides, step, field, created):
    response = page_client(world.acme_admin).post(
        url(world.acme, "new/"), wizard_data(world, **overrides) | {"step": step, "nav": "next"}
    )
    assert response.status_code == 200 and step_of(response) == step
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not created().exists()


def test_a_taken_name_is_caught_on_the_first_step(world, page_client):
    make(world, name="SMB Europe")
    response = page_client(world.acme_admin).post(
        url(world.acme, "new/"), wizard_data(world, step="primary", nav="next")
    )
    assert step_of(response) == "primary"
    assert "already exists" in str(response.context["form"].errors["name"])


def test_tampered_hidden_values_send_the_person_back_to_their_step(world, page_client, created):
    client = page_client(world.acme_admin)
    response = client.post(url(world.acme, "new/"), wizard_data(world, name="", step="common", nav="next"))
    assert step_of(response) == "primary" and "name" in response.context["form"].errors
    response = client.post(
        url(world.acme, "new/"), wizard_data(world, country="QQ", step="review", nav="create")
    )
    assert step_of(response) == "primary" and "country" in response.context["form"].errors
    assert not created().exists()


def test_back_and_edit_links_move_without_errors_and_keep_the_values(world, page_client):
    client = page_client(world.acme_admin)
    response = client.post(url(world.acme, "new/"), wizard_data(world, step="calling", nav="back"))
    assert step_of(response) == "authentication" and not response.context["form"].errors
    response = client.post(url(world.acme, "new/"), wizard_data(world, step="review", nav="goto:primary"))
    assert step_of(response) == "primary"
    assert 'value="SMB Europe"' in response.content.decode()
    # An edit link cannot skip ahead of where the person is.
    response = client.post(url(world.acme, "new/"), wizard_data(world, step="primary", nav="goto:review"))
    assert step_of(response) == "primary"


def test_a_name_taken_between_review_and_submit_is_shown_not_a_500(world, page_client, created):
    client = page_client(world.acme_admin)
    data = wizard_data(world)
    client.post(url(world.acme, "new/"), data | {"step": "common", "nav": "next"})
    make(world, name="SMB Europe")  # someone else was quicker
    response = client.post(url(world.acme, "new/"), data | {"step": "review", "nav": "create"})
    assert response.status_code == 200 and step_of(response) == "primary"
    assert created().count() == 1


def test_unticked_boxes_are_saved_as_no(world, page_client, created):
    client = page_client(world.acme_admin)
    data = wizard_data(
        world, send_admin_invite_email=None, voicemail_enabled=None, international_calling="True"
    )
    client.post(url(world.acme, "new/"), data | {"step": "review", "nav": "create"})
    template = created().get()
    assert not template.send_admin_invite_email and not template.voicemail_enabled
    assert template.international_calling


def test_sso_settings_go_through_the_wizard(world, page_client, created):
    client = page_client(world.acme_admin)
    data = wizard_data(world, auth_mode="partner_saml", idp_entity_id="https://idp.example/metadata")
    review = client.post(url(world.acme, "new/"), data | {"step": "common", "nav": "next"})
    assert "https://idp.example/metadata" in review.content.decode()
    client.post(url(world.acme, "new/"), data | {"step": "review", "nav": "create"})
    template = created().get()
    assert (template.auth_mode, template.idp_entity_id) == ("partner_saml", "https://idp.example/metadata")


def test_a_subpartner_creates_templates_on_its_parents_subscription(world, page_client, created):
    client = page_client(world.northwind_admin)
    page = client.get(url(world.northwind, "new/"))
    assert "shared wholesale subscription" in page.content.decode()
    data = wizard_data(world, partner=world.northwind)
    client.post(url(world.northwind, "new/"), data | {"step": "review", "nav": "create"})
    template = created().get()
    assert template.partner == world.northwind
    assert template.subscription_id == partner_subscription_id(partner=world.acme)


def test_edit_starts_from_the_template_and_saves_the_changes(world, page_client):
    template = make(world)
    client = page_client(world.acme_wholesale)
    first = client.get(url(world.acme, f"{template.provisioning_id}/edit/"))
    assert step_of(first) == "primary" and 'value="Small business"' in first.content.decode()
    data = wizard_data(world, name="Small business", country="US", language="en_US", extension_length="5")
    response = client.post(
        url(world.acme, f"{template.provisioning_id}/edit/"), data | {"step": "review", "nav": "create"}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.extension_length == 5 and template.country == "US"
    assert AuditEvent.objects.get(action="template.update").after == {"extension_length": 5}


def test_an_api_created_template_with_a_bare_language_can_be_edited(world, page_client):
    template = make(world, language="fr", country="CA")
    client = page_client(world.acme_admin)
    first = client.get(url(world.acme, f"{template.provisioning_id}/edit/"))
    assert '<option value="fr" selected>' in first.content.decode()


def test_delete_asks_then_deletes(world, page_client, created):
    template = make(world)
    client = page_client(world.acme_admin)
    confirm = client.get(url(world.acme, f"{template.provisioning_id}/delete/"))
    assert confirm.status_code == 200 and "stops working" in confirm.content.decode()
    assert created().exists()
    response = client.post(url(world.acme, f"{template.provisioning_id}/delete/"))
    assert response.status_code == 302 and response["Location"] == url(world.acme)
    assert not created().exists()


def test_the_list_query_count_does_not_grow_with_templates(world, page_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = page_client(world.acme_admin)
    make(world, name="T0")
    client.get(url(world.acme))
    with CaptureQueriesContext(connection) as few:
        client.get(url(world.acme))
    for n in range(1, 20):
        make(world, name=f"T{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url(world.acme))
    assert len(many) == len(few)


def test_the_wizard_keeps_each_steps_values_under_its_run(world, page_client):
    """Each request posts only the step on screen; the wizard engine keeps the rest (an edit starts from the
    template's own settings) and an unticked box on its step is saved as no."""
    template = make(world, name="Keeps", country="US", language="en_US")
    client = page_client(world.acme_admin)
    page = client.get(url(world.acme, f"{template.provisioning_id}/edit/"))
    run = page.context["run"]
    assert 'type="hidden" name="country"' not in page.content.decode()  # nothing carried by the page
    steps = [
        ("primary", {"name": "Kept", "subscription_id": partner_subscription_id(partner=world.acme)}),
        ("authentication", {"auth_mode": "webex"}),
        ("calling", {"pstn_vendor": ""}),
        ("common", {"extension_length": "5", "send_admin_invite_email": "True"}),  # voicemail unticked
    ]
    for key, values in steps:
        if key == "primary":
            values = values | {"country": "US", "language": "en_US"}
        response = client.post(
            url(world.acme, f"{template.provisioning_id}/edit/"),
            values | {"run": run, "step": key, "nav": "next"},
        )
        assert not response.context["form"].errors, (key, response.context["form"].errors)
    assert step_of(response) == "review"
    response = client.post(
        url(world.acme, f"{template.provisioning_id}/edit/"), {"run": run, "step": "review", "nav": "create"}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.extension_length, template.voicemail_enabled) == ("Kept", 5, False)
    assert template.country == "US" and template.send_admin_invite_email


def test_the_list_names_each_templates_country_and_language_not_their_codes(world, page_client):
    page = page_client(world.acme_admin).get(url(world.acme)).content.decode()
    assert "United States · English (United States)" in page
    assert "US · en_US" not in page
