"""Subscriber e-mails lower-case (the service stores them so): the lists compare ``email = value.lower()``,
which the unique index answers. A data migration of its own: PostgreSQL will not mix it with the index
changes of 0013 in one transaction."""

from django.db import migrations
from django.db.models.functions import Lower


def lower_emails(apps, schema_editor):
    Subscriber = apps.get_model("customers", "Subscriber")
    for subscriber in Subscriber.objects.exclude(email=Lower("email")).only("id", "email").iterator():
        lowered = subscriber.email.lower()
        # The service refuses an e-mail another subscriber holds in any case: no clash; skip one if so.
        if not Subscriber.objects.filter(email=lowered).exclude(pk=subscriber.pk).exists():
            Subscriber.objects.filter(pk=subscriber.pk).update(email=lowered)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0011_subscriber_from_free_account"),
    ]

    operations = [
        migrations.RunPython(lower_emails, migrations.RunPython.noop),
    ]
