"""A realistic election day of checklists for the demo mission, sent through the HTTP API.

`plan_day` draws, from a seed, what every short-term observer team reports on 19 March 2023:
opening at its first station, a voting checklist at each of its stations, counting at the
station of the quick-count sample it was sent to (else its last one; the figures are the
station's official protocol when the mission has one), tabulation at the territorial commission,
and some incidents. Planted patterns:
- one region (Turkistan, KZ-18) where problems, and so negative assessments, are far more common;
- counting protocols whose arithmetic does not add up (valid + invalid ≠ ballots in the boxes);
- duplicate replays of reports already sent, and late reports sent at the end of the run;
- two teams counting at the same station and reporting different figures (a conflict).
Every report's UUID derives from the seed, so a second run with the same seed stores nothing new.
`send` posts the plan to `/api/submissions` with 8 concurrent clients, each observer using its
own token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from eom.missions import services as mission_services
from eom.missions.models import Location, Mission, SampledStation, Team, TeamKind
from eom.observation.answers import clean_answers, questions
from eom.observation.models import Form

NAMESPACE = uuid.UUID("6f1f4c1e-2b6a-4f0e-9d35-0e4d7b1b2a19")
BAD_REGION = "KZ-18"
# Official national shares of the party-list votes, in ballot order, and against all
# (results.json: 3,431,510 / 693,938 / 547,154 / 535,139 / 432,920 / 331,058 / 146,431; 248,291).
PARTY_VOTES = {
    "n_amanat": 3_431_510, "n_auyl": 693_938, "n_respublica": 547_154, "n_ak_zhol": 535_139,
    "n_peoples_party": 432_920, "n_osdp": 331_058, "n_baytaq": 146_431, "n_against_all": 248_291,
}
# Questions where "yes" reports a problem (elsewhere "no" does).
PROBLEM_WHEN_YES = {
    "group_voting", "ballot_stuffing", "carousel_voting", "pressure_on_voters",
    "unauthorised_persons", "voters_turned_away", "observers_restricted", "protocols_changed",
}


@dataclass(frozen=True)
class Report:
    key: uuid.UUID
    observer: str  # person code of the team leader who sends it
    form_id: str
    location: str
    observed_at: dt.datetime
    answers: dict[str, Any]
    late: bool = False


@dataclass
class Plan:
    reports: list[Report]
    replays: list[Report]
    arithmetic_failures: int = 0
    bad_region_reports: int = 0

    @property
    def sending_order(self) -> list[Report]:
        on_time = [r for r in self.reports if not r.late]
        late = [r for r in self.reports if r.late]
        return sorted(on_time, key=lambda r: r.observed_at) + late + self.replays


def split(total: int, weights: list[int]) -> list[int]:
    """Integers proportional to weights, summing exactly to total (largest remainder)."""
    weight_sum = sum(weights)
    shares = [Fraction(total * w, weight_sum) for w in weights]
    parts = [int(s) for s in shares]
    for i in sorted(range(len(weights)), key=lambda i: -(shares[i] - parts[i]))[: total - sum(parts)]:
        parts[i] += 1
    return parts


class DayPlanner:
    def __init__(self, mission: Mission, seed: int) -> None:
        self.mission = mission
        self.seed = seed
        self.rng = random.Random(seed)
        self.forms = {
            f.form_id: f.current_version.definition
            for f in Form.objects.filter(mission=mission).select_related("current_version")
            if f.current_version
        }
        zone = timezone.get_default_timezone()
        self.day = dt.datetime(2023, 3, 19, tzinfo=zone)

    def key(self, *parts) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in (self.seed, *parts)))

    def at(self, hour: float) -> dt.datetime:
        return self.day + dt.timedelta(minutes=round(hour * 60))

    # -- answers ---------------------------------------------------------------------------

    def _generic(self, definition: dict, station: Location, team, when: dt.datetime,
                 p_problem: float,
                 figures: dict[str, int]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        problems = 0
        for _section, q in questions(definition):
            name, kind = q["name"], q["type"]
            if name in figures:
                answers[name] = figures[name]
            elif kind == "select_one" and {c["name"] for c in q["choices"]} == {"yes", "no"}:
                bad = self.rng.random() < p_problem
                problems += bad
                answers[name] = ("yes" if bad else "no") if name in PROBLEM_WHEN_YES else (
                    "no" if bad else "yes")
            elif name == "assessment":
                answers[name] = self._assessment(problems, p_problem)
            elif kind == "select_one":
                answers[name] = self.rng.choice(q["choices"])["name"]
            elif kind == "select_multiple":
                answers[name] = [c["name"] for c in self.rng.sample(q["choices"], 1)]
            elif kind == "time":
                shift = 30 if "departure" in name else 0
                answers[name] = (when + dt.timedelta(minutes=shift)).strftime("%H:%M")
            elif kind == "integer":
                low = q.get("min") if q.get("min") is not None else 0
                answers[name] = max(low, 1) + self.rng.randint(0, 8)
            elif kind == "text" and q.get("required") is True:
                answers[name] = "Reported to the commission chairperson; noted in the log."
        checked = clean_answers(definition, answers, location=station, team=team, now=when)
        if checked.errors:  # the plan must only send what a careful observer would
            raise ValueError(f"simulated answers rejected: {checked.errors}")
        return checked.answers

    def _assessment(self, problems: int, p_problem: float) -> str:
        if problems >= 2 or (problems == 1 and self.rng.random() < 0.6):
            return self.rng.choice(["bad", "bad", "very_bad"])
        if self.rng.random() < p_problem / 3:
            return "bad"
        return "very_good" if self.rng.random() < 0.45 else "good"

    def _turnout(self, station: Location, hour: float) -> int:
        share = min(hour - 7, 13) / 13 * 0.55 * (0.85 + 0.3 * self.rng.random())
        return min(station.n_registered, round(station.n_registered * max(share, 0.0)))

    def _official(self, station: Location) -> dict[str, int] | None:
        """The station's official party-list protocol as counting answers, when the mission has
        official results (the demo loads them before election day); else None."""
        from eom.results.models import Protocol, Source
        from eom.results.services import OBSERVER_PARTY_QUESTIONS, party_list_contest

        if not hasattr(self, "_contest"):
            self._contest = party_list_contest(self.mission)
        protocol = Protocol.objects.filter(contest=self._contest, source=Source.OFFICIAL,
                                           location=station).first()
        lines = ("n_registered", "n_received", "n_issued", "n_cancelled", "n_in_boxes",
                 "n_invalid", "n_valid", "n_against_all")
        if protocol is None or any(getattr(protocol, line) is None for line in lines):
            return None
        figures = {line: getattr(protocol, line) for line in lines}
        figures.update({q: protocol.votes.get(code, 0)
                        for q, code in OBSERVER_PARTY_QUESTIONS.items()})
        return figures

    def _drawn_protocol(self, station: Location) -> dict[str, int]:
        """A plausible count for a station without an official protocol: turnout drawn, votes
        split by the national shares with some noise."""
        registered = station.n_registered
        received = (registered // 10 + 2) * 10
        issued = min(received, round(registered * (0.45 + 0.2 * self.rng.random())))
        in_boxes = issued - self.rng.randint(0, 2)
        invalid = round(in_boxes * 0.024)
        valid = in_boxes - invalid
        votes = split(valid, [w + self.rng.randint(0, w // 5) for w in PARTY_VOTES.values()])
        return {
            "n_registered": registered, "n_received": received, "n_issued": issued,
            "n_cancelled": received - issued, "n_in_boxes": in_boxes, "n_invalid": invalid,
            "n_valid": valid, **dict(zip(PARTY_VOTES, votes, strict=True)),
        }

    def _protocol(self, station: Location, broken: bool, shift: int = 0) -> dict[str, int]:
        """The count the team copies: the station's official protocol where the mission has one
        (so that the quick count estimates the official result), else figures drawn from the
        national shares; `broken` makes its sums fail, `shift` moves votes from the second list
        to the first (a team that copied it wrong)."""
        figures = self._official(station)
        if figures is None:
            figures = self._drawn_protocol(station)
        moved = min(shift, figures["n_auyl"])
        figures["n_amanat"] += moved
        figures["n_auyl"] -= moved
        if broken:  # the protocol's sums were "corrected" in one place only
            figures["n_valid"] += 7
            figures["n_amanat"] += 7
        in_boxes = figures["n_in_boxes"]
        smd_invalid = round(in_boxes * 0.03)
        smd_votes = split(in_boxes - smd_invalid, [40, 25, 15, 8, 5, 7])
        figures.update({
            "n_smd_in_boxes": in_boxes, "n_smd_invalid": smd_invalid,
            "n_smd_valid": in_boxes - smd_invalid,
            **{f"n_smd_candidate_{i + 1}": v for i, v in enumerate(smd_votes[:5])},
            "n_smd_against_all": smd_votes[5],
        })
        return figures

    # -- the day ---------------------------------------------------------------------------

    def plan(self, teams: list[Team]) -> Plan:
        plan = Plan([], [])
        shared = _shared_station(teams)
        sampled = _sampled_stations(self.mission)
        for team in teams:
            leader = team.memberships.get(is_leader=True).person
            stations = sorted(_stations_on(team, self.day.date()), key=lambda loc: loc.code)
            if not stations:
                continue
            region = stations[0].path.split("/")[1]
            p_problem = 0.06 if region == BAD_REGION else 0.007
            counted = shared.get(team.pk) or sampled.get(team.pk) or stations[-1]
            if sampled.get(team.pk) in stations:  # the day ends where the team counts
                stations.sort(key=lambda loc: (loc == sampled[team.pk], loc.code))
            self._team_day(plan, team, leader.code, stations, counted, p_problem,
                           bad_region=region == BAD_REGION, disagree=team.pk in shared
                           and team.pk == max(shared))
        for report in self.rng.sample(plan.reports, k=len(plan.reports) // 20):
            plan.replays.append(report)
        return plan

    def _team_day(self, plan, team, leader, stations, counted, p_problem, *, bad_region,
                  disagree) -> None:
        rng = self.rng

        def add(form_id, station, hour, figures=None, index=0):
            if form_id not in self.forms:
                return
            when = self.at(hour)
            answers = self._generic(self.forms[form_id], station, team, when, p_problem,
                                    figures or {})
            plan.reports.append(Report(
                self.key(team.code, form_id, station.code, index), leader, form_id, station.code,
                when, answers, late=rng.random() < 0.04,
            ))
            plan.bad_region_reports += bad_region

        if rng.random() < 0.8:
            add("opening", stations[0], 6.5 + rng.random() * 0.6)
        for index, station in enumerate(stations):
            hour = 8 + index * 1.4 + rng.random() * 0.8
            add("voting", station, hour, {"n_registered": station.n_registered,
                                          "n_voted": self._turnout(station, hour)}, index)
        if rng.random() < 0.85 or disagree:
            broken = rng.random() < 0.04
            plan.arithmetic_failures += broken
            figures = self._protocol(counted, broken, shift=25 if disagree else 0)
            add("counting", counted, 20 + rng.random() * 2, figures)
        if rng.random() < 0.32:
            add("tabulation", counted.parent, 23 + rng.random() * 2)
        if rng.random() < 0.12 + (0.3 if bad_region else 0):
            add("incident", rng.choice(stations), 9 + rng.random() * 9)


def _stations_on(team: Team, day: dt.date) -> list[Location]:
    """The team's places on that day, each once (a team may be deployed there twice, e.g. the
    demo's practice deployment)."""
    places = {loc.pk: loc for d in team.deployments.all() if d.starts <= day <= d.ends
              for loc in d.locations.all()}
    return list(places.values())


