"""The meeting form finds participants and interlocutors by part of a name (search parts the page
asks as one types), gives follow-ups to people by name and kinds of organisation by label, and
saves what those widgets post. The parts show only what the writer may see, are bounded (a few
letters at least, at most twenty matches, a search that cannot be run is a 400 naming `q`), and
never show an interlocutor known only from confidential meetings outside the core team."""

import pytest
from django.urls import reverse

from eom.missions import queries, services
from eom.missions.models import Interlocutor, Meeting, OrganisationKind
from tests.factories import interlocutor_named, make_meeting, make_person

PEOPLE = reverse("missions:meeting_find_people")
INTERLOCUTORS = reverse("missions:meeting_find_interlocutors")


def met(name, title, organisation, kind=OrganisationKind.STATE):
    return services.InterlocutorData(name, title, organisation, kind)


@pytest.fixture
def scene(mission, core_member, observer, other_team):
    make_meeting(mission, actor=core_member, place="Akimat", interlocutors=[
        met("Айгерим Бекова", "Deputy Akim", "Akimat of Astana"),
        met("Nurlan Sadykov", "Chair", "Central Election Commission",
            OrganisationKind.ELECTION_ADMINISTRATION)])
    make_meeting(mission, actor=core_member, place="In confidence", confidential=True,
                 interlocutors=[met("Дана Бекова", "Whistle-blower", "Бекова Траст")])
    return {"stranger": other_team.members.first(), "mate": observer.person.teams.get()
            .members.exclude(pk=observer.person.pk).get()}


def names_in(response) -> str:
    return response.content.decode()


def test_people_are_found_by_part_of_the_name_in_any_case(client, mission, core_member, scene):
    make_person(mission, access="observer", full_name="Ерлан Жумабаев")
    client.force_login(core_member)

    found = client.get(PEOPLE, {"q": "ЖУМА"})

    assert found.status_code == 200
    assert "Ерлан Жумабаев" in names_in(found)


def test_an_observer_finds_its_team_and_the_core_team_but_no_other_team(
        client, core_member, observer, scene):
    client.force_login(observer)
    core_member.person.full_name = "Margareta Cederfelt"
    core_member.person.save()

    mate = client.get(PEOPLE, {"q": scene["mate"].full_name})
    core = client.get(PEOPLE, {"q": "cederfelt"})
    stranger = client.get(PEOPLE, {"q": scene["stranger"].full_name})

    assert f'data-value="{scene["mate"].pk}"' in names_in(mate)
    assert "Margareta Cederfelt" in names_in(core)
    assert "data-value" not in names_in(stranger)
    assert "No one matches." in names_in(stranger)


def test_interlocutors_are_found_by_name_title_or_organisation(client, core_member, scene):
    client.force_login(core_member)

    by_name = names_in(client.get(INTERLOCUTORS, {"q": "бекова"}))
    by_title = names_in(client.get(INTERLOCUTORS, {"q": "chair"}))
    by_organisation = names_in(client.get(INTERLOCUTORS, {"q": "election commission"}))

    assert 'data-name="Айгерим Бекова"' in by_name
    assert 'data-organisation="Akimat of Astana"' in by_name
    assert 'data-kind="state"' in by_name
    assert 'data-name="Nurlan Sadykov"' in by_title
    assert 'data-name="Nurlan Sadykov"' in by_organisation
    assert "election administration" in by_organisation  # the kind's label, not its code


@pytest.mark.parametrize("who", ["observer", "coordinator"])
def test_an_interlocutor_known_only_from_confidential_meetings_is_found_by_the_core_team_only(
        client, core_member, observer, coordinator, scene, who):
    client.force_login({"observer": observer, "coordinator": coordinator}[who])
    outside = names_in(client.get(INTERLOCUTORS, {"q": "бекова"}))
    client.force_login(core_member)
    core = names_in(client.get(INTERLOCUTORS, {"q": "бекова"}))

    assert "Айгерим Бекова" in outside
    assert "Дана" not in outside and "Траст" not in outside
    assert "Дана Бекова" in core and "Whistle-blower" in core


def test_at_most_twenty_matches_are_shown_and_more_letters_are_asked_for(
        client, mission, core_member):
    for i in range(21):
        make_person(mission, access="observer", full_name=f"Observer {i:02d}")
    client.force_login(core_member)

    twenty_one = names_in(client.get(PEOPLE, {"q": "observer"}))
    one = names_in(client.get(PEOPLE, {"q": "observer 07"}))

    assert twenty_one.count("data-value=") == 20
    assert "More match: type more letters." in twenty_one
    assert one.count("data-value=") == 1


