import json

from django.core.management.base import BaseCommand
from django.db.models import Count, Sum

from eom.complaints.models import Case
from eom.lto.models import Report
from eom.media.models import Item as MediaItem
from eom.missions.models import (
    LEVEL_ORDER,
    Contest,
    Election,
    Location,
    Meeting,
    Mission,
    Party,
    Person,
    Team,
)
from eom.observation.models import Form, Submission
from eom.standards.models import Recommendation


def summary() -> dict:
    """Counts of what is loaded, over every mission."""
    by_level = dict(Location.objects.values_list("level").annotate(n=Count("pk")))
    stations = Location.objects.filter(level="polling_station")
    return {
        "missions": Mission.objects.count(),
        "elections": Election.objects.count(),
        "contests": Contest.objects.count(),
        "parties": Party.objects.count(),
        "locations": {level: by_level.get(level, 0) for level in LEVEL_ORDER},
        "registered_voters": stations.aggregate(n=Sum("n_registered"))["n"] or 0,
        "people": Person.objects.count(),
        "teams": Team.objects.count(),
        "meetings": Meeting.objects.count(),
        "lto_reports": Report.objects.count(),
        "complaints": Case.objects.count(),
        "media_items": MediaItem.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "forms": sorted(Form.objects.values_list("form_id", flat=True).distinct()),
        "submissions": Submission.objects.live().count(),
    }


class Command(BaseCommand):
    help = "Print what is loaded: missions, elections, contests, parties, locations, people."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, format: str, **options):
        data = summary()
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        for key, value in data.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in value.items())
            elif isinstance(value, list):
                value = ", ".join(value) or "-"
            elif isinstance(value, int):
                value = f"{value:,}"
            self.stdout.write(f"{key.replace('_', ' '):<18} {value}")
