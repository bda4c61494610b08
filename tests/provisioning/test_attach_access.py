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
    _set_access(world.cedar_pine, existing_org=True, attach_state=state)
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
    _set_access(world.cedar_pine, existing_org=True, attach_state=AttachState.PENDING_APPROVAL)
    client = page_client(world.acme_admin)
    assert client.get(f"/org/{world.cedar_pine.org.webex_id}/").status_code == 200
    assert client.get(f"/org/{world.cedar_pine.org.webex_id}/administrators/").status_code == 403


def test_an_attach_not_yet_decided_gives_the_partner_only_the_view(world):
    _set_access(world.cedar_pine, existing_org=True, attach_state=AttachState.NONE)
    assert effective_actions(fresh(world.acme_admin), world.cedar_pine.org) == {Action.ORG_VIEW}
    _set_access(world.cedar_pine, attach_state=AttachState.APPROVED)
    assert Action.ADMINS_MANAGE in effective_actions(fresh(world.acme_admin), world.cedar_pine.org)


def test_after_removal_the_partner_only_sees_the_organisation(world, django_capture_on_commit_callbacks):
    from apps.provisioning.services.provisioning import customer_remove_request

    with django_capture_on_commit_callbacks(execute=True):
        customer_remove_request(actor=fresh(world.acme_admin), customer=world.cedar_pine)
    assert effective_actions(fresh(world.acme_admin), world.cedar_pine.org) == {Action.ORG_VIEW}


def test_panel_and_overview_hide_people_from_a_partner_not_let_in(world, page_client):
    _set_access(world.cedar_pine, existing_org=True, attach_state=AttachState.PENDING_APPROVAL)
    client = page_client(world.acme_admin)
    panel = client.get(f"/partner/{world.acme.webex_id}/customers/{world.cedar_pine.webex_id}/")
    assert panel.status_code == 200 and panel.context["administrators"] == []
    overview = client.get(f"/org/{world.cedar_pine.org.webex_id}/")
    assert overview.context["admin_count"] is None and b"admin@cedarpine.test" not in overview.content
