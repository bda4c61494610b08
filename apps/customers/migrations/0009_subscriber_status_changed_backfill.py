"""Existing subscribers' last status change is their creation (a data migration of its own: PostgreSQL
refuses index creation with pending trigger events in the same transaction)."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    Subscriber = apps.get_model("customers", "Subscriber")
    Subscriber.objects.filter(status_changed__isnull=True).update(status_changed=F("created"))


class Migration(migrations.Migration):
    dependencies = [("customers", "0008_subscriber_status_location_consent")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
