"""Evidence: what a mission records and must never lose to a cascade or move by accident.

The evidence is the official results (protocols, published totals, announced results, their
imports), the observers' reports with their revisions, attachments and QA flags, the samples,
the meetings log and the audit trail. Their foreign keys to the records they hang on (mission,
election, contest, party, location, form, team, person) are PROTECT, so that deleting any of
those is refused while evidence hangs on it; between the parts of one piece of evidence they are
RESTRICT (a report's revisions keep the report).

- `protected_records(objs)`: what stops `objs` from being deleted, counted per kind, with one
  COUNT query per protecting relation (the admin's delete page, instead of listing every record).
- `evidence_below(mission, paths)`: what is recorded at or below some locations (the location
  importer refuses to move those).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.db.models import Count
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils.text import capfirst
from django.utils.translation import ngettext

_MAX_DEPTH = 8


def protected_records(objs: Iterable[models.Model]) -> list[tuple[str, int]]:
    """[(kind, how many)] of the records whose PROTECT foreign key refuses the deletion of
    `objs` (instances of one model), directly or through the records a deletion would cascade
    to; empty when nothing protects them. Each record is counted once per kind, however many
    paths lead to it. RESTRICT is left to Django's collector (it may allow the deletion)."""
    objs = list(objs)
    if not objs:
        return []
    pks = [obj.pk for obj in objs]
    found: dict[type[models.Model], list[models.QuerySet]] = defaultdict(list)

    def walk(model: type[models.Model], path: str, depth: int) -> None:
        for relation in get_candidate_relations_to_delete(model._meta):
            field = relation.field
            related = relation.related_model
            lookup = f"{field.name}__{path}" if path else f"{field.name}__in"
            on_delete = field.remote_field.on_delete
            if on_delete is models.PROTECT:
                found[related].append(
                    related._base_manager.filter(**{lookup: pks}).order_by().values("pk")
                )
            elif on_delete is models.CASCADE and depth < _MAX_DEPTH:
                walk(related, lookup, depth + 1)

    walk(type(objs[0]), "", 0)
    counts = []
    for model, querysets in found.items():
        pks_of = querysets[0]
        for other in querysets[1:]:
            pks_of = pks_of.union(other)
        n = pks_of.count()
        if n:
            counts.append((str(capfirst(model._meta.verbose_name_plural)), n))
    return sorted(counts)


# What is recorded at a location, by kind: (kind, app label, model, its location field).
EVIDENCE_AT_LOCATIONS = (
    ("protocols", "results", "Protocol", "location"),
    ("published totals", "results", "PublishedTotal", "location"),
    ("reports", "observation", "Submission", "location"),
    ("deployments", "missions", "Deployment_locations", "location"),
    ("sampled stations", "missions", "SampledStation", "location"),
)


def evidence_below(mission, paths: set[str]) -> dict[str, Counter]:
    """For each of `paths` (location paths of `mission`), how many records of each kind of
    EVIDENCE_AT_LOCATIONS are at that location or below it: {path: Counter(kind → n)}; paths
    with nothing recorded are left out. One grouped query per kind."""
    location = apps.get_model("missions", "Location")
    path_of = dict(location.objects.filter(mission=mission).values_list("pk", "path"))
    held: dict[str, Counter] = defaultdict(Counter)
    for kind, app_label, model_name, field_name in EVIDENCE_AT_LOCATIONS:
        model = apps.get_model(app_label, model_name)
        rows = (
            model.objects.filter(**{f"{field_name}__mission": mission})
            .order_by()
            .values_list(f"{field_name}_id")
            .annotate(n=Count("pk"))
        )
        for location_id, n in rows:
            path = path_of.get(location_id, "")
            end = path.find("/")
            while end != -1:
                prefix = path[: end + 1]
                if prefix in paths:
                    held[prefix][kind] += n
                end = path.find("/", end + 1)
    return dict(held)


def evidence_text(counts: Counter) -> str:
    """“1 protocol, 2 deployments” in the reader's language, in the order of
    EVIDENCE_AT_LOCATIONS."""
    words = {
        "protocols": lambda n: ngettext("%(n)d protocol", "%(n)d protocols", n),
        "published totals": lambda n: ngettext(
            "%(n)d published total", "%(n)d published totals", n
        ),
        "reports": lambda n: ngettext("%(n)d observer report", "%(n)d observer reports", n),
        "deployments": lambda n: ngettext("%(n)d deployment", "%(n)d deployments", n),
        "sampled stations": lambda n: ngettext(
            "%(n)d station of a sample", "%(n)d stations of a sample", n
        ),
    }
    return ", ".join(
        words[kind](counts[kind]) % {"n": counts[kind]}
        for kind, *_rest in EVIDENCE_AT_LOCATIONS
        if counts.get(kind)
    )
