"""docs/channel-sms.md names exactly the question types that have an SMS form and those that
have none: every type eom reads is in one of its lists, and no type is in both."""

from __future__ import annotations

import re
from pathlib import Path

from eom.xlsform.reader import QUESTION_TYPES
from eom.xlsform.sms_syntax import SMS_TYPES

DOC = Path(__file__).resolve().parents[2] / "docs" / "channel-sms.md"


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("Only these seven XLSForm types have an SMS form")
    return text[start:text.index("<!-- the lists above", start)]


def test_types_with_an_sms_form_are_named_as_the_code_has_them():
    first = _section().split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z_-]+)`", first)) - {"_from_file", "or_other"}

    assert named == SMS_TYPES


def test_every_other_type_is_listed_as_having_no_sms_form():
    lists = _section().split("\n\n", 1)[1]
    named = re.findall(r"`([a-z_-]+)`", lists)

    assert sorted(named) == sorted(set(QUESTION_TYPES) - SMS_TYPES)
