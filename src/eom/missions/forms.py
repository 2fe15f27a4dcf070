"""Forms of the mission pages. Errors name the field and, for multi-line fields, the line.

A meeting's lists and texts are bounded as in the API (docs/security-limits.md): so many
participants, interlocutors, topics and follow-ups (settings `EOM_MAX_MEETING_…`), key points of
at most EOM_MAX_MEETING_TEXT_CHARS characters, names and titles as long as the models store.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import permissions, validators
from .models import FollowUp, Location, LocationLevel, Meeting, Mission, OrganisationKind, Person
from .services import FollowUpData, InterlocutorData, MeetingData

SEPARATOR = "|"


def _split(line: str, n: int) -> list[str]:
    parts = [part.strip() for part in line.split(SEPARATOR)]
    return (parts + [""] * n)[:n] if len(parts) <= n else parts


def _lines(text: str, setting: str) -> list[tuple[int, str]]:
    """The numbered lines that are not blank; ValidationError when there are more than the
    setting allows."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    problem = validators.count_problem(len(lines), validators.limit(setting))
    if problem:
        raise forms.ValidationError(problem, code="too_many")
    return lines


def _too_long(number: int, what: str, value: str, max_chars: int) -> str | None:
    """`line 3: the title is 400 characters long; at most 300 are allowed`, or None."""
    if len(value) <= max_chars:
        return None
    return gettext("line %(n)d: %(what)s is %(chars)d characters long; at most %(max)d are "
                   "allowed") % {"n": number, "what": what, "chars": len(value), "max": max_chars}


class _Participants(forms.ModelMultipleChoiceField):
    """Counted, and their ids checked, before they are looked up (an id beyond 64 bits would
    fail the database's IN)."""

    def clean(self, value):
        problem = validators.count_problem(
            len(value or []), validators.limit("EOM_MAX_MEETING_PARTICIPANTS"))
        problem = problem or next(
            (p for p in map(validators.id_problem, value or []) if p), None)
        if problem:
            raise forms.ValidationError(problem, code="invalid")
        return super().clean(value)


class MeetingForm(forms.Form):
    """A meeting as a mission officer writes it up, on a phone or at a desk."""

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
    interlocutors = forms.CharField(
        label=_("Interlocutors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name | title | organisation | kind of organisation"),
    )
    topics = forms.CharField(
        label=_("Topics"), required=False, help_text=_("Separated by commas")
    )
    key_points = forms.CharField(
        label=_("Key points"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        max_length=settings.EOM_MAX_MEETING_TEXT_CHARS,
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: action | owner's code | due date (YYYY-MM-DD) | status"),
    )
    confidential = forms.BooleanField(
        label=_("Confidential (core team only)"), required=False
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)

    def __init__(self, *args, mission: Mission, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["region"].queryset = Location.objects.filter(
            mission=mission, level=LocationLevel.REGION
        )
        # The people the writer may see, and those the meeting already names (an editor must
        # not drop what it cannot see); no one else is offered, or found by code.
        self.people = Person.objects.filter(mission=mission).filter(
            Q(pk__in=permissions.people_visible_to(user, mission).values("pk"))
            | Q(pk__in=self.initial.get("participants") or [])
            | Q(code__in=self._initial_owner_codes())
        )
        self.fields["participants"].queryset = self.people.filter(
            role__group__in=["core", "observer"]
        ).select_related("role")
        if not permissions.can_mark_confidential(user):
            del self.fields["confidential"]

    def _initial_owner_codes(self) -> list[str]:
        lines = (self.initial.get("follow_ups") or "").splitlines()
        return [_split(line, 4)[1] for line in lines if line.strip()]

    @classmethod
    def initial_from(cls, meeting: Meeting) -> dict:
        interlocutors = [
            SEPARATOR.join([i.name, i.title, i.organisation.name, i.organisation.kind])
            for i in meeting.interlocutors.select_related("organisation")
        ]
        follow_ups = [
            SEPARATOR.join(
                [f.text, f.owner.code if f.owner else "", f"{f.due or ''}", f.status]
            )
            for f in meeting.follow_ups.select_related("owner")
        ]
        return {
            "date": meeting.date,
            "time": meeting.time,
            "place": meeting.place,
            "region": meeting.region_id,
            "participants": list(meeting.participants.values_list("pk", flat=True)),
            "interlocutors": "\n".join(interlocutors),
            "topics": ", ".join(t.name for t in meeting.topics.all()),
            "key_points": meeting.key_points,
            "follow_ups": "\n".join(follow_ups),
            "confidential": meeting.confidential,
            "source": meeting.source,
        }

    def clean_interlocutors(self) -> list[InterlocutorData]:
        kinds = {choice.value for choice in OrganisationKind}
        result, errors = [], []
        for number, line in _lines(self.cleaned_data["interlocutors"],
                                   "EOM_MAX_MEETING_INTERLOCUTORS"):
            name, title, organisation, kind = _split(line, 4)[:4]
            kind = kind or OrganisationKind.OTHER
            too_long = (_too_long(number, gettext("the name"), name, 200)
                        or _too_long(number, gettext("the title"), title, 300)
                        or _too_long(number, gettext("the organisation"), organisation, 300))
            if not name:
                errors.append(gettext("line %(n)d: the name is missing") % {"n": number})
            elif too_long:
                errors.append(too_long)
            elif kind not in kinds:
                errors.append(
                    gettext("line %(n)d: unknown kind of organisation “%(kind)s” (use one of %(kinds)s)")
                    % {"n": number, "kind": kind, "kinds": ", ".join(sorted(kinds))}
                )
            else:
                result.append(InterlocutorData(name, title, organisation, kind))
        if errors:
            raise forms.ValidationError(errors)
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

    def clean_follow_ups(self) -> list[FollowUpData]:
        people = {p.code: p for p in self.people}
        statuses = {choice.value for choice in FollowUp.Status}
        result, errors = [], []
        for number, line in _lines(self.cleaned_data["follow_ups"], "EOM_MAX_MEETING_FOLLOW_UPS"):
            text, owner_code, due_text, status = _split(line, 4)[:4]
            status = status or FollowUp.Status.OPEN
            problem = None
            due = None
            if not text:
                problem = gettext("the action is missing")
            elif len(text) > 500:
                problem = gettext("the action is %(chars)d characters long; at most %(max)d "
                                  "are allowed") % {"chars": len(text), "max": 500}
            elif owner_code and owner_code not in people:
                problem = gettext("no person has the code “%(code)s”") % {"code": owner_code}
            elif status not in statuses:
                problem = gettext("unknown status “%(status)s” (use open, done or dropped)") % {
                    "status": status
                }
            elif due_text:
                try:
                    due = dt.date.fromisoformat(due_text)
                except ValueError:
                    problem = gettext("“%(due)s” is not a date like 2023-03-19") % {"due": due_text}
            if problem:
                errors.append(gettext("line %(n)d: %(problem)s") % {"n": number, "problem": problem})
            else:
                result.append(FollowUpData(text, people.get(owner_code), due, status))
        if errors:
            raise forms.ValidationError(errors)
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
