"""Partner Hub routes of this area, included in the ``partner`` namespace by apps/partners/urls.py."""

urlpatterns: list = []
