"""The users controls of Control Hub beyond one user: claiming people of the organisation's claimed domains,
the licence auto-assigned to new people, directory synchronisation (a CSV upload, or a SCIM 2.0 endpoint an
identity provider pushes to), and the services status of the users."""

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "apps.directory"
    label = "directory"
