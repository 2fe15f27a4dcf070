"""A team writes its own reports only, on the places it is deployed to."""

import pytest
from django.core.exceptions import PermissionDenied

from eom.lto import services
from tests.lto.factories import weekly_data, write_report


@pytest.mark.parametrize("who", ["other_lto", "core", "coordinator", "analyst", "administrator",
                                 "observer"])
def test_only_the_teams_members_start_its_report(scene, who):
    with pytest.raises(PermissionDenied):
        services.create_report(actor=getattr(scene, who), channel="page",
                               team=scene.own_team, period=scene.period, data=weekly_data())


def test_a_member_of_another_team_cannot_change_or_submit_the_report(scene):
    report = write_report(scene)
    with pytest.raises(PermissionDenied):
        services.update_report(actor=scene.other_lto, channel="page", report=report,
                               data=weekly_data(media="Not mine to write"))
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=scene.other_lto, channel="page", report=report)


def test_a_report_is_on_the_teams_region_unless_it_names_a_place_it_is_deployed_to(scene):
    report = write_report(scene)
    assert report.region == scene.tree["R1"]
    with pytest.raises(services.ReportRejected) as refused:
        services.create_report(actor=scene.lto, channel="page", team=scene.own_team,
                               period=scene.period, kind="flash", region=scene.tree["R2"],
                               data=services.ReportData(title="Elsewhere"))
    assert list(refused.value.errors) == ["region"]
