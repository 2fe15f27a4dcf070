"""The demo holds a draft statement of preliminary findings whose election-day sections quote the
checklists' indicators and whose results section quotes the seat table; published, it verifies."""

import io

import pytest
from django.core.management import call_command

from eom.demo import kz2023
from eom.missions.models import Mission
from eom.publications import services
from eom.publications.models import Report


@pytest.fixture
def statement(transactional_db):
    kz2023.load()
    return Report.objects.get(mission__code=kz2023.MISSION_CODE, name="preliminary-statement")


def test_the_demo_draft_quotes_the_indicators_and_the_seat_table(statement):
    assert (statement.kind, statement.state, statement.synthetic) == (
        "preliminary", "draft", True)
    keys = services.figure_keys(statement)
    assert {"indicator:voting.voting_negative", "indicator:counting.counting_negative",
            "seats"} <= set(keys)
    voting = statement.sections.get(heading="voting")
    assert "[[figure:indicator:voting.voting_negative]]" in voting.text
    seats = services.figure_values(statement, ["seats"])["seats"]
    assert seats.value["n_protocols"] > 10_000
    assert sum(row["seats"] for row in seats.value["rows"]) == 69
    assert seats.text("en").startswith("seats recomputed from")
    estimates = services.figure_values(statement, ["quickcount:quick-count.amanat",
                                                   "forensics:flags"])
    assert estimates["quickcount:quick-count.amanat"].seed is not None
    assert estimates["forensics:flags"].value["n_used"] > 10_000


def test_the_demo_statement_publishes_and_verifies(statement):
    call_command("reports", "publish", "preliminary-statement", stdout=io.StringIO())
    out = io.StringIO()
    call_command("reports", "verify", "preliminary-statement", stdout=out)
    assert "figures the same as published." in out.getvalue()
    assert "CHANGED" not in out.getvalue()
    # loading again adds no second draft
    kz2023.load_draft_statement()
    assert Report.objects.filter(mission=Mission.objects.get(code=kz2023.MISSION_CODE)).count() == 1
