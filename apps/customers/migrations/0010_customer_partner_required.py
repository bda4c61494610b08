from django.db import migrations, models

from apps.core.migration_ops import (
    AddIndexWithoutHoldingWrites,
    RemoveIndexWithoutHoldingWrites,
    SetNotNullWithoutHoldingWrites,
)

# The customers a process of the release before 0009 created during that deploy (filed under no partner).
# 0009 shipped a release before this one, and every process since files each new customer under its partner.
FILL = (
    'UPDATE "customers_customer" SET "partner_uuid" = (SELECT "parent_id" FROM "core_organization" '
    'WHERE "core_organization"."id" = "customers_customer"."org_id") WHERE "partner_uuid" IS NULL'
)


class Migration(migrations.Migration):
    # Without holding writes on PostgreSQL: the check proving NOT NULL is validated, and the index built and
    # the old one dropped, while a partner's customers keep changing.
    atomic = False

    dependencies = [
        ('core', '0005_audit_created_covering_index'),
        ('customers', '0009_customer_partner'),
    ]

    operations = [
        SetNotNullWithoutHoldingWrites(
            model_name='customer',
            name='partner_uuid',
            field=models.UUIDField(verbose_name='managing partner id'),
            fill=FILL,
        ),
        AddIndexWithoutHoldingWrites(
            model_name='customer',
            index=models.Index(fields=['partner_uuid', 'created', 'id'], name='customer_partner_walk'),
        ),
        # Covered by customer_status_idx (status, id, org), its first column.
        RemoveIndexWithoutHoldingWrites(model_name='customer', name='customers_c_status_ce44cf_idx'),
    ]
