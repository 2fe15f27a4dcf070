"""The demo mission: OSCE/ODIHR, Kazakhstan, early parliamentary elections of 19 March 2023.

Public facts come from `data/kz2023/` (regions, parties and official results, key dates, the
named staff, the meeting of 8 February 2023). What is not public is generated, deterministically
(fixed seed), and marked synthetic: the 10,223 polling stations and their registered voters
(summing to the official 12,035,578, spread over regions in proportion to population), the
observers and their teams, the meetings after the first one, the LTO reports (`demo.lto`),
the complaints and appeals (`demo.complaints`) and the media monitoring (`demo.media`).

The mission's data are in English, Russian and Kazakh: names of regions, districts, polling
stations and parties as the Central Election Commission writes them; in `mission.json` each
translated record's `translation` says, per language, whether its text is official (and whose)
or ours.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from eom.missions import audit, services
from eom.missions.languages import DATA_LANGUAGES
from eom.missions.models import (
    Access,
    AnnouncedResult,
    Channel,
    Contest,
    ContestKind,
    Deployment,
    Election,
    KeyDate,
    Location,
    LocationLevel,
    Mission,
    OrganisationKind,
    Party,
    Person,
    Sample,
    Team,
    TeamKind,
    TeamMembership,
)
from eom.missions.roles import ensure_roles
from eom.observation.services import load_form
from eom.reporting.pvt import draw_sample, tie_to_teams

DATA = Path(__file__).resolve().parent / "data" / "kz2023"
CHECKLISTS = Path(__file__).resolve().parent.parent / "observation" / "checklists"
MISSION_CODE = "kz-2023-parliamentary"
N_STATIONS = 10_223
N_REGISTERED = 12_035_578
SEED = 20230319
DEMO_PASSWORD = "eom-demo-2023"
# The demo's administrator and head of mission sign in with a code too (two-factor sign-in):
# their authenticator device holds this secret, published like the password (hex of
# "eom-demo-2023-totp!!"). A real mission's logins enrol their own on the first sign-in.
DEMO_TOTP_SECRET = b"eom-demo-2023-totp!!".hex()
TWO_FACTOR_LOGINS = ("admin", "core")
SAMPLE_NAME = "Quick count"
N_STO_TEAMS = 150
# The demo's STO teams are also deployed, for practice, for this many days from the day the demo
# is loaded (and again from the day `eom demo` runs): checklists filled today can be sent, while
# the election-day data keep their real day, 19 March 2023.
PRACTICE_DAYS = 7
PRACTICE_NOTE = "Practice (synthetic): deployed again from the day the demo was loaded"
# The core team's election-day contacts (synthetic people and phone numbers).
ELECTION_DAY_CONTACTS = {"operations_officer": "+7 701 555 9001",
                         "security_expert": "+7 701 555 9002"}
STREETS = [
    "Abay", "Dostyk", "Tole Bi", "Kabanbay Batyr", "Satpayev", "Auezov", "Baitursynov",
    "Zhambyl", "Seifullin", "Tauelsizdik", "Bukhar Zhyrau", "Mangilik El", "Momyshuly",
    "Kenesary", "Zheltoksan", "Turkestan",
]
VILLAGES = ["Akkol", "Zhanatalap", "Kokterek", "Sarybulak", "Karasu", "Ushkonyr", "Bayterek",
            "Koksu", "Almaly", "Talapty", "Shalkar", "Kyzylzhar"]

# Russian names of the parties (the data file holds English and Kazakh ones).
PARTY_NAMES_RU = {
    "Amanat": "Партия «AMANAT»",
    "Auyl People's Democratic Patriotic Party": "Народно-демократическая патриотическая партия «Ауыл»",
    "Respublica": "Партия «Respublica»",
    "Ak Zhol Democratic Party": "Демократическая партия Казахстана «Ак жол»",
    "People's Party of Kazakhstan": "Народная партия Казахстана",
    "Nationwide Social Democratic Party (OSDP)": "Общенациональная социал-демократическая партия",
    "Baytaq Green Party": "Партия зелёных «Байтак»",
}
PARTY_CODES = {
    "Amanat": "AMANAT",
    "Auyl People's Democratic Patriotic Party": "AUYL",
    "Respublica": "RESPUBLICA",
    "Ak Zhol Democratic Party": "AKZHOL",
    "People's Party of Kazakhstan": "QHP",
    "Nationwide Social Democratic Party (OSDP)": "OSDP",
    "Baytaq Green Party": "BAYTAQ",
}

FIRST_NAMES = [
    "Anna", "Lukas", "Sofia", "Jonas", "Marta", "Pierre", "Elena", "Tomas", "Ingrid", "Marco",
    "Katarzyna", "David", "Maria", "Niels", "Eva", "Jan", "Laura", "Mikael", "Petra", "Oscar",
    "Helena", "Andrei", "Clara", "Stefan", "Ana", "Henrik", "Irene", "Pavel", "Lucia", "Erik",
]
LAST_NAMES = [
    "Novak", "Schmidt", "Rossi", "Dubois", "Jensen", "Kowalski", "Horvath", "Nielsen", "Garcia",
    "Berg", "Costa", "Popescu", "Müller", "Lindqvist", "Moreau", "Fischer", "Kovac", "Larsen",
    "Ricci", "Wagner", "Petrov", "Hansen", "Martin", "Bauer", "Silva", "Varga", "Olsen", "Weber",
]
LOCAL_NAMES = [
    "Aigerim Bekova", "Nurlan Seitkali", "Dana Ospanova", "Yerlan Abenov", "Madina Karimova",
    "Arman Zhakupov", "Saule Tulegenova", "Daniyar Omarov", "Zhanna Iskakova", "Timur Kassym",
    "Gulnara Abdrakhmanova", "Askar Nurpeisov", "Aliya Sultanova", "Bauyrzhan Kenzhebekov",
    "Assel Mukhamedova", "Ruslan Dzhaksybekov",
]


@dataclass(frozen=True)
class RegionRow:
    code: str
    name_en: str
    name_kk: str
    name_ru: str
    kind: str
    districts: list[int]
    population: Fraction


def _district_numbers(text: str) -> list[int]:
    first, _sep, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def read_regions() -> list[RegionRow]:
    with (DATA / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return [
            RegionRow(
                code=row["code"],
                name_en=row["name_en"],
                name_kk=row["name_kk"],
                name_ru=row["name_ru"],
                kind=row["kind"],
                districts=_district_numbers(row["smd_numbers"]),
                population=Fraction(row["population_millions_approx"]),
            )
            for row in csv.DictReader(handle)
        ]


def largest_remainder(total: int, weights: list[Fraction]) -> list[int]:
    """Split `total` into integers proportional to `weights`, summing exactly to `total`."""
    weight_sum = sum(weights)
    shares = [Fraction(total) * w / weight_sum for w in weights]
    parts = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _address(rng: random.Random, urban: bool, region: RegionRow) -> str:
    """A synthetic address of a polling station: a school in a town, a house of culture in a
    village."""
    street = f"{rng.randint(1, 150)} {rng.choice(STREETS)} Street"
    place = region.name_en
    if urban:
        return f"School No. {rng.randint(1, 120)}, {street}, {place}"
    return f"House of Culture, {street}, {rng.choice(VILLAGES)} village, {place}"


def _translated(item: dict, *fields: str) -> dict[str, str]:
    """The English text of each of `fields` in a record of `mission.json`, and its translations
    (`<field>_ru`, `<field>_kk`; the record's `translation` says which are official and which
    are ours)."""
    return {f"{field}{suffix}": item.get(f"{field}{suffix}", "")
            for field in fields
            for suffix in ("", *(f"_{language}" for language in DATA_LANGUAGES))}


def _people_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name in seen:
            name = f"{name} {len(names) + 1}"
        seen.add(name)
        names.append(name)
    return names


class DemoLoader:
    """Builds the demo mission in one transaction; `load()` returns the counts it created."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.facts = json.loads((DATA / "mission.json").read_text(encoding="utf-8"))
        self.results = json.loads((DATA / "results.json").read_text(encoding="utf-8"))
        self.created: list[tuple[str, object, dict]] = []
        self.roles = ensure_roles()
        self.sampled_of: dict[str, Location] = {}

    def _keep(self, *objects) -> None:
        self.created.extend(("create", obj, {}) for obj in objects)

    # -- mission, elections, parties -----------------------------------------------------

    def mission(self) -> Mission:
        facts = self.facts["mission"]
        notes = {f"note{suffix}": facts[f"note{suffix}"].format(**facts)
                 for suffix in ("", *(f"_{language}" for language in DATA_LANGUAGES))}
        mission = Mission.objects.create(
            code=MISSION_CODE,
            **_translated(facts, "name", "host_organisation", "headquarters"),
            country=facts["country"],
            deployment_start=dt.date.fromisoformat(facts["deployment_start"]),
            deployment_end=dt.date.fromisoformat(facts["deployment_end"]),
            **notes,
        )
        self._keep(mission)
        for item in self.facts["key_dates"]:
            key_date = KeyDate.objects.create(
                mission=mission,
                date=dt.date.fromisoformat(item["date"]),
                **_translated(item, "event"),
                is_milestone=item["date"] in {"2023-02-07", "2023-03-19", "2023-03-29"},
            )
            self._keep(key_date)
        return mission

    def elections(self, mission: Mission) -> None:
        mazhilis_facts, maslikhat_facts = self.facts["elections"]
        mazhilis = Election.objects.create(
            mission=mission,
            **_translated(mazhilis_facts, "name"),
            date=dt.date.fromisoformat(mazhilis_facts["date"]),
        )
        party_list = Contest.objects.create(
            election=mazhilis,
            kind=ContestKind.PARTY_LIST,
            **_translated(mazhilis_facts["contests"][0], "name"),
            seats=69,
            rule="kz-mazhilis-2023",
            threshold_pct=5,
        )
        districts = Contest.objects.create(
            election=mazhilis,
            kind=ContestKind.SINGLE_MEMBER_DISTRICT,
            **_translated(mazhilis_facts["contests"][1], "name"),
            seats=29,
            rule="kz-mazhilis-2023",
        )
        maslikhats = Election.objects.create(
            mission=mission,
            **_translated(maslikhat_facts, "name", "note"),
            date=dt.date.fromisoformat(maslikhat_facts["date"]),
        )
        regional_lists = Contest.objects.create(
            election=maslikhats,
            kind=ContestKind.PARTY_LIST,
            **_translated(maslikhat_facts["contests"][0], "name"),
            rule="kz-maslikhat-2023",
            threshold_pct=5,
        )
        maslikhat_districts = Contest.objects.create(
            election=maslikhats,
            kind=ContestKind.SINGLE_MEMBER_DISTRICT,
            **_translated(maslikhat_facts["contests"][1], "name"),
            rule="kz-maslikhat-2023",
        )
        self._keep(mazhilis, maslikhats, party_list, districts, regional_lists, maslikhat_districts)
        source = "CEC final results, 27 March 2023"
        # Registration order is not in the reference data: the lists keep the order of the
        # results table (by votes) until the CEC's registration order is entered.
        for order, row in enumerate(self.results["party_list_results"], start=1):
            party = Party.objects.create(
                election=mazhilis,
                code=PARTY_CODES[row["party"]],
                short_name=row["party"].split(" (")[0],
                name_en=row["party"],
                name_ru=PARTY_NAMES_RU[row["party"]],
                name_kk=row["name_local"],
                registration_order=order,
            )
            result = AnnouncedResult.objects.create(
                contest=party_list,
                party=party,
                votes=row["votes"],
                seats=row["pr_seats"],
                source=source,
            )
            self._keep(party, result)
        against = AnnouncedResult.objects.create(
            contest=party_list, party=None, votes=self.results["against_all"]["votes"], source=source
        )
        self._keep(against)

    # -- the location tree ---------------------------------------------------------------

    def locations(self, mission: Mission) -> dict[str, Location]:
        country = Location(
            mission=mission,
            level=LocationLevel.COUNTRY,
            code="KZ",
            name_en="Kazakhstan",
            name_ru="Казахстан",
            name_kk="Қазақстан",
            path="KZ/",
        )
        country.save()
        self._keep(country)
        regions = read_regions()
        stations_per_region = largest_remainder(N_STATIONS, [r.population for r in regions])
        voters_per_region = largest_remainder(N_REGISTERED, [r.population for r in regions])
        by_code = {"KZ": country}
        stations: list[Location] = []
        addresses = random.Random(SEED + 1)  # apart from self.rng: names and teams stay as they were
        for number, (row, n_stations, n_voters) in enumerate(
            zip(regions, stations_per_region, voters_per_region, strict=True), start=1
        ):
            region = Location(
                mission=mission,
                level=LocationLevel.REGION,
                code=row.code,
                name_en=row.name_en,
                name_ru=row.name_ru,
                name_kk=row.name_kk,
                kind=row.kind,
                parent=country,
                path=f"{country.path}{row.code}/",
            )
            region.save()
            self._keep(region)
            by_code[row.code] = region
            sizes = [Fraction(self.rng.randint(60, 140)) for _ in range(n_stations)]
            voters = largest_remainder(n_voters, sizes)
            split = largest_remainder(n_stations, [Fraction(1)] * len(row.districts))
            first = 0
            for district_number, n_in_district in zip(row.districts, split, strict=True):
                district = Location(
                    mission=mission,
                    level=LocationLevel.DISTRICT,
                    code=f"SMD-{district_number:02d}",
                    name_en=f"Single-member district No. {district_number}",
                    name_ru=f"Одномандатный избирательный округ № {district_number}",
                    name_kk=f"№ {district_number} бір мандатты сайлау округі",
                    parent=region,
                    path=f"{region.path}SMD-{district_number:02d}/",
                )
                district.save()
                self._keep(district)
                by_code[district.code] = district
                for seq in range(first, first + n_in_district):
                    code = f"{number:02d}{seq + 1:04d}"
                    urban = row.kind == "city" or self.rng.random() < 0.45
                    stations.append(
                        Location(
                            mission=mission,
                            level=LocationLevel.POLLING_STATION,
                            code=code,
                            name_en=f"Polling station No. {seq + 1}",
                            name_ru=f"Избирательный участок № {seq + 1}",
                            name_kk=f"№ {seq + 1} сайлау учаскесі",
                            kind="urban" if urban else "rural",
                            parent=district,
                            path=f"{district.path}{code}/",
                            n_registered=voters[seq],
                            n_stations=1,
                            address=_address(addresses, urban, row),
                            synthetic=True,
                        )
                    )
                first += n_in_district
        Location.objects.bulk_create(stations, batch_size=2000)
        self._keep(*Location.objects.filter(mission=mission, level=LocationLevel.POLLING_STATION))
        services.recompute_totals(mission)
        return by_code

    # -- people and teams ------------------------------------------------------------------

    def _person(self, mission, code, name, role, access=Access.NONE, area=None, **extra) -> Person:
        person = Person.objects.create(
            mission=mission,
            code=code,
            full_name=name,
            role=self.roles[role],
            access=access,
            area=area,
            **extra,
        )
        self._keep(person)
        return person

    def staff(self, mission: Mission, country: Location) -> dict[str, Person]:
        named = {
            "Head of Mission": ("head_of_mission", Access.CORE_TEAM),
            "Deputy Head of Mission": ("deputy_head", Access.CORE_TEAM),
            "Election Adviser": ("election_adviser", Access.CORE_TEAM),
            "Special Co-ordinator, leader of the short-term observers": (
                "special_coordinator",
                Access.NONE,
            ),
            "Head of the OSCE Parliamentary Assembly delegation": ("pa_head", Access.NONE),
            "Spokesperson": ("spokesperson", Access.NONE),
        }
        people: dict[str, Person] = {}
        for number, item in enumerate(self.facts["staff"], start=1):
            role, access = named[item["role"]]
            people[role] = self._person(
                mission,
                f"CT{number:02d}",
                item["name"],
                role,
                access,
                area=country,
                nationality=item.get("nationality", ""),
            )
        synthetic = [
            ("legal_analyst", Access.CORE_TEAM),
            ("political_analyst", Access.CORE_TEAM),
            ("media_analyst", Access.CORE_TEAM),
            ("election_analyst", Access.CORE_TEAM),
            ("statistician", Access.ANALYST),
            ("lto_coordinator", Access.COORDINATOR),
            ("security_expert", Access.CORE_TEAM),
            ("operations_officer", Access.CORE_TEAM),
        ]
        names = _people_names(self.rng, len(synthetic))
        for number, ((role, access), name) in enumerate(zip(synthetic, names, strict=True), 7):
            contact = {"phone": ELECTION_DAY_CONTACTS[role], "election_day_contact": True} \
                if role in ELECTION_DAY_CONTACTS else {}
            people[role] = self._person(
                mission, f"CT{number:02d}", name, role, access, area=country, synthetic=True,
                **contact,
            )
        return people

    def _team(self, mission, code, kind, area, members, starts, ends, locations, note=""):
        team = Team.objects.create(mission=mission, code=code, kind=kind, area=area)
        TeamMembership.objects.bulk_create(
            TeamMembership(team=team, person=person, is_leader=i == 0)
            for i, person in enumerate(members)
        )
        deployment = Deployment.objects.create(team=team, starts=starts, ends=ends, note=note)
        deployment.locations.set(locations)
        self._keep(team, deployment)
        return team

    def observers(self, mission: Mission, by_code: dict[str, Location]) -> dict[str, Team]:
        regions = [loc for code, loc in by_code.items() if loc.level == LocationLevel.REGION]
        # 16 LTO teams for 20 regions: the four smallest share a team with a neighbour.
        pairs = {"KZ-19": "KZ-12", "KZ-11": "KZ-07", "KZ-04": "KZ-20", "KZ-17": "KZ-05"}
        lto_areas = [region for region in regions if region.code not in pairs]
        names = _people_names(self.rng, 32 + 300)
        lto_names, sto_names = names[:32], names[32:]
        teams: dict[str, Team] = {}
        for number, region in enumerate(lto_areas, start=1):
            members = [
                self._person(
                    mission,
                    f"LTO{2 * number - 1 + i:02d}",
                    lto_names[2 * number - 2 + i],
                    "lto",
                    Access.COORDINATOR,
                    area=region,
                    synthetic=True,
                    phone=f"+7 701 555 {number:02d}{i}0",
                )
                for i in range(2)
            ]
            members.append(
                self._person(
                    mission, f"INT{number:02d}", LOCAL_NAMES[number - 1], "interpreter",
                    area=region, synthetic=True,
                )
            )
            covered = [region] + [r for r in regions if pairs.get(r.code) == region.code]
            teams[f"LTO-{number:02d}"] = self._team(
                mission, f"LTO-{number:02d}", TeamKind.LTO, region, members,
                dt.date(2023, 2, 17), dt.date(2023, 3, 27), covered,
                note=", ".join(r.name_en for r in covered),
            )
        # 150 STO teams, one per polling station of the quick-count sample, each in the district
        # of its sampled station: it counts there and visits seven other stations of its district
        # during the day.
        districts = list(
            Location.objects.filter(mission=mission, level=LocationLevel.DISTRICT).order_by("path")
        )
        stations_of = {d.pk: [] for d in districts}
        by_pk = {}
        for station in Location.objects.filter(
            mission=mission, level=LocationLevel.POLLING_STATION
        ).only("pk", "parent_id", "code"):
            stations_of[station.parent_id].append(station)
            by_pk[station.pk] = station
        sample = self.quick_count_sample(mission)
        drawn = list(sample.stations.order_by("pk").values_list("location_id", flat=True))
        sampled_in = {d.pk: [] for d in districts}
        for location_id in drawn:
            sampled_in[by_pk[location_id].parent_id].append(by_pk[location_id])
        team_of_station: dict[int, Team] = {}
        number = 0
        for district in districts:
            sampled = sampled_in[district.pk]
            others = [s for s in stations_of[district.pk] if s not in sampled]
            pool = self.rng.sample(others, min(7 * len(sampled), len(others)))
            for k, counted in enumerate(sampled):
                number += 1
                members = [
                    self._person(
                        mission, f"STO{2 * number - 1 + i:03d}", sto_names[2 * number - 2 + i],
                        "sto", Access.OBSERVER, area=district, synthetic=True,
                        phone=f"+7 702 555 {number:03d}{i}",
                    )
                    for i in range(2)
                ]
                team = self._team(
                    mission, f"STO-{number:03d}", TeamKind.STO, district, members,
                    dt.date(2023, 3, 16), dt.date(2023, 3, 21), [*pool[7 * k : 7 * k + 7], counted],
                )
                teams[team.code] = team
                team_of_station[counted.pk] = team
                self.sampled_of[team.code] = counted
        tie_to_teams(actor=None, channel=Channel.DEMO, sample=sample,
                     teams=[team_of_station[location_id] for location_id in drawn])
        self._share_a_station(teams)
        return teams

    def quick_count_sample(self, mission: Mission) -> Sample:
        """The demo's quick-count sample: 150 polling stations, one per STO team, stratified by
        electoral district (seeded).

        Districts rather than regions: teams are deployed per district, so with the sample
        allocated in proportion to each district's stations, every team counts at a sampled
        station of its own district (no team travels across a region at night), and the 29
        districts spread the sample over the country at least as evenly as the 20 regions do.
        """
        sample, _created = draw_sample(
            actor=None, channel=Channel.DEMO, mission=mission, name=SAMPLE_NAME,
            size=N_STO_TEAMS, seed=SEED, stratum_level=LocationLevel.DISTRICT,
        )
        return sample

    def _share_a_station(self, teams: dict[str, Team]) -> None:
        """Two teams of one district both cover a station, the second team's sampled station:
        both count there and disagree, so one sampled station has a conflict to resolve."""
        by_area: dict[int, list[Team]] = {}
        for team in teams.values():
            if team.kind == TeamKind.STO:
                by_area.setdefault(team.area_id, []).append(team)
        first, second = next(pair for pair in by_area.values() if len(pair) >= 2)[:2]
        first.deployments.get().locations.add(self.sampled_of[second.code])

    # -- meetings --------------------------------------------------------------------------

    def meetings(self, mission: Mission, staff: dict[str, Person], by_code, system_user) -> None:
        first = self.facts["meetings"][0]
        by_name = {p.full_name: p for p in staff.values()}
        data = services.MeetingData(
            date=dt.date.fromisoformat(first["date"]),
            time=dt.time(11, 0),
            place=first["place"],
            region=by_code["KZ-01"],
            participants=[by_name[p.split(" (")[0]] for p in first["mission_participants"]],
            interlocutors=[
                services.InterlocutorData(
                    name=i["name"],
                    title=i["title"],
                    organisation=i["organisation"],
                    organisation_kind=OrganisationKind.STATE,
                )
                for i in first["interlocutors"]
            ],
            topics=first["topics"],
            key_points="\n".join(first["key_points"]),
            follow_ups=[
                services.FollowUpData(text=first["follow_up"][0], owner=staff["legal_analyst"]),
                services.FollowUpData(
                    text=first["follow_up"][1],
                    owner=staff["deputy_head"],
                    due=dt.date(2023, 2, 10),
                    status="done",
                ),
            ],
            source=first["source"],
        )
        services.create_meeting(actor=system_user, channel=Channel.DEMO, mission=mission, data=data)
        from eom.demo.meetings import synthetic_meetings

        for data in synthetic_meetings(staff, by_code):
            services.create_meeting(
                actor=system_user, channel=Channel.DEMO, mission=mission, data=data
            )

    # -- logins ----------------------------------------------------------------------------

    def logins(self, staff: dict[str, Person], teams: dict[str, Team]) -> None:
        """One login per access level (see demo_logins)."""
        users = get_user_model().objects
        users.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)
        lto = teams["LTO-01"].memberships.get(is_leader=True).person
        sto_team = next(t for t in teams.values() if t.kind == TeamKind.STO)
        sto = sto_team.memberships.get(is_leader=True).person
        accounts = [
            ("core", staff["head_of_mission"]),
            ("coordinator", lto),
            ("observer", sto),
            ("analyst", staff["statistician"]),
        ]
        for username, person in accounts:
            user = users.create_user(username, f"{username}@example.org", DEMO_PASSWORD)
            user.first_name = person.full_name
            user.save()
            person.user = user
            person.save(update_fields=["user"])
        enrol_two_factor()