def test_the_interlocutor_search_reads_only_the_latest_ones_it_is_bounded_to(
        client, core_member, scene, monkeypatch):
    monkeypatch.setattr(queries, "MAX_INTERLOCUTORS_SEARCHED", 1)
    client.force_login(core_member)

    found = names_in(client.get(INTERLOCUTORS, {"q": "бекова"}))

    assert "Дана Бекова" in found and "Айгерим" not in found


def test_one_letter_finds_nothing_yet(client, core_member, scene):
    client.force_login(core_member)

    response = client.get(INTERLOCUTORS, {"q": "b"})

    assert response.status_code == 200
    assert "data-name" not in names_in(response)
    assert "Type at least 2 letters." in names_in(response)


@pytest.mark.parametrize("query", ["x" * 201, " ".join(["w"] * 21), "bek\x00ova"],
                         ids=["201 characters", "21 words", "NUL"])
@pytest.mark.parametrize("part", [PEOPLE, INTERLOCUTORS])
def test_a_search_that_cannot_be_run_is_refused_naming_q(client, core_member, part, query):
    client.force_login(core_member)

    response = client.get(part, {"q": query})

    assert response.status_code == 400
    assert response.content.decode().startswith("q: ")


def test_an_analyst_who_records_no_meetings_gets_no_search(client, analyst):
    client.force_login(analyst)

    assert client.get(INTERLOCUTORS, {"q": "bekova"}).status_code == 403


def test_the_form_saves_what_its_widgets_post(client, mission, core_member, scene):
    """Participants picked (ids), an interlocutor found and picked (its values copied into a
    row) beside a new one typed in, a follow-up given to a person by name."""
    client.force_login(core_member)
    known = interlocutor_named("Айгерим Бекова")
    mate = scene["mate"]

    response = client.post(reverse("missions:meeting_create"), {
        "date": "2023-02-21", "place": "Akimat of Astana",
        "participants": [str(core_member.person.pk), str(mate.pk)],
        "interlocutors_name": ["Айгерим Бекова", "Saule Omarova", ""],
        "interlocutors_title": ["Deputy Akim", "Press officer", ""],
        "interlocutors_organisation": ["Akimat of Astana", "Akimat of Astana", ""],
        "interlocutors_kind": ["state", "", ""],
        "follow_ups_text": ["Send the interim report", ""],
        "follow_ups_owner": [mate.full_name.upper(), ""],
        "follow_ups_due": ["2023-02-28", ""],
        "follow_ups_status": ["open", "open"],
        "q": "",
    })

    assert response.status_code == 302
    meeting = Meeting.objects.get(date="2023-02-21")
    assert set(meeting.participants.all()) == {core_member.person, mate}
    saved = list(meeting.interlocutors.order_by("pk"))
    assert saved[0] == known  # the one picked is the one met before, not a new record
    assert (saved[1].name, saved[1].organisation.kind) == ("Saule Omarova", "state")
    assert Interlocutor.objects.count() == 4
    follow_up = meeting.follow_ups.get()
    assert (follow_up.text, follow_up.owner, str(follow_up.due)) == (
        "Send the interim report", mate, "2023-02-28")


def test_a_row_without_a_name_is_refused_and_shown_again_with_its_problem(client, core_member):
    client.force_login(core_member)

    response = client.post(reverse("missions:meeting_create"), {
        "date": "2023-02-21", "place": "Akimat",
        "interlocutors_name": ["Saule Omarova", ""],
        "interlocutors_title": ["", "Press officer"],
        "interlocutors_organisation": ["", ""],
        "interlocutors_kind": ["", ""],
    })

    assert response.context["form"].errors["interlocutors"] == [
        "interlocutor 2: the name is missing"]
    page = response.content.decode()
    assert 'value="Press officer"' in page and "The name is missing" in page
    assert Meeting.objects.count() == 0


def test_the_edit_page_shows_names_and_labels_not_codes(client, mission, core_member, scene):
    mate = scene["mate"]
    meeting = make_meeting(mission, actor=core_member, place="CEC", interlocutors=[
        met("Nurlan Sadykov", "Chair", "Central Election Commission",
            OrganisationKind.ELECTION_ADMINISTRATION)],
        follow_ups=[services.FollowUpData("Ask for the protocols", mate)])
    client.force_login(core_member)

    page = client.get(reverse("missions:meeting_edit", args=[meeting.pk])).content.decode()

    assert f'name="follow_ups_owner" value="{mate.full_name}"' in page
    assert mate.code not in page
    assert '<option value="election_administration" selected>Election administration' in page
    assert 'value="Nurlan Sadykov"' in page
