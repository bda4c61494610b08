from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "apps.provisioning"
    label = "provisioning"

    def ready(self) -> None:
        from apps.screening.services import screening_cleared

        screening_cleared.connect(_resume_provisioning, dispatch_uid="provisioning.resume_after_screening")

        from apps.exports.registry import register_export_kind
        from apps.provisioning.exports import CUSTOMERS_EXPORT

        register_export_kind(CUSTOMERS_EXPORT)


def _resume_provisioning(sender, *, customer, **kwargs) -> None:
    """A screening hold the operator cleared (or that cleared by itself) hands the customer back to
    provisioning. Imported here, at call time: an AppConfig module loads before the models."""
    from apps.provisioning.services.provisioning import customer_provision_enqueue

    customer_provision_enqueue(customer=customer)
