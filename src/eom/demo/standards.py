"""The demo mission's commitments, the previous final report's recommendations with the
mission's assessments, and evidence tagged with both. Written in bulk with their audit
entries (channel demo), deterministic.

What is quoted and what is not:
- ICCPR article 25 is quoted (`quoted=True`, with the address of the Covenant's text at
  OHCHR).
- The paragraphs of the Copenhagen Document 1990 and of the UN Human Rights Committee's
  General Comment 25 are the mission's paraphrases (`quoted=False`), each with the address of
  the document: their exact words could not be checked against the text at hand, and a
  paraphrase is never shown as the document's words.
- The recommendations of ODIHR's final report on the parliamentary elections of 10 January 2021
  (Warsaw, 26 March 2021; 25 recommendations) could not be read whole: the list below is
  synthetic (`synthetic=True`, never quoted), worded by the mission after the subjects ODIHR's
  announcement of the report names (fundamental freedoms, party registration, citizen
  observers, freedom of expression, candidacy, dispute resolution, results); its numbering is
  not the report's. The assessments are synthetic too.
"""

from __future__ import annotations

from eom.complaints.models import Case
from eom.lto.models import Heading, Report, ReportStatus, Section
from eom.missions import audit
from eom.missions.models import Channel, Meeting, Mission
from eom.observation.models import Form

from ..standards.models import (
    Assessment,
    AssessmentStatus,
    Commitment,
    EvidenceKind,
    Recommendation,
    Tag,
)

COPENHAGEN = "Copenhagen Document 1990"
COPENHAGEN_URL = "https://www.osce.org/odihr/elections/14304"
ICCPR = "ICCPR"
ICCPR_URL = ("https://www.ohchr.org/en/instruments-mechanisms/instruments/"
             "international-covenant-civil-and-political-rights")
GC25 = "UN HRC General Comment 25"
GC25_URL = "https://www.refworld.org/legal/general/hrc/1996/en/27177"

