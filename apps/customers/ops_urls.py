"""Operations console routes of this area, included in the ``ops`` namespace by apps/partners/urls.py."""

urlpatterns: list = []
