"""Reading the filled form ODK Collect posts: ids, polling station, start time, answers by
question name; hostile or broken documents refused with the reason."""

import datetime as dt

import pytest

from eom.xlsform.xform import (
    MAX_INSTANCE_BYTES,
    Instance,
    InstanceError,
    parse_instance,
    split_files,
)

KEY = "5d6f0a9e-1c2b-4e3f-8a7b-9c0d1e2f3a4b"
ALMATY = dt.timezone(dt.timedelta(hours=6))

VOTING = f"""<?xml version='1.0' encoding='UTF-8' ?>
<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"
      id="voting" version="2023031901">
  <eom_start>2023-03-19T10:02:11.123+06:00</eom_start>
  <eom_location> 010001 </eom_location>
  <turnout>
    <n_registered>1200</n_registered>
    <n_voted>430</n_voted>
  </turnout>
  <problem_details>
    <problems>queue pressure</problems>
    <problem_description/>
  </problem_details>
  <comments>   </comments>
  <meta>
    <instanceID>uuid:{KEY}</instanceID>
  </meta>
</data>""".encode()


def test_instance_gives_ids_station_start_and_answers_by_question_name():
    assert parse_instance(VOTING) == Instance(
        form_id="voting",
        version="2023031901",
        instance_id=KEY,
        location_code="010001",
        started_at=dt.datetime(2023, 3, 19, 10, 2, 11, 123000, tzinfo=ALMATY),
        answers={"n_registered": "1200", "n_voted": "430", "problems": "queue pressure"},
        meta={"instanceID": f"uuid:{KEY}"},
    )


def test_instance_meta_in_the_openrosa_namespace_and_time_start_are_read():
    data = f"""<data id="incident" xmlns:orx="http://openrosa.org/xforms">
      <eom_location>010001</eom_location><description>Box unsealed</description>
      <orx:meta><orx:timeStart>2023-03-19T12:00:00Z</orx:timeStart>
      <orx:instanceID>uuid:{KEY}</orx:instanceID></orx:meta></data>""".encode()
    instance = parse_instance(data)
    assert (instance.instance_id, instance.started_at, instance.version, instance.answers) == (
        KEY, dt.datetime(2023, 3, 19, 12, tzinfo=dt.UTC), None, {"description": "Box unsealed"},
    )


def test_instance_without_a_start_time_has_none():
    data = f"<data id='voting'><meta><instanceID>uuid:{KEY}</instanceID></meta></data>"
    instance = parse_instance(data.encode())
    assert (instance.started_at, instance.location_code, instance.answers) == (None, "", {})


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the form is empty"),
    (b"<data id='voting'><n_voted>4</data>",
     "the form is not well-formed XML (mismatched tag: line 1, column 30)"),
    (b"<data><meta><instanceID>uuid:x</instanceID></meta></data>",
     "the form's root element <data> has no id attribute"),
    (b"<data id='voting'><n_voted>4</n_voted></data>", "the form has no meta/instanceID"),
    (b"<data id='voting'><g><q>1</q></g><h><q>2</q></h><meta><instanceID>uuid:x</instanceID>"
     b"</meta></data>",
     "“q” appears twice; only the questions of a repeat may appear more than once"),
])
def test_instance_that_cannot_be_read_is_refused_with_the_reason(data, reason):
    with pytest.raises(InstanceError) as error:
        parse_instance(data)
    assert str(error.value) == reason


@pytest.mark.parametrize("data", [
    # billion laughs: entities expanding to gigabytes
    b"""<?xml version="1.0"?><!DOCTYPE data [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
    <data id="voting"><comments>&c;</comments></data>""",
    # an external entity reading a file of the server
    b"""<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <data id="voting"><comments>&x;</comments></data>""",
    # a DOCTYPE alone
    b"""<!DOCTYPE data><data id="voting"/>""",
])
def test_instance_with_a_doctype_is_refused(data):
    with pytest.raises(InstanceError) as error:
        parse_instance(data)
    assert str(error.value) == (
        "the form has a DOCTYPE or entity declarations, which eom does not accept"
    )


def test_instance_larger_than_10_mb_is_refused_before_parsing():
    data = b"<data id='voting'><comments>" + b"x" * MAX_INSTANCE_BYTES + b"</comments></data>"
    with pytest.raises(InstanceError) as error:
        parse_instance(data)
    assert str(error.value) == "the form is larger than 10 MB"


def test_instance_of_exactly_10_mb_is_read():
    head = f"<data id='voting'><meta><instanceID>uuid:{KEY}</instanceID></meta><comments>"
    tail = "</comments></data>"
    filler = "x" * (MAX_INSTANCE_BYTES - len(head) - len(tail))
    instance = parse_instance((head + filler + tail).encode())
    assert len(instance.answers["comments"]) == len(filler)


# --- photos -----------------------------------------------------------------------------------

DEFINITION = {"sections": [{"questions": [
    {"name": "description", "type": "text"}, {"name": "photo", "type": "image"},
    {"name": "second_photo", "type": "image"},
]}]}


class Upload:
    def __init__(self, name):
        self.name = name


def test_photo_answers_are_matched_to_the_posted_files_by_name():
    photo = Upload("1679212345.jpg")
    attached, errors = split_files(
        DEFINITION, {"description": "1679212345.jpg", "photo": "1679212345.jpg"},
        {"1679212345.jpg": photo, "unrelated.jpg": Upload("unrelated.jpg")},
    )
    assert (attached, errors) == ({"photo": photo}, {})


def test_photo_answer_without_its_file_is_an_error_of_that_question():
    attached, errors = split_files(DEFINITION, {"photo": "a.jpg", "second_photo": "b.jpg"},
                                   {"a.jpg": Upload("a.jpg")})
    assert errors == {
        "second_photo": ["the photo “b.jpg” did not arrive with the form; send it again"],
    }
    assert list(attached) == ["photo"]


def test_instances_of_a_repeat_are_read_as_a_list_of_dicts():
    data = (b"<data id='queues'><visits><n>3</n><rooms><b>1</b></rooms><rooms><b>2</b></rooms>"
            b"</visits><visits jr:template='' xmlns:jr='http://openrosa.org/javarosa'><n/>"
            b"</visits><visits><n>5</n><rooms><b/></rooms></visits><total>8</total>"
            b"<meta><instanceID>uuid:x</instanceID></meta></data>")

    instance = parse_instance(data, lambda form_id, version: frozenset({"visits", "rooms"}))

    assert instance.answers == {"visits": [{"n": "3", "rooms": [{"b": "1"}, {"b": "2"}]},
                                           {"n": "5", "rooms": [{}]}], "total": "8"}
