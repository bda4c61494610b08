import secrets

from django.db import migrations


def backfill(apps, schema_editor):
    """Every top-level partner gets a subscription id (and a settings row if it had none)."""
    Organization = apps.get_model("core", "Organization")
    PartnerSettings = apps.get_model("partners", "PartnerSettings")
    used = set(
        PartnerSettings.objects.exclude(wholesale_subscription_id="").values_list(
            "wholesale_subscription_id", flat=True
        )
    )
    for org in Organization.objects.filter(kind="partner").order_by("created"):
        settings, _ = PartnerSettings.objects.get_or_create(org=org)
        if org.parent_id is not None or settings.wholesale_subscription_id:
            continue
        while True:
            candidate = f"Sub{secrets.randbelow(10**9):09d}"
            if candidate not in used:
                break
        used.add(candidate)
        settings.wholesale_subscription_id = candidate
        settings.save(update_fields=["wholesale_subscription_id"])


class Migration(migrations.Migration):
    """A migration of its own: on PostgreSQL the column's index (deferred SQL) cannot be built in the same
    transaction as the rows this writes."""

    dependencies = [
        ("core", "0001_initial"),
        ("partners", "0002_wholesale_subscription_id"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
