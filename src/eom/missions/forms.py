"""Forms of the mission pages. Errors name the field and, for multi-line fields, the line."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import FollowUp, Location, LocationLevel, Meeting, Mission, OrganisationKind, Person
from .services import FollowUpData, InterlocutorData, MeetingData

SEPARATOR = "|"


def _split(line: str, n: int) -> list[str]:
    parts = [part.strip() for part in line.split(SEPARATOR)]
    return (parts + [""] * n)[:n] if len(parts) <= n else parts


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
    participants = forms.ModelMultipleChoiceField(
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
        label=_("Key points"), required=False, widget=forms.Textarea(attrs={"rows": 6})
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
        for number, line in enumerate(self.cleaned_data["interlocutors"].splitlines(), start=1):
            if not line.strip():
                continue
            name, title, organisation, kind = _split(line, 4)[:4]
            kind = kind or OrganisationKind.OTHER
            if not name:
                errors.append(gettext("line %(n)d: the name is missing") % {"n": number})
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
        return [t.strip() for t in self.cleaned_data["topics"].split(",") if t.strip()]

    def clean_follow_ups(self) -> list[FollowUpData]:
        people = {p.code: p for p in self.people}
        statuses = {choice.value for choice in FollowUp.Status}
        result, errors = [], []
        for number, line in enumerate(self.cleaned_data["follow_ups"].splitlines(), start=1):
            if not line.strip():
                continue
            text, owner_code, due_text, status = _split(line, 4)[:4]
            status = status or FollowUp.Status.OPEN
            problem = None
            due = None
            if not text:
                problem = gettext("the action is missing")
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
    q = forms.CharField(label=_("Search"), required=False)
    organisation = forms.CharField(label=_("Organisation"), required=False)
    interlocutor = forms.CharField(label=_("Interlocutor"), required=False)
    topic = forms.CharField(label=_("Topic"), required=False)
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
