"""One mission with a record of every kind, a login of every access level, and a confidential
meeting whose every field holds a canary: the ground the access tests walk.

The tree is the tests' usual one: KZ → R1 → D1 → 01001, 01002 and KZ → R2 → D2 → 02001, 02002.
The coordinator answers for R1; the observer's team STO-1 is deployed in D1, team STO-2 in D2.
Records come in pairs where scope matters: one inside the coordinator's and observer's area
(`own_*`) and one outside it (`other_*`).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eom.missions import services as mission_services
from eom.missions.models import (
    Access,
    AnnouncedResult,
    AuditEntry,
    Candidate,
    KeyDate,
    Organisation,
    OrganisationKind,
    Topic,
)
from eom.observation import services as observation_services
from eom.observation.sms_models import Broadcast, SmsMessage
from eom.reporting.pvt import draw_sample
from eom.results.models import ImportBatch, PublishedTotal
from tests.factories import (
    interlocutor_named,
    load_checklist,
    make_api_token,
    make_deployment,
    make_form,
    make_mission,
    make_person,
    make_protocol,
    make_results_contest,
    make_team,
    make_tree,
    make_user,
    question,
    voting_form,
)

PASSWORD = "pw-for-tests"

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

# The roles the tests walk, in the order the matrix lists them.
ROLES = ("anonymous", "outsider", "observer", "coordinator", "analyst", "administrator", "core",
         "superuser")

# Markers: each appears in exactly one field of the confidential meeting and nowhere else.
CANARIES = {
    "place": "CANARY-PLACE-d41c",
    "key_points": "CANARY-KEYPOINTS-8e2a",
    "source": "CANARY-SOURCE-51f0",
    "follow_up": "CANARY-FOLLOWUP-c7b3",
    "interlocutor_name": "CANARY-INTERLOCUTOR-2b9e",
    "interlocutor_title": "CANARY-TITLE-f08d",
    "organisation": "CANARY-ORGANISATION-6a1c",
    "topic": "CANARY-TOPIC-93d7",
    "lto_passage": "CANARY-LTOPASSAGE-5e1b",
    "complaint_note": "CANARY-COMPLAINTNOTE-7c2a",
    "standards_tag": "CANARY-STANDARDSTAG-3f9a",
}

ELECTION_DAY = dt.date(2023, 3, 19)


def at(hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 3, 19, hour, 0))


@dataclass
class Scene:
    """Everything the access tests point their URLs at."""

    mission: object
    tree: dict
    users: dict[str, object]
    tokens: dict[str, str] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.objects[name]


def _submit(actor, mission, form_id: str, location: str, answers: dict, hour: int = 10,
            attachments: dict | None = None):
    data = observation_services.SubmissionInput(
        uuid=uuid.uuid4(), form_id=form_id, location_code=location, answers=answers,
        observed_at=at(hour), attachments=attachments or {},
    )
    submission, _created = observation_services.ingest_submission(
        actor=actor, channel="api", mission=mission, data=data
    )
    return submission


def build(*, canaries: bool = True) -> Scene:
    """Create the scene in the test database (call inside a test with database access)."""
    mission = make_mission(edit_window_minutes=60 * 24 * 365 * 10)
    tree = make_tree(mission)
    users = {
        "administrator": make_user(mission, Access.ADMINISTRATOR, role="operations_officer"),
        "core": make_user(mission, Access.CORE_TEAM, role="head_of_mission"),
        "coordinator": make_user(mission, Access.COORDINATOR, area=tree["R1"], role="lto"),
        "analyst": make_user(mission, Access.ANALYST, role="statistician"),
        "observer": make_user(mission, Access.OBSERVER, area=tree["D1"]),
    }
    user_model = get_user_model()
    users["outsider"] = user_model.objects.create_user("outsider", password=PASSWORD)
    users["superuser"] = user_model.objects.create_superuser("root", password=PASSWORD)
    users["anonymous"] = None
    scene = Scene(mission=mission, tree=tree, users=users)

    mate = make_person(mission, access=Access.OBSERVER, area=tree["D1"])
    own_team = make_team(mission, "STO-1", [users["observer"].person, mate], area=tree["D1"])
    far = [make_person(mission, access=Access.OBSERVER, area=tree["D2"], login=True)
           for _ in range(2)]
    other_team = make_team(mission, "STO-2", far, area=tree["D2"])
    days = {"starts": dt.date(2023, 3, 17), "ends": dt.date(2023, 3, 20)}
    make_deployment(own_team, [tree["01001"], tree["01002"]], **days)
    make_deployment(other_team, [tree["02001"]], **days)
    scene.objects.update(own_team=own_team, other_team=other_team, other_person=far[0],
                         own_person=mate)

    # Forms and reports: one each side, one with a photo.
    voting_form(mission)
    load_checklist(mission, "opening")
    make_form(mission, "incident", "incident", [
        question("description", "text", required=True), question("photo", "image"),
    ])
    own = _submit(users["observer"], mission, "voting", "01001", {
        "registered": 100, "voted": 40, "secrecy": "yes", "assessment": "good"})
    _submit(users["observer"], mission, "voting", "01002", {
        "registered": 90, "voted": 30, "secrecy": "yes", "assessment": "bad"}, hour=11)
    other = _submit(far[0].user, mission, "voting", "02001", {
        "registered": 100, "voted": 50, "secrecy": "no", "secrecy_details": "open booth",
        "assessment": "very_bad"})
    photo = _submit(users["observer"], mission, "incident", "01001", {"description": "Seal"},
                    hour=12, attachments={"photo": SimpleUploadedFile(
                        "seal.png", PNG, content_type="image/png")})
    scene.objects.update(own_submission=own, other_submission=other, photo_submission=photo,
                         attachment=photo.attachments.get())

    # Results: a contest, official protocols each side, a published total, an import batch.
    contest = make_results_contest(mission)
    scene.objects["contest"] = contest
    scene.objects["own_protocol"] = make_protocol(contest, tree["01001"])
    scene.objects["other_protocol"] = make_protocol(contest, tree["02001"])
    scene.objects["published_total"] = PublishedTotal.objects.create(
        contest=contest, location=tree["R2"], n_registered=300, n_valid=150, votes={})
    scene.objects["import_batch"] = ImportBatch.objects.create(
        mission=mission, contest=contest, file_name="official.csv", n_rows=2)
    scene.objects["announced"] = AnnouncedResult.objects.create(
        contest=contest, party=contest.election.parties.first(), votes=80, seats=1)
    scene.objects["election"] = contest.election
    scene.objects["party"] = contest.election.parties.first()
    scene.objects["candidate"] = Candidate.objects.create(
        contest=contest, full_name="Candidate A", party=scene.objects["party"], list_position=1)

    # A quick-count sample with a team at each station.
    sample, _created = draw_sample(actor=users["core"], channel="command", mission=mission,
                                   name="pvt", size=2, seed=7, teams=[own_team, other_team])
    scene.objects["sample"] = sample
    scene.objects["sampled_station"] = sample.stations.order_by("pk").first()

    # SMS: one message in, one broadcast out.
    scene.objects["broadcast"] = Broadcast.objects.create(mission=mission, text="Polls close at 20:00")
    scene.objects["sms"] = SmsMessage.objects.create(
        mission=mission, direction="in", number="+77010000001", text="V 01001 100 40",
        status="accepted")

    # Reference data and meetings.
    scene.objects["key_date"] = KeyDate.objects.create(mission=mission, date=ELECTION_DAY,
                                                       event="Election day")
    public = _meeting(users["coordinator"], mission, confidential=False, region=tree["R1"],
                      place="Akimat of R1", key_points="Open meeting notes", interlocutor=(
                          "Regional Akim", "Akim", "Akimat of R1"), topic="Campaign")
    scene.objects["public_meeting"] = public
    if canaries:
        secret = _meeting(users["core"], mission, confidential=True, region=tree["R1"],
                          place=CANARIES["place"], key_points=CANARIES["key_points"],
                          source=CANARIES["source"], follow_up=CANARIES["follow_up"],
                          interlocutor=(CANARIES["interlocutor_name"],
                                        CANARIES["interlocutor_title"],
                                        CANARIES["organisation"]),
                          topic=CANARIES["topic"])
        # An edit, so that the audit trail holds an update with old and new values too.
        mission_services.update_meeting(
            actor=users["core"], channel="page", meeting=secret,
            data=_meeting_data(place=CANARIES["place"],
                               key_points=CANARIES["key_points"] + " (revised)",
                               source=CANARIES["source"], follow_up=CANARIES["follow_up"],
                               interlocutor=(CANARIES["interlocutor_name"],
                                             CANARIES["interlocutor_title"],
                                             CANARIES["organisation"]),
                               topic=CANARIES["topic"], confidential=True,
                               region=tree["R1"]))
        scene.objects["secret_meeting"] = secret
        scene.objects["secret_follow_up"] = secret.follow_ups.get()
        scene.objects["secret_interlocutor"] = interlocutor_named(
            CANARIES["interlocutor_name"])
        scene.objects["secret_organisation"] = Organisation.objects.get(
            name=CANARIES["organisation"])
        scene.objects["secret_topic"] = Topic.objects.get(name=CANARIES["topic"])
        scene.objects["secret_audit"] = AuditEntry.objects.filter(
            model="missions.meeting", object_id=str(secret.pk)).order_by("pk").last()
    _lto_reports(scene, canaries=canaries)
    _complaints(scene, canaries=canaries)
    _media(scene)
    _standards(scene, canaries=canaries)
    _reports(scene)
    scene.objects["public_interlocutor"] = public.interlocutors.get()
    scene.objects["public_organisation"] = public.interlocutors.get().organisation
    scene.objects["public_topic"] = public.topics.get()
    scene.objects["public_audit"] = AuditEntry.objects.filter(
        model="missions.meeting", object_id=str(public.pk)).order_by("pk").last()

    for role in ("observer", "coordinator", "analyst", "administrator", "core", "superuser",
                 "outsider"):
        scene.tokens[role] = make_api_token(users[role])
    scene.objects["token"] = users["observer"].api_tokens.get()
    make_api_token(users["observer"], name="spare")
    scene.objects["spare_token"] = users["observer"].api_tokens.get(name="spare")
    return scene


def _meeting_data(*, place, key_points, interlocutor, topic, confidential, region,
                  source="", follow_up=""):
    name, title, organisation = interlocutor
    data = mission_services.MeetingData(
        date=dt.date(2023, 3, 1), place=place, key_points=key_points, source=source,
        confidential=confidential, region=region,
        interlocutors=[mission_services.InterlocutorData(
            name=name, title=title, organisation=organisation,
            organisation_kind=OrganisationKind.CIVIL_SOCIETY)],
        topics=[topic],
        follow_ups=[mission_services.FollowUpData(text=follow_up)] if follow_up else [],
    )
    return data


def _meeting(actor, mission, **fields):
    data = _meeting_data(**fields)
    return mission_services.create_meeting(actor=actor, channel="page", mission=mission,
                                           data=data)


def _lto_reports(scene: Scene, *, canaries: bool) -> None:
    """LTO reports: team LTO-1 (the coordinator, an LTO in R1) and LTO-2 (in R2) each submit
    week 1's report; LTO-1's holds a confidential passage (the canary), which its team reads and
    LTO-2's member (`users["other_lto"]`, walked by the canary test, not the matrix) does not.
    LTO-1 also has three flash drafts: one to edit, one to submit on the page, one to submit
    through the API."""
    from eom.lto import services as lto_services
    from eom.lto.models import Period, ReportTemplate

    mission, tree, users = scene.mission, scene.tree, scene.users
    template = ReportTemplate.objects.create(mission=mission, name="Weekly", questions=[
        {"name": "n_meetings", "type": "integer", "label": "Meetings held",
         "label_ru": "Проведено встреч", "label_kk": "Өткізілген кездесулер"}])
    period = Period.objects.create(
        mission=mission, number=1, starts=dt.date(2023, 2, 13), ends=dt.date(2023, 2, 19),
        deadline=timezone.make_aware(dt.datetime(2023, 2, 20, 18)), template=template)
    own = make_team(mission, "LTO-1", [users["coordinator"].person], kind="lto", area=tree["R1"])
    lto_2 = make_person(mission, access=Access.OBSERVER, area=tree["R2"], role="lto", login=True)
    other = make_team(mission, "LTO-2", [lto_2], kind="lto", area=tree["R2"])
    users["other_lto"] = lto_2.user
    scene.tokens["other_lto"] = make_api_token(lto_2.user)
    make_deployment(own, [tree["R1"]], starts=dt.date(2023, 2, 10), ends=dt.date(2023, 3, 27))
    make_deployment(other, [tree["R2"]], starts=dt.date(2023, 2, 10), ends=dt.date(2023, 3, 27))

    def report(user, team, *, passages=None, kind="weekly", submit=True):
        data = lto_services.ReportData(
            answers={"n_meetings": 3}, title="Flash" if kind == "flash" else "",
            sections=[lto_services.SectionData("campaign_environment", "Quiet week")],
            passages=passages or {})
        written = lto_services.create_report(actor=user, channel="page", team=team,
                                             period=period, kind=kind, data=data)
        if submit:
            lto_services.submit_report(actor=user, channel="page", report=written,
                                       now=timezone.make_aware(dt.datetime(2023, 2, 20, 9)))
        return written

    passages = {"campaign_environment": CANARIES["lto_passage"]} if canaries else {}
    coordinator = users["coordinator"]
    scene.objects.update(
        lto_period=period, lto_template=template,
        own_lto_report=report(coordinator, own, passages=passages),
        other_lto_report=report(lto_2.user, other),
        lto_draft=report(coordinator, own, kind="flash", submit=False),
        lto_draft_page=report(coordinator, own, kind="flash", submit=False),
        lto_draft_api=report(coordinator, own, kind="flash", submit=False),
    )


def _complaints(scene: Scene, *, canaries: bool) -> None:
    """Complaints: one before the district commission of D1 (the coordinator's area), with a
    confidential note (the canary) and a document; one before D2's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eom.complaints import services as complaint_services
    from eom.complaints.models import DeadlineRule, Holiday, Subject

    mission, tree = scene.mission, scene.tree
    core = scene.users["core"]

    def case(location, note=None):
        return complaint_services.create_case(
            actor=core, channel="page", mission=mission, data=complaint_services.CaseData(
                filer_kind="party", filer_name="Party A", body_kind="commission",
                body_level="district", filed=dt.date(2023, 3, 1), body_location=location,
                note=note))

    own = case(tree["D1"], CANARIES["complaint_note"] if canaries else None)
    document = complaint_services.attach_document(
        actor=core, channel="page", case=own,
        upload=SimpleUploadedFile("decision.pdf", b"%PDF-1 decision"))
    scene.objects.update(own_case=own, other_case=case(tree["D2"]), case_document=document)
    scene.objects.update(  # the register's reference data, after the cases (their deadlines)
        complaint_subject=Subject.objects.create(mission=mission, code="campaign",
                                                 name="Campaign"),
        deadline_rule=DeadlineRule.objects.create(mission=mission, body_kind="commission",
                                                  days=5, source="Art. 20"),
        holiday=Holiday.objects.create(mission=mission, date=dt.date(2023, 3, 8),
                                       name="Women's Day"))
def _media(scene: Scene) -> None:
    """Media monitoring: an outlet, the campaign period, a topic, the threshold and one coded
    item, with two second codings of its unit to delete (nothing in them is confidential)."""
    from eom.media import services as media_services
    from eom.media.models import MediaSettings

    mission, core = scene.mission, scene.users["core"]
    outlet = media_services.create_outlet(actor=core, channel="page", mission=mission,
                                          name="Matrix TV", kind="tv", ownership="state",
                                          language="kk")
    period = media_services.create_period(actor=core, channel="page", mission=mission,
                                          name="Campaign", starts=dt.date(2023, 2, 20),
                                          ends=dt.date(2023, 3, 17))
    topic = media_services.create_topics(actor=core, channel="page", mission=mission,
                                         topics=[("economy", "Economy")])[0]
    item = media_services.create_item(actor=core, channel="page", mission=mission,
                               data=media_services.ItemData(
                                   outlet=outlet, date=dt.date(2023, 3, 1), programme="News",
                                   subject_kind="other", subject_name="Voters",
                                   tone="neutral", coder="M1", seconds=30, topic=topic))
    spares = {}  # other monitors' codings of the same unit, for the delete visits
    for name, coder in (("media_item_page", "M2"), ("media_item_api", "M3")):
        spares[name] = media_services.create_item(
            actor=core, channel="page", mission=mission, data=media_services.ItemData(
                outlet=outlet, date=dt.date(2023, 3, 1), programme="News",
                subject_kind="other", subject_name="Voters", tone="neutral", coder=coder,
                seconds=30, topic=topic))
    scene.objects.update(media_outlet=outlet, media_period=period, media_topic=topic,
                         media_item=item, **spares,
                         media_settings=MediaSettings.objects.create(mission=mission))


def _standards(scene: Scene, *, canaries: bool) -> None:
    """Commitments and recommendations: a commitment with evidence of every kind (the public
    meeting, LTO-1's submitted passage, the case before D1's commission, an indicator) and,
    with the canaries, the confidential meeting tagged with a note that is a canary; a
    recommendation, assessed, with a tag on the case; a spare tag to remove."""
    from eom.standards import services as standards_services

    mission, core = scene.mission, scene.users["core"]
    commitment = standards_services.create_commitment(
        actor=core, channel="page", mission=mission, data=standards_services.CommitmentData(
            source="Copenhagen Document 1990", reference="para 7.4",
            title="Secret ballot, honest count", title_ru="Тайное голосование, честный подсчёт",
            title_kk="Жасырын дауыс беру, адал санау", text="Votes counted honestly."))
    recommendation = standards_services.create_recommendation(
        actor=core, channel="page", mission=mission, data=standards_services.RecommendationData(
            report_name="Final report 2021", report_year=2021, number=1,
            text="Publish results by polling station.", synthetic=True))
    standards_services.assess(actor=core, channel="page", recommendation=recommendation,
                              status="partly", evidence="Posted at some stations.")

    def tag(kind, reference, note="", target=commitment):
        key = "commitment" if target is commitment else "recommendation"
        return standards_services.tag(actor=core, channel="page", mission=mission, kind=kind,
                                      reference=reference, note=note, **{key: target})

    tag("meeting", str(scene["public_meeting"].pk), "Open meeting")
    tag("lto_section", f"{scene['own_lto_report'].pk}:campaign_environment")
    tag("complaint", str(scene["own_case"].pk))
    tag("indicator", "opening:opening_negative")
    tag("complaint", str(scene["own_case"].pk), target=recommendation)
    if canaries:
        tag("meeting", str(scene["secret_meeting"].pk), CANARIES["standards_tag"])
    spare = tag("complaint", str(scene["other_case"].pk))
    scene.objects.update(commitment=commitment, recommendation=recommendation,
                         spare_standards_tag=spare)


def _reports(scene: Scene) -> None:
    """Reports: a draft whose media section quotes the media figure, and a published one."""
    from eom.publications import services as report_services

    mission, core = scene.mission, scene.users["core"]
    made = {}
    for name in ("draft-report", "published-report"):
        report = report_services.create_report(actor=core, channel="page", mission=mission,
                                               name=name, kind="interim", title=name)
        report_services.save_section(actor=core, channel="page",
                                     section=report.sections.get(heading="media"),
                                     text="Coverage: [[figure:media:time]].",
                                     text_ru="Освещение: [[figure:media:time]].",
                                     text_kk="Жариялау: [[figure:media:time]].")
        made[name] = report
    report_services.publish(actor=core, channel="page", report=made["published-report"])
    scene.objects.update(draft_report=made["draft-report"],
                         published_report=made["published-report"])
