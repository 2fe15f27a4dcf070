from django.contrib.admin.apps import AdminConfig


class EomAdminConfig(AdminConfig):
    """The Django admin, opened to the access levels that may use it (not to `is_staff`)."""

    default_site = "eom.missions.admin_site.EomAdminSite"
