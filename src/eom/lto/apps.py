from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtoConfig(AppConfig):
    name = "eom.lto"
    label = "lto"
    verbose_name = _("Long-term observers' reports")
