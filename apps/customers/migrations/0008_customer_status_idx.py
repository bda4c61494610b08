from django.db import migrations, models

from apps.core.migration_ops import AddIndexWithoutHoldingWrites


class Migration(migrations.Migration):
    # Built CONCURRENTLY on PostgreSQL (provisioning goes on writing customers meanwhile); as a plain index on
    # SQLite.
    atomic = False

    dependencies = [
        ("customers", "0007_external_id_upper_index"),
    ]

    operations = [
        AddIndexWithoutHoldingWrites(
            model_name="customer",
            index=models.Index(fields=["status", "id", "org"], name="customer_status_idx"),
        ),
    ]