# (source, reference, title, title_ru, title_kk, text, quoted, url)
COMMITMENTS = [
    (COPENHAGEN, "para 5.1", "Free elections by secret ballot",
     "Свободные выборы тайным голосованием", "Жасырын дауыс берумен еркін сайлау",
     "Paraphrase: free elections held at reasonable intervals by secret ballot or an "
     "equivalent free voting procedure, under conditions that ensure the free expression of "
     "the electors' opinion, are among the elements of justice.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 5.10", "Effective means of redress",
     "Эффективные средства правовой защиты", "Құқықтық қорғаудың тиімді құралдары",
     "Paraphrase: everyone has an effective means of redress against administrative "
     "decisions, so that fundamental rights and legal integrity are respected.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 6", "The will of the people, the basis of authority",
     "Воля народа — основа власти", "Халық еркі — биліктің негізі",
     "Paraphrase: the will of the people, freely and fairly expressed through periodic and "
     "genuine elections, is the basis of the authority and legitimacy of all government; the "
     "participating States respect the right of citizens to take part in governing their "
     "country.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.1", "Elections at reasonable intervals",
     "Выборы через разумные промежутки времени", "Ақылға қонымды мерзімдермен сайлау",
     "Paraphrase: free elections are held at reasonable intervals, as established by law.",
     False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.3", "Universal and equal suffrage",
     "Всеобщее и равное избирательное право", "Жалпыға бірдей және тең сайлау құқығы",
     "Paraphrase: adult citizens have universal and equal suffrage.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.4", "Secret ballot, honest count, results made public",
     "Тайное голосование, честный подсчёт, публикация итогов",
     "Жасырын дауыс беру, адал санау, қорытындыларды жариялау",
     "Paraphrase: votes are cast by secret ballot or an equivalent free voting procedure, and "
     "are counted and reported honestly, with the official results made public.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 7.5", "The right to stand for office",
     "Право баллотироваться", "Сайлануға құқық",
     "Paraphrase: citizens may seek political or public office, individually or as "
     "representatives of political parties or organisations, without discrimination.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 7.6", "Political parties compete on equal terms",
     "Равные условия для политических партий", "Саяси партиялар үшін тең жағдай",
     "Paraphrase: individuals and groups may establish political parties or organisations in "
     "full freedom, and these have the legal guarantees to compete with each other on the "
     "basis of equal treatment before the law and the authorities.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.7", "A campaign free of intimidation",
     "Агитация без запугивания", "Қорқытусыз үгіт",
     "Paraphrase: law and public policy allow campaigning in a fair and free atmosphere, in "
     "which neither administrative action, violence nor intimidation bars parties and "
     "candidates from presenting their views, or prevents voters from learning and discussing "
     "them and voting free of fear of retribution.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.8", "Unimpeded access to the media",
     "Беспрепятственный доступ к СМИ", "БАҚ-қа кедергісіз қол жеткізу",
     "Paraphrase: no legal or administrative obstacle stands in the way of unimpeded access "
     "to the media on a non-discriminatory basis for all political groupings and individuals "
     "wishing to take part in the election.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.9", "Winners duly installed",
     "Избранные кандидаты вступают в должность", "Сайланған кандидаттар қызметке кіріседі",
     "Paraphrase: candidates who obtain the necessary number of votes required by law are "
     "duly installed in office and permitted to remain in office until their term expires.",
     False, COPENHAGEN_URL),
    (COPENHAGEN, "para 8", "Observers, foreign and domestic",
     "Иностранные и национальные наблюдатели", "Шетелдік және отандық байқаушылар",
     "Paraphrase: the presence of observers, both foreign and domestic, can enhance the "
     "electoral process; the participating States invite observers from other participating "
     "States and from appropriate institutions and organisations, and facilitate access "
     "to election proceedings below the national level.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 9.1", "Freedom of expression",
     "Свобода выражения мнений", "Пікір білдіру бостандығы",
     "Paraphrase: everyone has the right to freedom of expression, including to hold opinions "
     "and to receive and impart information and ideas without interference by public "
     "authority and regardless of frontiers.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 9.2", "Freedom of peaceful assembly",
     "Свобода мирных собраний", "Бейбіт жиналыстар бостандығы",
     "Paraphrase: everyone has the right of peaceful assembly and demonstration; any "
     "restriction is prescribed by law and consistent with international standards.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 9.3", "Freedom of association",
     "Свобода объединений", "Бірлестіктер бостандығы",
     "Paraphrase: the right of association is guaranteed, including the right to form and "
     "join political parties.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 10.1", "Seeking and imparting information on human rights",
     "Поиск и распространение информации о правах человека",
     "Адам құқықтары туралы ақпаратты іздеу және тарату",
     "Paraphrase: the right of individuals, alone or with others, to seek, receive and impart "
     "information and views on human rights and fundamental freedoms is respected.", False,
     COPENHAGEN_URL),
    (ICCPR, "art. 25", "The right to take part in public affairs, to vote and to be elected",
     "Право участвовать в ведении государственных дел, голосовать и быть избранным",
     "Мемлекеттік істерді жүргізуге қатысу, дауыс беру және сайлану құқығы",
     "Every citizen shall have the right and the opportunity, without any of the distinctions "
     "mentioned in article 2 and without unreasonable restrictions:\n"
     "(a) To take part in the conduct of public affairs, directly or through freely chosen "
     "representatives;\n"
     "(b) To vote and to be elected at genuine periodic elections which shall be by universal "
     "and equal suffrage and shall be held by secret ballot, guaranteeing the free expression "
     "of the will of the electors;\n"
     "(c) To have access, on general terms of equality, to public service in his country.",
     True, ICCPR_URL),
    (GC25, "para 19", "Free expression of the electors' will",
     "Свободное волеизъявление избирателей", "Сайлаушылардың еркін ерік білдіруі",
     "Paraphrase: voters form their opinions independently, free of violence, threat, "
     "inducement or manipulation of any kind; reasonable limits on campaign spending may be "
     "justified to keep the choice free.", False, GC25_URL),
    (GC25, "para 20", "An independent electoral authority and secret ballot",
     "Независимый избирательный орган и тайна голосования",
     "Тәуелсіз сайлау органы және дауыс беру құпиясы",
     "Paraphrase: an independent electoral authority supervises the process and ensures it is "
     "conducted fairly and impartially under the law; the secrecy of the vote, the security "
     "of ballot boxes and an independent scrutiny of voting and counting are guaranteed, with "
     "access to judicial review.", False, GC25_URL),
    (GC25, "para 25", "Free communication of information and ideas",
     "Свободный обмен информацией и идеями", "Ақпарат пен идеялардың еркін алмасуы",
     "Paraphrase: the full enjoyment of the rights of article 25 requires the free "
     "communication of information and ideas on public and political issues between citizens, "
     "candidates and elected representatives, and a free press and other media able to "
     "comment without censorship or restraint.", False, GC25_URL),
]

