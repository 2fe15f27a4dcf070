"""The admin shows results under the rules of the results pages: national readers see every
protocol, published total and import; a coordinator the protocols and published totals of its
area's subtree and no import (whole-country files); observers reach no admin at all."""

import pytest
from django.urls import reverse

from eom.results.models import ImportBatch, PublishedTotal
from tests.factories import make_protocol, make_results_contest

CANARY = "CANARY-R2"


@pytest.fixture
def results(mission, tree):
    contest = make_results_contest(mission)
    batch = ImportBatch.objects.create(mission=mission, contest=contest,
                                       file_name=f"{CANARY}-national.csv", n_rows=4)
    protocols = {code: make_protocol(contest, tree[code]) for code in ("01001", "02001")}
    for protocol in protocols.values():
        protocol.batch = batch
        protocol.save(update_fields=["batch"])
    totals = {
        code: PublishedTotal.objects.create(contest=contest, location=tree[code],
                                            n_registered=tree[code].n_registered,
                                            source=f"{CANARY} gazette" if code == "R2" else "R1")
        for code in ("R1", "R2")
    }
    return {"protocols": protocols, "totals": totals, "batch": batch}


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def listed(response) -> list[str]:
    return sorted(str(row.location.code) for row in response.context["cl"].result_list)


@pytest.mark.parametrize("persona", ["core_member", "administrator", "analyst"])
def test_national_readers_see_every_protocol_total_and_import(client, results, request,
                                                             persona):
    user = request.getfixturevalue(persona)
    assert listed(get(client, user, "admin:results_protocol_changelist")) == ["01001", "02001"]
    assert listed(get(client, user, "admin:results_publishedtotal_changelist")) == ["R1", "R2"]
    imports = get(client, user, "admin:results_importbatch_changelist")
    assert (imports.status_code, len(imports.context["cl"].result_list)) == (200, 1)


def test_coordinator_lists_only_the_protocols_of_its_area(client, results, coordinator):
    response = get(client, coordinator, "admin:results_protocol_changelist")
    assert listed(response) == ["01001"]
    searched = get(client, coordinator, "admin:results_protocol_changelist", q="02001")
    assert searched.context["cl"].result_count == 0


def test_coordinator_cannot_open_a_protocol_outside_its_area(client, results, coordinator):
    outside = results["protocols"]["02001"]
    for view in ("change", "history", "delete"):
        response = get(client, coordinator, f"admin:results_protocol_{view}", outside.pk)
        assert response.status_code in (302, 403)
        assert CANARY not in response.content.decode()
    inside = results["protocols"]["01001"]
    assert get(client, coordinator, "admin:results_protocol_change", inside.pk).status_code == 200


def test_coordinator_sees_published_totals_of_its_area_only(client, results, coordinator):
    response = get(client, coordinator, "admin:results_publishedtotal_changelist")
    assert listed(response) == ["R1"]
    assert CANARY not in response.content.decode()
    outside = results["totals"]["R2"]
    response = get(client, coordinator, "admin:results_publishedtotal_change", outside.pk)
    assert response.status_code in (302, 403)
    assert CANARY not in response.content.decode()


def test_coordinator_reads_no_import_batch(client, results, coordinator):
    batch = results["batch"]
    assert get(client, coordinator, "admin:results_importbatch_changelist").status_code == 403
    assert get(client, coordinator, "admin:results_importbatch_change",
               batch.pk).status_code == 403
    index = get(client, coordinator, "admin:index").content.decode()
    assert reverse("admin:results_importbatch_changelist") not in index
    assert reverse("admin:results_protocol_changelist") in index


def test_observer_reaches_no_results_admin(client, results, observer):
    for name in ("admin:results_protocol_changelist", "admin:results_publishedtotal_changelist",
                 "admin:results_importbatch_changelist"):
        response = get(client, observer, name)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_coordinator_cannot_enter_published_totals(client, results, coordinator):
    assert get(client, coordinator, "admin:results_publishedtotal_add").status_code == 403
