"""Every cached brand goes stale with any write that can change one (``cache``): a brand row saved or deleted,
however it goes (a service, a reset, the cascade of an organisation removed in an app below), and a customer
organisation moved under another partner or none (provisioning's attach and removal, below this app). A
queryset ``update()`` of brand rows would send no signal: there is none, and one would have to call
``cache.brand_cache_invalidate`` itself."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.branding.cache import brand_cache_invalidate
from apps.branding.models import Brand
from apps.provisioning.services.provisioning import customer_org_parent_changed


@receiver(post_save, sender=Brand, dispatch_uid="branding-cache-brand-saved")
@receiver(post_delete, sender=Brand, dispatch_uid="branding-cache-brand-deleted")
def brand_row_changed(sender, using: str, **kwargs) -> None:
    brand_cache_invalidate(using=using)


@receiver(customer_org_parent_changed, dispatch_uid="branding-cache-customer-moved")
def customer_org_moved(sender, **kwargs) -> None:
    brand_cache_invalidate()