SYNTHETIC = "Synthetic demo assessment:"
REPORT_2021 = ("ODIHR Limited Election Observation Mission Final Report, Republic of "
               "Kazakhstan, Parliamentary Elections, 10 January 2021")
# (number, priority, text, status, evidence); every text synthetic (see the module's docstring).
RECOMMENDATIONS = [
    (1, "priority", "Review the law and its application so that citizens can exercise their "
     "civil and political rights without fear of retribution, punitive administrative action "
     "or intimidation.", AssessmentStatus.NOT_IMPLEMENTED,
     "LTO reports from several regions describe voters and activists reluctant to speak "
     "openly; no change in the law was made."),
    (2, "priority", "Simplify the registration of political parties, lowering the membership "
     "requirement and the regional representation it demands, to encourage pluralism.",
     AssessmentStatus.PARTLY, "The membership threshold was lowered to 5,000 in 2022; new parties still "
     "report refusals on formal grounds."),
    (3, "priority", "Consult widely and in good time on lifting undue restrictions on the "
     "freedoms of peaceful assembly, expression and association.", AssessmentStatus.PARTLY,
     "Notification replaced permission for some assemblies; designated places remain."),
    (4, "priority", "Apply the rules on citizen observers without restriction, and let them "
     "observe every stage of the process, including counting and tabulation.", AssessmentStatus.PARTLY,
     "Citizen observers were present at most counts observed; several reports of observers "
     "kept at a distance from the count."),
    (5, "priority", "Bring the law on freedom of expression, including defamation and "
     "incitement to hatred, into line with international standards.",
     AssessmentStatus.NOT_IMPLEMENTED, "Criminal defamation remains in the Criminal Code."),
    (6, None, "Remove the requirement that a candidate be nominated by a party, allowing "
     "independent candidates.", AssessmentStatus.IMPLEMENTED,
     "The 2022 constitutional amendments introduced single-member districts open to "
     "self-nominated candidates."),
    (7, None, "Lift the restriction of candidacy for those with a criminal record for minor "
     "offences, and the residence requirement.", AssessmentStatus.NOT_ASSESSED, ""),
    (8, None, "Ensure that complaints are heard in public sessions, decided in substance and "
     "within the deadlines, with reasoned decisions published.", AssessmentStatus.PARTLY,
     "Commissions decided most complaints on time; many were returned without consideration "
     "of their substance."),
    (9, None, "Publish the results of every polling station, in a machine-readable form, "
     "promptly after the count.", AssessmentStatus.PARTLY,
     "LTO teams found results posted at the precinct commissions they visited; the "
     "national table came later than the law's deadline for summing up."),
    (10, None, "Give the media that are state-owned or state-funded the duty to cover all "
     "contestants impartially and equally.", AssessmentStatus.NOT_IMPLEMENTED,
     "Media monitoring found state broadcasters favouring the ruling party."),
    (11, None, "Make election commissions more independent, with transparent appointment and "
     "representation of parties at all levels.", AssessmentStatus.NOT_ASSESSED, ""),
    (12, None, "Elect the nine deputies of the lower house chosen by the Assembly of the "
     "People of Kazakhstan in a transparent procedure, with its results published.",
     AssessmentStatus.NO_LONGER_RELEVANT,
     "The 2022 constitutional amendments removed these seats from the lower house."),
]

# (commitment reference, kind, what): evidence tagged with a commitment.
LTO_TAGS = [("para 7.7", Heading.CAMPAIGN_ENVIRONMENT), ("para 7.8", Heading.MEDIA),
            ("para 7.4", Heading.ELECTION_ADMINISTRATION), ("para 8", Heading.OBSERVERS),
            ("para 5.10", Heading.COMPLAINTS), ("para 7.5", Heading.CANDIDATE_REGISTRATION)]
