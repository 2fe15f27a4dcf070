"""Every page reads in Russian and in Kazakh: no English word is left in its visible text.

Each role of the access scene (tests/access/scene.py) walks, in Russian and again in Kazakh, from
the pages of its menu (the sign-in page for a reader without one), a page that does not exist
and, for the admin's readers, the pages the admin's index links to, to every page they link to,
recursively, opening one page of each kind (each URL name, whatever its arguments and query:
tests/access/crawl.py). The admin's pages are read but not walked further. With Django's test
client, the 16 walks take about 25 seconds on one core.

What is checked is the *visible text* of each HTML page: its text nodes, and the `placeholder`,
`alt`, `title`, `aria-label` and button `value` a reader (or a screen reader) gets; not the
content of `<script>`, `<style>`, `<code>`, `<kbd>`, `<samp>`, `<svg>` and `<textarea>`
(machine text: expressions, file formats, identifiers, what someone typed), nor of an element
marked as written in another language (`lang="en"`: a book's title in a citation, a language's
own name on the switcher), nor the `alt` of the admin's yes/no icons (Django writes "True" and
"False" there, in English, where no template can change it).

From that text are taken out, before looking for English:
- the mission's data as entered (`DATA_FIELDS`, `data_strings`): what the mission types in one
  language (a person's name, a meeting's notes, an SMS, the test mission's English place names,
  a checklist loaded in English only) is shown as typed, by design (docs/languages.md), with its
  codes (location, team, person and role codes). A record with a text in the page's language
  (`name_ru`, a checklist's `label::Russian (ru)`) does not have its English text taken out: a
  page showing it instead of the translation fails. The admin shows every language's column,
  so there every language's text is taken out. Fields with choices are codes whose labels the
  pages must show, and are not data;
- numbers, and words joined to digits ("R1", "STO-1", "01001"): codes;
- web and e-mail addresses, and paths;
- `ALLOWED`: the words and phrases a Russian or Kazakh page rightly writes in Latin letters
  (acronyms such as SMS, CSV, API; product names such as ODK Collect; key names), matched whole
  and with their case, each with its reason.

An *English word* is then a word of Latin letters (with inner apostrophes or hyphens) whose
lower-case form is in the dictionary `english_words()`: every word of the English source texts
(msgids) of eom's catalogue and of Django's catalogues, which is everything the interface can
say in English, plus `COMMON_WORDS`, so that an English text never marked for translation is
caught by its common words too. A Latin word in no dictionary (a transliterated place name, a
code such as "STO") is not English.

`SKIPPED_PAGES` lists, by URL name, the pages not checked yet, each with its reason: a
temporary list, to be emptied.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, resolve

import eom
from eom.menu import items_for
from tests.access.crawl import _Anchors, crawl, internal
from tests.access.scene import ROLES, build
from tests.access.urls import all_patterns
from tests.access.walk import client_for
from tests.conftest import logins_given_their_two_factor_code

pytestmark = pytest.mark.django_db

# The pages not checked yet (URL name → why): temporary, to be emptied as their translations land.
SKIPPED_PAGES: dict[str, str] = {}

# What a Russian or Kazakh page rightly writes in Latin letters, and why: words and phrases,
# matched whole and with their case.
ALLOWED: dict[str, str] = {
    "SMS": "the channel's name, as written in Russian and Kazakh",
    "API": "the interface's name, as written in Russian and Kazakh",
    "CSV": "a file format",
    "XLSX": "a file format",
    "XML": "a file format",
    "ZIP": "a file format",
    "XLSForm": "the checklist format's name",
    "pulldata": "an XLSForm function's name, as the workbook writes it",
    "ODK": "the collection software's name",
    "ODK Collect": "the collection app's name",
    "ISO": "the standards body, in a standard's name (ISO 3166)",
    "LDAP": "a directory protocol's name (Django's help on the user form)",
    "SSO": "single sign-on's usual acronym (the same help)",
    "eom": "the software's name",
    "zip": "a file format's name (.zip), as CSV and XLSX are",
    "PNAS": "a journal's name, in a citation (Proceedings of the National Academy of Sciences)",
    "p": "the p-value's symbol in a statistical test (p = 0,099), written so in every language",
    "Control": "a key's name as printed on the keyboard (Django's help for multiple choice)",
    "Command": "a key's name as printed on the keyboard (the same help)",
    "Mac": "the computer's name (the same help)",
    "RU": "a language's code on the language switcher",
    "KK": "a language's code on the language switcher",
    "missions": "the app's label in a kind of audited record (missions.meeting), a code; where "
                "the model's name is also a code in the data (a tag's kind \"meeting\"), only "
                "the label is left once the data are taken out",
}

# English words common enough to appear in any English leftover, beyond the catalogues' words.
COMMON_WORDS = """
a about above after again against all also an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yes per via new none
total today yesterday tomorrow morning evening day days week hour hours minute minutes second
seconds open closed close start end first last next previous back home page more less show hide
edit delete save cancel search filter list view add remove help report reports data file name
""".split()


def kind_of(path: str) -> str:
    """The kind of a page: its URL name (the admin's route), else its path."""
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return path
    return match.view_name or match.route


@cache
def english_words() -> frozenset[str]:
    """The English dictionary (see the module): the words of every msgid of eom's catalogue and
    of Django's, and `COMMON_WORDS`."""
    import django

    catalogues = [Path(eom.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po",
                  *Path(django.__file__).parent.glob("**/locale/ru/LC_MESSAGES/django.po")]
    words = set(COMMON_WORDS)
    for path in catalogues:
        for entry in polib.pofile(str(path), wrapwidth=0):
            for text in (entry.msgid, entry.msgid_plural):
                words.update(word.lower() for word in WORD.findall(_PLACEHOLDER.sub(" ", text)))
    return frozenset(words)


WORD = re.compile(r"(?<![\w@/.-])[A-Za-z]+(?:['’-][A-Za-z]+)*(?![\w@/-]|\.\w)")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}|%[sd]")
_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|/[\w./?=&%-]+")


class _VisibleText(HTMLParser):
    """The text a reader sees (see the module)."""

    HIDDEN = {"script", "style", "code", "kbd", "samp", "svg", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content hidden?

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        hidden = (self.hidden or tag in self.HIDDEN
                  or (lang is not None and lang.split("-")[0] != self.language))
        if not hidden:
            for name in ("placeholder", "alt", "title", "aria-label"):
                if attributes.get(name) and not (name == "alt" and _is_admin_icon(attributes)):
                    self.parts.append(attributes[name])
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.parts.append(attributes.get("value") or "")
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1]


def _is_admin_icon(attributes: dict) -> bool:
    """The admin's yes/no icons, whose text Django writes in English ("True", "False":
    django.contrib.admin.templatetags.admin_list._boolean_icon) where no template can change it."""
    return "/admin/img/icon-" in (attributes.get("src") or "")


def visible_text(html: str, language: str) -> str:
    parser = _VisibleText(language)
    parser.feed(html)
    return "\n".join(part.strip() for part in parser.parts if part.strip())


# The texts a mission types, by record ("app.model" → fields); see `data_strings`.
DATA_FIELDS: dict[str, tuple[str, ...]] = {
    "auth.user": ("username",),
    "missions.mission": ("code", "name", "host_organisation", "headquarters", "note"),
    "missions.election": ("name", "note"),
    "missions.contest": ("name",),
    "missions.party": ("name_en", "code", "short_name"),
    "missions.candidate": ("full_name",),
    "missions.location": ("name_en", "code", "address"),
    "missions.role": ("code", "name_en"),
    "missions.person": ("code", "full_name", "email", "phone"),
    "missions.team": ("code",),
    "missions.deployment": ("note",),
    "missions.organisation": ("name",),
    "missions.interlocutor": ("name", "title"),
    "missions.topic": ("name",),
    "missions.meeting": ("place", "key_points", "source"),
    "missions.followup": ("text",),
    "missions.keydate": ("event",),
    "missions.announcedresult": ("source",),
    "missions.auditentry": ("actor_username", "object_repr", "changes"),
    "missions.apitoken": ("name", "prefix"),
    "observation.form": ("form_id", "title", "titles"),
    "observation.formversion": ("definition", "source_name"),
    "observation.submission": ("delete_reason",),
    "observation.submissionrevision": ("reason",),
    "observation.qaflag": ("message",),
    "observation.conflictresolution": ("note",),
    "observation.broadcast": ("text",),
    "observation.smsmessage": ("number", "text"),
    "results.importbatch": ("file_name",),
    "results.publishedtotal": ("note",),
    "missions.sample": ("name",),
    "lto.reporttemplate": ("name", "questions"),
    "lto.report": ("title",),
    "lto.section": ("text",),
    "lto.confidentialpassage": ("text",),
    "lto.reviewnote": ("text",),
    "complaints.case": ("reference", "filer_name", "against", "summary", "legal_basis",
                        "reasons"),
    "complaints.subject": ("code", "name"),
    "complaints.confidentialnote": ("text",),
    "complaints.document": ("name",),
    "complaints.deadlinerule": ("source",),
    "complaints.holiday": ("name",),
    "media.outlet": ("name",),
    "media.monitoringperiod": ("name",),
    "media.topic": ("code", "name"),
    "media.item": ("programme", "subject_name", "coder", "note"),
    "standards.commitment": ("source", "reference", "title", "text"),
    "standards.recommendation": ("report_name", "text"),
    "standards.assessment": ("evidence",),
    "standards.tag": ("note",),
    "publications.report": ("name", "title"),
    "publications.section": ("text",),
}


def data_strings(language: str | None) -> list[str]:
    """The mission's data as entered (`DATA_FIELDS`), as a page in `language` may show it:
    a text with a column per language (`name_en`/`name_ru`, `event`/`event_kk`) or a
    translation per language (a checklist's `{"en": …, "ru": …}`) counts only where the
    language's own text is missing, so that a page showing the English text beside a
    translation fails; with no language (for the admin, which shows every language's column)
    every text counts. The answers to a checklist's text questions count too. Fields with
    choices hold codes the pages must show as labels, and are not data here."""
    found: set[str] = set()
    for label, names in DATA_FIELDS.items():
        model = apps.get_model(label)
        for record in model.objects.all():
            for name in names:
                value = getattr(record, name)
                base = name.removesuffix("_en")
                if isinstance(value, str):
                    if language is None or not getattr(record, f"{base}_{language}", ""):
                        found.add(value)
                else:
                    found.update(_strings(value, language))
    for submission in apps.get_model("observation.submission").objects.select_related(
            "form_version"):
        texts = {q["name"] for section in submission.form_version.definition["sections"]
                 for q in section["questions"] if q["type"] == "text"}
        found.update(v for k, v in submission.answers.items() if k in texts and v)
    return sorted({text.strip() for text in found if text.strip()}, key=len, reverse=True)


def _strings(value, language: str | None) -> list[str]:
    """The texts in a JSON value; of a translation (a dict keyed by languages, with "en"),
    the English one where `language` has none."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if "en" in value and set(value) <= {"en", "ru", "kk", "default"}:
            if language is None:
                return [s for item in value.values() for s in _strings(item, language)]
            return [] if value.get(language) else _strings(value["en"], language)
        return [s for item in value.values() for s in _strings(item, language)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, language)]
    return []


def data_pattern(data: list[str]) -> re.Pattern:
    """Any of the texts, as whole words (never a part of a word)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, data)) + r")(?!\w)")


