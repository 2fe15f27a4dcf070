from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.options import TO_FIELD_VAR
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Access

ADMIN_READERS = {Access.ADMINISTRATOR, Access.CORE_TEAM, Access.COORDINATOR, Access.ANALYST}


class EomAdminSite(AdminSite):
    site_header = _("eom administration")
    site_title = _("eom")

    def has_permission(self, request) -> bool:
        return permissions.access_of(request.user) in ADMIN_READERS

    def admin_view(self, view, cacheable=False):
        """Every admin view, with an empty `_to_field` taken as none (Django would look up a
        field named "" and fail)."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def without_empty_to_field(request, *args, **kwargs):
            if request.GET.get(TO_FIELD_VAR, None) == "":
                request.GET = request.GET.copy()
                del request.GET[TO_FIELD_VAR]
            if request.method == "POST" and request.POST.get(TO_FIELD_VAR, None) == "":
                request.POST = request.POST.copy()
                del request.POST[TO_FIELD_VAR]
            return inner(request, *args, **kwargs)

        return without_empty_to_field
