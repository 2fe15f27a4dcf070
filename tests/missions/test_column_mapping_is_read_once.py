"""A column mapping (`ours=theirs`) is read by one function, `eom.tables.parse_mapping`, whether it
comes from a command's --map, an import page's text box or `eom forensics --map`; each names the
item that is not a pair in its own words."""

import pytest
from django.core.management.base import CommandError

from eom.complaints.forms import ImportForm as ComplaintsImportForm
from eom.missions.commands import parse_mapping as command_mapping
from eom.stats.columns import parse_mapping as stats_mapping
from eom.tables import MappingError, parse_mapping


def test_pairs_are_split_on_commas_and_lines_and_blank_items_skipped():
    assert parse_mapping(["code=Код, name_ru=Название\n\nparent_code = Родитель", ""]) == {
        "code": "Код", "name_ru": "Название", "parent_code": "Родитель"}


def test_the_first_item_that_is_not_a_pair_is_named():
    with pytest.raises(MappingError) as error:
        parse_mapping(["code=Код,name_ru", "x=y"])
    assert error.value.pair == "name_ru"
    with pytest.raises(MappingError):
        parse_mapping(["=Код"])


def test_a_command_words_the_bad_pair_as_a_command_error():
    assert command_mapping(["code=Код,name_ru=Название"]) == {"code": "Код", "name_ru": "Название"}
    with pytest.raises(CommandError, match='--map: "name_ru" is not column=header'):
        command_mapping(["code=Код,name_ru"])


def test_the_statistics_commands_keep_a_comma_inside_a_header():
    assert stats_mapping(["n_issued=early, on the day"]) == {"n_issued": "early, on the day"}
    with pytest.raises(ValueError, match="--map 'n_registered': write FIELD=HEADER"):
        stats_mapping(["n_registered"])


def test_an_import_page_names_the_bad_pair_under_the_field():
    form = ComplaintsImportForm(data={"mapping": "filed=Дата подачи\ndecided"})
    assert not form.is_valid()
    assert form.errors["mapping"] == ["“decided” is not column=header."]
