from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "eom.missions"
    label = "missions"
    verbose_name = _("Mission")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.utils.translation import gettext

        from eom import tables

        from . import signin  # noqa: F401  connects the sign-in time of sessions
        from .dbfunctions import register_sqlite_functions
        from .private_files import private_sqlite_files

        connection_created.connect(register_sqlite_functions, dispatch_uid="eom_sqlite_functions")
        connection_created.connect(private_sqlite_files, dispatch_uid="eom_private_sqlite_files")
        tables.translate_with(gettext)  # the table reader's messages in the reader's language
