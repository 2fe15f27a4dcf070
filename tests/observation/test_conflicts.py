"""Teams that report one station differently: different protocol counts are a conflict the
mission resolves by keeping one report; different assessments are independent observations,
side by side with nothing to resolve. Answers read as their labels in the reader's language."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from eom.missions.models import AuditEntry
from eom.observation import queries, services
from eom.observation.models import ConflictResolution, Submission
from tests.factories import make_deployment, make_form, make_person, make_team, make_user, question
from tests.observation.scene import send, set_up

LABELS = {"good": {"en": "Good", "ru": "Хорошо", "kk": "Жақсы"},
          "bad": {"en": "Bad", "ru": "Плохо", "kk": "Нашар"}}


@pytest.fixture
def second_observer(mission, tree):
    """An observer of team STO-3, also deployed to station 01001."""
    user = make_user(mission, "observer", area=tree["D1"])
    team = make_team(mission, "STO-3", [user.person, make_person(mission)], area=tree["D1"])
    make_deployment(team, [tree["01001"]], starts=dt.date(2023, 3, 17), ends=dt.date(2023, 3, 20))
    return user


@pytest.fixture
def counting(mission, tree, observer, other_team):
    """A counting checklist: a protocol figure to reconcile and an assessment (key answer)."""
    set_up(mission, tree, observer, other_team)
    assessment = question("assessment", "select_one", choices=tuple(LABELS), key=True)
    assessment["choices"] = [{"name": name, "label": label} for name, label in LABELS.items()]
    return make_form(mission, "counting", "counting", [
        question("n_valid", key=True, reconcile=True), assessment,
    ])


def reports(observer, second_observer, mission, first, second):
    a, _ = send(observer, mission, answers=first, form_id="counting")
    b, _ = send(second_observer, mission, answers=second, form_id="counting")
    return a, b


def test_different_protocol_counts_are_a_conflict_with_keep_this_one(
        client, mission, counting, observer, second_observer, core_member):
    reports(observer, second_observer, mission, {"n_valid": 410, "assessment": "good"},
            {"n_valid": 401, "assessment": "good"})
    [conflict] = queries.conflicts(mission, Submission.objects.all())
    assert (conflict.location.code, conflict.question, conflict.fact) == ("01001", "n_valid", True)
    assert [(s.team.code, text) for s, text in conflict.shown] == [("STO-1", "410"),
                                                                   ("STO-3", "401")]
    client.force_login(core_member)
    page = client.get(reverse("observation:conflicts")).content.decode()
    assert page.count("Keep this one") == 2 and "Independent observations" not in page


def test_different_assessments_are_side_by_side_with_nothing_to_resolve(
        client, mission, counting, observer, second_observer, core_member):
    reports(observer, second_observer, mission, {"n_valid": 410, "assessment": "good"},
            {"n_valid": 410, "assessment": "bad"})
    assert queries.conflicts(mission, Submission.objects.all()) == []
    [seen] = queries.disagreements(mission, Submission.objects.all())
    assert (seen.question, seen.fact, seen.resolution) == ("assessment", False, None)
    client.force_login(core_member)
    page = client.get(reverse("observation:conflicts")).content.decode()
    assert "Independent observations" in page and "Keep this one" not in page
    assert ">Good</p>" in page and ">Bad</p>" in page and ">good<" not in page


def test_keeping_a_report_for_an_assessment_is_refused_and_nothing_is_written(
        client, mission, counting, observer, second_observer, core_member):
    a, b = reports(observer, second_observer, mission, {"n_valid": 410, "assessment": "good"},
                   {"n_valid": 410, "assessment": "bad"})
    audited = AuditEntry.objects.count()
    client.force_login(core_member)
    response = client.post(reverse("observation:conflict_resolve"),
                           {"chosen": str(b.uuid), "question": "assessment"})
    assert response.status_code == 422
    assert "“assessment” is not a fact to reconcile in Counting" in response.content.decode()
    assert ConflictResolution.objects.count() == 0 and AuditEntry.objects.count() == audited


def test_keeping_a_report_resolves_a_conflict_of_counts(
        client, mission, counting, observer, second_observer, core_member):
    a, b = reports(observer, second_observer, mission, {"n_valid": 410}, {"n_valid": 401})
    client.force_login(core_member)
    response = client.post(reverse("observation:conflict_resolve"),
                           {"chosen": str(b.uuid), "question": "n_valid"})
    assert response.status_code == 302
    [conflict] = queries.conflicts(mission, Submission.objects.all())
    assert (conflict.resolution.chosen, conflict.resolution.resolved_by) == (b, core_member)


@pytest.mark.parametrize("language, good, bad", [("en", "Good", "Bad"), ("ru", "Хорошо", "Плохо"),
                                                 ("kk", "Жақсы", "Нашар")])
def test_answers_read_as_labels_in_the_readers_language(
        client, mission, counting, observer, second_observer, core_member, language, good, bad):
    a, _b = reports(observer, second_observer, mission, {"n_valid": 410, "assessment": "bad"},
                    {"n_valid": 410, "assessment": "bad"})
    services.edit_submission(actor=core_member, channel="page", submission=a,
                             answers={"n_valid": 410, "assessment": "good"}, reason="typo")
    client.force_login(core_member)
    client.cookies["django_language"] = language
    page = client.get(reverse("observation:conflicts")).content.decode()
    assert f">{good}</p>" in page and f">{bad}</p>" in page
    detail = client.get(reverse("observation:submission", args=[a.uuid])).content.decode()
    assert f"{bad} → {good}" in detail and "bad →" not in detail
    listed = client.get(reverse("observation:submissions"),
                        {"form": "counting", "question": "assessment", "answer": "bad"})
    assert f": {bad}</p>" in listed.content.decode()


def test_agreeing_teams_and_one_team_twice_are_no_disagreement(
        mission, counting, observer, second_observer):
    reports(observer, second_observer, mission, {"n_valid": 410, "assessment": "good"},
            {"n_valid": 410, "assessment": "good"})
    send(observer, mission, location="01002", answers={"n_valid": 1}, form_id="counting")
    send(observer, mission, location="01002", answers={"n_valid": 2}, form_id="counting")
    assert queries.disagreements(mission, Submission.objects.all()) == []


def test_observer_cannot_resolve(mission, counting, observer, second_observer):
    a, _b = reports(observer, second_observer, mission, {"n_valid": 410}, {"n_valid": 401})
    with pytest.raises(PermissionDenied):
        services.resolve_conflict(actor=observer, channel="page", mission=mission,
                                  location=a.location, form=a.form, question="n_valid", chosen=a)


def test_resolving_without_a_report_id_is_a_400_naming_the_field(client, mission, tree,
                                                                  core_member):
    client.force_login(core_member)
    for chosen in ("", "abc", "1" * 70):
        response = client.post(reverse("observation:conflict_resolve"), {"chosen": chosen})
        assert response.status_code == 400
        assert response.content.decode().startswith("chosen:")
