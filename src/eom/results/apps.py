from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "eom.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        # Observer copies follow their counting reports as these are stored, corrected or
        # deleted (never on reading a page).
        from eom.observation import hooks

        from .services import concerns_counting, copy_counting_reports

        hooks.on_reports_changed(copy_counting_reports, concerns=concerns_counting)
