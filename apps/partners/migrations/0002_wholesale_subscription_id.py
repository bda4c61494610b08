from django.db import migrations, models


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
    ]
