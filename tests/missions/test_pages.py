"""The mission pages: what each role gets, and what it must not see."""

import datetime as dt

import pytest
from django.urls import reverse

from eom.missions.models import AuditEntry, KeyDate, Meeting
from tests.factories import make_meeting


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def scene(mission, tree, core_member, observer, other_team):
    KeyDate.objects.create(mission=mission, date=dt.date(2023, 3, 19), event="Election day",
                           is_milestone=True)
    open_meeting = make_meeting(
        mission, actor=core_member, place="Central Election Commission", region=tree["R1"],
        participants=[observer.person], topics=["voter lists"],
    )
    secret = make_meeting(
        mission, actor=core_member, place="Secret source", confidential=True, region=tree["R1"],
    )
    return {"open": open_meeting, "secret": secret}


def test_pages_require_login(client, mission):
    response = client.get(reverse("missions:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_without_access_is_refused(logged_in, outsider, mission):
    assert logged_in(outsider).get(reverse("missions:overview")).status_code == 403


def test_overview_shows_totals_key_dates_and_meetings(logged_in, core_member, scene):
    page = logged_in(core_member).get(reverse("missions:overview")).content.decode()
    assert "Election day" in page
    assert "Central Election Commission" in page
    assert ">4</span>" in page  # polling stations
    assert ">606</span>" in page  # registered voters 101 + 102 + 201 + 202


def test_overview_hides_confidential_meetings_from_analyst(logged_in, analyst, scene):
    page = logged_in(analyst).get(reverse("missions:overview")).content.decode()
    assert "Central Election Commission" in page
    assert "Secret source" not in page


def test_locations_page_shows_children_with_summed_voters(logged_in, analyst, tree):
    page = logged_in(analyst).get(reverse("missions:location", args=[tree["R1"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "district D1" in text
    assert "203" in text  # 101 + 102 registered in D1


def test_locations_search_finds_by_code_keeping_leading_zero(logged_in, analyst, tree):
    page = logged_in(analyst).get(reverse("missions:locations"), {"q": "0200"}).content.decode()
    assert "02001" in page and "02002" in page
    assert "01001" not in page


def test_people_page_lists_only_visible_people(logged_in, observer, other_team):
    page = logged_in(observer).get(reverse("missions:people")).content.decode()
    assert observer.person.full_name in page
    for person in other_team.members.all():
        assert person.full_name not in page


def test_team_page_of_another_team_is_not_found(logged_in, observer, other_team):
    response = logged_in(observer).get(reverse("missions:team", args=[other_team.pk]))
    assert response.status_code == 404


def test_confidential_meeting_is_not_found_outside_core_team(
    logged_in, scene, administrator, analyst, coordinator, observer, core_member
):
    url = reverse("missions:meeting", args=[scene["secret"].pk])
    for user in (administrator, analyst, coordinator, observer):
        assert logged_in(user).get(url).status_code == 404
    assert logged_in(core_member).get(url).status_code == 200


def test_meetings_filters_by_topic_and_date(logged_in, core_member, scene):
    client = logged_in(core_member)
    page = client.get(reverse("missions:meetings"), {"topic": "voter"}).content.decode()
    assert "Central Election Commission" in page and "Secret source" not in page
    page = client.get(reverse("missions:meetings"), {"date_from": "2023-02-09"}).content.decode()
    assert "No meetings match." in page


def test_meetings_full_text_search_returns_htmx_partial(logged_in, core_member, scene):
    response = logged_in(core_member).get(
        reverse("missions:meetings"), {"q": "central commission"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert "<html" not in text
    assert "Central Election Commission" in text and "1 meeting" in text


def meeting_post(**extra):
    """A meeting as the form posts it: one row of interlocutor and one of follow-up."""
    data = {
        "date": "2023-02-20",
        "time": "15:30",
        "place": "Akimat, Astana",
        "interlocutors_name": "Aigerim Bekova",
        "interlocutors_title": "Deputy Akim",
        "interlocutors_organisation": "Akimat of Astana",
        "interlocutors_kind": "state",
        "topics": "local administration, voter lists",
        "key_points": "Polling stations are ready.",
        "follow_ups_text": "Visit two polling stations",
        "follow_ups_owner": "",
        "follow_ups_due": "2023-02-25",
        "follow_ups_status": "open",
    }
    data.update(extra)
    return data


def test_core_member_records_a_meeting_through_the_page(logged_in, core_member, mission):
    response = logged_in(core_member).post(reverse("missions:meeting_create"), meeting_post())
    (meeting,) = [m for m in Meeting.objects.all() if m.place == "Akimat, Astana"]
    assert response.status_code == 302
    assert response["Location"] == reverse("missions:meeting", args=[meeting.pk])
    assert meeting.follow_ups.get().due == dt.date(2023, 2, 25)
    assert AuditEntry.objects.get(model="missions.meeting").channel == "page"


def test_meeting_form_names_the_bad_row(logged_in, core_member, mission):
    response = logged_in(core_member).post(
        reverse("missions:meeting_create"),
        meeting_post(follow_ups_text=["ok", "Call back", "X"],
                     follow_ups_owner=["", "Nobody Known", ""],
                     follow_ups_due=["", "", "25/02"],
                     follow_ups_status=["open", "open", "open"]),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["follow_ups"]
    assert errors == [
        "follow-up 2: “Nobody Known” is not one of the people you may choose; pick a name "
        "from the list",
        "follow-up 3: “25/02” is not a date like 2023-03-19",
    ]
    assert Meeting.objects.count() == 0


def test_observer_form_has_no_confidential_field(logged_in, observer):
    response = logged_in(observer).get(reverse("missions:meeting_create"))
    assert "confidential" not in response.context["form"].fields


def test_observer_posting_confidential_gets_an_open_meeting(logged_in, observer):
    logged_in(observer).post(reverse("missions:meeting_create"), meeting_post(confidential="on"))
    assert Meeting.objects.get().confidential is False


def test_analyst_cannot_open_the_meeting_form(logged_in, analyst):
    assert logged_in(analyst).get(reverse("missions:meeting_create")).status_code == 403


def test_edit_page_prefills_and_updates(logged_in, core_member, scene):
    client = logged_in(core_member)
    url = reverse("missions:meeting_edit", args=[scene["open"].pk])
    form = client.get(url).context["form"]
    assert form.initial["topics"] == "voter lists"
    client.post(url, meeting_post(place="CEC, Astana"))
    scene["open"].refresh_from_db()
    assert scene["open"].place == "CEC, Astana"


def test_observer_cannot_edit_a_meeting_it_did_not_attend(logged_in, observer, core_member, mission):
    other = make_meeting(mission, actor=core_member, place="Elsewhere")
    url = reverse("missions:meeting_edit", args=[other.pk])
    assert logged_in(observer).get(url).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_meetings_list_query_count_does_not_grow(logged_in, core_member, mission,
                                                 django_assert_max_num_queries, n):
    for i in range(n):
        make_meeting(mission, actor=core_member, place=f"Place {i}", topics=["a", "b"])
    client = logged_in(core_member)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("missions:meetings"))
    assert response.context["meetings"].paginator.count == n


def test_pages_are_translated_to_russian_and_kazakh(logged_in, core_member, mission):
    client = logged_in(core_member)
    client.cookies["django_language"] = "ru"
    assert "Журнал встреч" in client.get(reverse("missions:meetings")).content.decode()
    client.cookies["django_language"] = "kk"
    assert "Кездесулер журналы" in client.get(reverse("missions:meetings")).content.decode()


def test_overview_counts_people_by_group_for_a_coordinator(logged_in, coordinator, observer,
                                                           core_member, other_team):
    response = logged_in(coordinator).get(reverse("missions:overview"))
    groups = dict(response.context["people_by_group"])
    # Itself and the core-team member: core team (their roles); the observer and its mate in R1.
    assert sum(groups.values()) == response.context["n_people"]
    assert response.context["n_people"] == 4


def test_every_form_label_is_translated(logged_in, core_member, mission):
    client = logged_in(core_member)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("missions:meetings")).content.decode()
    for english in ("Organisation", "Interlocutor", "Topic"):
        assert f">{english}" not in page
