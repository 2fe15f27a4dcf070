"""Django's four standard password validators apply to `eom createuser`; the demo's published
password passes them for every demo login."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command

from eom.demo import kz2023


def test_the_four_standard_validators_are_on():
    assert [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS] == [
        "UserAttributeSimilarityValidator", "MinimumLengthValidator",
        "CommonPasswordValidator", "NumericPasswordValidator",
    ]


@pytest.mark.parametrize(("username", "password", "reason"), [
    ("lto7", "password123", "This password is too common."),
    ("lto7", "73920548613", "This password is entirely numeric."),
    ("kassymova", "kassymova1", "The password is too similar to the username."),
    ("lto7", "short", "This password is too short. It must contain at least 8 characters."),
])
def test_createuser_refuses_a_weak_password_and_creates_nothing(db, username, password, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("createuser", username, administrator=True, password=password)

    assert not get_user_model().objects.exists()


def test_createuser_accepts_a_strong_password(db):
    call_command("createuser", "ops", administrator=True, password="steppe-lantern-47")

    assert get_user_model().objects.get().check_password("steppe-lantern-47")


@pytest.mark.parametrize("username", [login[0] for login in kz2023.demo_logins()])
def test_the_demo_password_passes_every_validator(db, username):
    user = get_user_model()(username=username, email=f"{username}@example.org")

    validate_password(kz2023.DEMO_PASSWORD, user)  # raises ValidationError if refused
