"""Forms of the mission pages. Errors name the field and, for rows of a field, the row.

A meeting's lists and texts are bounded as in the API (docs/security-limits.md): so many
participants, interlocutors, topics and follow-ups (settings `EOM_MAX_MEETING_…`), key points of
at most EOM_MAX_MEETING_TEXT_CHARS characters, names and titles as long as the models store.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from eom import tables

from . import permissions, validators
from .models import FollowUp, Location, LocationLevel, Meeting, Mission, OrganisationKind, Person
from .services import FollowUpData, InterlocutorData, MeetingData

# Blank rows the page adds to the interlocutors and follow-ups it shows (the browser, with
# JavaScript, keeps one and adds more on demand).
BLANK_ROWS = 2
# The groups of people a meeting names as the mission's participants.
PARTICIPANT_GROUPS = ("core", "observer")


class RowsInput(forms.Widget):
    """Rows of inputs posted as parallel lists: `<field>_<column>` once per row, in the order of
    the rows (so the page adds and removes rows without renaming anything). The value is a list
    of tuples, one per row, a missing column read as empty."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        super().__init__()
        self.columns = columns

    def value_from_datadict(self, data, files, name) -> list[tuple[str, ...]]:
        lists = [_getlist(data, f"{name}_{column}") for column in self.columns]
        n = max(len(values) for values in lists)
        return [tuple(values[i] if i < len(values) else "" for values in lists)
                for i in range(n)]

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False


def _getlist(data, key: str) -> list[str]:
    """The values posted under `key` (a QueryDict), or the one value or list of a dict."""
    if hasattr(data, "getlist"):
        return [str(value) for value in data.getlist(key)]
    value = data.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


