"""The figures the final report quotes, on known data: by body, subject and outcome, the share
decided within the legal deadline (count and base), the median days to decision, appeals."""

import datetime as dt
from fractions import Fraction

from eom.complaints import services
from eom.complaints.models import Case
from tests.complaints.factories import make_case, make_rules, make_subject

D = dt.date


def test_figures_on_known_cases(mission, core_member):
    make_rules(mission)  # commissions 5 calendar days, courts 3 working days
    campaign, media = make_subject(mission), make_subject(mission, "media", "Media")
    # filed Wed 1 March: the commission's deadline is Mon 6 March.
    on_time = make_case(mission, core_member, subject=campaign, decided=D(2023, 3, 3),
                        decision="rejected")  # 2 days
    make_case(mission, core_member, subject=campaign, decided=D(2023, 3, 6),
              decision="upheld")  # 5 days, on the last day
    make_case(mission, core_member, subject=media, decided=D(2023, 3, 10),
              decision="rejected")  # 9 days: late
    make_case(mission, core_member, body_level="regional")  # pending
    appeal = make_case(mission, core_member, body_kind="court", body_level="regional",
                       filed=D(2023, 3, 6), decided=D(2023, 3, 7), decision="partly_upheld",
                       appeal_of=on_time)  # deadline Thu 9 March: on time, 1 day
    figures = services.figures(Case.objects.filter(mission=mission))
    assert (figures.total, figures.complaints, figures.appeals) == (5, 4, 1)
    assert [(c.label, c.n) for c in figures.by_body] == [
        ("regional or territorial election commission", 1),
        ("district election commission", 3), ("regional court", 1)]
    assert [(c.label, c.n, c.query) for c in figures.by_subject] == [
        ("Campaign", 2, f"subject={campaign.pk}"), ("Media", 1, f"subject={media.pk}"),
        ("no subject", 2, "subject=none")]
    assert {c.query: c.n for c in figures.by_outcome} == {
        "decision=pending": 1, "decision=upheld": 1, "decision=partly_upheld": 1,
        "decision=rejected": 2}
    assert (figures.within_deadline, figures.decided_with_deadline, figures.late) == (3, 4, 1)
    assert figures.share_within == Fraction(3, 4)
    assert figures.percent_within == "75"
    assert figures.median_days == 3.5  # 1, 2, 5, 9
    assert [(c.n, c.query) for c in figures.appeals_by_outcome] == [
        (1, "appeal=yes&decision=partly_upheld")]
    assert appeal.within_deadline is True


def test_each_figure_opens_the_list_of_its_cases(mission, core_member):
    make_rules(mission)
    make_case(mission, core_member, decided=D(2023, 3, 10), decision="rejected")
    make_case(mission, core_member, decided=D(2023, 3, 2), decision="rejected")
    cases = Case.objects.filter(mission=mission)
    assert services.filtered(cases, {"timing": "late"}).count() == 1
    assert services.filtered(cases, {"timing": "within"}).count() == 1
    assert services.filtered(cases, {"decision": "rejected", "appeal": "no"}).count() == 2


def test_no_decided_case_no_share_and_no_median(mission, core_member):
    make_case(mission, core_member)
    figures = services.figures(Case.objects.filter(mission=mission))
    assert figures.share_within is None and figures.median_days is None


def test_subjects_are_named_in_the_readers_language_with_english_as_the_fallback(
        mission, core_member):
    from django.utils import translation

    campaign = make_subject(mission)
    campaign.name_ru, campaign.name_kk = "Предвыборная агитация", "Сайлауалды үгіт"
    campaign.save()
    media = make_subject(mission, "media", "Media")  # no translation: English
    make_case(mission, core_member, subject=campaign)
    make_case(mission, core_member, subject=media)
    for language, expected in [("ru", "Предвыборная агитация"), ("kk", "Сайлауалды үгіт"),
                               ("en", "Campaign")]:
        with translation.override(language):
            labels = [c.label for c in services.figures(Case.objects.all()).by_subject]
        assert expected in labels and "Media" in labels