_ALLOWED = re.compile(r"(?<![\w-])(?:" + "|".join(
    map(re.escape, sorted(ALLOWED, key=len, reverse=True))) + r")(?![\w-])")


def english_left(text: str, data: re.Pattern) -> list[str]:
    text = _ALLOWED.sub(" ", _ADDRESS.sub(" ", data.sub(" ", text)))
    dictionary = english_words()
    return [word for word in WORD.findall(text) if word.lower() in dictionary]


def start_paths(scene, role: str, client) -> list[str]:
    """The role's menu (the sign-in page without one), the pages the admin's index links to
    (the crawl does not walk the admin), and a page that does not exist."""
    user = scene.users[role]
    menu = [item.url for item in items_for(user, scene.mission)] if user else []
    starts = [*(menu or ["/", "/login/"]), "/no-such-page/"]
    if "/admin/" in menu:
        anchors = _Anchors()
        anchors.feed(client.get("/admin/").content.decode())
        starts += [path for href in anchors.hrefs if (path := internal(href, "/admin/"))]
    return starts


@pytest.fixture(scope="module")
def walks(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """(role, language) → {page path: its English words}, for every page walked, and
    (role, language, "kinds") → the kinds of page checked."""
    media = tmp_path_factory.mktemp("media")
    found = {}
    with (django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
          logins_given_their_two_factor_code(), transaction.atomic()):
        scene = build()
        every_text = data_pattern(data_strings(None))
        for language in ("ru", "kk"):
            data = data_pattern(data_strings(language))
            for role in ROLES:
                client = client_for(scene, role, "session")
                client.cookies["django_language"] = language
                walk = crawl(client, start_paths(scene, role, client), kind=kind_of, keep=True)
                pages = {path: page for path, page in walk.pages.items()
                         if page.content and kind_of(path) not in SKIPPED_PAGES}
                found[role, language, "kinds"] = {kind_of(path) for path in pages}
                found[role, language] = {
                    path: words for path, page in pages.items()
                    if (words := english_left(visible_text(page.content, language),
                                              every_text if path.startswith("/admin/") else data))}
        found["english"] = english_left(visible_text(
            client_for(scene, "core", "session").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode(),
            "en"), data)
        transaction.set_rollback(True)
    return found


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("role", ROLES)
def test_no_english_word_is_left_on_a_page(walks, role, language):
    found = {path: " ".join(sorted(set(words))) for path, words in walks[role, language].items()}
    assert found == {}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_walk_reaches_every_kind_of_page_of_the_core_team(walks, language):
    kinds = walks["core", language, "kinds"]
    assert len(kinds) > 45
    assert {"missions:overview", "missions:meeting", "observation:submission",
            "situation:room", "reporting:quick_count", "sms:log", "admin:index",
            "account:tokens", "/no-such-page/"} <= kinds


def test_the_check_finds_the_english_of_a_page_in_english(walks):
    assert {"Overview", "Locations", "Meetings", "Log", "out"} <= set(walks["english"])


def test_every_skipped_page_is_a_page_with_a_reason():
    names = {pattern.key for pattern in all_patterns()}
    assert {name: reason for name, reason in SKIPPED_PAGES.items()
            if name not in names or not reason} == {}
