"""The Kazakhstan 2023 demo mission: what it loads, and that loading twice adds nothing."""

import io
import json

from django.core.management import call_command

from eom.demo import kz2023
from eom.missions.models import AnnouncedResult, AuditEntry, Location, Meeting, Person, Team


def summary() -> dict:
    out = io.StringIO()
    call_command("summary", format="json", stdout=out)
    return json.loads(out.getvalue())


def test_demo_loads_the_mission_with_official_figures(db):
    kz2023.load()
    figures = summary()
    assert figures["locations"] == {
        "country": 1, "region": 20, "district": 29, "polling_station": 10_223,
    }
    assert figures["registered_voters"] == 12_035_578
    assert (figures["missions"], figures["elections"], figures["parties"]) == (1, 2, 7)
    # 32 LTOs in 16 teams and 300 STOs in 150 teams.
    assert Person.objects.filter(role__code="lto").count() == 32
    assert Team.objects.filter(kind="lto").count() == 16
    assert Person.objects.filter(role__code="sto").count() == 300
    assert Team.objects.filter(kind="sto").count() == 150
    meeting = Meeting.objects.get(date="2023-02-08")
    assert [i.name for i in meeting.interlocutors.all()] == ["Roman Vassilenko"]
    amanat = AnnouncedResult.objects.get(party__code="AMANAT")
    assert (amanat.votes, amanat.seats) == (3_431_510, 40)
    # Every station is labelled synthetic, and every record created is audited.
    assert not Location.objects.filter(level="polling_station", synthetic=False).exists()
    assert AuditEntry.objects.filter(channel="demo", model="missions.location").count() == 10_273


def test_demo_district_totals_add_up_to_regions(db):
    kz2023.load()
    for region in Location.objects.filter(level="region"):
        districts = Location.objects.filter(parent=region)
        assert sum(d.n_registered for d in districts) == region.n_registered


def test_demo_loaded_twice_adds_nothing(db):
    assert kz2023.load() != {}
    before = summary()
    assert kz2023.load() == {}
    assert summary() == before


def test_demo_command_prints_logins_and_counts(transactional_db):
    out = io.StringIO()
    call_command("demo", no_serve=True, simulate_teams=2, stdout=out)
    text = out.getvalue()
    assert "polling station 10,223" in text
    assert "forms              counting, incident, opening, tabulation, voting" in text
    assert "every short-term observer team is also deployed to its polling stations from" in text
    assert "0 refused" in text
    for username, _password, _access in kz2023.demo_logins():
        assert f"  {username} " in text


def test_largest_remainder_splits_exactly():
    from fractions import Fraction

    assert kz2023.largest_remainder(10, [Fraction(1)] * 3) == [4, 3, 3]
    assert sum(kz2023.largest_remainder(12_035_578, [Fraction(n) for n in (135, 221, 121)])) == (
        12_035_578
    )


def test_demo_observers_may_send_a_checklist_observed_today(db):
    import datetime as dt

    from django.utils import timezone

    from eom.missions import validators
    from eom.missions.models import Deployment, Mission
    from eom.observation.permissions import SubmitRights

    kz2023.load()
    mission = Mission.objects.get(code=kz2023.MISSION_CODE)
    observer = Person.objects.get(user__username="observer")
    team = observer.teams.get()
    election_day, practice = team.deployments.order_by("starts")
    stations = set(election_day.locations.all())
    assert (practice.synthetic, set(practice.locations.all())) == (True, stations)
    assert (practice.starts, practice.ends) == (
        timezone.localdate(), timezone.localdate() + dt.timedelta(days=kz2023.PRACTICE_DAYS - 1))
    now = timezone.now()
    assert validators.observed_at_problem(mission, now) is None
    station = min(stations, key=lambda s: s.code)
    assert SubmitRights(observer.user, mission).decide(station, "voting", now).allowed
    # The data of election day keep their day; a practice moves to the day the demo runs again.
    assert (election_day.starts, election_day.ends, election_day.synthetic) == (
        dt.date(2023, 3, 16), dt.date(2023, 3, 21), False)
    later = timezone.localdate() + dt.timedelta(days=30)
    kz2023.practice_deployments(later)
    practice.refresh_from_db()
    assert practice.starts == later
    assert Deployment.objects.filter(synthetic=True).count() == 150
    # Every polling station has a (synthetic) address; observers have numbers to call.
    assert not Location.objects.filter(level="polling_station", address="").exists()
    assert [(p.role.code, p.phone) for p in Person.objects.filter(election_day_contact=True)] == [
        ("security_expert", "+7 701 555 9002"), ("operations_officer", "+7 701 555 9001")]
