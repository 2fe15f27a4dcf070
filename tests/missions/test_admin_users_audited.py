"""Logins changed in the admin leave an audit entry like every other record, without the
password; Django's groups, which eom does not use, are not offered."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from eom.missions.models import AuditEntry

User = get_user_model()


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="pw-for-tests")


def test_renaming_a_login_in_the_admin_is_audited(client, root, observer):
    client.force_login(root)
    url = reverse("admin:auth_user_change", args=[observer.pk])
    response = client.post(url, {
        "username": "renamed", "is_active": "on", "last_login_0": "", "last_login_1": "",
        "date_joined_0": "2023-02-07", "date_joined_1": "09:00:00",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(model="auth.user", object_id=str(observer.pk))
    assert (entry.action, entry.channel, entry.actor) == ("update", "admin", root)
    assert entry.changes["username"] == [observer.username, "renamed"]
    assert "password" not in entry.changes


def test_a_password_set_in_the_admin_is_audited_without_the_hash(client, root, observer):
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[observer.pk])
    response = client.post(url, {"password1": "a-new-long-pass-2023", "password2":
                                 "a-new-long-pass-2023", "usable_password": "true"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="auth.user", object_id=str(observer.pk))
    assert entry.changes == {"password": ["…", "(changed)"]}
    observer.refresh_from_db()
    assert observer.password.split("$")[-1] not in str(entry.changes)


def test_deleting_a_login_in_the_admin_is_audited(client, root, outsider):
    client.force_login(root)
    response = client.post(reverse("admin:auth_user_delete", args=[outsider.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="auth.user", action="delete")
    assert entry.changes["username"] == ["outsider", None]
    assert entry.changes["password"] == ["(set)", None]


def test_groups_are_not_in_the_admin():
    assert not admin.site.is_registered(Group)
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_group_changelist")
