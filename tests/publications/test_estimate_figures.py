"""A report quotes the quick count (a list's share with its margin, turnout) and the forensics
(the second-digit test, integer percentages, the flags): live while drafting, equal to the quick
count's and the forensics' own figures, opened with what they were computed from, frozen with
their seed on publishing, and verified by `eom reports verify` (exit 1 naming the figure once
the data change)."""

import io

import pytest
from django.urls import reverse

from eom.missions.models import Location
from eom.observation import services as observation
from eom.observation.models import Submission
from eom.publications import figures, services
from eom.publications.models import FrozenFigure, Kind
from eom.reporting.pvt import quick_count_page
from eom.results import forensics
from eom.results.models import Protocol
from tests.publications.test_publish_and_verify import verify
from tests.reporting.test_quick_count_page import reported, scene  # noqa: F401 (fixtures)
from tests.results.test_forensics_page import expected, load, station_rows

SHARE, TURNOUT = "quickcount:pvt.amanat", "quickcount:pvt.turnout"
BENFORD, INTEGER, FLAGS = "forensics:benford", "forensics:integer_percent", "forensics:flags"


@pytest.fixture
def protocols(scene):  # noqa: F811
    rows = station_rows(1, round_turnout=False)
    contest = scene["sample"].mission.elections.get().contests.get()
    load(contest, {"D1": Location.objects.get(code="D1")}, rows)
    return rows


@pytest.fixture
def report(mission, reported, protocols, core_member):  # noqa: F811
    report = services.create_report(actor=core_member, channel="page", mission=mission,
                                    name="statement", kind=Kind.PRELIMINARY, title="Statement")
    services.save_section(
        actor=core_member, channel="page", section=report.sections.get(heading="results"),
        text=f"Quick count: [[figure:{SHARE}]]; [[figure:{TURNOUT}]]. Forensics: "
             f"[[figure:{BENFORD}]]; [[figure:{INTEGER}]]; [[figure:{FLAGS}]].",
        text_ru="", text_kk="")
    return report


def test_the_picker_offers_the_quick_count_and_the_forensics(report, mission):
    keys = {choice.key for choice in figures.choices(mission)}
    assert {SHARE, TURNOUT, "quickcount:pvt.against_all", BENFORD, INTEGER, FLAGS} <= keys


def test_a_draft_shows_the_quick_count_as_its_page_computes_it(report, scene):  # noqa: F811
    page = quick_count_page(scene["sample"], Submission.objects.all())
    amanat = next(row for row in page.rows if row.code == "AMANAT")
    values = services.figure_values(report)
    share, turnout = values[SHARE], values[TURNOUT]
    assert not share.frozen and share.seed == 5
    assert (share.value["share"], share.value["margin95"]) == (amanat.share, amanat.margin95)
    assert (share.value["n_reported"], share.value["n_sampled"]) == (7, 12)
    assert turnout.value["share"] == page.result.turnout.share
    assert share.text("en") == (
        f"Amanat estimated at {100 * amanat.share:.1f} % of the valid votes "
        f"(± {100 * amanat.margin95:.1f} points at 95 %) from 7 of 12 sampled polling stations")
    assert f"{100 * amanat.share:.1f}".replace(".", ",") in share.text("ru")
    assert "sample PVT (seed 5, 12 stations" in share.query
    assert share.n_inputs == 12 + 7  # the sampled stations and the counting reports


def test_a_draft_shows_the_forensics_as_eom_stats_computes_them(report, protocols):
    result = expected(protocols)
    values = services.figure_values(report)
    benford, integer = values[BENFORD].value, values[INTEGER].value
    assert (benford["chi2"], benford["p_value"]) == (result.benford.chi2, result.benford.p_value)
    assert benford["leader"] == "AMANAT" and benford["n_counts"] == result.benford.n_counts
    assert values[BENFORD].seed == forensics.SEED
    assert (integer["observed"], integer["z"]) == (result.integer_percent.observed,
                                                   result.integer_percent.z_score)
    flagged = [f.name for f in forensics.forensics.flags(result) if f.anomalous]
    assert values[FLAGS].value["flagged"] == flagged
    assert values[FLAGS].text("en").startswith(f"{len(flagged)} of 5 forensic checks of 240 ")
    assert f"p = {result.benford.p_value:.3g}" in values[BENFORD].text("en")


def test_a_figure_page_opens_what_it_was_computed_from(client, report, core_member):
    client.force_login(core_member)
    page = client.get(reverse("publications:figure", args=["statement", SHARE]))
    text = page.content.decode()
    assert page.status_code == 200
    assert reverse("reporting:quick_count") in text and "sample PVT (seed 5" in text
    page = client.get(reverse("publications:figure", args=["statement", BENFORD]))
    assert reverse("results:forensics") in page.content.decode()


def test_a_published_quick_count_and_forensics_freeze_their_seed_and_verify(report,
                                                                          core_member):
    services.publish(actor=core_member, channel="page", report=report)
    frozen = {f.key: f for f in FrozenFigure.objects.filter(report=report)}
    assert set(frozen) == {SHARE, TURNOUT, BENFORD, INTEGER, FLAGS}
    assert (frozen[SHARE].seed, frozen[BENFORD].seed) == (5, forensics.SEED)
    code, out = verify("statement")
    assert code == 0
    assert "5 of 5 figures the same as published." in out


def test_after_a_counting_report_changes_verify_names_the_quick_count(report, core_member,
                                                                     scene):  # noqa: F811
    services.publish(actor=core_member, channel="page", report=report)
    station = scene["sample"].stations.order_by("pk").first().location
    counted = Submission.objects.filter(location__in=[
        s.location for s in scene["sample"].stations.all()]).order_by("pk").first()
    assert station is not None and counted is not None
    observation.edit_submission(actor=core_member, channel="page", submission=counted,
                                answers={**counted.answers,
                                         "n_amanat": counted.answers["n_amanat"] + 400},
                                reason="misread")

    code, out = verify("statement")
    assert code == 1
    assert f"CHANGED  {SHARE}" in out and f"CHANGED  {TURNOUT}" not in out
    assert f"update observation.submission {counted.pk} " in out
    assert f"same     {BENFORD}" in out


def test_after_a_protocol_changes_verify_names_the_forensics(report, core_member):
    services.publish(actor=core_member, channel="page", report=report)
    for protocol in Protocol.objects.filter(source="official").order_by("pk")[:60]:
        protocol.votes = {**protocol.votes, "AMANAT": protocol.votes["AMANAT"] * 2 + 11}
        protocol.save()

    code, out = verify("statement")
    assert code == 1
    assert f"CHANGED  {BENFORD}" in out
    assert f"same     {SHARE}" in out


def test_the_files_carry_the_quick_count_and_the_forensics(report):
    from docx import Document

    from eom.publications import render

    values = services.figure_values(report)
    html = render.build(report, "ru", "html").decode()
    assert values[SHARE].text("ru") in html and values[BENFORD].text("ru") in html
    document = Document(io.BytesIO(render.build(report, "en", "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert values[TURNOUT].text("en") in text and values[FLAGS].text("en") in text
    assert render.build(report, "kk", "pdf").startswith(b"%PDF")
