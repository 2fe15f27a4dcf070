"""The roll-up: one heading across regions and weeks, filtered by period, region, tag, words."""

from eom.lto import services
from eom.lto.permissions import reports_visible_to
from tests.lto.factories import local, make_period, write_report


def _data(text, tags="", heading="campaign_environment", **more):
    sections = [services.SectionData(heading, text, tags)]
    sections += [services.SectionData(h, t) for h, t in more.items()]
    return services.ReportData(sections=sections)


def _rollup(scene, reader=None, **filters):
    reader = reader or scene.core
    reports = reports_visible_to(reader, scene.mission)
    filters.setdefault("heading", "campaign_environment")
    return [(p.report.period.number, p.report.team.code, p.text)
            for p in services.rollup(reports, reader=reader, mission=scene.mission, **filters)]


def _two_weeks(scene):
    week_2 = make_period(scene.mission, 2, scene.template)
    write_report(scene, submit_at=local(2023, 2, 20), data=_data(
        "Митинг партии в центре города.", "rallies, Women", media="Local TV quiet."))
    write_report(scene, scene.other_team, submit_at=local(2023, 2, 20),
                 data=_data("Posters of every party in Taraz.", "posters"))
    write_report(scene, period=week_2, submit_at=local(2023, 2, 27),
                 data=_data("Второй МИТИНГ, без инцидентов.", "rallies"))
    write_report(scene, scene.other_team, period=week_2,
                 data=_data("A draft nobody else reads yet."))
    return week_2


def test_one_heading_across_regions_and_weeks_side_by_side(scene):
    _two_weeks(scene)
    assert _rollup(scene) == [
        (1, "LTO-1", "Митинг партии в центре города."),
        (1, "LTO-2", "Posters of every party in Taraz."),
        (2, "LTO-1", "Второй МИТИНГ, без инцидентов."),
    ]
    assert _rollup(scene, heading="media") == [(1, "LTO-1", "Local TV quiet.")]


def test_filters_by_period_region_and_tag(scene):
    week_2 = _two_weeks(scene)
    assert [row[:2] for row in _rollup(scene, period=week_2)] == [(2, "LTO-1")]
    assert [row[:2] for row in _rollup(scene, region=scene.tree["R2"])] == [(1, "LTO-2")]
    assert [row[:2] for row in _rollup(scene, tag="Rallies")] == [(1, "LTO-1"), (2, "LTO-1")]
    assert [row[:2] for row in _rollup(scene, tag="women")] == [(1, "LTO-1")]


def test_search_folds_cyrillic_case_and_needs_every_word(scene):
    _two_weeks(scene)
    assert [row[:2] for row in _rollup(scene, text="митинг")] == [(1, "LTO-1"), (2, "LTO-1")]
    assert [row[:2] for row in _rollup(scene, text="МИТИНГ центре")] == [(1, "LTO-1")]
    assert _rollup(scene, text="митинг Taraz") == []


def test_a_coordinator_rolls_up_its_area_only(scene):
    _two_weeks(scene)
    assert [row[:2] for row in _rollup(scene, reader=scene.coordinator)] == [
        (1, "LTO-1"), (2, "LTO-1")]
