"""A partner reaches an organisation it attached to only as far as its admin allowed."""

import pytest

from apps.accounts.permissions import Action, effective_actions
from apps.customers.models import AttachState, PartnerAccess
from tests.conftest import fresh


def _set_access(customer, **fields):
    # The attach flow sets these through its services (tests/customers/test_attach*.py); here we only
    # exercise the subtraction itself for each state.
    type(customer).objects.filter(pk=customer.pk).update(**fields)


@pytest.mark.parametrize("state", [AttachState.PENDING_APPROVAL, AttachState.DECLINED])
def test_waiting_or_declined_request_leaves_the_partner_only_the_view(world, state):
    _set_access(world.cedar_pine, attach_state=state)
    assert effective_actions(fresh(world.acme_admin), world.cedar_pine.org) == {Action.ORG_VIEW}
    # The customer's own admin keeps everything.
    assert Action.ADMINS_MANAGE in effective_actions(fresh(world.cedar_admin), world.cedar_pine.org)


def test_provisioning_admin_does_not_see_people_or_settings(world):
    _set_access(
        world.cedar_pine, attach_state=AttachState.AUTOMATIC, partner_access=PartnerAccess.PROVISIONING_ADMIN
    )
    actions = effective_actions(fresh(world.acme_admin), world.cedar_pine.org)
    assert Action.WHOLESALE_MANAGE in actions and Action.ORG_VIEW in actions
    assert not actions & {Action.ADMINS_VIEW, Action.ADMINS_MANAGE, Action.ORG_MANAGE, Action.USERS_VIEW}


def test_pending_request_pages_refuse_the_partner(world, page_client):
    _set_access(world.cedar_pine, attach_state=AttachState.PENDING_APPROVAL)
    client = page_client(world.acme_admin)
    assert client.get(f"/org/{world.cedar_pine.org.webex_id}/").status_code == 200
    assert client.get(f"/org/{world.cedar_pine.org.webex_id}/administrators/").status_code == 403
