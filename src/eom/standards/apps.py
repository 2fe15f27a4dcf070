from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "eom.standards"
    label = "standards"
    verbose_name = _("Commitments and recommendations")

    def ready(self) -> None:
        from eom.missions import permissions

        from .models import Tag

        # A tag made while its meeting was public: its entries are hidden from administrators
        # once the meeting is confidential.
        permissions.CONFIDENTIAL_NOW["standards.tag"] = lambda mission: Tag.objects.filter(
            meeting__mission=mission, meeting__confidential=True)
