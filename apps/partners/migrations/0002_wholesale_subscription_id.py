import secrets

from django.db import migrations, models


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
    dependencies = [
        ("core", "0001_initial"),
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnersettings",
            name="wholesale_subscription_id",
            field=models.CharField(
                blank=True, db_index=True, max_length=32, verbose_name="wholesale subscription"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
