"""ODK Collect's side of a checklist: the XForm eom serves, and the filled instance it receives.

`build_xform(source)` turns the checklist's stored XLSForm workbook into the XForm that ODK
Collect downloads, with pyxform, after adding two questions of eom's own at the top of the
survey sheet (the workbooks have no question for them):

- `eom_location`, a required text question "Polling station code": the code of the polling
  station (or, for tabulation, the commission) the report is about;
- `eom_start`, ODK's `start` metadata: when the observer opened the form, used as the time
  observed.

A form that reads the place or the team (`${location.n_registered}`, `${team.code}` …,
`reader.PLACE_NAMES`) gets, for each name it reads, a `calculate` question at the end
(`eom_location_…`, `eom_team_…`) that looks the value up by the polling station code typed, in
one of two CSV files the form declares (`csv-external`) and the server sends with it
(`reader.with_place_lookups`, `reader.PLACE_FILES`, `observation.place_files`):
`eom_places.csv` (every place of the mission: code, level, kind, n_registered) and
`eom_team.csv` (the signed-in sender's team at each place: location, code, kind). Each
`${location.…}` of the workbook then names its question, so ODK Collect evaluates the
relevance, constraints, calculations and labels that read it as the server does.

`parse_instance(data)` reads a filled instance document safely (defusedxml: no DOCTYPE, no
entities, at most 10 MB, elements nested at most 32 deep) into an `Instance`: form id, version, instance id, polling station
code, start time and the answers by question name. `split_files()` matches image answers to
the files posted with the instance.

Pure: no Django import, so the parsing is tested on its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from eom.xlsform.reader import (
    EOM_NAMES,
    FILE_TYPES,
    PLACE_QUESTIONS,
    pyxform_workbook,
    spelled,
    with_place_lookups,
)

LOCATION_QUESTION = "eom_location"
START_QUESTION = "eom_start"
INJECTED = EOM_NAMES  # refused by the reader too, naming the row
MAX_INSTANCE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32  # groups within groups in an instance; eom's checklists use two or three
ROOT_NAME = "data"  # the instance's root element, as pyxform names it with form_name="data"

# The location question's texts, by language code; a workbook column in another language
# gets the English text.
_LOCATION_TEXTS = {
    "label": {
        "en": "Polling station code",
        "ru": "Код избирательного участка",
        "kk": "Сайлау учаскесінің коды",
    },
    "hint": {
        "en": "The code of the polling station (for tabulation: of the commission) this report "
              "is about, e.g. 010001.",
        "ru": "Код участка (для табулирования — комиссии), о котором этот отчёт, "
              "например 010001.",
        "kk": "Осы есеп қатысты сайлау учаскесінің (кестелеу үшін — комиссияның) коды, "
              "мысалы 010001.",
    },
    "required_message": {
        "en": "Enter the polling station code.",
        "ru": "Введите код избирательного участка.",
        "kk": "Сайлау учаскесінің кодын енгізіңіз.",
    },
}
_LANGUAGE_NAMES = {"english": "en", "russian": "ru", "kazakh": "kk"}


class XFormError(ValueError):
    """The workbook cannot be turned into an XForm for ODK Collect."""


class InstanceError(ValueError):
    """The posted instance document cannot be read; the message says why."""


# --------------------------------------------------------------------------- the XForm


def _language(suffix: str) -> str:
    """`English (en)` -> `en`; `Russian` -> `ru`; anything else as written."""
    if match := re.search(r"\(([^()]+)\)\s*$", suffix):
        return match[1].strip()
    return _LANGUAGE_NAMES.get(suffix.strip().lower(), suffix.strip())


def _texts(headers: Iterable[str], base: str) -> dict[str, str]:
    """The injected question's `base` text in every `base` column of the workbook."""
    texts = {}
    for header in headers:
        name, sep, suffix = header.partition("::")
        if name.strip().lower() != base:
            continue
        language = _language(suffix) if sep else "en"
        texts[header] = _LOCATION_TEXTS[base].get(language, _LOCATION_TEXTS[base]["en"])
    return texts


def _injected_rows(headers: list[str]) -> list[dict[str, str]]:
    labels = _texts(headers, "label") or {"label": _LOCATION_TEXTS["label"]["en"]}
    location = {
        "type": "text",
        "name": LOCATION_QUESTION,
        **labels,
        **_texts(headers, "hint"),
        **_texts(headers, "required_message"),
        spelled(headers, "required"): "yes",
        spelled(headers, "constraint"): "string-length(normalize-space(.)) > 0",
    }
    return [{"type": "start", "name": START_QUESTION}, location]


