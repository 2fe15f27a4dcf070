from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Access

ADMIN_READERS = {Access.ADMINISTRATOR, Access.CORE_TEAM, Access.COORDINATOR, Access.ANALYST}


class EomAdminSite(AdminSite):
    site_header = _("eom administration")
    site_title = _("eom")

    def has_permission(self, request) -> bool:
        return permissions.access_of(request.user) in ADMIN_READERS
