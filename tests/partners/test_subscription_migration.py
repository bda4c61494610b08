"""The migration that gives partners a wholesale subscription id backfills the partners that already exist."""

import re

import pytest

from tests.migrations import migrate_to, migrate_to_latest

BEFORE = [("partners", "0001_initial")]
AFTER = [("partners", "0003_backfill_wholesale_subscription_id")]


@pytest.mark.django_db(transaction=True)
def test_existing_partners_get_a_subscription_and_subpartners_share_their_parents():
    try:
        apps = migrate_to(BEFORE)
        Organization = apps.get_model("core", "Organization")
        PartnerSettings = apps.get_model("partners", "PartnerSettings")
        top = Organization.objects.create(name="Top", kind="partner")
        PartnerSettings.objects.create(org=top)
        bare = Organization.objects.create(name="No settings row", kind="partner")
        sub = Organization.objects.create(name="Sub", kind="partner", parent=top)
        PartnerSettings.objects.create(org=sub)
        customer = Organization.objects.create(name="Customer", kind="customer", parent=top)

        apps = migrate_to(AFTER)
        PartnerSettings = apps.get_model("partners", "PartnerSettings")
        ids = {s.org_id: s.wholesale_subscription_id for s in PartnerSettings.objects.all()}
        assert re.fullmatch(r"Sub\d{9}", ids[top.id]) and re.fullmatch(r"Sub\d{9}", ids[bare.id])
        assert ids[top.id] != ids[bare.id]
        assert ids[sub.id] == ""
        assert customer.id not in ids
    finally:
        migrate_to_latest()
