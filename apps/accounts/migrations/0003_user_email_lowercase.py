"""People's e-mails lower-case (the manager stores them so since the start): lookups compare
``email = value.lower()``, which the unique index answers, instead of a case-insensitive comparison no index
serves. Rows written some other way are lowered unless that would clash with another person."""

from django.db import migrations
from django.db.models.functions import Lower


def lower_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(email=Lower("email")).only("id", "email").iterator():
        lowered = user.email.lower()
        if not User.objects.filter(email=lowered).exclude(pk=user.pk).exists():
            User.objects.filter(pk=user.pk).update(email=lowered)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(lower_emails, migrations.RunPython.noop)]
