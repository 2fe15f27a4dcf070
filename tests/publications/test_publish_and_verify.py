"""Publishing freezes each figure a report names (value, fingerprint of its input rows, code
version); `eom reports verify` recomputes them, exits 0 when all are the same and 1 naming the
figure that changed, by how much, and the records changed since (from the audit trail)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from eom.missions.models import Channel
from eom.observation import services as observation
from eom.publications import figures, services
from eom.publications.models import FrozenFigure, State
from tests.publications.scene import KEY, bad_report, draft_statement, reports_with_an_indicator


@pytest.fixture
def report(mission, tree, observer, other_team, core_member):
    reports_with_an_indicator(mission, tree, observer, other_team, core_member)
    return draft_statement(mission, core_member)


def verify(name: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("reports", "verify", name, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def test_a_draft_shows_the_current_value_of_an_indicator(report):
    value = services.figure_values(report)[KEY]
    assert (value.frozen, value.value["count"], value.value["base"]) == (False, 2, 4)
    assert value.text("en") == ("Voting assessed negatively in 50.0 % of 4 reports observed "
                                "(95 % interval 15.0–85.0 %)")
    assert value.n_inputs == 5  # the live reports of the form, read to count
    assert "${assessment} = 'bad'" in value.query


def test_publishing_freezes_the_value_its_fingerprint_and_the_code_version(report, core_member):
    live = services.figure_values(report)[KEY]
    services.publish(actor=core_member, channel=Channel.PAGE, report=report)

    report.refresh_from_db()
    frozen = FrozenFigure.objects.get(report=report, key=KEY)
    assert report.state == State.PUBLISHED and report.published_by == core_member
    assert (frozen.value["count"], frozen.value["base"]) == (2, 4)
    assert frozen.fingerprint == live.fingerprint and len(frozen.fingerprint) == 64
    assert frozen.code_version.startswith("0.1.0")
    assert frozen.input_models == ["observation.submission"]
    assert services.figure_values(report)[KEY].frozen


def test_a_published_report_verifies_and_exits_zero(report, core_member):
    call_command("reports", "publish", "statement", stdout=io.StringIO())
    code, out = verify("statement")
    assert code == 0
    assert f"same     {KEY}" in out
    assert "1 of 1 figures the same as published." in out


def test_after_a_report_is_edited_verify_names_the_figure_and_the_record(report, core_member):
    services.publish(actor=core_member, channel=Channel.PAGE, report=report)
    bad = bad_report()
    observation.edit_submission(actor=core_member, channel="page", submission=bad,
                                answers={**bad.answers, "assessment": "good"}, reason="misread")

    code, out = verify("statement")
    assert code == 1
    assert f"CHANGED  {KEY}" in out
    assert "count: 2 → 1 (-1)" in out
    assert f"update observation.submission {bad.pk} " in out
    assert "0 of 1 figures the same as published." in out


def test_a_change_that_leaves_the_value_the_same_is_noted_but_verifies(report, core_member,
                                                                     observer):
    report = services.publish(actor=core_member, channel=Channel.PAGE, report=report)
    good = bad_report().__class__.objects.filter(answers__assessment="good").first()
    observation.edit_submission(actor=core_member, channel="page", submission=good,
                                answers={**good.answers, "registered": 101}, reason="typo")
    check = services.verify(report)[0]
    assert (check.same, check.inputs_same) == (True, False)
    assert [r.object_id for r in check.records] == [str(good.pk)]
    assert verify("statement")[0] == 0


def test_verify_refuses_a_draft_and_publish_refuses_twice(report, core_member):
    with pytest.raises(CommandError, match="draft"):
        call_command("reports", "verify", "statement", stdout=io.StringIO())
    services.publish(actor=core_member, channel=Channel.PAGE, report=report)
    with pytest.raises(services.ReportRejected) as refused:
        services.publish(actor=core_member, channel=Channel.PAGE, report=report)
    assert "report" in refused.value.errors


def test_list_in_json_names_each_report_with_its_state_and_figures(report):
    out = io.StringIO()
    call_command("reports", "list", "--format", "json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [(r["name"], r["kind"], r["state"], r["figures"]) for r in listed] == [
        ("statement", "preliminary", "draft", 1)]


def test_differences_say_by_how_much_each_number_changed():
    old = {"count": 84, "base": 1201, "share": 0.07, "label": {"en": "a", "ru": "b", "kk": "c"}}
    new = {"count": 85, "base": 1201, "share": 0.0708, "label": {"en": "x", "ru": "y", "kk": "z"}}
    assert figures.differences(old, new) == ["count: 84 → 85 (+1)",
                                             "share: 0.07 → 0.0708 (+0.0008)"]
