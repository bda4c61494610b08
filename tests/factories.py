"""Factories that build state through the real services, never raw ORM."""

import factory

from apps.accounts.models import ApiScope
from apps.accounts.services import api_token_create
from apps.customers.services import customer_create, subscriber_add
from apps.partners.services import partner_create


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


class CustomerFactory(ServiceFactory):
    class Meta:
        model = dict

    _create = through(customer_create)
    name = factory.Sequence(lambda n: f"Customer {n}")
    admin_email = factory.Sequence(lambda n: f"admin@customer{n}.example")
    external_id = factory.Sequence(lambda n: f"EXT-{n}")
    invite_admin = False


class SubscriberFactory(ServiceFactory):
    class Meta:
        model = dict

    _create = through(subscriber_add)
    email = factory.Sequence(lambda n: f"user{n}@subscribers.example")
    package = "webex_calling"
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


def api_secret_for(user, scopes=None) -> str:
    """A bearer token secret for the user, with every scope unless told otherwise."""
    _, secret = api_token_create(actor=user, name="test", scopes=scopes or ApiScope.values)
    return secret
