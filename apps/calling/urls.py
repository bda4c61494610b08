"""Control Hub → Calling (issue 13), composed into the hub by config/urls.py."""

from django.urls import path

from apps.calling import views
from apps.calling.settings_table import CALLING_SETTINGS

control_urlpatterns = [
    path("calling/", views.calling, name="calling"),
    *(
        path(f"calling/{s.key.replace('_', '-')}/", views.SETTING_VIEWS[s.key], name=f"calling_{s.key}")
        for s in CALLING_SETTINGS
    ),
]