def enrol_two_factor() -> None:
    """Give the demo's administrator and core-team logins a confirmed TOTP device holding
    DEMO_TOTP_SECRET, unless they have a device already (one enrolled by hand is kept)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for user in get_user_model().objects.filter(username__in=TWO_FACTOR_LOGINS):
        if not TOTPDevice.objects.filter(user=user).exists():
            device = TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_SECRET,
                                               confirmed=True)
            audit.record(actor=None, channel=Channel.DEMO, action="create", obj=device,
                         changes={"user": [None, user.get_username()]})


def two_factor_secret_base32() -> str:
    """DEMO_TOTP_SECRET as an authenticator app takes it when typed in."""
    import base64

    return base64.b32encode(bytes.fromhex(DEMO_TOTP_SECRET)).decode("ascii").rstrip("=")


def two_factor_code() -> str:
    """The demo's current 6-digit code (for the screenshots)."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(DEMO_TOTP_SECRET)):06d}"


def practice_deployments(today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """Deploy every STO team of the demo mission, for practice, to its election-day stations for
    PRACTICE_DAYS days from `today` (the server's day by default), and widen the mission's
    observation period to the last of them, so that the demo's observers can send a checklist
    filled today. The practice deployments are marked synthetic; those of an earlier day are
    moved. Returns (first day, last day), or None without the demo mission. Side effects: audit
    entries (channel demo)."""
    from django.utils import timezone

    mission = Mission.objects.filter(code=MISSION_CODE).first()
    if mission is None:
        return None
    first = today or timezone.localdate()
    last = first + dt.timedelta(days=PRACTICE_DAYS - 1)
    entries: list[tuple[str, object, dict]] = []
    teams = Team.objects.filter(mission=mission, kind=TeamKind.STO).prefetch_related(
        "deployments__locations")
    links = []
    for team in teams:
        deployments = list(team.deployments.all())
        practice = next((d for d in deployments if d.synthetic and d.note == PRACTICE_NOTE), None)
        if practice is None:
            stations = {loc.pk for d in deployments for loc in d.locations.all()}
            practice = Deployment.objects.create(team=team, starts=first, ends=last,
                                                 note=PRACTICE_NOTE, synthetic=True)
            links += [Deployment.locations.through(deployment=practice, location_id=pk)
                      for pk in sorted(stations)]
            entries.append(("create", practice, {}))
        elif (practice.starts, practice.ends) != (first, last):
            entries.append(("update", practice, {
                "starts": [practice.starts.isoformat(), first.isoformat()],
                "ends": [practice.ends.isoformat(), last.isoformat()]}))
            practice.starts, practice.ends = first, last
            practice.save(update_fields=["starts", "ends"])
    Deployment.locations.through.objects.bulk_create(links)
    if mission.observation_ends is None or mission.observation_ends < last:
        entries.append(("update", mission, {"observation_ends": [
            mission.observation_ends and mission.observation_ends.isoformat(), last.isoformat()]}))
        mission.observation_ends = last
        mission.save(update_fields=["observation_ends"])
    audit.record_many(actor=None, channel=Channel.DEMO, entries=entries, mission=mission)
    return first, last


def is_loaded() -> bool:
    return Mission.objects.filter(code=MISSION_CODE).exists()


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo mission unless it is there; returns what was created (empty if nothing)."""
    if is_loaded():
        return {}
    loader = DemoLoader()
    mission = loader.mission()
    loader.elections(mission)
    by_code = loader.locations(mission)
    staff = loader.staff(mission, by_code["KZ"])
    teams = loader.observers(mission, by_code)
    loader.logins(staff, teams)
    system = get_user_model().objects.get(username="admin")
    core_user = staff["head_of_mission"].user
    loader.meetings(mission, staff, by_code, core_user or system)
    from eom.demo.lto import load_lto_reports

    load_lto_reports(mission, core_user or system)
    from eom.demo.complaints import load_complaints

    load_complaints(mission, core_user or system)
    from eom.demo.media import load_media

    load_media(mission, core_user)
    audit.record_many(actor=None, channel=Channel.DEMO, entries=loader.created, mission=mission)
    from eom.demo.results import load_official_results

    load_official_results(mission)
    for workbook in sorted(CHECKLISTS.glob("*.xlsx")):
        load_form(actor=None, channel=Channel.DEMO, mission=mission,
                  source=workbook.read_bytes(), filename=workbook.name)
    from eom.demo.standards import load_standards

    load_standards(mission, core_user)
    from eom.demo.reports import load_preliminary_statement

    load_preliminary_statement(mission, core_user or system)
    practice_deployments()
    return {"audit_entries": len(loader.created)}


def load_draft_statement() -> None:
    """The draft statement of preliminary findings, also in a demo loaded before there were
    reports."""
    mission = Mission.objects.filter(code=MISSION_CODE).first()
    if mission is None:
        return
    from eom.demo.reports import load_preliminary_statement

    core = get_user_model().objects.filter(username="core").first()
    load_preliminary_statement(mission, core)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, access) for the demo's accounts."""
    return [
        ("admin", DEMO_PASSWORD, "administrator"),
        ("core", DEMO_PASSWORD, "core team (Head of Mission)"),
        ("coordinator", DEMO_PASSWORD, "coordinator (long-term observer, Astana)"),
        ("observer", DEMO_PASSWORD, "observer (short-term observer team)"),
        ("analyst", DEMO_PASSWORD, "analyst (statistician, read-only)"),
    ]


__all__ = ["load", "is_loaded", "demo_logins", "practice_deployments", "MISSION_CODE"]
