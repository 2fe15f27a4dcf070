"""The demo mission's media monitoring: eight outlets over the campaign, a double-coded subset,
all synthetic, deterministic; `eom summary` counts the items."""

import io
import json

from django.core.management import call_command

from eom.demo import kz2023
from eom.media import figures, reliability
from eom.media.models import Item, Outlet
from eom.missions.models import AuditEntry


def test_the_demo_codes_eight_outlets_over_the_campaign_with_a_double_coded_subset(db):
    kz2023.load()
    outlets = {o.name: (o.kind, o.ownership, o.ownership_assumed) for o in Outlet.objects.all()}
    assert len(outlets) == 8
    assert outlets["Khabar"] == ("tv", "state", False)
    assert outlets["Vlast.kz"] == ("online", "private", True)
    items = Item.objects.all()
    assert not items.filter(synthetic=False).exists()
    dates = items.order_by("date").values_list("date", flat=True)
    assert (str(dates.first()), str(dates.last())) == ("2023-02-20", "2023-03-17")
    n_items, n_second = items.count(), items.filter(second_coding=True).count()
    assert 0.08 < n_second / n_items < 0.14
    # Each second coding's unit has its first coding, by another monitor.
    first = dict(items.filter(second_coding=False).values_list("unit", "coder"))
    assert all(first[unit] != coder for unit, coder in
               items.filter(second_coding=True).values_list("unit", "coder"))
    mission = items.first().mission
    found = reliability.reliability(mission)
    alphas = {a.variable: a.alpha for a in found.variables}
    assert alphas["time"] > 0.8 and alphas["space"] > 0.8 and 0 < alphas["tone"] < 1
    time = figures.share_table(figures.counted(items), figures.TIME)
    assert time.rows[0].label == "Amanat"  # the ruling party leads on state television
    assert AuditEntry.objects.filter(model="media.item", channel="demo").count() == n_items
    out = io.StringIO()
    call_command("summary", format="json", stdout=out)
    assert json.loads(out.getvalue())["media_items"] == n_items
