"""Reads about indirect providers (sub-partners) of a partner, and the partner an API call acts for."""

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.selectors import org_get_visible
from apps.core.models import Organization, OrgKind
from apps.partners.selectors import partners_visible_to
from apps.subpartners.models import SubPartnerProfile


def subpartners_of(*, actor, partner: Organization, search: str = "") -> QuerySet[Organization]:
    return partners_visible_to(actor=actor, search=search).filter(parent=partner)


def acting_partner(
    *, actor, org_id: str = "", on_behalf_of: str = ""
) -> tuple[Organization | None, Organization | None]:
    """(the partner an API call acts for, the customer organisation ``orgId`` named if it named one).

    The caller's own organisation; or ``orgId`` (a partner it acts for, or a customer: its managing partner);
    or ``onBehalfOfSubPartnerOrgId``, a sub-partner directly below the caller's own organisation (and the
    parent of that customer, when ``orgId`` named one). An organisation the caller may not see is a 404.
    The partner is None when the caller acts for no partner (a customer's own admin)."""
    partner, customer_org = actor.org, None
    if org_id:
        org = org_get_visible(actor=actor, org_id=org_id)
        if org.is_customer:
            partner, customer_org = org.parent, org
        else:
            partner = org
    if on_behalf_of:
        sub = org_get_visible(actor=actor, org_id=on_behalf_of, kind=OrgKind.PARTNER)
        if sub.parent_id is None or sub.parent_id != actor.org_id:
            raise Http404
        if customer_org is not None and customer_org.parent_id != sub.id:
            raise Http404
        partner = sub
    if partner is None or not partner.is_partner:
        return None, customer_org
    return partner, customer_org


def billing_start_date(*, subpartner: Organization):
    """The first billed day of a sub-partner's customers' usage: its profile's date, else its set-up day."""
    profile = SubPartnerProfile.objects.filter(org=subpartner).only("billing_start_date").first()
    return profile.billing_start_date if profile else subpartner.created.date()
