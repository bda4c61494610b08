"""Advanced branding: a partner's own brand, its default for all customers, a brand per customer and the
customer's own override; ``selectors.branding_for`` resolves what a page shows. Customer administrators hold
the Branding page only while their partner allows the override (a restriction registered here)."""

from django.apps import AppConfig


class BrandingConfig(AppConfig):
    name = "apps.branding"
    label = "branding"

    def ready(self) -> None:
        from apps.accounts.permissions import register_restriction
        from apps.branding import signals  # noqa: F401 - branding writes make the cached brands stale
        from apps.branding.permissions import override_explained, override_withheld

        register_restriction(override_withheld, override_explained)
