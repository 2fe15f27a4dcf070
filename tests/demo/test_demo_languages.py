"""The demo mission's data in three languages, each translation marked official or ours."""

import json

from django.utils import translation

from eom.demo import kz2023
from eom.missions.models import Contest, Election, KeyDate


def test_demo_mission_elections_contests_and_key_dates_carry_russian_and_kazakh(db):
    loader = kz2023.DemoLoader()
    mission = loader.mission()
    loader.elections(mission)

    mazhilis = Election.objects.get(name="Early election of deputies of the Mazhilis")
    assert mazhilis.name_ru == "Внеочередные выборы депутатов Мажилиса Парламента Республики Казахстан"
    assert mazhilis.name_kk == "Қазақстан Республикасы Парламенті Мәжілісі депутаттарының кезектен тыс сайлауы"
    statement = KeyDate.objects.get(event="Statement of preliminary findings and conclusions")
    assert statement.event_ru == "Заявление о предварительных результатах и выводах"
    for record, field in [*((e, "name") for e in Election.objects.all()),
                          *((c, "name") for c in Contest.objects.all()),
                          *((k, "event") for k in KeyDate.objects.all()), (mission, "name"),
                          (mission, "note"), (mission, "host_organisation")]:
        assert getattr(record, f"{field}_ru") and getattr(record, f"{field}_kk"), (record, field)
    with translation.override("kk"):
        assert str(mission) == ("ЕҚЫҰ ДИАҚБ сайлауды бақылау жөніндегі миссиясы, Қазақстан "
                                "Республикасы, 2023 жылғы кезектен тыс парламенттік сайлау")
    assert mission.note_ru.startswith("Основная группа из 11 человек, 32 долгосрочных")


def test_demo_translations_say_whether_they_are_official_or_ours():
    facts = json.loads((kz2023.DATA / "mission.json").read_text(encoding="utf-8"))
    records = [facts["mission"], *facts["key_dates"]]
    for election in facts["elections"]:
        records += [election, *election["contests"]]
    assert len(records) == 16
    for record in records:
        marks = record["translation"]
        assert set(marks) == {"ru", "kk"}, record
        assert all(m == "ours" or m.startswith(("official:", "ours, ")) for m in marks.values())
    official = [r["name"] if "name" in r else r["event"] for r in records
                if any(m.startswith("official:") for m in r["translation"].values())]
    assert official == ["Statement of preliminary findings and conclusions",
                        "Early election of deputies of the Mazhilis"]
