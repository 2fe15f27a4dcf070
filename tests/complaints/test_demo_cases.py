"""The demo's register: about 50 synthetic cases with the rules' deadlines, some late, appeals
linked, the rules' unverified figures marked as the mission's assumption."""

from eom.complaints import services
from eom.complaints.models import Case, DeadlineRule
from eom.demo.complaints import load_complaints


def test_the_demo_register_is_synthetic_with_late_cases_and_appeals(mission, tree, core_member):
    n = load_complaints(mission, core_member)
    cases = Case.objects.filter(mission=mission)
    assert n == cases.count() == 50
    assert not cases.filter(synthetic=False).exists()
    figures = services.figures(cases)
    assert figures.appeals == 10 and figures.late >= 1 and figures.within_deadline >= 1
    assert all(a.appeal_of.decided <= a.filed for a in cases.exclude(appeal_of=None))
    assert all(rule.assumption for rule in DeadlineRule.objects.filter(mission=mission))
    assert not cases.filter(deadline=None).exists()
