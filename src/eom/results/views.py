"""Pages of the results: overview, protocols, discrepancies, aggregation, seats, forensics,
import."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eom.dataout.figures import page_or_download
from eom.dataout.pages import (
    aggregation_tables,
    discrepancies_tables,
    forensics_tables,
    protocols_tables,
    seats_tables,
)
from eom.missions.access import mission_page
from eom.missions.languages import localised
from eom.missions.models import Channel, Contest, LocationLevel, Mission
from eom.missions.permissions import sees_everything
from eom.missions.tabular import saved_upload

from . import (
    checks,
    forensics,
    importers,
    observer_effect,
    permissions,
    queries,
    services,
    wording,
)
from .forms import ImportForm, MonteCarloForm, ProtocolFilterForm
from .models import ImportBatch, Protocol, Source


def _reader(request, mission: Mission) -> None:
    if not permissions.can_read_results(request.user, mission):
        raise PermissionDenied(_("Results are read by the core team, analysts, administrators "
                                 "and coordinators."))


def _contest(request, mission: Mission, wanted: str = "") -> Contest | None:
    contests = Contest.objects.filter(election__mission=mission)
    wanted = wanted or request.GET.get("contest", "")
    if wanted.isdigit():
        return get_object_or_404(contests, pk=int(wanted))
    return services.party_list_contest(mission) or contests.first()


@mission_page
def overview(request, mission: Mission):
    _reader(request, mission)
    visible = permissions.protocols_visible_to(request.user, mission)
    contests = Contest.objects.filter(election__mission=mission).select_related("election")
    return render(request, "results/overview.html", {
        "rows": queries.overview(contests, visible),
        "sources": Source.choices,
        "scope": permissions.results_scope(request.user, mission),
        "can_import": permissions.can_import_results(request.user),
        "sees_all": sees_everything(request.user, mission),
    })


@mission_page
def protocols(request, mission: Mission):
    _reader(request, mission)
    contest = _contest(request, mission)
    law = checks.load_checks(contest.rule if contest else None)
    form = ProtocolFilterForm(
        request.GET, mission=mission, check_choices=[(c.name, c.label) for c in law],
        regions=permissions.locations_visible_to(request.user, mission),
    )
    found = permissions.protocols_visible_to(request.user, mission).filter(contest=contest)
    if form.is_valid():
        found = _filtered(found, form.cleaned_data)
    found = found.select_related("location").order_by("location__path", "source", "pk")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for item in page.object_list:
        item.failed_checks = [(name, checks.check_label(name)) for name in item.failed]
    context = {"contest": contest, "form": form, "page": page, "query": _query(request),
               "found": found}
    return page_or_download(request, mission, "results/protocols.html", context,
                            page="protocols", tables=protocols_tables)


def _filtered(found, data: dict):
    found = found.filter(source=data["source"] or Source.OFFICIAL)
    if data["failed"] == "any":
        found = found.filter(n_failed__gt=0)
    elif data["failed"] == "none":
        found = found.filter(n_failed=0)
    elif data["failed"]:
        found = found.filter(n_failed__gt=0, failed__icontains=f'"{data["failed"]}"')
    if data["region"]:
        found = found.filter(location__path__startswith=data["region"].path)
    if data["q"]:
        found = found.filter(Q(location__code__istartswith=data["q"]))
    return found


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@mission_page
def protocol(request, mission: Mission, pk: int):
    _reader(request, mission)
    visible = permissions.protocols_visible_to(request.user, mission)
    item = get_object_or_404(visible.select_related("contest", "location", "batch"), pk=pk)
    others = list(visible.filter(contest=item.contest, location=item.location).exclude(pk=pk)
                  .select_related("submission__team").order_by("source", "pk"))
    return render(request, "results/protocol.html", {
        "protocol": item, "others": others, "outcomes": queries.outcomes_of(item),
        "rows": queries.line_rows(item, others, queries.party_names(item.contest)),
    })


@mission_page
def discrepancies(request, mission: Mission):
    _reader(request, mission)
    contest = _contest(request, mission)
    visible = permissions.protocols_visible_to(request.user, mission)
    differing, unmatched = queries.discrepancies(contest, visible) if contest else ([], [])
    n_copies = visible.filter(contest=contest, source=Source.OBSERVER).count()
    context = {"contest": contest, "differing": differing, "unmatched": unmatched,
               "n_copies": n_copies}
    return page_or_download(request, mission, "results/discrepancies.html", context,
                            page="discrepancies", tables=discrepancies_tables)


@mission_page
def aggregation(request, mission: Mission, pk: int | None = None):
    _reader(request, mission)
    contest = _contest(request, mission)
    nodes = permissions.locations_visible_to(request.user, mission)
    if pk is not None:
        node = get_object_or_404(nodes, pk=pk)
    else:
        scope = permissions.results_scope(request.user, mission)
        node = (nodes.filter(path=scope).first() if scope else
                nodes.filter(level=LocationLevel.COUNTRY).first())
    if node is None or contest is None:
        return render(request, "results/aggregation.html", {"contest": contest, "node": None})
    visible = permissions.protocols_visible_to(request.user, mission)
    head, children = queries.tree(contest, node, visible)
    ancestors = nodes.filter(code__in=node.ancestor_codes()).order_by("path")
    context = {"contest": contest, "node": node, "head": head, "children": children,
               "ancestors": ancestors, "lines": checks.LINES}
    return page_or_download(request, mission, "results/aggregation.html", context,
                            page="aggregation", tables=aggregation_tables)


@mission_page
def seats(request, mission: Mission):
    if not sees_everything(request.user, mission):
        raise PermissionDenied(_("Seat verification uses the national results: core team, "
                                 "analysts and administrators."))
    contest = _contest(request, mission)
    verification = queries.verify_seats(contest) if contest else None
    allocation = verification.allocation if verification else None
    names = verification.names if verification else {}
    tie = allocation.tie if allocation else None
    return page_or_download(request, mission, "results/seats.html", {
        "contest": contest, "v": verification, "allocation": allocation,
        "method_lines": wording.explanation(allocation) if allocation else [],
        "tie": (wording.phrase(tie.why, names) if tie.why else tie.reason) if tie else "",
        "explanation": queries.explanation_rows(allocation, names) if allocation else [],
        "awards": queries.award_rows(allocation, names) if allocation else [],
        "scenarios": queries.scenario_rows(verification) if verification else [],
    }, page="seats", tables=seats_tables)


@mission_page
def import_results(request, mission: Mission):
    if not permissions.can_import_results(request.user):
        raise PermissionDenied(_("Only administrators import official results."))
    form = ImportForm(request.POST or None, request.FILES or None, mission=mission)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        with saved_upload(upload) as path:
            report = importers.import_official_results(
                data["contest"], path, actor=request.user, preset=data["preset"],
                mapping=data["mapping"], dry_run=data["dry_run"],
                create_locations=data["create_locations"], create_parties=data["create_parties"],
            )
    return render(request, "results/import.html", {"form": form, "report": report})


def _national_reader(request, mission: Mission) -> None:
    if not sees_everything(request.user, mission):
        raise PermissionDenied(_("Election forensics reads the national results: core team, "
                                 "analysts and administrators."))


def _forensics_scope(request, mission: Mission, data) -> tuple[ImportBatch | None,
                                                               Contest | None]:
    """The results a forensics request reads: one import (`batch`, or the picker's `from` =
    "b<id>") or a contest's official results (`contest`, or `from` = "c<id>")."""
    batches = ImportBatch.objects.filter(mission=mission).select_related("contest")
    chosen = data.get("from", "")
    wanted = data.get("batch", "") or (chosen[1:] if chosen[:1] == "b" else "")
    batch = get_object_or_404(batches, pk=int(wanted)) if wanted.isdigit() else None
    contest = batch.contest if batch else _contest(
        request, mission, chosen[1:] if chosen[:1] == "c" else "")
    return batch, contest