class Rows(forms.Field):
    """Rows of a meeting (interlocutors, follow-ups): the rows that are not blank, stripped,
    counted against the setting `limit` and checked for text no row may hold. A row is blank
    when its text columns are empty (a list's choice alone does not make a row)."""

    def __init__(self, *, columns: tuple[str, ...], choices: tuple[str, ...], limit: str,
                 **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(widget=RowsInput(columns), **kwargs)
        self.columns, self.limit = columns, limit
        self.text_columns = [i for i, column in enumerate(columns) if column not in choices]

    def is_blank(self, row: tuple[str, ...]) -> bool:
        return not any(row[i].strip() for i in self.text_columns)

    def to_python(self, value) -> list[tuple[str, ...]]:
        rows = [tuple(part.strip() for part in row) for row in value or []]
        rows = [row for row in rows if not self.is_blank(row)]
        problem = validators.count_problem(len(rows), validators.limit(self.limit))
        problem = problem or next(
            (p for row in rows for p in map(validators.text_problem, row) if p), None)
        if problem:
            raise forms.ValidationError(problem, code="invalid")
        return rows

    def prepare_value(self, value):
        return value


def _too_long(what: str, value: str, max_chars: int) -> str | None:
    """`the title is 400 characters long; at most 300 are allowed`, or None."""
    if len(value) <= max_chars:
        return None
    return gettext("%(what)s is %(chars)d characters long; at most %(max)d are allowed") % {
        "what": what, "chars": len(value), "max": max_chars}


class MappingField(forms.CharField):
    """A text box of `ours=theirs` pairs, one per line or separated by commas: cleaned into
    {our column: the file's header}. `message` words an item that is not a pair (`%(pair)s`)."""

    def __init__(self, *args, message: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(*args, **kwargs)
        self.message = message

    def clean(self, value):
        try:
            return tables.parse_mapping([super().clean(value) or ""])
        except tables.MappingError as error:
            raise forms.ValidationError(self.message, code="invalid",
                                        params={"pair": error.pair[:50]}) from None


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen from a list, counted (at most the setting `max_items` names) and their ids
    checked before they are looked up (an id beyond 64 bits would fail the database's IN)."""

    def __init__(self, *args, max_items: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_items = max_items

    def clean(self, value):
        problem = validators.count_problem(len(value or []), validators.limit(self.max_items))
        problem = problem or next(
            (p for p in map(validators.id_problem, value or []) if p), None)
        if problem:
            raise forms.ValidationError(problem, code="invalid")
        return super().clean(value)


class _Participants(CheckedModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_items="EOM_MAX_MEETING_PARTICIPANTS", **kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} · {obj.role.name}"


def owner_labels(people) -> dict[str, Person]:
    """{name shown: person} of the people a follow-up may be given to: the full name, and the
    person's code after it only where two people share a name."""
    names = Counter(person.full_name for person in people)
    return {(person.full_name if names[person.full_name] == 1
             else f"{person.full_name} ({person.code})"): person for person in people}


class MeetingForm(forms.Form):
    """A meeting as a mission officer writes it up, on a phone or at a desk.

    Participants are people of the mission (a list to select from; the page lets one find them
    by typing part of a name). Interlocutors and follow-ups are rows of inputs
    (`interlocutors_name`, `interlocutors_title`, `interlocutors_organisation`,
    `interlocutors_kind`; `follow_ups_text`, `follow_ups_owner` (a person's name),
    `follow_ups_due`, `follow_ups_status`), blank rows ignored. A row's problem is named with
    its number (`interlocutor 2: the name is missing`) and kept in `row_problems` for the page.
    """

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Location.objects.none(), required=False
    )
    participants = _Participants(
        label=_("Mission participants"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    interlocutors = Rows(
        label=_("Interlocutors"), columns=("name", "title", "organisation", "kind"),
        choices=("kind",), limit="EOM_MAX_MEETING_INTERLOCUTORS",
    )
    topics = forms.CharField(
        label=_("Topics"), required=False, help_text=_("Separated by commas")
    )
    key_points = forms.CharField(
        label=_("Key points"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        max_length=settings.EOM_MAX_MEETING_TEXT_CHARS,
    )
    follow_ups = Rows(
        label=_("Follow-ups"), columns=("text", "owner", "due", "status"),
        choices=("status",), limit="EOM_MAX_MEETING_FOLLOW_UPS",
    )
    confidential = forms.BooleanField(
        label=_("Confidential (core team only)"), required=False
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)

    kinds = OrganisationKind.choices
    statuses = FollowUp.Status.choices

    def __init__(self, *args, mission: Mission, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.row_problems: dict[str, dict[int, str]] = {"interlocutors": {}, "follow_ups": {}}
        self.fields["region"].queryset = Location.objects.filter(
            mission=mission, level=LocationLevel.REGION
        )
        # The people the writer may see, and those the meeting already names (an editor must
        # not drop what it cannot see); no one else is offered, or found by name.
        owners = [row[1] for row in self.initial.get("follow_ups") or [] if row[1]]
        self.people = Person.objects.filter(mission=mission).filter(
            Q(pk__in=permissions.people_visible_to(user, mission).values("pk"))
            | Q(pk__in=self.initial.get("participants") or [])
            | Q(pk__in=owners)
        )
        self.fields["participants"].queryset = self.people.filter(
            role__group__in=PARTICIPANT_GROUPS
        ).select_related("role")
        self.owners = owner_labels(list(self.people.order_by("full_name", "pk")))
        if owners:
            label_of = {person.pk: label for label, person in self.owners.items()}
            self.initial["follow_ups"] = [
                (text, label_of.get(owner, ""), due, status)
                for text, owner, due, status in self.initial["follow_ups"]
            ]
        if not permissions.can_mark_confidential(user):
            del self.fields["confidential"]

    @classmethod
    def initial_from(cls, meeting: Meeting) -> dict:
        interlocutors = [
            (i.name, i.title, i.organisation.name, i.organisation.kind)
            for i in meeting.interlocutors.select_related("organisation")
        ]
        follow_ups = [
            (f.text, f.owner_id or "", f"{f.due or ''}", f.status)
            for f in meeting.follow_ups.all()
        ]
        return {
            "date": meeting.date,
            "time": meeting.time,
            "place": meeting.place,
            "region": meeting.region_id,
            "participants": list(meeting.participants.values_list("pk", flat=True)),
            "interlocutors": interlocutors,
            "topics": ", ".join(t.name for t in meeting.topics.all()),
            "key_points": meeting.key_points,
            "follow_ups": follow_ups,
            "confidential": meeting.confidential,
            "source": meeting.source,
        }

    # --- the rows, as the page shows them ------------------------------------------------

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows to show: those given (the posted ones, or the meeting's), each with its
        problem, then BLANK_ROWS blank ones."""
        field = self.fields[name]
        given = [tuple(part.strip() for part in row) for row in self[name].value() or []]
        given = [row for row in given if not field.is_blank(row)]
        given = given[:validators.limit(field.limit)]
        problems = self.row_problems[name] if self.is_bound and self.errors else {}
        rows = [dict(zip(field.columns, row, strict=True), problem=problems.get(i, ""))
                for i, row in enumerate(given)]
        return rows + [self.blank_row(name) for _n in range(BLANK_ROWS)]

    def blank_row(self, name: str) -> dict[str, str]:
        return dict.fromkeys(self.fields[name].columns, "") | {"problem": ""}

    @property
    def interlocutor_rows(self) -> list[dict[str, str]]:
        return self.rows("interlocutors")

    @property
    def follow_up_rows(self) -> list[dict[str, str]]:
        return self.rows("follow_ups")

    @property
    def blank_interlocutor(self) -> dict[str, str]:
        return self.blank_row("interlocutors")

    @property
    def blank_follow_up(self) -> dict[str, str]:
        return self.blank_row("follow_ups")

    def _row_errors(self, name: str, message: str, problems: dict[int, str]) -> None:
        """Keep the rows' problems for the page; raise them, numbered, as the field's errors."""
        self.row_problems[name] = problems
        if problems:
            raise forms.ValidationError([
                message % {"n": index + 1, "problem": problem}
                for index, problem in sorted(problems.items())
            ])

    # --- cleaning ----------------------------------------------------------------------------

    def clean_interlocutors(self) -> list[InterlocutorData]:
        kinds = {choice.value for choice in OrganisationKind}
        result, problems = [], {}
        for index, (name, title, organisation, kind) in enumerate(
                self.cleaned_data["interlocutors"]):
            kind = kind or OrganisationKind.OTHER
            problem = (_too_long(gettext("the name"), name, 200)
                       or _too_long(gettext("the title"), title, 300)
                       or _too_long(gettext("the organisation"), organisation, 300))
            if not name:
                problem = gettext("the name is missing")
            elif not problem and kind not in kinds:
                problem = gettext("unknown kind of organisation “%(kind)s”") % {
                    "kind": kind[:40]}
            if problem:
                problems[index] = problem
            else:
                result.append(InterlocutorData(name, title, organisation, kind))
        self._row_errors("interlocutors", gettext("interlocutor %(n)d: %(problem)s"), problems)
        return result

    def clean_topics(self) -> list[str]:
        topics = [t.strip() for t in self.cleaned_data["topics"].split(",") if t.strip()]
        problem = validators.count_problem(len(topics), validators.limit("EOM_MAX_MEETING_TOPICS"))
        if problem:
            raise forms.ValidationError(problem, code="too_many")
        long = [t for t in topics if len(t) > 200]
        if long:
            raise forms.ValidationError(
                gettext("a topic is %(n)d characters long; at most 200 are allowed")
                % {"n": len(long[0])}, code="max_length")
        return topics

    def _owner(self, name: str) -> Person | None:
        """The person of that name among those offered (any case), or None."""
        if name in self.owners:
            return self.owners[name]
        folded = name.casefold()
        return next((person for label, person in self.owners.items()
                     if label.casefold() == folded), None)

    def clean_follow_ups(self) -> list[FollowUpData]:
        statuses = {choice.value for choice in FollowUp.Status}
        result, problems = [], {}
        for index, (text, owner_name, due_text, status) in enumerate(
                self.cleaned_data["follow_ups"]):
            status = status or FollowUp.Status.OPEN
            owner = self._owner(owner_name) if owner_name else None
            problem, due = None, None
            if not text:
                problem = gettext("the action is missing")
            elif len(text) > 500:
                problem = gettext("the action is %(chars)d characters long; at most %(max)d "
                                  "are allowed") % {"chars": len(text), "max": 500}
            elif owner_name and owner is None:
                problem = gettext("“%(name)s” is not one of the people you may choose; pick a "
                                  "name from the list") % {"name": owner_name[:200]}
            elif status not in statuses:
                problem = gettext("unknown status “%(status)s”") % {"status": status[:40]}
            elif due_text:
                try:
                    due = dt.date.fromisoformat(due_text)
                except ValueError:
                    problem = gettext("“%(due)s” is not a date like 2023-03-19") % {
                        "due": due_text[:40]}
            if problem:
                problems[index] = problem
            else:
                result.append(FollowUpData(text, owner, due, status))
        self._row_errors("follow_ups", gettext("follow-up %(n)d: %(problem)s"), problems)
        return result

    def to_data(self) -> MeetingData:
        data = self.cleaned_data
        return MeetingData(
            date=data["date"],
            time=data["time"],
            place=data["place"],
            region=data["region"],
            participants=list(data["participants"]),
            interlocutors=data["interlocutors"],
            topics=data["topics"],
            key_points=data["key_points"],
            follow_ups=data["follow_ups"],
            confidential=data.get("confidential", False),
            source=data["source"],
        )


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, validators=[validators.check_search])
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=300)
    interlocutor = forms.CharField(label=_("Interlocutor"), required=False, max_length=200)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Location.objects.none(), required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, mission: Mission, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Location.objects.filter(
            mission=mission, level=LocationLevel.REGION
        )
