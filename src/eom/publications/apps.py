from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PublicationsConfig(AppConfig):
    name = "eom.publications"
    label = "publications"
    verbose_name = pgettext_lazy("publications", "Reports")
