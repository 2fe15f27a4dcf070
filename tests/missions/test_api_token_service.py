"""API tokens: issued once, stored only as a digest, audited."""

import pytest
from django.core.exceptions import PermissionDenied

from eom.missions import services
from eom.missions.models import ApiToken, AuditEntry


def test_operator_issues_a_token_for_any_login(observer):
    token, plain = services.issue_token(actor=None, channel="command", user=observer, name="phone")
    assert services.user_for_token(plain) == observer
    assert plain not in token.digest and token.digest == services.token_digest(plain)
    entry = AuditEntry.objects.get(model="missions.apitoken")
    assert (entry.channel, entry.actor, entry.mission) == ("command", None, observer.person.mission)


def test_login_cannot_issue_a_token_for_another(observer, analyst):
    with pytest.raises(PermissionDenied):
        services.issue_token(actor=analyst, channel="api", user=observer, name="x")
    assert ApiToken.objects.count() == 0


def test_revoked_token_opens_nothing(observer):
    token, plain = services.issue_token(actor=observer, channel="page", user=observer, name="x")
    token.revoked = True
    token.save()
    assert services.user_for_token(plain) is None