INDICATOR_TAGS = [("para 7.4", "voting", "ballot_stuffing"),
                  ("para 7.4", "counting", "counting_negative"),
                  ("para 8", "voting", "voting_unauthorised")]


def load_standards(mission: Mission, actor) -> dict[str, int]:
    """Commitments, recommendations, assessments and tags for the demo mission; returns how
    many of each. Run after the LTO reports, complaints, meetings and checklists are loaded."""
    entries: list[tuple[str, object, dict]] = []
    commitments = Commitment.objects.bulk_create([
        Commitment(mission=mission, source=source, reference=reference, title=title,
                   title_ru=title_ru, title_kk=title_kk, text=text, quoted=quoted,
                   source_url=url)
        for source, reference, title, title_ru, title_kk, text, quoted, url in COMMITMENTS])
    by_reference = {c.reference: c for c in commitments if c.source != GC25}
    entries += [("create", c, audit.diff({}, audit.snapshot(c))) for c in commitments]
    recommendations = Recommendation.objects.bulk_create([
        Recommendation(mission=mission, report_name=REPORT_2021, report_year=2021,
                       number=number, text=text, priority=priority or "", synthetic=True)
        for number, priority, text, _status, _evidence in RECOMMENDATIONS])
    entries += [("create", r, audit.diff({}, audit.snapshot(r))) for r in recommendations]
    assessments = Assessment.objects.bulk_create([
        Assessment(recommendation=r, status=status, evidence=f"{SYNTHETIC} {evidence}",
                   synthetic=True)
        for r, (_n, _p, _t, status, evidence) in zip(recommendations, RECOMMENDATIONS,
                                                      strict=True)
        if status != AssessmentStatus.NOT_ASSESSED])
    entries += [("create", a, audit.diff({}, audit.snapshot(a))) for a in assessments]
    tags = _tags(mission, actor, by_reference, {r.number: r for r in recommendations})
    entries += [("create", t, audit.diff({}, audit.snapshot(t))) for t in tags]
    audit.record_many(actor=None, channel=Channel.DEMO, entries=entries, mission=mission)
    return {"commitments": len(commitments), "recommendations": len(recommendations),
            "assessments": len(assessments), "evidence_tags": len(tags)}


def _tags(mission: Mission, actor, commitments: dict, recommendations: dict) -> list[Tag]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    made: list[Tag] = []

    def add(target, kind, note, **fields):
        key = "commitment" if isinstance(target, Commitment) else "recommendation"
        made.append(Tag(mission=mission, kind=kind, note=note, created_by=user,
                        **{key: target}, **fields))

    submitted = Report.objects.filter(mission=mission).exclude(status=ReportStatus.DRAFT)
    for reference, heading in LTO_TAGS:
        sections = Section.objects.filter(report__in=submitted, heading=heading).order_by(
            "report__period__number", "report__team__code")[:3]
        for section in sections:
            add(commitments[reference], EvidenceKind.LTO_SECTION,
                "Synthetic demo tag.", report_id=section.report_id, heading=heading)
    cases = list(Case.objects.filter(mission=mission).order_by("filed", "pk")[:4])
    for case in cases:
        add(commitments["para 5.10"], EvidenceKind.COMPLAINT, "Synthetic demo tag.", case=case)
    if cases:
        add(recommendations[8], EvidenceKind.COMPLAINT, "Synthetic demo tag.", case=cases[0])
    meetings = list(Meeting.objects.filter(mission=mission, confidential=False).order_by(
        "date", "pk")[:3])
    for meeting, reference in zip(meetings, ["para 7.6", "para 8", "para 9.2"], strict=False):
        add(commitments[reference], EvidenceKind.MEETING, "Synthetic demo tag.",
            meeting=meeting)
    if meetings:
        add(recommendations[2], EvidenceKind.MEETING, "Synthetic demo tag.",
            meeting=meetings[0])
    forms = set(Form.objects.filter(mission=mission).values_list("form_id", flat=True))
    for reference, form_id, name in INDICATOR_TAGS:
        if form_id in forms:
            add(commitments[reference], EvidenceKind.INDICATOR, "Synthetic demo tag.",
                form_id=form_id, indicator=name)
    return Tag.objects.bulk_create(made)
