"""The pages of subscribers, calling, exports, directory and packages read in French for a customer whose
organisation speaks French (or a person who chose French), with nothing left in English that these apps
own; the same pages stay English for everybody else."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.customers.models import Customer
from apps.subscribers.models import Subscriber


@pytest.fixture
def french_blue(world):
    Customer.objects.filter(pk=world.blue_harbor.pk).update(org_locale="fr_FR")
    return world.blue_harbor


def control(name, org, **kwargs):
    return reverse(f"control:{name}", kwargs={"org_id": org.webex_id, **kwargs})


@pytest.mark.parametrize(
    ("name", "french", "english"),
    [
        (
            "user_list",
            ["Utilisateurs", "Rechercher par nom, e-mail, numéro ou poste", "Numéro / poste"],
            "Users",
        ),
        ("workspace_list", ["Espaces de travail", "Aucun espace de travail pour l"], "Workspaces"),
        ("calling", ["Paramètres de téléphonie de Blue Harbor Dental.", "Lecture seule"], "Calling settings"),
        ("user_import", ["Ajouter ou modifier des utilisateurs par CSV"], "Add or modify users"),
    ],
)
def test_a_french_customer_reads_its_pages_in_french(world, french_blue, page_client, name, french, english):
    html = page_client(world.blue_admin).get(control(name, french_blue.org)).content.decode()
    for text in french:
        assert text in html
    assert f"<h1>{english}" not in html


def test_a_person_who_chose_french_reads_the_user_and_the_catalogue_in_french(world, page_client):
    User.objects.filter(pk=world.acme_admin.pk).update(language="fr")
    client = page_client(world.acme_admin)
    maria = Subscriber.objects.get(email="maria@blueharbor.test")
    detail = client.get(control("user_detail", world.blue_harbor.org, subscriber_id=maria.webex_id))
    html = detail.content.decode()
    assert "Historique des offres" in html and "Numéro professionnel principal" in html
    assert ">Actuelle<" in html  # our word, not another catalogue's « Actuel »
    packages = client.get(reverse("partner:package_list", kwargs={"org_id": world.acme.webex_id}))
    html = packages.content.decode()
    assert "Comparer les offres de base" in html and "Fonctionnalités de Webex Calling" in html
    assert "Mise en attente et reprise d&#x27;appel" in html or "Mise en attente et reprise d'appel" in html


def test_everybody_else_reads_english(world, page_client):
    html = page_client(world.blue_admin).get(control("user_list", world.blue_harbor.org)).content.decode()
    assert "<h1>Users</h1>" in html and "Utilisateurs" not in html


def test_a_french_uploader_reads_the_refused_rows_in_french(world):
    from apps.subscribers.services.imports import subscriber_import_create, subscriber_import_run

    User.objects.filter(pk=world.acme_admin.pk).update(language="fr")
    world.acme_admin.refresh_from_db()
    header = "Action,First Name,Last Name,Email,Package,Location,Phone Number,Extension"
    job = subscriber_import_create(
        actor=world.acme_admin,
        customer=world.blue_harbor,
        data=f"{header}\r\nadd,,,pas-une-adresse,webex_suite,,,3501\r\n".encode(),
        file_name="f.csv",
    )
    job = subscriber_import_run(import_id=job.pk)
    assert job.errors[0]["errors"] == ["Email: Saisissez une adresse e-mail valide."]