def _sampled_stations(mission: Mission) -> dict[int, Location]:
    """{team pk: the polling station of the mission's quick-count sample it was sent to} (the
    first sample drawn, the first station of the team's run)."""
    found: dict[int, Location] = {}
    rows = (SampledStation.objects.filter(sample__mission=mission, team__isnull=False)
            .select_related("location").order_by("sample__drawn_at", "sample_id", "pk"))
    for row in rows:
        found.setdefault(row.team_id, row.location)
    return found


def _shared_station(teams: list[Team]) -> dict[int, Location]:
    """Teams deployed to one same station both count there: {team pk: that station}."""
    seen: dict[int, Team] = {}
    for team in teams:
        for deployment in team.deployments.all():
            for station in deployment.locations.all():
                if station.pk in seen and seen[station.pk].pk != team.pk:
                    return {seen[station.pk].pk: station, team.pk: station}
                seen[station.pk] = team
    return {}


def sto_teams(mission: Mission, n: int | None) -> list[Team]:
    teams = (
        Team.objects.filter(mission=mission, kind=TeamKind.STO).order_by("code")
        .prefetch_related("memberships__person", "deployments__locations")
    )
    return list(teams[:n] if n else teams)


def plan_day(mission: Mission, *, teams: int | None, seed: int) -> Plan:
    return DayPlanner(mission, seed).plan(sto_teams(mission, teams))


