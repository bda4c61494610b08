"""Factories that build state through the real services, never raw ORM."""

from collections.abc import Iterable

import factory
from django.test import TestCase

from apps.accounts.models import ApiScope
from apps.accounts.services import api_token_create
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.onboarding.models import OnboardingTemplate
from apps.onboarding.services import template_create
from apps.partners.services import partner_create
from apps.provisioning.orders import Address, CallingLocation, CustomerOrder
from apps.provisioning.services.provisioning import customer_provision_request
from apps.subscribers.services.subscribers import subscriber_add


def through(service):
    """A factory ``_create`` that calls the service with the declared keyword arguments."""

    def _create(cls, model_class, *args, **kwargs):
        return service(**kwargs)

    return classmethod(_create)


class ServiceFactory(factory.Factory):
    class Meta:
        abstract = True


class PartnerFactory(ServiceFactory):
    class Meta:
        model = dict

    _create = through(partner_create)
    name = factory.Sequence(lambda n: f"Partner {n}")
    admin_email = factory.Sequence(lambda n: f"admin{n}@partner{n}.example")


ADDRESSES = {
    "US": Address(
        address_line1="771 Alder Drive",
        address_line2="Suite 5",
        city="Milpitas",
        state_or_province="CA",
        zip_or_postal_code="95035",
        country="US",
    ),
    "GB": Address(
        address_line1="10 Downing Lane", city="London", zip_or_postal_code="SW1A 2AA", country="GB"
    ),
    "DE": Address(
        address_line1="Unter den Linden 1", city="Berlin", zip_or_postal_code="10117", country="DE"
    ),
    "FR": Address(address_line1="1 Rue de Rivoli", city="Paris", zip_or_postal_code="75001", country="FR"),
}
TIME_ZONES = {"US": "America/Los_Angeles", "GB": "Europe/London", "DE": "Europe/Berlin", "FR": "Europe/Paris"}
LOCALES = {"US": "en_US", "GB": "en_GB", "DE": "de_DE", "FR": "fr_FR"}


def default_template(*, actor, partner: Organization) -> OnboardingTemplate:
    """The partner's first onboarding template, created (invitations off) when it has none."""
    template = OnboardingTemplate.objects.filter(partner=partner).order_by("created").first()
    if template is None:
        template = template_create(
            actor=actor,
            partner=partner,
            name=f"{partner.name} Standard",
            country="US",
            language="en_US",
            send_admin_invite_email=False,
        )
    return template


def customer_order(
    *,
    template: OnboardingTemplate,
    name: str = "",
    admin_email: str = "",
    external_id: str = "",
    packages: Iterable[str] = ("webex_calling",),
    country: str = "US",
    address: Address | None = None,
    language: str = "",
    org_id: str = "",
    calling_location: bool | CallingLocation = True,
    package_limits: dict | None = None,
    meetings_timezone: str = "",
) -> CustomerOrder:
    """An order as the wizard or the API builds it; the headquarters location is the billing address."""
    address = address or ADDRESSES[country]
    if calling_location is True:
        calling_location = CallingLocation(
            name="Headquarters",
            address=address,
            timezone=TIME_ZONES.get(address.country, "UTC"),
            language=LOCALES.get(address.country, "en_US"),
        )
    return CustomerOrder(
        provisioning_id=template.provisioning_id,
        packages=tuple(packages),
        external_id=external_id,
        address=address,
        name=name,
        primary_email=admin_email,
        language=language,
        org_id=org_id,
        calling_location=calling_location or None,
        package_limits=package_limits or {},
        meetings_timezone=meetings_timezone,
    )


def provision_customer(
    *, actor, partner: Organization, run: bool = True, template: OnboardingTemplate | None = None, **order
) -> Customer:
    """A customer through ``customer_provision_request``; with ``run`` its provisioning task runs too (as
    the eager worker would once the request commits), so it ends ``provisioned``."""
    template = template or default_template(actor=actor, partner=partner)
    order = customer_order(template=template, **order)
    if not run:
        return customer_provision_request(actor=actor, partner=partner, order=order)
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer = customer_provision_request(actor=actor, partner=partner, order=order)
    customer.refresh_from_db()
    return customer


class CustomerFactory(ServiceFactory):
    """A customer ordered through the provisioning request; its task does not run inside a test's
    transaction, so it stays ``provisioning`` (pass ``run=True`` to provision it)."""

    class Meta:
        model = dict

    _create = through(provision_customer)
    name = factory.Sequence(lambda n: f"Customer {n}")
    admin_email = factory.Sequence(lambda n: f"admin@customer{n}.example")
    external_id = factory.Sequence(lambda n: f"EXT-{n}")
    run = False


class SubscriberFactory(ServiceFactory):
    class Meta:
        model = dict

    _create = through(subscriber_add)
    email = factory.Sequence(lambda n: f"user{n}@subscribers.example")
    package = "webex_meetings"
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


def api_secret_for(user, scopes=None) -> str:
    """A bearer token secret for the user, with every scope unless told otherwise."""
    _, secret = api_token_create(actor=user, name="test", scopes=scopes or ApiScope.values)
    return secret
