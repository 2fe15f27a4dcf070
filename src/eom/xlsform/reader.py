"""Read an XLSForm workbook into eom's form definition: sections, questions, QA rules.

A mission keeps each checklist as an XLSForm workbook (.xlsx). `read_xlsform()` reads it
twice: through pyxform, for everything XLSForm itself requires (names, labels, groups,
choice lists), and cell by cell with openpyxl, for eom's own rules and extra columns:

- survey column `key` (yes = a key answer, compared between teams at one station);
- survey column `reconcile` (yes = a fact of one moment, such as a protocol figure: teams
  that report it differently at one station are a conflict the mission resolves);
- settings columns `form_id` (default: the file name, as pyxform takes it; spaces as "_"), `version` (default:
  none; the loader gives the upload time), `stage` (opening, voting, counting, tabulation,
  incident; none: a general form of the mission), `form_title` (with `form_title::Russian (ru)` … for the title in other languages,
  declared as labels are; pyxform is given the workbook without them) and `order` (a whole
  number from 1 to 9999: the checklist's place in the observer's list; without it, its stage's
  place in the day);
- an optional `qa` sheet (`name`, `expression`, `severity`, `message::<language>`): a
  rule whose expression is true raises a QA flag on the submission;
- an optional `indicators` sheet (`name`, `label::<language>`, `expression`, optional
  `base`): the figures the mission quotes, each the share of reports where `expression` is
  true among those in the base (where `base` is true; without one, the reports that answered
  a question the expression reads); at most `MAX_INDICATORS` rows;
- every XLSForm question type (`QUESTION_TYPES`; pyxform's other spellings too, and `osm LIST`
  as a file), `or_other`, `select_*_from_file` with the CSV given in `media`, `calculation`,
  `choice_filter` (bare names are the choice list's columns, `label::English` a choice's label),
  `read_only`, `parameters`; `pulldata('file', …)` with file.csv given in `media` (the rows,
  with the columns it names, go in `data`);
- pyxform's loops (`begin loop over LIST` … `end loop`): a group asking its questions once per
  choice, named `<loop>.<choice>.<question>` (`expand_loops`);
- repeats (`begin repeat` … `end repeat`, with `repeat_count` a number or an expression, nested
  repeats, groups inside): a repeat is a question of type `repeat` whose `children` are the
  questions asked once per instance (a group inside a repeat adds its `relevant` to each of its
  questions); its answer is a list of instances, each a dict of the children's answers;
- every `relevant`, `constraint`, `required`, `calculation`, `choice_filter`, QA and indicator
  expression must parse with
  `eom.xlsform.expressions` and may only name questions of the form and what is known of the
  place and the team the report is for (`PLACE_NAMES`: `${location.n_registered}`,
  `${location.level}`, `${location.kind}`, `${location.code}`, `${team.code}`,
  `${team.kind}`).

Every problem found is collected, each naming its sheet, row and column, and all are
raised together as one `XLSFormError`. No Django import: the reader is usable on its own. Its
messages are English `wording.Message`s, which the pages show in the reader's language.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

import openpyxl
import xlrd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from openpyxl.utils.exceptions import InvalidFileException
from pyxform.errors import PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from eom.filelimits import FORM_LIMITS, MB, FileLimits, check_zip
from eom.xlsform import expressions
from eom.xlsform.wording import Message, gettext_noop, translated

STAGES = ("opening", "voting", "counting", "tabulation", "incident")
SEVERITIES = ("low", "medium", "high")
QUESTION_TYPES = (
    "integer", "decimal", "select_one", "select_multiple", "text", "date", "time",
    "datetime", "note", "geopoint", "image",
    # XLSForm's other types, as ODK Collect and Kobo read them
    "calculate", "acknowledge", "range", "rank", "file", "audio", "video", "barcode",
    "geotrace", "geoshape", "hidden", "audit", "background-audio",
    # metadata the phone records itself
    "start", "end", "today", "deviceid", "simserial", "subscriberid", "phonenumber",
    "username", "email", "start-geopoint", "background-geopoint",
    # attachments named in the settings (no answer)
    "xml-external", "csv-external",
)
# How each type's answer is stored (the value type of eom.observation.answers).
VALUE_TYPES = {
    "calculate": "calculate", "acknowledge": "acknowledge", "range": "range", "rank": "rank",
    "file": "file", "audio": "file", "video": "file", "image": "image", "audit": "file",
    "background-audio": "file", "barcode": "text", "hidden": "text",
    "geotrace": "geotrace", "geoshape": "geotrace",
    "start": "datetime", "end": "datetime", "today": "date", "deviceid": "text",
    "simserial": "text", "subscriberid": "text", "phonenumber": "text", "username": "text",
    "email": "text", "start-geopoint": "geopoint", "background-geopoint": "geopoint",
    "xml-external": "note", "csv-external": "note",
}
METADATA_TYPES = frozenset({
    "start", "end", "today", "deviceid", "simserial", "subscriberid", "phonenumber", "username",
    "email", "audit", "start-geopoint", "background-geopoint", "background-audio",
})
FILE_TYPES = frozenset({"image", "file", "audio", "video", "audit", "background-audio"})
"""Types whose answer is a file sent with the report."""
LOCATION_NAMES = frozenset(
    {"location.n_registered", "location.level", "location.kind", "location.code"}
)
"""The place a report is about, as every expression of the form may read it."""
TEAM_NAMES = frozenset({"team.code", "team.kind"})
"""The team the report is sent for (the sender's team deployed at the place)."""
PLACE_NAMES = LOCATION_NAMES | TEAM_NAMES
PLACES_FILE = "eom_places"  # every place of the mission, by code
TEAM_FILE = "eom_team"  # the sender's team at each place
PLACE_FILES = {PLACES_FILE: ("code", "level", "kind", "n_registered"),
               TEAM_FILE: ("location", "code", "kind")}
"""The files ODK Collect reads the place and team from, with their columns."""
# The question that holds each name of the place or team, e.g. location.kind -> eom_location_kind
PLACE_QUESTIONS = {name: "eom_" + name.replace(".", "_") for name in sorted(PLACE_NAMES)}
EOM_NAMES = frozenset({"eom_start", "eom_location", *PLACE_FILES, *PLACE_QUESTIONS.values()})
"""The names eom gives its own questions and files in the XForm it serves to ODK Collect
(`eom.xlsform.xform`): a workbook may not use them."""
_PLACE_REFERENCE = re.compile(r"\$\{\s*((?:location|team)\.[A-Za-z_]+)\s*\}")
_TYPE_ALIASES = {
    "int": "integer", "string": "text", "photo": "image", "gps": "geopoint",
    "location": "geopoint", "date time": "datetime", "datetime": "datetime",
    "trigger": "acknowledge", "osm": "file", "imei": "deviceid", "device id": "deviceid",
    "sim id": "simserial", "subscriber id": "subscriberid", "phone number": "text",
    "start time": "start", "end time": "end", "uri:subscriberid": "subscriberid",
    "uri:phonenumber": "phonenumber", "uri:simserial": "simserial", "uri:deviceid": "deviceid",
    "uri:username": "username", "uri:email": "email",
}
_PYXFORM_BIND_TYPES = {  # pyxform's other spellings (QUESTION_TYPE_DICT), by what they bind
    "int": "integer", "decimal": "decimal", "date": "date", "dateTime": "datetime",
    "time": "time", "geopoint": "geopoint", "geotrace": "geotrace", "geoshape": "geoshape",
    "barcode": "barcode", "binary": "file",
}
_SELECT = re.compile(  # pyxform's spellings (aliases.select), the longest first
    r"^(select_one_from_file|select_multiple_from_file|select one from file|"
    r"select multiple from file|select_one_external|select one external|"
    r"add select one prompt using|add select multiple prompt using|select all that apply from|"
    r"select one from|select_one|select one|select1|select_multiple|select multiple|"
    r"select all that apply|rank)"
    r"(?:\s+(\S+))?(?:\s+(.*))?$",
    re.IGNORECASE,
)
_OR_OTHER_SPELLINGS = {"or_other", "or specify other", "or other"}
_OR_OTHER = "or_other"
OTHER = "other"  # the choice or_other adds, as pyxform names it
_BEGIN_GROUP = {"begin group", "begin_group"}
_END_GROUP = {"end group", "end_group"}
_BEGIN_REPEAT = {"begin repeat", "begin_repeat"}
_END_REPEAT = {"end repeat", "end_repeat"}
_BEGIN_LOOP = re.compile(r"begin[ _]loop over (\S+)", re.IGNORECASE)
_END_LOOP = {"end loop", "end_loop"}
_YES = {"yes", "true", "true()", "1"}
_NO = {"no", "false", "false()", "0"}
_LANGUAGE_CODES = {"english": "en", "russian": "ru", "kazakh": "kk"}
_COLUMN_ALIASES = {
    "relevance": "relevant",
    "caption": "label",
    "constraining_message": "constraint_message",
    "form_title": "title",
    "set_form_title": "title",
    "set_form_id": "form_id",
    "id_string": "form_id",
    "list name": "list_name",
    "listname": "list_name",
    "read-only": "read_only",
    "readonly": "read_only",
    "repeat count": "repeat_count",
    "choice filter": "choice_filter",
}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")
_BOUND = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+)$")
_SHEET_ORDER = ("", "settings", "survey", "choices", "qa", "indicators")
MAX_INDICATORS = 100  # rows of the indicators sheet
MAX_LABEL = 200  # characters of an indicator's label, in each language
MAX_ORDER = 9999
# What openpyxl raises on a damaged workbook.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, ParseError, InvalidFileException, KeyError,
               OSError, ValueError, NotImplementedError, xlrd.XLRDError,
               xlrd.compdoc.CompDocError, IndexError, AssertionError)
