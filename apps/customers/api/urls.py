"""API routes of this area, included under /v1/ by config/api_urls.py."""

urlpatterns: list = []