@mission_page
def forensics_page(request, mission: Mission):
    _national_reader(request, mission)
    batch, contest = _forensics_scope(request, mission, request.GET)
    return _forensics(request, mission, batch, contest, request.GET.get("leader") or None)


@require_POST
@mission_page
def forensics_recompute(request, mission: Mission):
    if not permissions.can_recompute_forensics(request.user, mission):
        raise PermissionDenied(_("Only the core team recomputes the Monte Carlo check."))
    batch, contest = _forensics_scope(request, mission, request.POST)
    if contest is None:
        raise Http404(_("The mission has no contests."))
    form = MonteCarloForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            check = forensics.request_monte_carlo(
                actor=request.user, channel=Channel.PAGE, contest=contest, batch=batch,
                leader=data["leader"] or None, n_draws=data["draws"], seed=data["seed"])
        except forensics.MonteCarloRefused as refused:
            form.add_error(refused.field or None, refused.message)
            status = refused.status
        else:
            messages.success(request, _("The Monte Carlo check was computed."))
            query = urlencode({"from": _scope_key(batch, contest), "leader": check.leader})
            return redirect(f"{reverse('results:forensics')}?{query}#monte-carlo")
    return _forensics(request, mission, batch, contest, request.POST.get("leader") or None,
                      form=form, status=status)


def _scope_key(batch: ImportBatch | None, contest: Contest | None) -> str:
    """The picker's value for the results read: "b<import id>" or "c<contest id>"."""
    return f"b{batch.pk}" if batch else f"c{contest.pk}" if contest else ""


def _forensics(request, mission: Mission, batch, contest, leader, *, form=None, status=200):
    """The forensics page: every check but the Monte Carlo null, computed now; that one as
    stored (never drawn by a page)."""
    protocols = forensics.official_protocols(contest, batch) if contest else Protocol.objects.none()
    title = batch.file_name if batch else (localised(contest, "name") if contest else "")
    analysis = forensics.analyse(protocols, leader=leader, title=title) if contest else None
    names = queries.party_names(contest) if contest else {}
    stored = forensics.stored_check(contest, batch, analysis.leader, analysis.digest) if (
        analysis) else None
    draws = min(max(settings.EOM_FORENSICS_DRAWS, forensics.MIN_DRAWS), forensics.MAX_DRAWS)
    initial = {"draws": draws, "seed": forensics.SEED,
               "leader": analysis.leader if analysis else ""}
    return page_or_download(request, mission, "results/forensics.html", {
        "contest": contest, "batch": batch, "a": analysis, "stored": stored,
        "batches": ImportBatch.objects.filter(mission=mission).select_related("contest"),
        "contests": Contest.objects.filter(election__mission=mission),
        "parties": [(code, names.get(code, code), votes) for code, votes in
                    (analysis.parties if analysis else [])],
        "leader_name": names.get(analysis.leader, analysis.leader) if analysis else "",
        "synthetic": forensics.is_synthetic(protocols) if contest else False,
        "observer": observer_effect.observer_comparison(contest, analysis) if analysis else None,
        "running": forensics.running_check(mission),
        "can_recompute": permissions.can_recompute_forensics(request.user, mission),
        "form": form or MonteCarloForm(initial=initial), "scope": _scope_key(batch, contest),
        "downloads": request.method == "GET",  # the recompute's answer has no query to keep
    }, page="forensics", tables=forensics_tables, status=status)