def _settings(workbook: Any, form_id: str, version: str) -> dict[str, Any]:
    """The settings sheet with eom's form_id (where the workbook gives none, or one with spaces)
    and version (where the workbook gives none)."""
    given = [dict(row) for row in workbook.settings or []] or [{}]
    first = given[0]
    names = {str(key).strip().lower(): key for key in first}
    id_column = next((names[c] for c in ("form_id", "id_string") if first.get(names.get(c, c))),
                     "form_id")
    if form_id and first.get(id_column) != form_id:  # none given, or spaces eom wrote as "_"
        first[id_column] = form_id
    if version and not first.get(names.get("version", "version")):
        first["version"] = version
    header = dict((workbook.settings_header or [{}])[0])
    for column in first:
        header.setdefault(column, None)
    return {"settings": given, "settings_header": [header]}


def build_xform(source: bytes, form_id: str = "", version: str = "") -> bytes:
    """The XForm (UTF-8 bytes) of an XLSForm workbook, with eom's location and start questions
    first. `form_id` and `version` are those eom gave a workbook whose settings name none (the
    file name, the upload time): the XForm carries them, so the phone sends them back. The
    result depends only on these, so every process serves the same bytes (and the same hash).
    Raises XFormError when pyxform refuses the workbook or the workbook already uses one of
    eom's names."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = pyxform_workbook(source)
    except Exception as err:  # pyxform's readers raise many kinds for odd files
        raise XFormError(f"the workbook cannot be read: {err}") from err
    survey = list(workbook.survey or [])
    taken = sorted({row.get("name") for row in survey} & set(INJECTED))
    if taken:
        raise XFormError(
            f"the survey sheet uses {', '.join(taken)}, a name eom adds to the XForm; rename it"
        )
    header = dict((workbook.survey_header or [{}])[0])
    rows = _injected_rows(list(header))
    for row in rows:
        for column in row:
            header.setdefault(column, None)
    workbook = dataclasses.replace(workbook, survey=rows + survey, survey_header=[header],
                                   **_settings(workbook, form_id, version))
    workbook = with_place_lookups(workbook, f"${{{LOCATION_QUESTION}}}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = convert(
                xlsform=dataclasses.asdict(workbook), form_name=ROOT_NAME, warnings=[],
                pretty_print=True,
            )
    except PyXFormError as err:
        raise XFormError(str(err)) from err
    xform: bytes = result.xform.encode("utf-8")
    return xform


# --------------------------------------------------------------------------- the instance


@dataclass(frozen=True)
class Instance:
    """A filled form as ODK Collect sends it. `answers` hold the text of every answered leaf
    (select_multiple: choices separated by spaces), by question name; unanswered questions
    are left out."""

    form_id: str
    version: str | None
    instance_id: str
    location_code: str
    started_at: dt.datetime | None
    answers: dict[str, Any] = field(default_factory=dict)  # a repeat: a list of dicts
    meta: dict[str, str] = field(default_factory=dict)  # the meta block (audit, instanceName …)


def _local(tag: Any) -> str:
    """`{namespace}name` -> `name`."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


LOOP = "loop:"
"""Marks a loop's name among the names `repeats_of` gives `parse_instance` (`loop:toilets`)."""


def _leaves(root: Element, found: dict[str, Any], meta: dict[str, str],
            repeats: frozenset[str] = frozenset(), depth: int = 1, prefix: str = "") -> None:
    """The answers (leaves) below the root in document order, and the meta block; groups may
    nest MAX_DEPTH deep. An element named in `repeats` is one instance of that repeat: its
    answers, as a dict, are appended to the list under its name (nested repeats alike). The
    answers inside an element named `LOOP + name` (pyxform's loop, a group per choice) are
    named `<loop>.<choice>.<question>`."""
    for child in root:
        if depth > MAX_DEPTH:
            raise InstanceError(f"the form nests elements more than {MAX_DEPTH} deep")
        name = _local(child.tag)
        if not name:
            continue  # comments, processing instructions
        if name == "meta" and len(child):
            for item in child:
                meta[_local(item.tag)] = (item.text or "").strip()
            continue
        if name in repeats:
            if any(_local(key) == "template" for key in child.attrib):
                continue  # the blank instance an XForm carries, if a client sends it
            instances = found.setdefault(name, [])
            if not isinstance(instances, list):
                raise InstanceError(f"“{name}” is a repeat and a question")
            instance: dict[str, Any] = {}
            _leaves(child, instance, meta, repeats, depth + 1, prefix)
            instances.append(instance)
            continue
        if LOOP + name in repeats and len(child):
            for choice in child:
                _leaves(choice, found, meta, repeats, depth + 2,
                        f"{prefix}{name}.{_local(choice.tag)}.")
            continue
        if len(child):
            _leaves(child, found, meta, repeats, depth + 1, prefix)
            continue
        name = prefix + name
        if name in found:
            raise InstanceError(
                f"“{name}” appears twice; only the questions of a repeat may appear more than once"
            )
        found[name] = (child.text or "").strip()


