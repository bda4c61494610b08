"""Work that was accepted before the outbox existed gets its message: every customer in a busy state and every
queued or running CSV import, so the relay publishes it (the tasks are idempotent) instead of leaving it
stuck for good."""

from django.db import migrations
from django.utils import timezone

CUSTOMER_TASKS = {
    "provisioning": "apps.provisioning.tasks.customer_provision_task",
    "updating": "apps.provisioning.tasks.customer_update_task",
    "deleting": "apps.provisioning.tasks.customer_remove_task",
}
IMPORT_TASK = "apps.subscribers.tasks.subscriber_import_task"


def queue_busy_work(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    SubscriberImport = apps.get_model("subscribers", "SubscriberImport")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    now = timezone.now()
    messages = [
        OutboxMessage(task_name=CUSTOMER_TASKS[status], args=[str(pk)], subject=str(pk), due_at=now)
        for pk, status in Customer.objects.filter(status__in=CUSTOMER_TASKS).values_list("pk", "status")
    ]
    messages += [
        OutboxMessage(task_name=IMPORT_TASK, args=[str(pk)], subject=str(pk), due_at=now)
        for pk in SubscriberImport.objects.filter(status__in=("queued", "running")).values_list("pk", flat=True)
    ]
    OutboxMessage.objects.bulk_create(messages, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outbox"),
        ("customers", "0001_initial"),
        ("subscribers", "0001_initial"),
    ]

    operations = [migrations.RunPython(queue_busy_work, migrations.RunPython.noop)]
