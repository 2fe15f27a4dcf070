"""The mission and what it observes: elections, contests, parties, the location tree,
people, teams, deployments, the stakeholder meetings log, key dates and the audit trail."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import languages
from .fields import BulkJSONField, EncryptedCharField, EncryptedTextField


class Mission(models.Model):
    """An observation mission. Its name (the banner on every page), description (`note`), host
    organisation and headquarters are in English, with optional Russian and Kazakh texts
    (`languages.localised` picks the reader's)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    host_organisation = models.CharField(_("host organisation"), max_length=300, blank=True)
    host_organisation_ru = models.CharField(
        _("host organisation (Russian)"), max_length=300, blank=True)
    host_organisation_kk = models.CharField(
        _("host organisation (Kazakh)"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code"))
    headquarters = models.CharField(_("headquarters"), max_length=200, blank=True)
    headquarters_ru = models.CharField(_("headquarters (Russian)"), max_length=200, blank=True)
    headquarters_kk = models.CharField(_("headquarters (Kazakh)"), max_length=200, blank=True)
    deployment_start = models.DateField(_("deployment starts"), null=True, blank=True)
    deployment_end = models.DateField(_("deployment ends"), null=True, blank=True)
    observation_starts = models.DateField(
        _("observation starts"), null=True, blank=True,
        help_text=_("The first day a report may say it was observed; when empty, the day the "
                    "deployment starts."),
    )
    observation_ends = models.DateField(
        _("observation ends"), null=True, blank=True,
        help_text=_("The last day a report may say it was observed; when empty, the day the "
                    "deployment ends (and without either, no later than the server's day)."),
    )
    note = models.TextField(_("note"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    note_kk = models.TextField(_("note (Kazakh)"), blank=True)
    edit_window_minutes = models.PositiveIntegerField(
        _("observers may edit their reports for (minutes)"), default=60
    )

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-deployment_start", "code"]

    def __str__(self) -> str:
        return languages.localised(self, "name")

    def clean(self) -> None:
        if self.observation_starts and self.observation_ends and (
                self.observation_starts > self.observation_ends):
            raise ValidationError({"observation_ends": _(
                "The observation cannot end before it starts.")})


class Election(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="elections", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    date = models.DateField(_("election day"))
    note = models.TextField(_("note"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    note_kk = models.TextField(_("note (Kazakh)"), blank=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="election_unique_name")
        ]

    def __str__(self) -> str:
        return languages.localised(self, "name")


class ContestKind(models.TextChoices):
    PARTY_LIST = "party_list", _("party list")
    SINGLE_MEMBER_DISTRICT = "single_member_district", _("single-member districts")
    PRESIDENTIAL = "presidential", _("presidential")
    REFERENDUM = "referendum", _("referendum")


class Contest(models.Model):
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="contests", verbose_name=_("election")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ContestKind.choices)
    name = models.CharField(_("name"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    seats = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty when not fixed nationally.")
    )
    rule = models.CharField(
        _("counting rule"),
        max_length=64,
        blank=True,
        help_text=_("The law the contest is counted under, e.g. kz-mazhilis-2023."),
    )
    threshold_pct = models.DecimalField(
        _("threshold (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["election", "pk"]

    def __str__(self) -> str:
        return languages.localised(self, "name")


class LocalisedName(models.Model):
    """Names in the mission's three languages; `name` picks the reader's one."""

    name_en = models.CharField(_("name (English)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return languages.localised(self, "name")


class Party(LocalisedName):
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="parties", verbose_name=_("election")
    )
    code = models.CharField(_("code"), max_length=32)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    registration_order = models.PositiveIntegerField(
        _("registration order"), help_text=_("Order in which the list was registered (1 = first).")
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["election", "registration_order"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="party_unique_code"),
        ]


class Candidate(models.Model):
    """A candidate: on a party list (with a position) or in a single-member district."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("contest")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("party"),
        help_text=_("Empty for a self-nominated candidate."),
    )
    district = models.ForeignKey(
        "Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("electoral district"),
    )
    list_position = models.PositiveIntegerField(_("position on the list"), null=True, blank=True)
    registration_order = models.PositiveIntegerField(
        _("registration order"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["contest", "district", "list_position", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class LocationLevel(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    DISTRICT = "district", _("electoral district")
    POLLING_STATION = "polling_station", _("polling station")


LEVEL_ORDER = [level.value for level in LocationLevel]
# The commission at each level above the polling stations (a precinct commission is named as
# its polling station is).
COMMISSION_NAMES = {
    LocationLevel.COUNTRY: _("Central election commission, %(place)s"),
    LocationLevel.REGION: _("Territorial election commission, %(place)s"),
    LocationLevel.DISTRICT: _("District election commission, %(place)s"),
}
LEVEL_DEPTH = {level: depth for depth, level in enumerate(LEVEL_ORDER)}


class Location(LocalisedName):
    """A node of the tree country → region → electoral district → polling station.

    `path` holds the codes from the root (`KZ/KZ-01/SMD-01/010001/`) so that a subtree is one
    prefix query. `n_registered` is entered on polling stations and summed upwards by
    `services.recompute_totals`; `n_stations` counts the polling stations below.
    """

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="locations", verbose_name=_("mission")
    )
    level = models.CharField(_("level"), max_length=20, choices=LocationLevel.choices)
    code = models.CharField(_("code"), max_length=64)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=400, db_index=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=40, blank=True, help_text=_("e.g. oblast, city, urban, rural")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    n_registered = models.PositiveIntegerField(_("registered voters"), default=0)
    n_stations = models.PositiveIntegerField(_("polling stations"), default=0)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for the demo, not real data.")
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "code"], name="location_unique_code"),
        ]
        indexes = [models.Index(fields=["mission", "level"])]

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split("/") if code][:-1]

    @property
    def kind_display(self) -> str:
        """The kind ("city", "rural" …) in the reader's language when eom knows it."""
        return languages.place_kind(self.kind)

    @property
    def commission_name(self) -> str:
        """The election commission at this location, in the reader's language: built from the
        location's name and the kind of commission of its level."""
        pattern = COMMISSION_NAMES.get(self.level)
        return str(pattern) % {"place": self.name} if pattern else self.name


class Role(models.Model):
    """A post in the mission (head of mission, LTO, interpreter …)."""

    class Group(models.TextChoices):
        CORE_TEAM = "core", _("core team")
        OBSERVER = "observer", _("observers")
        SUPPORT = "support", _("support staff")
        VISITING = "visiting", _("delegations and visiting officials")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100, blank=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["order", "code"]

    name = LocalisedName.name

    def __str__(self) -> str:
        return self.name


class Access(models.TextChoices):
    """What a person may do in eom (separate from the post it holds in the mission)."""

    ADMINISTRATOR = "administrator", _("administrator")
    CORE_TEAM = "core", _("core team")
    COORDINATOR = "coordinator", _("coordinator")
    OBSERVER = "observer", _("observer")
    ANALYST = "analyst", _("analyst")
    NONE = "none", _("no access")


class Person(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="people", verbose_name=_("mission")
    )
    code = models.CharField(_("code"), max_length=32)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, verbose_name=_("role"))
    access = models.CharField(
        _("access"), max_length=20, choices=Access.choices, default=Access.NONE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    area = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of responsibility"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    election_day_contact = models.BooleanField(
        _("election-day contact"), default=False,
        help_text=_("A member of the core team whom observers call on election day: its name "
                    "and phone number are on every observer's Observe page."),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["role__order", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "code"], name="person_unique_code"),
        ]

    def __str__(self) -> str:
        return self.full_name


class TeamKind(models.TextChoices):
    LTO = "lto", _("long-term observers")
    STO = "sto", _("short-term observers")
    CORE = "core", _("core team")


class Team(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="teams", verbose_name=_("mission")
    )
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=10, choices=TeamKind.choices)
    area = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of responsibility"),
    )
    members = models.ManyToManyField(
        Person, through="TeamMembership", related_name="teams", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "code"], name="team_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("team"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships",
                               verbose_name=_("person"))
    is_leader = models.BooleanField(_("team leader"), default=False)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team} – {self.person}"


class Deployment(models.Model):
    """Where a team works and when: an LTO team's regions, an STO team's polling stations."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="deployments", verbose_name=_("team")
    )
    locations = models.ManyToManyField(
        Location, related_name="deployments", verbose_name=_("locations")
    )
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for the demo, not real data.")
    )

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["starts", "team"]

    def __str__(self) -> str:
        return f"{self.team} {self.starts}–{self.ends}"


class Sample(models.Model):
    """A reproducible stratified random sample of polling stations (for a quick count and for
    findings that generalise beyond the stations observed): the seed, the stratum level and the
    stations drawn; re-drawing with the same seed over the same stations gives the same sample.
    Drawn by `eom sample draw` (`eom.reporting.pvt`); read by the quick count, the analysis and
    the observer effect."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="samples",
                                verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=100)
    seed = models.BigIntegerField(_("seed"))
    stratum_level = models.CharField(
        _("strata"), max_length=20, choices=LocationLevel.choices, default=LocationLevel.REGION
    )
    size = models.PositiveIntegerField(_("size"))
    population_size = models.PositiveIntegerField(_("polling stations in the population"))
    stratum_sizes = models.JSONField(_("polling stations per stratum"), default=dict)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="sample_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SampledStation(models.Model):
    """One polling station of a sample, its stratum (a location code at the sample's stratum
    level) and the team sent to it."""

    sample = models.ForeignKey(Sample, on_delete=models.RESTRICT, related_name="stations",
                               verbose_name=_("sample"))
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("polling station")
    )
    stratum = models.CharField(_("stratum"), max_length=64)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("team"),
    )

    class Meta:
        verbose_name = _("sampled polling station")
        verbose_name_plural = _("sampled polling stations")
        constraints = [
            models.UniqueConstraint(fields=["sample", "location"], name="sampled_station_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sample} – {self.location}"


class OrganisationKind(models.TextChoices):
    STATE = "state", _("state authority")
    ELECTION_ADMINISTRATION = "election_administration", _("election administration")
    PARTY = "party", _("political party or candidate")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    MEDIA = "media", _("media")
    INTERNATIONAL = "international", _("international community")
    OTHER = "other", _("other")


class Organisation(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=32, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Interlocutor(models.Model):
    """Someone the mission meets: name, title and organisation.

    The name and title are encrypted in the database (`crypto`), so the database can neither
    sort nor compare them: `services` finds an organisation's interlocutor by name in Python,
    with the organisation locked.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="interlocutors",
        verbose_name=_("organisation"),
    )
    name = EncryptedCharField(_("name"), max_length=200)
    title = EncryptedCharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("interlocutor")
        verbose_name_plural = _("interlocutors")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


class Topic(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="topics", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="topic_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One stakeholder meeting held by the core team or long-term observers.

    The place, key points, follow-ups and interlocutors are encrypted in the database, for
    every meeting (`crypto`). `search_text` holds the words the meetings log searches in SQL,
    for meetings that are not confidential only; a confidential meeting's is empty and its
    text is searched in Python, after decrypting (`services.search_meetings`).
    """

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("mission")
    )
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    place = EncryptedCharField(_("place"), max_length=300)
    region = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    participants = models.ManyToManyField(
        Person, related_name="meetings", verbose_name=_("mission participants")
    )
    interlocutors = models.ManyToManyField(
        Interlocutor, related_name="meetings", verbose_name=_("interlocutors")
    )
    topics = models.ManyToManyField(Topic, related_name="meetings", verbose_name=_("topics"))
    key_points = EncryptedTextField(_("key points"), blank=True)
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Only the core team can see it.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for the demo, not a real meeting.")
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-time", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"


class FollowUp(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting")
    )
    text = EncryptedCharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def confidential(self) -> bool:
        """A follow-up is as confidential as its meeting."""
        return self.meeting.confidential


class KeyDate(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="key_dates", verbose_name=_("mission")
    )
    date = models.DateField(_("date"))
    event = models.CharField(_("event"), max_length=300)
    event_ru = models.CharField(_("event (Russian)"), max_length=300, blank=True)
    event_kk = models.CharField(_("event (Kazakh)"), max_length=300, blank=True)
    is_milestone = models.BooleanField(
        _("milestone"), default=False, help_text=_("Deployment, election day, closing …")
    )

    class Meta:
        verbose_name = _("key date")
        verbose_name_plural = _("key dates")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {languages.localised(self, 'event')}"


class AnnouncedResult(models.Model):
    """A contest's result as the election administration announced it (national level)."""

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="announced", verbose_name=_("contest")
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("party"),
        help_text=_("Empty for votes against all."),
    )
    votes = models.PositiveBigIntegerField(_("votes"))
    seats = models.PositiveIntegerField(_("seats"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("announced result")
        verbose_name_plural = _("announced results")
        ordering = ["contest", "-votes"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "party"], name="announced_unique_party"),
        ]

    def __str__(self) -> str:
        return f"{self.party or _('against all')}: {self.votes}"


class Channel(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    IMPORT = "import", _("import")
    ADMIN = "admin", _("admin")
    COMMAND = "command", _("command line")
    DEMO = "demo", _("demo loader")
    SMS = "sms", _("SMS")
    OPENROSA = "openrosa", _("ODK Collect")
    OFFLINE = "offline", _("offline app")


class AuditEntry(models.Model):
    """Who changed what, when, and through which channel; one link of a hash chain.

    Each entry carries `seq` (its place in the chain: 1, 2, 3 …), the hash of the entry before
    (`prev_hash`) and its own `hash` over its canonical content (`audit.entry_hash`), so that an
    entry altered or removed afterwards shows in `eom audit verify`. The actor's login id and
    name are kept as text beside the foreign key, which is emptied when the login is deleted.
    `confidential` entries (a confidential meeting, its follow-ups and links) are for the core
    team only (`permissions.audit_entries_visible_to`).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_user_id = models.BigIntegerField(_("login id"), null=True, blank=True)
    actor_username = models.CharField(_("login name"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record kind"), max_length=64)
    object_id = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("record name"), max_length=300)
    changes = BulkJSONField(_("changes"), default=dict, blank=True)
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Only the core team can see it.")
    )
    seq = models.BigIntegerField(_("sequence"), default=0)
    prev_hash = models.CharField(_("hash of the entry before"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        # One index for a record's history; every report writes an entry, so no more.
        indexes = [models.Index(fields=["model", "object_id"], name="audit_record_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_repr}"

    @property
    def plain_changes(self) -> dict:
        """The changes in clear: a confidential entry's are sealed with the data key."""
        from .audit import changes_of

        return changes_of(self)


def token_expiry():
    """When a token issued now expires: EOM_TOKEN_DAYS from now (90 days by default)."""
    return timezone.now() + dt.timedelta(days=settings.EOM_TOKEN_DAYS)


class AuditChainHead(models.Model):
    """The one row that holds the last link of the audit chain (its `seq` and `hash`).

    Every writer of audit entries locks it for the rest of its transaction (SELECT … FOR
    UPDATE), so that entries are chained in one order however many processes write; it also
    shows when entries were removed from the end of the chain."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored. It stops working when it is
    revoked, when it expires, or when its login is made inactive."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    expires_at = models.DateTimeField(_("expires"), default=token_expiry)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class SignInFailure(models.Model):
    """One refused sign-in (a wrong password, or an unknown API token), kept for the throttling
    window only (see `signin.py`); every app process counts the same rows."""

    class Kind(models.TextChoices):
        PASSWORD = "password", _("password")
        TOKEN = "token", _("API token")

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    username = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=45, blank=True)

    class Meta:
        verbose_name = _("refused sign-in")
        verbose_name_plural = _("refused sign-ins")
        indexes = [
            models.Index(fields=["username", "at"], name="signin_username_idx"),
            models.Index(fields=["address", "at"], name="signin_address_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username or '-'} {self.address}"