WORKBOOK_SUFFIXES = (".xlsx", ".xls")
"""The workbooks eom reads: Excel's format and its old one (.xls), as pyxform reads both."""
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the first bytes of an .xls file


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a workbook, where it is (row as Excel numbers it) and why.

    `message` is English; when it is a `wording.Message`, `translated(gettext)` gives the
    problem in the reader's language (the Forms page passes Django's gettext)."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        return self.translated(lambda text: text)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The problem, where it is and why, through `gettext`."""
        where = []
        if self.sheet:
            where.append(gettext("%(sheet)s sheet") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(gettext("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(gettext('column "%(column)s"') % {"column": self.column})
        message = translated(self.message, gettext)
        return f"{', '.join(where)}: {message}" if where else message


class XLSFormError(ValueError):
    """The workbook cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        heading = "the form has 1 problem" if count == 1 else f"the form has {count} problems"
        super().__init__("\n".join([heading + ":", *(f"- {p}" for p in self.problems)]))


@dataclass(slots=True)
class Choice:
    name: str
    label: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # other columns, for choice_filter


@dataclass(slots=True)
class Question:
    name: str
    type: str
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    required: bool | str = False
    required_json: dict[str, Any] | None = None
    required_message: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    relevant_json: dict[str, Any] | None = None
    constraint: str = ""
    constraint_json: dict[str, Any] | None = None
    constraint_message: dict[str, str] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)
    min: int | None = None
    max: int | None = None
    key: bool = False
    reconcile: bool = False
    appearance: str = ""
    default: str = ""
    sms_tag: str = ""
    calculation: str = ""
    calculation_json: dict[str, Any] | None = None
    choice_filter: str = ""
    choice_filter_json: dict[str, Any] | None = None
    read_only: bool = False
    parameters: str = ""
    choice_file: str = ""  # select_*_from_file: the attached file the choices come from
    # a repeat (type "repeat"): the questions of each instance, and how many instances
    children: list[Question] = field(default_factory=list)
    repeat_count: str = ""
    repeat_count_json: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        values = dict(data)
        values["choices"] = [Choice(**c) for c in data.get("choices", [])]
        values["children"] = [Question.from_dict(c) for c in data.get("children", [])]
        return cls(**values)

    def walk(self) -> Iterable[Question]:
        """This question, then (for a repeat) every question inside it, in form order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Section:
    """A group of the form; `relevant` already includes the enclosing groups' conditions."""

    name: str
    label: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    relevant_json: dict[str, Any] | None = None
    questions: list[Question] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        values = dict(data)
        values["questions"] = [Question.from_dict(q) for q in data.get("questions", [])]
        return cls(**values)


@dataclass(slots=True)
class QARule:
    """A data-quality rule: when `expression` is true, the submission is flagged."""

    name: str
    expression: str
    expression_json: dict[str, Any] | None
    severity: str
    message: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Indicator:
    """A figure the mission quotes: the reports where `expression` holds, among the reports of
    the base (where `base` holds; when `base` is empty, those that answered at least one
    question `expression` reads)."""

    name: str
    label: dict[str, str]
    expression: str
    expression_json: dict[str, Any] | None
    base: str = ""
    base_json: dict[str, Any] | None = None


@dataclass(slots=True)
class FormDefinition:
    """A checklist as eom stores it (`FormVersion.definition`): plain JSON via `to_dict()`."""

    form_id: str
    title: str
    version: str
    stage: str
    languages: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    qa: list[QARule] = field(default_factory=list)
    sms_prefix: str = ""
    sms_partial: bool = False
    sms_comment: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    order: int | None = None
    titles: dict[str, str] = field(default_factory=dict)  # {language: title}; title is English
    # What eom did where the workbook said nothing (form_id from the file name …), as messages.
    notes: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # files the form reads (choice lists)
    loops: list[str] = field(default_factory=list)  # pyxform's loops, read as groups
    # the rows pulldata() reads, by file (`fruits` for fruits.csv), with the columns it reads
    data: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # The notes as their templates and values ({"template", "params"}), for a page to translate.
    note_messages: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormDefinition:
        values = dict(data)
        values["sections"] = [Section.from_dict(s) for s in data.get("sections", [])]
        values["qa"] = [QARule(**r) for r in data.get("qa", [])]
        values["indicators"] = [Indicator(**i) for i in data.get("indicators", [])]
        return cls(**values)

    def questions(self) -> list[Question]:
        """Every question outside repeats (a repeat itself included), in the order of the form."""
        return [q for s in self.sections for q in s.questions]

    def all_questions(self) -> list[Question]:
        """Every question, those inside repeats too, in the order of the form."""
        return [each for q in self.questions() for each in q.walk()]

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions() if q.name == name), None)


def read_xlsform(
    source: str | Path | bytes | BinaryIO, filename: str = "form.xlsx",
    limits: FileLimits = FORM_LIMITS, media: Mapping[str, bytes] | None = None,
) -> FormDefinition:
    """Read an XLSForm workbook into a `FormDefinition`.

    `source` is a path, the file's bytes, or a binary file object; `filename` names bytes
    and file objects (its extension must be .xlsx). `limits` bound the file's size, its size
    unpacked and its rows per sheet (eom.filelimits; checked before openpyxl or pyxform open
    the workbook). `media` are the files attached to the form by name (the CSV of a
    `select_one_from_file`). Raises `XLSFormError` listing every problem found (sheet, row,
    column, reason); returns the definition otherwise. Settings the workbook leaves out are
    taken as pyxform and ODK take them, and said so in `notes`: form_id from the file name,
    no stage (a general form of the mission); without a version the definition's is ""
    (the loader gives it the upload time).
    """
    if isinstance(source, str | Path):
        path = Path(source)
        filename = path.name
        if path.stat().st_size > limits.max_file_bytes:
            raise XLSFormError([_too_large(filename, path.stat().st_size, limits)])
        data = path.read_bytes()
    elif isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        data = source.read(limits.max_file_bytes + 1)
    problems = _check_file(data, filename, limits)
    if problems:
        raise XLSFormError(problems)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if data[:8] == _OLE2:
                book: Any = _XlsBook(data)
            else:
                book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE as err:
        raise XLSFormError(
            [Problem("", None, None, gettext_noop('"%(file)s" is not an Excel workbook (%(error)s)',
                                              file=filename, error=str(err)))]
        ) from err
    try:
        with warnings.catch_warnings():  # a read-only workbook is read here, sheet by sheet
            warnings.simplefilter("ignore")
            reader = _Reader(book, limits.max_rows, filename, media or {})
    except _UNREADABLE as err:
        raise XLSFormError(
            [Problem("", None, None, gettext_noop('"%(file)s": a sheet cannot be read (%(error)s)',
                                              file=filename, error=str(err)))]
        ) from err
    finally:
        book.close()
    if reader.too_long:
        raise XLSFormError(reader.too_long)
    definition = reader.read()
    problems = reader.problems
    if reader.has_survey:
        problems += _unreported(_pyxform_problems(data, reader.names), problems)
    if problems:
        raise XLSFormError(sorted(problems, key=_problem_order))
    return definition


NOTE_NO_VERSION = gettext_noop("the settings give no version; the time of the upload is the "
                               "version, as ODK Central does")
NOTE_NO_STAGE = gettext_noop("the settings give no stage: a general form of the mission, not an "
                             "election-day checklist")


def note_message(note: str) -> dict[str, Any]:
    """A note (a `wording.Message` or plain text) as stored for a page to translate:
    {"template": English template, "params": its values}."""
    if isinstance(note, Message):
        return {"template": note.template, "params": {k: str(v) for k, v in note.params.items()}}
    return {"template": str(note), "params": {}}


def form_id_of_file(filename: str) -> str:
    """The form_id pyxform takes from a workbook's file name (`Rally form.xlsx` ->
    `Rally_form`): the name without its extension, characters other than letters, digits, "-"
    and "_" as "_", at most 64."""
    stem = Path(filename).stem or "form"
    return re.sub(r"[^-a-zA-Z0-9_]", "_", stem)[:64]


def _check_file(data: bytes, filename: str, limits: FileLimits) -> list[Problem]:
    problems = []
    if not data:
        problems.append(Problem("", None, None, gettext_noop('"%(file)s" is empty', file=filename)))
    if Path(filename).suffix.lower() not in WORKBOOK_SUFFIXES:
        problems.append(
            Problem(
                "", None, None,
                gettext_noop('"%(file)s" is not an .xlsx file; save the form as "Excel Workbook '
                             '(.xlsx)"', file=filename),
            )
        )
    if len(data) > limits.max_file_bytes:
        problems.append(_too_large(filename, len(data), limits))
    elif data and not problems and zipfile.is_zipfile(io.BytesIO(data)):
        zip_problem = check_zip(io.BytesIO(data), limits, workbook=True)
        if zip_problem is not None:
            problems.append(Problem("", None, None, gettext_noop(
                '"%(file)s" is refused: %(reason)s', file=filename, reason=zip_problem.message)))
    return problems


def _too_large(filename: str, size: int, limits: FileLimits) -> Problem:
    return Problem("", None, None, gettext_noop(
        '"%(file)s" is larger than %(limit)s MB; a form is far smaller', file=filename,
        limit=f"{limits.max_file_bytes // MB:,}"))


def _problem_order(problem: Problem) -> tuple[int, int]:
    sheet = _SHEET_ORDER.index(problem.sheet) if problem.sheet in _SHEET_ORDER else 99
    return (sheet, problem.row or 0)


# ---------------------------------------------------------------------------- pyxform

_PYXFORM_ROW = re.compile(r"^\[row : (\d+)\]\s*")
_PYXFORM_SHEET = re.compile(r"[Oo]n the '(\w+)' sheet")
_PYXFORM_ELEMENT = re.compile(r"element named '([^']+)'")
_PYXFORM_COLUMN = re.compile(r"the '([^']+)' (?:value|column)")


def _pyxform_problems(data: bytes, rows: dict[str, int]) -> list[Problem]:
    """What pyxform refuses in the workbook (it stops at the first error).

    `rows` gives the survey row of each name, for pyxform messages that name an element
    ("The survey element named 'x' …") instead of giving its row.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = with_place_lookups(pyxform_workbook(data), "''")
            convert(xlsform=dataclasses.asdict(workbook), form_name="data", warnings=[])
    except PyXFormError as err:
        return [_from_pyxform(err, rows)]
    except Exception as err:  # pyxform can fail on odd input with its own bugs
        return [Problem("survey", None, None, gettext_noop(
            "From pyxform, the XLSForm converter: it could not read the form (%(error)s)",
            error=repr(err)))]
    return []


def pyxform_workbook(data: bytes) -> Any:
    """The workbook as pyxform's reader gives it (a `DefinitionData`), without eom's translated
    titles (`form_title::Russian (ru)` …: an XForm has one title, and pyxform fails on a title
    per language). Raises what pyxform's reader raises on a file it cannot read."""
    file_type = ".xls" if bytes(data[:8]) == _OLE2 else ".xlsx"
    workbook = get_xlsform(xlsform=bytes(data), file_type=file_type)
    settings = [{k: v for k, v in row.items() if not _is_translated_title(k)}
                for row in workbook.settings or []]
    header = [{k: v for k, v in row.items() if not _is_translated_title(k)}
              for row in workbook.settings_header or []]
    return dataclasses.replace(workbook, settings=settings, settings_header=header)


def spelled(headers: list[str], column: str) -> str:
    """The workbook's own header for `column` (`bind: constraint`, as older forms write it), so
    that pyxform does not meet one column under two names; `column` when it has none."""
    spellings = {column, f"bind:{column}"}
    return next((h for h in headers if re.sub(r"\s+", "", h.lower()) in spellings), column)


def with_place_lookups(workbook: Any, key: str) -> Any:
    """The pyxform workbook as ODK Collect reads a form that names the place or the team: each
    `${location.…}` / `${team.…}` (in any cell: pyxform reads `${…}` in labels, hints and
    expressions alike) names a `calculate` question added at the end of the survey
    (`PLACE_QUESTIONS`), which looks the value up by the place code `key` (an expression) in
    the CSV files declared with them (`csv-external`, `PLACE_FILES`); unchanged for a form that
    names neither."""
    read: set[str] = set()

    def question(match: re.Match[str]) -> str:
        if match[1] not in PLACE_QUESTIONS:
            return match[0]  # refused by the reader; pyxform says so again
        read.add(match[1])
        return f"${{{PLACE_QUESTIONS[match[1]]}}}"

    survey = [{column: _PLACE_REFERENCE.sub(question, value) if isinstance(value, str)
               else value for column, value in row.items()} for row in workbook.survey or []]
    if not read:
        return workbook
    header = dict((workbook.survey_header or [{}])[0])
    calculation = spelled(list(header), "calculation")
    files = {"location": PLACES_FILE, "team": TEAM_FILE}
    added: list[dict[str, Any]] = [{"type": "csv-external", "name": file} for file in
                                   sorted({files[name.split(".", 1)[0]] for name in read})]
    for name in sorted(read):
        kind, attribute = name.split(".", 1)
        column = "code" if kind == "location" else "location"
        added.append({"type": "calculate", "name": PLACE_QUESTIONS[name], calculation:
                      f"instance('{files[kind]}')/root/item[{column}={key}]/{attribute}"})
    for column in ("type", "name", calculation):
        header.setdefault(column, None)
    return dataclasses.replace(workbook, survey=survey + added, survey_header=[header])


def _is_translated_title(header: Any) -> bool:
    name, sep, _language = _header(header).partition("::")
    return bool(sep) and name == "title"


def _pyxform_says(text: str) -> str:
    return gettext_noop("From pyxform, the XLSForm converter: %(message)s", message=text)


def _from_pyxform(err: PyXFormError, rows: dict[str, int]) -> Problem:
    """Turn pyxform's "[row : N] On the 'survey' sheet, the 'x' value…" into a Problem."""
    text = str(err)
    context = err.context or {}
    row = context.get("row")
    if match := _PYXFORM_ROW.match(text):
        row = int(match[1])
        text = text[match.end():]
    if text.startswith("List name not in choices sheet"):
        return Problem("survey", row, "type", _pyxform_says(text))
    if row is None and (match := _PYXFORM_ELEMENT.search(text)) and match[1] in rows:
        row = rows[match[1]]
        column = "label" if "no label" in text else None
        return Problem("survey", row, column, _pyxform_says(text))
    sheet = context.get("sheet")
    if not sheet and (match := _PYXFORM_SHEET.search(text)):
        sheet = match[1]
    if not sheet:
        lower = text.lower()
        sheet = next((s for s in ("choices", "settings") if f"{s} sheet" in lower), "survey")
    column = context.get("column")
    if not column and (match := _PYXFORM_COLUMN.search(text)):
        column = match[1]
    return Problem(str(sheet), int(row) if row is not None else None, column,
                   _pyxform_says(text))


def _unreported(theirs: list[Problem], ours: list[Problem]) -> list[Problem]:
    """pyxform's problems that are not on a sheet row eom has already reported."""
    return [
        p for p in theirs
        if not any(o.sheet == p.sheet and (p.row is None or o.row == p.row) for o in ours)
    ]


# ---------------------------------------------------------------------------- sheets

@dataclass(slots=True)
class _Sheet:
    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    written: dict[str, str] = field(default_factory=dict)  # header -> as the sheet spells it


class _XlsSheet:
    """One sheet of an .xls workbook, read as openpyxl's read-only sheets are."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.title = sheet.name

    def iter_rows(self, values_only: bool = True) -> Iterable[tuple[Any, ...]]:
        for index in range(self.sheet.nrows):
            yield tuple(_xls_value(cell) for cell in self.sheet.row(index))


class _XlsBook:
    """An .xls workbook (Excel 97–2003, as older XLSForms are saved) for `_Reader`."""

    def __init__(self, data: bytes) -> None:
        self.book = xlrd.open_workbook(file_contents=data, on_demand=True)
        self.worksheets = [_XlsSheet(self.book.sheet_by_index(i))
                           for i in range(self.book.nsheets)]

    def close(self) -> None:
        self.book.release_resources()


def _xls_value(cell: Any) -> Any:
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u00a0", " ").strip()


_ONE_COLON = {"label", "hint", "constraint_message", "required_message", "title", "form_title"}
"""Columns whose language older workbooks give after one colon (`label:English`)."""


def _header(value: Any) -> str:
    """`Label::Russian (ru)` (or `Label:Russian (ru)`) -> `label::Russian (ru)`; aliases to
    their XLSForm name."""
    text = " ".join(_cell_text(value).split())
    base, sep, language = text.partition("::")
    head, colon, tail = text.partition(":")
    if not sep and colon and head.strip().lower() in _ONE_COLON and tail.strip():
        base, sep, language = head, "::", tail  # `label:English`, as pyxform also reads it
    base = base.strip().lower()
    base = _COLUMN_ALIASES.get(base, base)
    return f"{base}::{language.strip()}" if sep else base


def _language(suffix: str) -> str:
    """`English (en)` -> `en`; `Russian` -> `ru`; anything else as written."""
    if match := re.search(r"\(([^()]+)\)\s*$", suffix):
        return match[1].strip()
    return _LANGUAGE_CODES.get(suffix.strip().lower(), suffix.strip())


class _TooLong(Exception):
    pass


def _read_sheet(worksheet: Any, max_rows: int) -> _Sheet:
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # read every row, whatever size the sheet declares
    rows = worksheet.iter_rows(values_only=True)
    first = list(next(rows, ()))
    headers = [_header(v) for v in first]
    data = []
    for number, values in enumerate(rows, start=2):
        if number > max_rows:
            raise _TooLong(Problem(worksheet.title, number, None,
                                   gettext_noop("the sheet has more than %(limit)s rows; a form "
                                                "has far fewer", limit=f"{max_rows:,}")))
        row = {
            headers[i]: text
            for i, value in enumerate(values)
            if i < len(headers) and headers[i] and (text := _cell_text(value))
        }
        if row:
            data.append((number, row))
    written = {h: " ".join(_cell_text(v).split()) for h, v in zip(headers, first, strict=True)
               if h}
    return _Sheet(worksheet.title, [h for h in headers if h], data, written)


def _texts(row: dict[str, str], base: str) -> dict[str, str]:
    """A translatable column as {language: text}; a column without language is English."""
    texts: dict[str, str] = {}
    for header, value in row.items():
        name, sep, suffix = header.partition("::")
        if name == base:
            texts.setdefault(_language(suffix) if sep else "en", value)
    return texts


def _languages(sheet: _Sheet | None, bases: set[str]) -> list[str]:
    if sheet is None:
        return []
    found = []
    for header in sheet.headers:
        name, sep, suffix = header.partition("::")
        if name in bases:
            found.append(_language(suffix) if sep else "en")
    return found


def _bounds(constraint: str) -> tuple[int | None, int | None]:
    """min and max of `. >= a and . <= b` (or one of the two); None where not that shape."""
    low = high = None
    parts = re.split(r"\s+and\s+", constraint.strip())
    if not constraint or len(parts) > 2:
        return None, None
    for part in parts:
        match = _BOUND.match(part.strip())
        if not match:
            return None, None
        if match[1] == ">=" and low is None:
            low = int(match[2])
        elif match[1] == "<=" and high is None:
            high = int(match[2])
        else:
            return None, None
    return low, high


# ---------------------------------------------------------------------------- reader

@dataclass(slots=True)
class _Group:
    name: str
    row: int
    repeat: bool
    relevant: list[str]  # this group's and the enclosing groups' conditions
    section: Section | None
    question: Question | None = None  # a repeat: its question, whose children are asked
    own: list[str] = field(default_factory=list)  # a group in a repeat: its own condition


@dataclass(slots=True)
class _Expression:
    """An expression to check once all the form's names are known."""

    sheet: str
    row: int
    column: str
    text: str
    allow_self: bool
    target: Any  # where the parsed form goes (`attribute`), None: only checked
    attribute: str
    columns: bool = False  # a choice_filter: bare names are the choices' columns


class _Reader:
    def __init__(self, book: Any, max_rows: int, filename: str = "form.xlsx",
                 media: Mapping[str, bytes] | None = None) -> None:
        self.filename = filename
        self.media = dict(media or {})
        self.media_used: list[str] = []
        self.or_other: set[str] = set()
        self.loops: list[str] = []
        # pulldata(): each file's rows, and the columns read (None: any, a name not quoted)
        self.pulled: dict[str, tuple[list[dict[str, str]], set[str] | None]] = {}
        self.notes: list[str] = []
        self.problems: list[Problem] = []
        self.too_long: list[Problem] = []
        sheets = {ws.title.strip().lower(): ws for ws in book.worksheets}
        try:
            self.sheets = {name: _read_sheet(ws, max_rows) for name, ws in sheets.items()}
        except _TooLong as refused:
            self.too_long = list(refused.args)
            self.sheets = {}
        self.has_survey = "survey" in self.sheets
        self.expressions: list[_Expression] = []
        self.names: dict[str, int] = {}  # question and group names -> first row
        self.section_conditions: dict[str, list[str]] = {}

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, message))

    def read(self) -> FormDefinition:
        form_id, titles, version, stage = self.read_settings()
        choices = self.read_choices()
        sections = self.read_survey(choices)
        qa = self.read_qa()
        indicators = self.read_indicators()
        questions = frozenset(each.name for s in sections for q in s.questions
                              for each in q.walk())
        for item in self.expressions:
            parsed = self.check_expression(item, questions)
            if item.target is not None:
                setattr(item.target, item.attribute, parsed)
        self.combine_relevance(sections)
        survey = self.sheets.get("survey")
        languages = _languages(survey, {"label", "hint"})
        languages += _languages(self.sheets.get("choices"), {"label"})
        languages += _languages(self.sheets.get("qa"), {"message"})
        languages += _languages(self.sheets.get("indicators"), {"label"})
        sms = self.read_sms_settings(questions)
        order = self.read_order()
        title = titles.get("en") or next(iter(titles.values()), "") or form_id
        return FormDefinition(
            form_id=form_id,
            title=title,
            titles=titles,
            version=version,
            stage=stage,
            languages=list(dict.fromkeys(languages)),
            sections=sections,
            qa=qa,
            indicators=indicators,
            order=order,
            notes=[str(note) for note in self.notes],
            note_messages=[note_message(note) for note in self.notes],
            media=list(dict.fromkeys(self.media_used)),
            loops=self.loops,
            data=self.pulled_rows(),
            **sms,
        )

    def read_order(self) -> int | None:
        """The settings column `order`: a whole number from 1 to 9999, or None when empty."""
        sheet = self.sheets.get("settings")
        row_number, row = sheet.rows[0] if sheet and sheet.rows else (None, {})
        text = str(row.get("order", "")).strip()
        if not text:
            return None
        if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_ORDER:
            self.problem("settings", row_number, "order",
                         gettext_noop('order "%(order)s" is not a whole number from 1 to '
                                      '%(limit)s', order=text, limit=MAX_ORDER))
            return None
        return int(text)

    def read_sms_settings(self, questions: frozenset[str]) -> dict[str, Any]:
        """The settings columns `sms_prefix` (letters), `sms_partial` (yes/no) and
        `sms_comment` (the text question an SMS's @comment fills)."""
        sheet = self.sheets.get("settings")
        row_number, row = sheet.rows[0] if sheet and sheet.rows else (None, {})
        prefix = row.get("sms_prefix", "").strip().upper()
        partial = row.get("sms_partial", "").strip().lower()
        comment = row.get("sms_comment", "").strip()
        if prefix and not prefix.isalpha():
            self.problem("settings", row_number, "sms_prefix",
                         gettext_noop('sms_prefix "%(prefix)s" must be letters only',
                                      prefix=prefix))
        if partial and partial not in _YES and partial not in _NO:
            self.problem("settings", row_number, "sms_partial",
                         gettext_noop('sms_partial "%(value)s" is not yes or no',
                                      value=partial))
        if comment and comment not in questions:
            self.problem("settings", row_number, "sms_comment",
                         gettext_noop('sms_comment names no question of the form: '
                                      '"%(name)s"', name=comment))
        return {"sms_prefix": prefix, "sms_partial": partial in _YES, "sms_comment": comment}

    # ---- settings

    def read_settings(self) -> tuple[str, dict[str, str], str, str]:
        """form_id, titles ({language: title}; a `form_title` column without language is
        English), version and stage of the settings sheet's first row."""
        sheet = self.sheets.get("settings")
        row_number, row = sheet.rows[0] if sheet and sheet.rows else (None, {})
        form_id = row.get("form_id", "")
        version = row.get("version", "")
        stage = row.get("stage", "")
        if not form_id:
            form_id = form_id_of_file(self.filename)
            self.notes.append(gettext_noop(
                'the settings give no form_id; it is "%(form_id)s", from the file name, as '
                "pyxform takes it", form_id=form_id))
        elif not _SLUG.match(form_id) and _SLUG.match(spaced := re.sub(r"\s+", "_", form_id.strip())):
            self.notes.append(gettext_noop(
                'form_id "%(given)s" has spaces; it is "%(form_id)s", with "_" for them, in web '
                "addresses and in the XForm ODK Collect gets", given=form_id, form_id=spaced))
            form_id = spaced
        elif not _SLUG.match(form_id):
            self.problem(
                "settings", row_number, "form_id",
                gettext_noop('form_id "%(form_id)s" may only have letters, digits, "-" and '
                             '"_" (at most 64)', form_id=form_id),
            )
        if not version:
            self.notes.append(NOTE_NO_VERSION)
        elif len(version) > 64:
            self.problem("settings", row_number, "version", gettext_noop("version is longer than 64"))
        if stage and stage not in STAGES:
            self.problem("settings", row_number, "stage",
                         gettext_noop('stage "%(stage)s" is unknown; use one of %(stages)s, or '
                                      "leave it empty for a general form", stage=stage,
                                      stages=", ".join(STAGES)))
        elif not stage:
            self.notes.append(NOTE_NO_STAGE)
        return form_id, _texts(row, "title"), version, stage

    # ---- choices

    def read_choices(self) -> dict[str, list[Choice]] | None:
        sheet = self.sheets.get("choices")
        if sheet is None:
            return None
        lists: dict[str, list[Choice]] = {}
        first_rows: dict[tuple[str, str], int] = {}
        spelled = sheet.written.get("list_name", "list_name")
        if spelled != "list_name":
            self.notes.append(gettext_noop(
                'the choices sheet calls its list column "%(column)s"; it is read as list_name, '
                "as pyxform reads it", column=spelled))
        settings = self.sheets.get("settings")
        duplicates = bool(settings and settings.rows and str(settings.rows[0][1].get(
            "allow_choice_duplicates", "")).strip().lower() in _YES)  # as pyxform allows
        for number, row in sheet.rows:
            list_name = row.get("list_name", "")
            name = row.get("name", "")
            if not list_name:
                self.problem("choices", number, "list_name", gettext_noop("the choice has no list_name"))
                continue
            if not name:
                self.problem("choices", number, "name", gettext_noop("the choice has no name"))
                continue
            first = first_rows.setdefault((list_name, name), number)
            if first != number and not duplicates:
                self.problem(
                    "choices", number, "name",
                    gettext_noop('choice "%(name)s" is already in list "%(list)s" (row %(row)s)',
                                 name=name, list=list_name, row=first),
                )
                continue
            columns = {k: v for k, v in row.items()
                       if k not in ("list_name", "name") and k.partition("::")[0] != "label"
                       and k.partition("::")[0] != "media"}
            lists.setdefault(list_name, []).append(Choice(name, _texts(row, "label"), columns))
        return lists

    def file_choices(self, number: int, filename: str, parameters: str) -> list[Choice]:
        """The choices of a select_*_from_file: the rows of the attached CSV (its `name` and
        `label` columns, or those the `parameters` cell names as value=… label=…)."""
        self.media_used.append(filename)
        data = self.media.get(filename)
        if data is None:
            self.problem("survey", number, "type", gettext_noop(
                'the choices come from "%(file)s"; attach that file to the form', file=filename))
            return []
        if not filename.lower().endswith((".csv", ".xml")):
            self.problem("survey", number, "type", gettext_noop(
                'eom reads choices from CSV and XML files; "%(file)s" is neither', file=filename))
            return []
        params = dict(part.partition("=")[::2] for part in parameters.replace(",", " ").split())
        value_column = params.get("value", "name").strip()
        label_column = params.get("label", "label").strip()
        if filename.lower().endswith(".xml"):
            found = _xml_choice_rows(data, filename, value_column)
            if isinstance(found, str):
                self.problem("survey", number, "type", found)
                return []
            rows = found
        else:
            try:
                rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
            except (UnicodeDecodeError, csv.Error) as err:
                self.problem("survey", number, "type", gettext_noop(
                    '"%(file)s" cannot be read as CSV (%(error)s)', file=filename,
                    error=str(err)))
                return []
        choices: list[Choice] = []
        seen: set[str] = set()
        for row in rows:
            name = (row.get(value_column) or "").strip()
            if not name or name in seen:
                continue
            seen.add(name)
            label = {"en": (row.get(label_column) or name).strip()}
            for header, text in row.items():
                if header and header.startswith(label_column + "::") and text:
                    label[_language(header.partition("::")[2])] = text.strip()
            columns = {k: (v or "").strip() for k, v in row.items()
                       if k and k not in (value_column, label_column) and "::" not in k}
            choices.append(Choice(name, label, columns))
        if not choices:
            self.problem("survey", number, "type", gettext_noop(
                '"%(file)s" has no choices (a "%(column)s" column with values)', file=filename,
                column=value_column))
        return choices

    # ---- survey

    def read_survey(self, choices: dict[str, list[Choice]] | None) -> list[Section]:
        sheet = self.sheets.get("survey")
        if sheet is None:
            self.problem("survey", None, None, gettext_noop('the workbook has no "survey" sheet'))
            return []
        if "type" not in sheet.headers or "name" not in sheet.headers:
            missing = [c for c in ("type", "name") if c not in sheet.headers]
            for column in missing:
                self.problem("survey", 1, column, gettext_noop(
                    'the survey sheet has no "%(column)s" column', column=column))
            return []
        top = Section(name="")
        sections = [top]
        stack: list[_Group] = []
        first_select_row = None
        for number, row in self.expand_loops(_without_comment_rows(sheet.rows), choices):
            kind = " ".join(row.get("type", "").split())
            lowered = kind.lower()
            name = row.get("name", "")
            if not kind:
                self.problem("survey", number, "type", gettext_noop("the row has no type"))
                continue
            if lowered in _BEGIN_GROUP or lowered in _BEGIN_REPEAT:
                repeat = lowered in _BEGIN_REPEAT
                in_repeat = any(g.repeat for g in stack)
                section = None
                question = None
                if repeat:
                    question = self.read_repeat(number, row)
                    if question is not None:
                        self.container(stack, top).append(question)
                elif name and not in_repeat:
                    section = Section(name=name, label=_texts(row, "label"))
                    sections.append(section)
                self.check_name(number, name)
                relevant = list(stack[-1].relevant) if stack else []
                own = []
                if row.get("relevant"):
                    relevant.append(row["relevant"])
                    if not repeat and in_repeat:
                        own.append(row["relevant"])
                    if not repeat:
                        # checked on its own row; the section keeps the AND of all conditions
                        self.expect(number, "relevant", row["relevant"], None, "")
                if section is not None:
                    self.section_conditions[name] = relevant
                stack.append(_Group(name, number, repeat, relevant, section, question, own))
                continue
            if lowered in _END_GROUP or lowered in _END_REPEAT:
                repeat = lowered in _END_REPEAT
                if not stack or stack[-1].repeat != repeat:
                    message = (gettext_noop('"end repeat" has no matching "begin" row') if repeat
                               else gettext_noop('"end group" has no matching "begin" row'))
                    self.problem("survey", number, "type", message)
                else:
                    stack.pop()
                continue
            conditions = self.repeat_group_conditions(stack)
            question = self.read_question(number, row, lowered, choices, conditions)
            if question is None:
                continue
            if question.type in ("select_one", "select_multiple", "rank") \
                    and not question.choice_file and first_select_row is None:
                first_select_row = number
            into = self.container(stack, top)
            into.append(question)
            if extra := self.specify_other(number, question):
                into.append(extra)
        for group in stack:
            if group.repeat:
                message = gettext_noop('repeat "%(name)s" has no "end repeat" row',
                                       name=group.name)
            else:
                message = gettext_noop('group "%(name)s" has no "end group" row', name=group.name)
            self.problem("survey", group.row, "type", message)
        if choices is None and first_select_row is not None:
            self.problem(
                "choices", None, None,
                gettext_noop('the workbook has no "choices" sheet; the select on survey row '
                             "%(row)s needs one", row=first_select_row),
            )
        return [s for s in sections if s.questions]

    def expand_loops(self, rows: list[tuple[int, dict[str, str]]],
                     choices: dict[str, list[Choice]] | None
                     ) -> list[tuple[int, dict[str, str]]]:
        """pyxform's loops: `begin loop over <list>` … `end loop` asks the questions between
        once per choice of the list (with "other" when a select of that list has or_other),
        each time in a group named after the choice inside the loop's group, as in the
        instance (`/data/<loop>/<choice>/<question>`). eom reads the loop as a group whose
        questions are named `<loop>.<choice>.<question>`, with the choice's label where a label
        or hint says `%(label)s`; the loop's name goes in `loops`."""
        with_other = set()
        for _number, row in rows:
            if (match := _SELECT.match(" ".join(row.get("type", "").split()))) and match[2] \
                    and " ".join((match[3] or "").lower().split()) in _OR_OTHER_SPELLINGS:
                with_other.add(match[2])
        expanded: list[tuple[int, dict[str, str]]] = []
        index = 0
        while index < len(rows):
            number, row = rows[index]
            kind = " ".join(row.get("type", "").split())
            index += 1
            if kind.lower() in _END_LOOP:
                self.problem("survey", number, "type",
                             gettext_noop('"end loop" has no matching "begin loop" row'))
                continue
            if not (match := _BEGIN_LOOP.fullmatch(kind)):
                expanded.append((number, row))
                continue
            body: list[tuple[int, dict[str, str]]] = []
            while index < len(rows) and \
                    " ".join(rows[index][1].get("type", "").split()).lower() not in _END_LOOP:
                body.append(rows[index])
                index += 1
            end = rows[index][0] if index < len(rows) else number
            index += 1
            loop, list_name = row.get("name", ""), match[1]
            if end == number:
                self.problem("survey", number, "type", gettext_noop(
                    'loop "%(name)s" has no "end loop" row', name=loop))
            inner = [n for n, r in body if " ".join(r.get("type", "").lower().replace(
                "_", " ").split()).startswith(("begin ", "end "))]
            if inner:
                self.problem("survey", inner[0], "type", gettext_noop(
                    "eom reads questions inside a loop, not groups, repeats or loops"))
                continue
            listed = list((choices or {}).get(list_name, []))
            if not listed:
                self.problem("survey", number, "type", gettext_noop(
                    'choice list "%(list)s" is not on the choices sheet', list=list_name))
                continue
            if list_name in with_other and not any(c.name == OTHER for c in listed):
                listed.append(Choice(OTHER, {"en": "Other"}))
            self.loops.append(loop)
            expanded.append((number, {**row, "type": "begin group"}))
            for choice in listed:
                for body_number, body_row in body:
                    copy = {**body_row, "name": f"{loop}.{choice.name}.{body_row.get('name', '')}"}
                    for header, text in body_row.items():
                        base, sep, suffix = header.partition("::")
                        if base in ("label", "hint") and "%(label)s" in text:
                            language = _language(suffix) if sep else "en"
                            label = choice.label.get(language) or next(
                                iter(choice.label.values()), choice.name)
                            copy[header] = text.replace("%(label)s", label)
                    expanded.append((body_number, copy))
            expanded.append((end, {"type": "end group"}))
        return expanded

    @staticmethod
    def container(stack: list[_Group], top: Section) -> list[Question]:
        """Where a question of this row goes: the innermost repeat's children, else the
        innermost named group's section, else the top section."""
        for group in reversed(stack):
            if group.question is not None:
                return group.question.children
            if group.section is not None and not any(g.repeat for g in stack):
                return group.section.questions
        return top.questions

    @staticmethod
    def repeat_group_conditions(stack: list[_Group]) -> list[str]:
        """The conditions of the groups inside the innermost repeat around a row (a repeat's
        questions are not in sections: each carries its groups' conditions)."""
        found: list[str] = []
        for group in reversed(stack):
            if group.repeat:
                break
            found[:0] = group.own
        return found

    def read_repeat(self, number: int, row: dict[str, str]) -> Question | None:
        """A `begin repeat` row: the repeat's question (its children are read after it)."""
        name = row.get("name", "")
        if not name:
            return None
        question = Question(name=name, type="repeat", label=_texts(row, "label"),
                            hint=_texts(row, "hint"), relevant=row.get("relevant", ""),
                            appearance=row.get("appearance", ""),
                            repeat_count=row.get("repeat_count", ""))
        if question.relevant:
            self.expect(number, "relevant", question.relevant, question, "relevant_json")
        if question.repeat_count:
            self.expect(number, "repeat_count", question.repeat_count, question,
                        "repeat_count_json")
        return question

    def read_question(
        self, number: int, row: dict[str, str], lowered: str,
        choices: dict[str, list[Choice]] | None, conditions: list[str] | None = None,
    ) -> Question | None:
        name = row.get("name", "")
        kind, list_name, extra = self.question_type(number, lowered,
                                                    " ".join(row["type"].split()))
        if kind == "note" and not name:  # named by its row, as pyxform does
            name = f"generated_note_name_{number}"
        self.check_name(number, name)
        if kind is None or not name:
            return None
        question = Question(
            name=name,
            type=kind,
            label=_texts(row, "label"),
            hint=_texts(row, "hint"),
            required_message=_texts(row, "required_message"),
            relevant=row.get("relevant", ""),
            constraint=row.get("constraint", ""),
            constraint_message=_texts(row, "constraint_message"),
            appearance=row.get("appearance", ""),
            default=row.get("default", ""),
            calculation=row.get("calculation", ""),
            choice_filter=row.get("choice_filter", ""),
            read_only=row.get("read_only", "").lower() in _YES,
            parameters=row.get("parameters", ""),
        )
        if conditions:
            parts = [*conditions, question.relevant] if question.relevant else conditions
            question.relevant = parts[0] if len(parts) == 1 else " and ".join(
                f"({part})" for part in parts)
        if extra == "from_file" and list_name is not None:
            question.choice_file = list_name
            question.choices = self.file_choices(number, list_name, question.parameters)
        elif list_name is not None and choices is not None:
            if list_name in choices:
                question.choices = [Choice(c.name, dict(c.label), dict(c.columns))
                                    for c in choices[list_name]]
            else:
                self.problem(
                    "survey", number, "type",
                    gettext_noop('choice list "%(list)s" is not on the choices sheet',
                                 list=list_name),
                )
        required = row.get("required", "")
        if required.lower() in _YES:
            question.required = True
        elif required and required.lower() not in _NO:
            question.required = required
            self.expect(number, "required", required, question, "required_json")
        if extra == _OR_OTHER:
            self.or_other.add(name)
            if not any(c.name == OTHER for c in question.choices):
                question.choices.append(Choice(OTHER, {"en": "Other"}))
        if question.relevant:
            self.expect(number, "relevant", question.relevant, question, "relevant_json")
        if kind == "calculate" and not question.calculation:
            self.problem("survey", number, "calculation", gettext_noop(
                "a calculate row needs a calculation"))
        if question.calculation:
            self.expect(number, "calculation", question.calculation, question,
                        "calculation_json")
        if question.choice_filter:
            self.expect(number, "choice_filter", question.choice_filter, question,
                        "choice_filter_json", columns=True)
        if question.constraint:
            self.expect(
                number, "constraint", question.constraint, question, "constraint_json",
                allow_self=True,
            )
            if kind in ("integer", "decimal"):
                question.min, question.max = _bounds(question.constraint)
        key = row.get("key", "")
        if key.lower() in _YES:
            question.key = True
        elif key and key.lower() not in _NO:
            self.problem("survey", number, "key", gettext_noop('key "%(value)s" is not yes or no',
                                                                value=key))
        self.read_reconcile(number, row.get("reconcile", ""), question)
        tag = row.get("sms_tag", "").strip().upper()
        if tag and not tag.isalpha():
            self.problem("survey", number, "sms_tag", gettext_noop(
                'sms_tag "%(tag)s" must be letters only', tag=tag))
        question.sms_tag = tag
        return question

    def specify_other(self, number: int, question: Question) -> Question | None:
        """The text question pyxform adds after a `select_one list or_other`: `<name>_other`,
        asked when "other" is chosen."""
        if question.name not in self.or_other:
            return None
        name = f"{question.name}_other"
        self.check_name(number, name)
        relevant = f"selected(${{{question.name}}}, '{OTHER}')"
        return Question(name=name, type="text", label={"en": "Specify other."},
                        relevant=relevant,
                        relevant_json=expressions.to_json(expressions.parse(relevant)))

    def read_reconcile(self, number: int, value: str, question: Question) -> None:
        """The `reconcile` cell: yes on a question with an answer to compare, else no."""
        if value.lower() in _YES:
            question.reconcile = True
            if question.type in ("note", "image"):
                self.problem("survey", number, "reconcile",
                             gettext_noop('a %(type)s has no answer to reconcile; leave '
                                          '"reconcile" empty on this row', type=question.type))
        elif value and value.lower() not in _NO:
            self.problem("survey", number, "reconcile",
                         gettext_noop('reconcile "%(value)s" is not yes or no', value=value))

    def question_type(
        self, number: int, lowered: str, written: str
    ) -> tuple[str | None, str | None, str]:
        """eom's type, the choice list (or file) and what follows it (`or_other`,
        `from_file`) of a `type` cell; (None, None, "") when refused."""
        if match := _SELECT.match(written):
            head = match[1].lower().replace(" ", "_")
            list_name, rest = match[2], (match[3] or "").strip()
            if head in ("select_one_external",):
                return "text", None, ""  # the choices live in an external_choices sheet
            kind = ("rank" if head == "rank" else
                    "select_one" if "one" in head or head == "select1" else "select_multiple")
            extra = "from_file" if head.endswith("from_file") else ""
            rest = _OR_OTHER if " ".join(rest.lower().split()) in _OR_OTHER_SPELLINGS else rest
            if not list_name:
                self.problem("survey", number, "type", gettext_noop(
                    '"%(type)s" names no choice list', type=written))
                return None, None, ""
            if rest and (rest.lower() != _OR_OTHER or extra):
                self.problem(
                    "survey", number, "type",
                    gettext_noop('"%(rest)s" after the choice list is not XLSForm; only '
                                 '"or_other" may follow it', rest=rest),
                )
                return None, None, ""
            return kind, list_name, extra or (_OR_OTHER if rest else "")
        kind = _TYPE_ALIASES.get(lowered, lowered)
        if kind in QUESTION_TYPES:
            return kind, None, ""
        if re.fullmatch(r"osm \S+", lowered):
            # an OpenStreetMap file with the osm sheet's list as its tags: a file answer (the
            # tags are for ODK Collect's map app, in the XForm)
            return "file", None, ""
        known = QUESTION_TYPE_DICT.get(written) or QUESTION_TYPE_DICT.get(lowered)
        if known is not None:
            bind = known.get("bind", {}).get("type")
            tag = known.get("control", {}).get("tag")
            preload = known.get("bind", {}).get("jr:preload")
            params = str(known.get("bind", {}).get("jr:preloadParams", ""))
            if preload in ("property", "timestamp") and params in QUESTION_TYPES:
                return params, None, ""
            if preload == "date":
                return "today", None, ""
            if tag == "trigger":
                return "acknowledge", None, ""
            if tag == "select1":
                kind = "select_one"
            elif tag == "select":
                kind = "select_multiple"
            elif bind == "string":
                kind = "text" if tag == "input" else "hidden" if "calculate" not in lowered \
                    else "calculate"
                if tag == "input" and "note" in lowered:
                    kind = "note"
            else:
                kind = _PYXFORM_BIND_TYPES.get(str(bind), "")
            if bind == "binary" and any(w in lowered for w in ("image", "picture", "photo")):
                kind = "image"
            if kind in QUESTION_TYPES:
                return kind, None, ""
        supported = ", ".join(QUESTION_TYPES)
        self.problem(
            "survey", number, "type",
            gettext_noop('unknown question type "%(type)s"; use one of %(types)s',
                         type=written, types=supported),
        )
        return None, None, ""

    def check_name(self, number: int, name: str) -> None:
        if not name:
            self.problem("survey", number, "name", gettext_noop("the row has no name"))
            return
        if name in EOM_NAMES:
            self.problem("survey", number, "name", gettext_noop(
                'name "%(name)s" is one eom adds to the form it gives ODK Collect; rename the '
                "question", name=name))
        first = self.names.setdefault(name, number)
        if first != number:
            self.problem(
                "survey", number, "name",
                gettext_noop('name "%(name)s" is already used on row %(row)s', name=name, row=first)
            )

    # ---- QA rules

    def read_qa(self) -> list[QARule]:
        sheet = self.sheets.get("qa")
        if sheet is None:
            return []
        for column in ("name", "expression", "severity"):
            if column not in sheet.headers:
                self.problem("qa", 1, column, gettext_noop(
                    'the qa sheet has no "%(column)s" column', column=column))
        rules = []
        first_rows: dict[str, int] = {}
        for number, row in sheet.rows:
            name = row.get("name", "")
            expression = row.get("expression", "")
            severity = row.get("severity", "").lower()
            if not name:
                self.problem("qa", number, "name", gettext_noop("the rule has no name"))
            elif (first := first_rows.setdefault(name, number)) != number:
                self.problem(
                    "qa", number, "name", gettext_noop(
                        'rule "%(name)s" is already defined on row %(row)s', name=name, row=first)
                )
            if severity not in SEVERITIES:
                if severity:
                    message = gettext_noop(
                        'severity "%(severity)s" is unknown; use one of %(severities)s',
                        severity=severity, severities=", ".join(SEVERITIES))
                else:
                    message = gettext_noop("no severity; use one of %(severities)s",
                                           severities=", ".join(SEVERITIES))
                self.problem("qa", number, "severity", message)
            rule = QARule(name, expression, None, severity, _texts(row, "message"))
            if not expression:
                self.problem("qa", number, "expression", gettext_noop("the rule has no expression"))
            else:
                self.expect(
                    number, "expression", expression, rule, "expression_json",
                    sheet="qa",
                )
            rules.append(rule)
        return rules

    # ---- indicators

    def read_indicators(self) -> list[Indicator]:
        sheet = self.sheets.get("indicators")
        if sheet is None:
            return []
        for column in ("name", "expression"):
            if column not in sheet.headers:
                self.problem("indicators", 1, column,
                             gettext_noop('the indicators sheet has no "%(column)s" column',
                                          column=column))
        if not _languages(sheet, {"label"}):
            self.problem("indicators", 1, "label", gettext_noop(
                'the indicators sheet has no "%(column)s" column', column="label"))
        indicators: list[Indicator] = []
        first_rows: dict[str, int] = {}
        for number, row in sheet.rows:
            if len(indicators) == MAX_INDICATORS:
                self.problem("indicators", number, None,
                             gettext_noop("a form has at most %(limit)s indicators",
                                          limit=MAX_INDICATORS))
                break
            name = row.get("name", "")
            if not name:
                self.problem("indicators", number, "name", gettext_noop("the indicator has no name"))
            elif not _SLUG.match(name):
                self.problem("indicators", number, "name",
                             gettext_noop('name "%(name)s" may only have letters, digits, "-" '
                                          'and "_" (at most 64)', name=name[:64]))
            elif (first := first_rows.setdefault(name, number)) != number:
                self.problem("indicators", number, "name",
                             gettext_noop('indicator "%(name)s" is already defined on row '
                                          '%(row)s', name=name, row=first))
            label = _texts(row, "label")
            if not label:
                self.problem("indicators", number, "label", gettext_noop("the indicator has no label"))
            for header, text in row.items():
                if header.partition("::")[0] == "label" and len(text) > MAX_LABEL:
                    self.problem("indicators", number, header,
                                 gettext_noop("the label is longer than %(limit)s characters",
                                              limit=MAX_LABEL))
            indicator = Indicator(name, label, row.get("expression", ""), None,
                                  row.get("base", ""), None)
            if not indicator.expression:
                self.problem("indicators", number, "expression",
                             gettext_noop("the indicator has no expression"))
            else:
                self.expect(number, "expression", indicator.expression, indicator,
                            "expression_json", sheet="indicators")
                if not indicator.base:
                    self.expect_reads(number, indicator.expression)
            if indicator.base:
                self.expect(number, "base", indicator.base, indicator, "base_json",
                            sheet="indicators")
            indicators.append(indicator)
        return indicators

    def expect_reads(self, number: int, text: str) -> None:
        """An indicator without a base counts the reports that answered a question its
        expression reads: it must read one. (A syntax error is reported once, by `expect`.)"""
        try:
            read = expressions.names(expressions.parse(text)) - PLACE_NAMES
        except expressions.ExpressionError:
            return
        if not read:
            self.problem("indicators", number, "expression",
                         gettext_noop("the expression reads no answer (name a question as "
                                      "${name})"))

    # ---- expressions

    def expect(
        self, number: int, column: str, text: str, target: Any, attribute: str, *,
        allow_self: bool = False, sheet: str = "survey", columns: bool = False,
    ) -> None:
        self.expressions.append(
            _Expression(sheet, number, column, text, allow_self, target, attribute, columns)
        )

    def check_expression(self, item: _Expression, questions: frozenset[str]
                         ) -> dict[str, Any] | None:
        try:
            node = expressions.parse(item.text, columns=item.columns)
        except expressions.ExpressionError as err:
            self.problem(item.sheet, item.row, item.column, _expression_message(err))
            return None
        if item.columns and isinstance(item.target, Question):
            _label_columns(item.target, expressions.names(node))
        for call in expressions.calls(node, "pulldata"):
            self.pull(item, call)
        known = questions | PLACE_NAMES
        read = {n for n in expressions.names(node) if not n.startswith(expressions.COLUMN)}
        for name in sorted(read - known):
            message = gettext_noop('"${%(name)s}" is not a question of this form', name=name)
            if name.startswith(("location.", "team.")):
                shown = ", ".join(f"${{{n}}}" for n in sorted(PLACE_NAMES))
                message = gettext_noop('"${%(name)s}" is not known; a form can use %(names)s',
                                       name=name, names=shown)
            self.problem(item.sheet, item.row, item.column, message)
        if not item.allow_self and expressions.uses_self(node):
            self.problem(
                item.sheet, item.row, item.column,
                gettext_noop('"." (the answer itself) can only be used in a constraint'),
            )
        return expressions.to_json(node)

    def pull(self, item: _Expression, call: expressions.Call) -> None:
        """pulldata('fruits', column, key_column, key) reads the attached fruits.csv, as ODK
        Collect does: the file must be attached, and hold the columns named in quotes."""
        first = call.args[0]
        if not isinstance(first, expressions.Str) or not first.value.strip():
            self.problem(item.sheet, item.row, item.column, gettext_noop(
                "pulldata() names its file in quotes first: pulldata('fruits', …) reads "
                "fruits.csv"))
            return
        name = first.value.strip()
        filename = f"{name}.csv"
        self.media_used.append(filename)
        if name not in self.pulled:
            data = self.media.get(filename)
            if data is None:
                self.problem(item.sheet, item.row, item.column, gettext_noop(
                    'pulldata() reads "%(file)s"; attach that file to the form', file=filename))
                return
            try:
                rows = list(itertools.islice(csv.DictReader(io.StringIO(
                    data.decode("utf-8-sig"))), MAX_FILE_CHOICES + 1))
            except (UnicodeDecodeError, csv.Error) as err:
                self.problem(item.sheet, item.row, item.column, gettext_noop(
                    '"%(file)s" cannot be read as CSV (%(error)s)', file=filename,
                    error=str(err)))
                return
            if len(rows) > MAX_FILE_CHOICES:
                self.problem(item.sheet, item.row, item.column, gettext_noop(
                    '"%(file)s" has more than %(limit)s rows', file=filename,
                    limit=f"{MAX_FILE_CHOICES:,}"))
                return
            self.pulled[name] = ([{str(k).strip(): (v or "").strip() for k, v in row.items()
                                   if k is not None} for row in rows], set())
        rows, wanted = self.pulled[name]
        quoted = [a.value for a in call.args[1:3] if isinstance(a, expressions.Str)]
        headers = set(rows[0]) if rows else set()
        for column in quoted:
            if column not in headers:
                self.problem(item.sheet, item.row, item.column, gettext_noop(
                    '"%(file)s" has no column "%(column)s", which pulldata() reads',
                    file=filename, column=column))
        if wanted is not None:
            self.pulled[name] = (rows, wanted | set(quoted) if len(quoted) == 2 else None)

    def pulled_rows(self) -> dict[str, list[dict[str, str]]]:
        """The rows pulldata() reads, with only the columns it reads when they are quoted."""
        return {name: [{k: v for k, v in row.items() if wanted is None or k in wanted}
                       for row in rows]
                for name, (rows, wanted) in self.pulled.items()}

    def combine_relevance(self, sections: list[Section]) -> None:
        """A section's condition: its group's and all enclosing groups' (`(a) and (b)`)."""
        for section in sections:
            conditions = self.section_conditions.get(section.name, [])
            if not conditions:
                continue
            if len(conditions) == 1:
                section.relevant = conditions[0]
            else:
                section.relevant = " and ".join(f"({c})" for c in conditions)
            try:
                section.relevant_json = expressions.to_json(expressions.parse(section.relevant))
            except expressions.ExpressionError:
                section.relevant_json = None  # already reported on the group's own row


