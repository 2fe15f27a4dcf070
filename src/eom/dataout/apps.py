from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataOutConfig(AppConfig):
    name = "eom.dataout"
    label = "dataout"
    verbose_name = _("Data out")
