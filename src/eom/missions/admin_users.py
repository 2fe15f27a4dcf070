"""Logins in the Django admin: audited like every other record.

eom does not use Django's groups and model permissions (each admin asks
`eom.missions.permissions`), so the Group admin is removed. Logins stay with Django's own
User admin, open to superusers only (its model permissions), and every save, password change
and delete writes an audit entry with channel "admin" — never the password or its hash.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from . import audit
from .models import Channel

User = get_user_model()
SECRET_FIELDS = {"password"}


def _snapshot(user) -> dict:
    values = audit.snapshot(user, m2m=("groups", "user_permissions"))
    for name in SECRET_FIELDS & values.keys():
        values[name] = "(set)" if values[name] else ""
    values.pop("last_login", None)
    return values


class AuditedUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        request._eom_user_before = _snapshot(User.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        changes = audit.diff(request._eom_user_before, _snapshot(user))
        if "password" in changes:
            changes["password"] = ["…", "(changed)"]
        audit.record(actor=request.user, channel=Channel.ADMIN,
                     action="update" if change else "create", obj=user, changes=changes)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit.record(actor=request.user, channel=Channel.ADMIN, action="update", obj=user,
                         changes={"password": ["…", "(changed)"]})
        return response

    def delete_model(self, request, obj):
        audit.record(actor=request.user, channel=Channel.ADMIN, action="delete", obj=obj,
                     changes=audit.diff(_snapshot(obj), {}))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def register(site: admin.AdminSite) -> None:
    for model in (Group, User):
        if site.is_registered(model):
            site.unregister(model)
    site.register(User, AuditedUserAdmin)