def _label_columns(question: Question, names: Iterable[str]) -> None:
    """The choices' labels a choice_filter reads (`label::English`, `label`) put among their
    columns under that name, as pyxform's itemset reads them."""
    for name in names:
        column = name.removeprefix(expressions.COLUMN)
        base, _colon, suffix = column.partition(":")
        if not name.startswith(expressions.COLUMN) or base != "label":
            continue
        language = _language(suffix.lstrip(":")) if suffix else "en"
        for choice in question.choices:
            choice.columns[column] = choice.label.get(language) or (
                "" if suffix else next(iter(choice.label.values()), ""))


def _expression_message(err: expressions.ExpressionError) -> str:
    """The parser's own wording, with its position ("… at character 12", 0-based)."""
    return err.text()


MAX_FILE_CHOICES = 50_000
"""Items of an XML file of choices (select_one_from_file stations.xml), rows of a CSV file that
pulldata() reads."""
MAX_ITEM_FIELDS = 50
"""Elements of one item of an XML file of choices (name, label, and the columns filters read)."""


def _xml_choice_rows(data: bytes, filename: str, value: str) -> list[dict[str, str]] | str:
    """The items of an XML file of choices in the shape ODK reads (`<root><item><name>…</name>
    <label>…</label>…</item>…</root>`), each as {element: text}; or the problem, naming the
    file and the item (items counted from 1). Read with defusedxml: no DOCTYPE, no entities."""
    try:
        root = defused_fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as err:
        return gettext_noop('"%(file)s" cannot be read as XML (%(error)s)', file=filename,
                            error=str(err)[:200])
    rows: list[dict[str, str]] = []
    for index, item in enumerate(root, start=1):
        if item.tag != "item":
            return gettext_noop('"%(file)s": element %(n)s is <%(tag)s>; the choices are '
                                "<item> elements of the root", file=filename, n=index,
                                tag=str(item.tag)[:40])
        if index > MAX_FILE_CHOICES:
            return gettext_noop('"%(file)s" has more than %(limit)s items', file=filename,
                                limit=f"{MAX_FILE_CHOICES:,}")
        if len(item) > MAX_ITEM_FIELDS:
            return gettext_noop('"%(file)s": item %(n)s has more than %(limit)s elements',
                                file=filename, n=index, limit=MAX_ITEM_FIELDS)
        row = {str(field.tag): (field.text or "").strip() for field in item if len(field) == 0}
        if not row.get(value):
            return gettext_noop('"%(file)s": item %(n)s has no <%(column)s>', file=filename,
                                n=index, column=value)
        rows.append(row)
    return rows


def _without_comment_rows(rows: list[tuple[int, dict[str, str]]]
                          ) -> list[tuple[int, dict[str, str]]]:
    """The survey rows without those pyxform skips as comments: no type, no name, no label
    (a note to the form's authors in a column of their own, such as `_Category`)."""
    return [(number, row) for number, row in rows
            if row.get("type") or row.get("name") or _texts(row, "label")]
