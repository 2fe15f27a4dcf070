"""A decimal answer goes back into its field as a number the browser reads (7.5), whatever the
page's language: Russian and Kazakh write 7,5 in text, which a number field would drop."""

import datetime as dt

import pytest
from django.urls import reverse

from eom.observation.models import Submission
from tests.factories import make_form, question


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_stored_decimal_answer_fills_its_field_with_a_decimal_point(
        client, mission, tree, core_member, language):
    share = question("share", "decimal")
    share.update(min=0.5, max=99.5)
    form = make_form(mission, "turnout", "voting", [share])
    submission = Submission.objects.create(
        mission=mission, form=form, form_version=form.current_version, location=tree["01001"],
        observed_at=dt.datetime(2023, 3, 19, 10, tzinfo=dt.UTC), channel="api",
        answers={"share": 7.5})
    client.force_login(core_member)
    client.cookies["django_language"] = language
    page = client.get(reverse("observation:submission_edit", args=[submission.uuid]))
    assert page.status_code == 200
    assert 'name="share" type="number" value="7.5"' in page.content.decode()
    assert 'min="0.5" max="99.5"' in page.content.decode()
