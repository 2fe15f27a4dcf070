"""Published totals are entered in the admin at any level; protocols are read-only there."""

from django.urls import reverse


def test_administrator_opens_published_totals_and_protocols(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:results_publishedtotal_add")).status_code == 200
    assert client.get(reverse("admin:results_protocol_changelist")).status_code == 200
    assert client.get(reverse("admin:results_protocol_add")).status_code == 403


def test_analyst_reads_but_cannot_enter_totals(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("admin:results_publishedtotal_changelist")).status_code == 200
    assert client.get(reverse("admin:results_publishedtotal_add")).status_code == 403
