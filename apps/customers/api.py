"""The base of every Wholesale-style API view: the partner a call acts for, and the customer it names.

The acting partner of a call is the caller's own, or ``onBehalfOfSubPartnerOrgId`` (a sub-partner the
caller reaches), or — our convention, as on every ``/v1/`` route — the organisation ``orgId`` names (a
partner it acts for, or a customer's managing partner). An organisation the caller may not see is a 404
before anything else is read.
"""

from functools import cached_property

from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from apps.accounts.api.guard import GuardedApi
from apps.core.compiled import BoundQuery
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import customer_get, customer_scoped
from apps.subpartners.selectors import acting_partner

ON_BEHALF = OpenApiParameter(
    "onBehalfOfSubPartnerOrgId",
    str,
    description="Act for this sub-partner (an indirect provider you manage): the encoded organisation id.",
)
CUSTOMER_ID = OpenApiParameter(
    "customer_id",
    str,
    OpenApiParameter.PATH,
    description="The customerId (the last path segment of its url).",
)
ORG_SCOPE = OpenApiParameter(
    "orgId",
    str,
    description="Wholesale Hub: act within this organisation's scope (a partner you act for, or a customer "
    "you manage: its partner). An organisation you may not see is a 404.",
)


class WholesaleApi(GuardedApi):
    """A guarded API view acting for a partner: by default its actions are checked on the acting partner."""

    def read_org(self) -> Organization:
        return self.scope()[0]

    def scope(self) -> tuple[Organization, Organization | None]:
        """(the acting partner, the customer organisation ``orgId`` named, if it named one)."""
        return self._scope

    @cached_property
    def _scope(self) -> tuple[Organization, Organization | None]:
        params = self.request.query_params
        partner, customer_org = acting_partner(
            actor=self.request.user,
            org_id=params.get("orgId", ""),
            on_behalf_of=params.get("onBehalfOfSubPartnerOrgId", ""),
        )
        if partner is None:
            raise exceptions.PermissionDenied("Only partners manage wholesale customers.")
        return partner, customer_org

    def scoped(self) -> bool:
        """Whether the call names the organisation it acts in (then objects must be of that partner)."""
        params = self.request.query_params
        return "orgId" in params or "onBehalfOfSubPartnerOrgId" in params

    def customer(self, customer_id: str, *, with_packages: bool = True) -> Customer:
        """The customer behind an id (in the path or the body), among those the caller sees (of the acting
        partner when the call names its scope, and the customer organisation ``orgId`` named, if any); 404
        otherwise. Read once per request; ``with_packages=False`` when the call does not show its packages
        (a write that hands the customer to a service, which reads what it checks itself): one query less."""
        if customer_id not in self._customers:
            partner, customer_org = self.scope()
            self._customers[customer_id] = customer_get(
                actor=self.request.user,
                customer_id=customer_id,
                partner=partner if self.scoped() else None,
                org=customer_org,
                with_packages=with_packages,
            )
        return self._customers[customer_id]

    @cached_property
    def _customers(self) -> dict[str, Customer]:
        return {}

    def customer_scoped(self, customer_id: str) -> BoundQuery:
        """``customer()``'s customer as a compiled query of at most one row, unread: for a service that reads
        it itself, once (locked, with what its checks ask), answering 404 when it is empty and checking its
        action on the row it read (403)."""
        partner, customer_org = self.scope()
        return customer_scoped(
            actor=self.request.user,
            customer_id=customer_id,
            partner=partner if self.scoped() else None,
            org=customer_org,
        )


class CustomerApi(WholesaleApi):
    """A view about the customer its path names (``customer_id``): its actions are weighed on that customer's
    organisation, found among those the caller reaches (404 otherwise)."""

    def read_org(self) -> Organization:
        return self.customer(self.kwargs["customer_id"]).org