def _time(text: str | None) -> dt.datetime | None:
    """An XForms dateTime (`2023-03-19T10:02:11.123+06:00`), or None when absent or unreadable."""
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_instance(
    data: bytes, repeats_of: Callable[[str, str | None], frozenset[str]] | None = None,
) -> Instance:
    """Read an instance document (the `xml_submission_file` part); `repeats_of(form_id,
    version)` names the form's repeats, whose instances become lists of dicts, and its loops
    (`LOOP + name`). Raises InstanceError for a document that is
    too large, is not well-formed XML, has a DOCTYPE or entities, or lacks the form id or the
    instance id."""
    if len(data) > MAX_INSTANCE_BYTES:
        raise InstanceError("the form is larger than 10 MB")
    if not data.strip():
        raise InstanceError("the form is empty")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InstanceError(
            "the form has a DOCTYPE or entity declarations, which eom does not accept"
        ) from None
    except ParseError as err:
        raise InstanceError(f"the form is not well-formed XML ({err})") from None
    form_id = (root.get("id") or "").strip()
    if not form_id:
        raise InstanceError(f"the form's root element <{_local(root.tag)}> has no id attribute")
    version = (root.get("version") or "").strip() or None
    repeats = repeats_of(form_id, version) if repeats_of is not None else frozenset()
    answers: dict[str, Any] = {}
    meta: dict[str, str] = {}
    _leaves(root, answers, meta, repeats)
    instance_id = meta.get("instanceID") or (root.get("instanceID") or "").strip()
    if not instance_id:
        raise InstanceError("the form has no meta/instanceID")
    if instance_id.lower().startswith("uuid:"):
        instance_id = instance_id[len("uuid:"):]
    location = answers.pop(LOCATION_QUESTION, "")
    start = answers.pop(START_QUESTION, None)
    for name in PLACE_QUESTIONS.values():  # looked up on the phone; the server knows them
        answers.pop(name, None)
    started = _time(meta.get("timeStart")) or _time(start)
    return Instance(
        form_id=form_id,
        version=version,
        instance_id=instance_id,
        location_code=location,
        started_at=started,
        answers=_answered(answers),
        meta=meta,
    )


def _answered(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without the empty ones (ODK sends every question, answered or not)."""
    return {name: [_answered(i) for i in value] if isinstance(value, list) else value
            for name, value in answers.items() if value}


def split_files(
    definition: Mapping[str, Any], answers: Mapping[str, Any], files: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The posted file of each answered file question, by the question's path, and the errors
    of file answers whose file was not posted. A question inside a repeat has the path of its
    instance (`visits[2]/photo`, `visits[1]/rooms[3]/plan`). `files` maps a file's name to the
    file (ODK Collect names each part after the file)."""
    by_name = {getattr(f, "name", None) or key: f for key, f in files.items()}
    attached: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    questions = [q for s in definition.get("sections", []) for q in s.get("questions", [])]
    for path, kind, filename in sorted(_file_answers(questions, answers, "")):
        upload = files.get(filename) or by_name.get(filename)
        if upload is None:
            what = "photo" if kind == "image" else "file"
            errors[path] = [f"the {what} “{filename}” did not arrive with the form; send it again"]
        else:
            attached[path] = upload
    return attached, errors


def _file_answers(questions: Iterable[Mapping[str, Any]], answers: Mapping[str, Any],
                  prefix: str) -> Iterable[tuple[str, str, str]]:
    """(path, type, file name) of each file question answered, in repeat instances too."""
    for question in questions:
        value = answers.get(question["name"])
        path = prefix + question["name"]
        if question.get("type") == "repeat" and isinstance(value, list):
            for number, instance in enumerate(value, start=1):
                if isinstance(instance, Mapping):
                    yield from _file_answers(question.get("children") or [], instance,
                                             f"{path}[{number}]/")
        elif question.get("type") in FILE_TYPES and isinstance(value, str) and value:
            yield path, question["type"], value