# --- sending ------------------------------------------------------------------------------


def observer_tokens(mission: Mission, codes: set[str], seed: int) -> dict[str, str]:
    """A login and an API token for each sending observer, derived from the server's secret and
    the seed, so that a rerun finds them again instead of adding new ones."""
    users = get_user_model().objects
    tokens = {}
    for person in mission.people.filter(code__in=codes).select_related("user"):
        if person.user is None:
            person.user, _ = users.get_or_create(username=f"sim-{person.code.lower()}")
            person.save(update_fields=["user"])
        secret = hmac.new(settings.SECRET_KEY.encode(), f"{seed}:{person.code}".encode(),
                          hashlib.sha256).hexdigest()
        _token, plain = mission_services.issue_token(
            actor=None, channel="command", user=person.user, name="simulator",
            plain=f"eom_sim_{secret[:40]}",
        )
        tokens[person.code] = plain
    return tokens


@dataclass
class Outcome:
    sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.statuses[201]

    @property
    def replayed(self) -> int:
        return self.statuses[200]


def send(reports: list[Report], url: str, tokens: dict[str, str], workers: int = 8) -> Outcome:
    outcome = Outcome()
    lock = threading.Lock()

    def post(report: Report) -> None:
        body = json.dumps({
            "uuid": str(report.key), "form_id": report.form_id, "location": report.location,
            "observed_at": report.observed_at.isoformat(), "answers": report.answers,
        }).encode()
        request = urllib.request.Request(
            f"{url.rstrip('/')}/api/submissions", data=body, method="POST",
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {tokens[report.observer]}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, ""
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")[:300]
        with lock:
            outcome.sent += 1
            outcome.statuses[status] += 1
            if status >= 300 and len(outcome.errors) < 10:
                outcome.errors.append(f"{report.form_id} {report.location}: {status} {text}")

    # Reports keep their order per observer (a phone sends one at a time), observers in parallel.
    queues: dict[str, list[Report]] = {}
    for report in reports:
        queues.setdefault(report.observer, []).append(report)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda queue: [post(r) for r in queue], queues.values()))
    return outcome


def simulate_election_day(mission: Mission, *, teams: int | None, seed: int,
                          url: str | None = None, workers: int = 8) -> tuple[Plan, Outcome]:
    """Plan the day and send it to `url`, or to a server started here for the run."""
    plan = plan_day(mission, teams=teams, seed=seed)
    tokens = observer_tokens(mission, {r.observer for r in plan.reports}, seed)
    if url is not None:
        return plan, send(plan.sending_order, url, tokens, workers)
    server = _local_server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        return plan, send(plan.sending_order, f"http://127.0.0.1:{port}", tokens, workers)
    finally:
        server.shutdown()
        server.server_close()


def _local_server():
    """A threaded WSGI server on a free local port, for one run (stops cleanly on shutdown)."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from eom.wsgi import application

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, format, *args) -> None:
            pass

    return make_server("127.0.0.1", 0, application, server_class=Server, handler_class=Quiet)
