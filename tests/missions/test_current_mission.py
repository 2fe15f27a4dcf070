"""Which mission the pages show when several are loaded."""

import datetime as dt

from eom.missions import services
from tests.factories import make_mission


def test_current_mission_is_the_latest_deployed_and_undated_ones_come_last(db):
    make_mission(code="undated", deployment_start=None)
    make_mission(code="kz-2023", deployment_start=dt.date(2023, 2, 7))
    make_mission(code="kz-2021", deployment_start=dt.date(2020, 12, 1))
    assert services.current_mission().code == "kz-2023"


def test_current_mission_follows_the_setting(db, settings):
    make_mission(code="kz-2023", deployment_start=dt.date(2023, 2, 7))
    make_mission(code="kz-2021", deployment_start=dt.date(2020, 12, 1))
    settings.EOM_MISSION = "kz-2021"
    assert services.current_mission().code == "kz-2021"
