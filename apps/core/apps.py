from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun

        from apps.core import signals
        from apps.core.audit_words import name_audit_codes
        from apps.core.models import OrgStatus

        task_prerun.connect(signals.task_started, weak=False, dispatch_uid="core.outbox.task_started")
        task_postrun.connect(signals.task_finished, weak=False, dispatch_uid="core.outbox.task_finished")

        from apps.core import checks  # noqa: F401  (registers the deploy checks)
        from apps.core.dbloaders import connect as read_timestamps_in_c

        read_timestamps_in_c()

        name_audit_codes(["status"], OrgStatus.choices)  # an organisation's (a sub-partner suspended)
