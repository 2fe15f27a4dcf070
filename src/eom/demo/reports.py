"""The demo's draft statement of preliminary findings and conclusions (`preliminary-statement`):
its election-day sections quote the checklists' indicators, its results section the seat table,
its complaints and media sections the register's and the monitoring's figures. The text is
written for the demo (marked synthetic); the figures are the demo's, computed live."""

from __future__ import annotations

from eom.missions.models import Channel, Mission
from eom.publications import services
from eom.publications.models import Kind, Report, Review, Translation

NAME = "preliminary-statement"

TEXTS = {
    "executive_summary": (
        "The 19 March early parliamentary elections were technically well administered, but "
        "limits on fundamental freedoms and on candidate eligibility narrowed the choice "
        "offered to voters. Election day was calm; the mission's observers assessed voting "
        "negatively in a small share of the polling stations they visited (figures in the "
        "election-day sections below).",
        "Досрочные парламентские выборы 19 марта были технически хорошо организованы, однако "
        "ограничения основных свобод и права баллотироваться сузили выбор избирателей. День "
        "голосования прошёл спокойно; наблюдатели миссии оценили голосование негативно на "
        "небольшой доле посещённых участков (данные — в разделах о дне выборов ниже).",
        "19 наурыздағы кезектен тыс парламент сайлауы техникалық тұрғыдан жақсы ұйымдастырылды, "
        "бірақ негізгі бостандықтар мен кандидат болу құқығына қойылған шектеулер сайлаушылардың "
        "таңдауын тарылтты. Сайлау күні тыныш өтті; миссия байқаушылары барған учаскелердің аз "
        "бөлігінде дауыс беруге теріс баға берді (сандар төмендегі сайлау күні бөлімдерінде).",
    ),
    "complaints": (
        "The register of complaints and appeals shows how commissions and courts handled "
        "disputes: [[figure:complaints:within_deadline]].",
        "Реестр жалоб и апелляций показывает, как комиссии и суды рассматривали споры: "
        "[[figure:complaints:within_deadline]].",
        "Шағымдар мен апелляциялар тізілімі комиссиялар мен соттардың дауларды қалай "
        "қарағанын көрсетеді: [[figure:complaints:within_deadline]].",
    ),
    "media": (
        "The mission's media monitoring found that broadcast coverage concentrated on few "
        "contestants: [[figure:media:time]].",
        "Мониторинг СМИ, проведённый миссией, показал, что эфирное освещение было "
        "сосредоточено на немногих участниках: [[figure:media:time]].",
        "",
    ),
    "opening": (
        "Opening was assessed negatively: [[figure:indicator:opening.opening_negative]]. "
        "Polling stations opened late: [[figure:indicator:opening.opening_late]].",
        "Открытие оценено негативно: [[figure:indicator:opening.opening_negative]]. "
        "Участки открылись с опозданием: [[figure:indicator:opening.opening_late]].",
        "Ашылу теріс бағаланды: [[figure:indicator:opening.opening_negative]]. "
        "Учаскелер кешігіп ашылды: [[figure:indicator:opening.opening_late]].",
    ),
    "voting": (
        "Voting was orderly in most polling stations observed. "
        "[[figure:indicator:voting.voting_negative]].\n\n"
        "Indications of ballot stuffing: [[figure:indicator:voting.ballot_stuffing]].",
        "В большинстве посещённых участков голосование проходило организованно. "
        "[[figure:indicator:voting.voting_negative]].\n\n"
        "Признаки вброса бюллетеней: [[figure:indicator:voting.ballot_stuffing]].",
        "Байқалған учаскелердің көбінде дауыс беру ретті өтті. "
        "[[figure:indicator:voting.voting_negative]].\n\n"
        "Бюллетеньдерді заңсыз салу белгілері: [[figure:indicator:voting.ballot_stuffing]].",
    ),
    "counting": (
        "Counting was assessed negatively: "
        "[[figure:indicator:counting.counting_negative]].",
        "Подсчёт голосов оценён негативно: "
        "[[figure:indicator:counting.counting_negative]].",
        "",
    ),
    "tabulation": (
        "[[figure:indicator:tabulation.tabulation_negative]].",
        "",
        "",
    ),
    "results": (
        "The mission recomputed the allocation of the 69 party-list seats of the Mazhilis from "
        "the official protocols under the law: [[figure:seats]]. The mission's quick count of "
        "the sampled polling stations: [[figure:quickcount:quick-count.amanat]]; "
        "[[figure:quickcount:quick-count.turnout]]. Forensic checks of the official protocols: "
        "[[figure:forensics:flags]].",
        "Миссия пересчитала распределение 69 мандатов по партийным спискам Мажилиса по "
        "официальным протоколам согласно закону: [[figure:seats]]. Параллельный подсчёт: "
        "[[figure:quickcount:quick-count.amanat]]; [[figure:quickcount:quick-count.turnout]]. "
        "Статистические проверки официальных протоколов: [[figure:forensics:flags]].",
        "Миссия Мәжілістің партиялық тізім бойынша 69 мандатын ресми хаттамалар негізінде заңға "
        "сәйкес қайта есептеді: [[figure:seats]]. Параллель санау: "
        "[[figure:quickcount:quick-count.amanat]]; [[figure:quickcount:quick-count.turnout]]. "
        "Ресми хаттамалардың статистикалық тексерістері: [[figure:forensics:flags]].",
    ),
}


def load_preliminary_statement(mission: Mission, actor) -> Report:
    """The draft `preliminary-statement`, once."""
    found = Report.objects.filter(mission=mission, name=NAME).first()
    if found is not None:
        return found
    report = services.create_report(
        actor=actor, channel=Channel.DEMO, mission=mission, name=NAME, kind=Kind.PRELIMINARY,
        title="Republic of Kazakhstan, Early Parliamentary Elections, 19 March 2023: "
              "Statement of Preliminary Findings and Conclusions",
        title_ru="Республика Казахстан, внеочередные парламентские выборы, 19 марта 2023 года: "
                 "заявление о предварительных выводах и заключениях",
        title_kk="Қазақстан Республикасы, кезектен тыс парламент сайлауы, 2023 жылғы 19 наурыз: "
                 "алдын ала тұжырымдар мен қорытындылар туралы мәлімдеме",
        synthetic=True)
    for section in report.sections.all():
        if section.heading not in TEXTS:
            continue
        english, russian, kazakh = TEXTS[section.heading]
        services.save_section(
            actor=actor, channel=Channel.DEMO, section=section, text=english, text_ru=russian,
            text_kk=kazakh,
            translation_ru=Translation.DONE if russian else Translation.MISSING,
            translation_kk=Translation.DONE if kazakh else Translation.MISSING,
            review=Review.IN_REVIEW if section.heading == "executive_summary"
            else Review.DRAFTING)
    return report
