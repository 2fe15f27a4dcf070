"""Replies to SMS reports, in the observer's language (English, Russian, Kazakh).

Each refusal has its own text naming the question tag and the reason, e.g. "AB: 12 is above the
maximum 5", "unknown form XY", "missing AC, AD"; an accepted report is answered with what was
stored ("received: VT 01001 AA0930 …"). The texts live here, in all three languages, rather than
in the .po catalogues: an SMS reply must come out in the observer's language whatever catalogue
a server has compiled, and stays short enough for one or two SMS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from eom.observation.sms import ParsedSms, SmsError, SmsErrorKind, summary

LANGUAGES = ("en", "ru", "kk")
MAX_REPLY = 320  # two SMS segments of Latin text

TEXTS: dict[str, dict[str, str]] = {
    # parser (eom.observation.sms.SmsErrorKind)
    "empty": {
        "en": "empty message",
        "ru": "пустое сообщение",
        "kk": "хабарлама бос",
    },
    "too_long": {
        "en": "the message is too long ({length} characters, at most {maximum})",
        "ru": "сообщение слишком длинное ({length} знаков, не более {maximum})",
        "kk": "хабарлама тым ұзын ({length} таңба, ең көбі {maximum})",
    },
    "missing_form": {
        "en": "begin with the form's letters: {known}",
        "ru": "начните с букв формы: {known}",
        "kk": "форманың әріптерінен бастаңыз: {known}",
    },
    "unknown_form": {
        "en": "unknown form {form} (forms: {known})",
        "ru": "неизвестная форма {form} (формы: {known})",
        "kk": "белгісіз форма {form} (формалар: {known})",
    },
    "no_incident_form": {
        "en": "the mission has no incident form",
        "ru": "у миссии нет формы инцидентов",
        "kk": "миссияда оқиға формасы жоқ",
    },
    "missing_code": {
        "en": "{form}: your observer code is missing",
        "ru": "{form}: нет кода наблюдателя",
        "kk": "{form}: бақылаушы коды жоқ",
    },
    "bad_code": {
        "en": "“{code}” is not an observer code",
        "ru": "«{code}» — не код наблюдателя",
        "kk": "«{code}» бақылаушы коды емес",
    },
    "bad_station": {
        "en": "“{station}” is not a station code",
        "ru": "«{station}» — не код участка",
        "kk": "«{station}» учаске коды емес",
    },
    "bad_character": {
        "en": "the character “{character}” is not allowed here",
        "ru": "символ «{character}» здесь недопустим",
        "kk": "«{character}» таңбасына мұнда рұқсат жоқ",
    },
    "stray_value": {
        "en": "“{value}” has no question letters before it",
        "ru": "перед «{value}» нет букв вопроса",
        "kk": "«{value}» алдында сұрақ әріптері жоқ",
    },
    "unknown_tag": {
        "en": "unknown question {tag} in {form} (write comments after @)",
        "ru": "в форме {form} нет вопроса {tag} (комментарий пишите после @)",
        "kk": "{form} формасында {tag} сұрағы жоқ (түсініктемені @ белгісінен кейін жазыңыз)",
    },
    "duplicate_tag": {
        "en": "{tag} is given twice",
        "ru": "{tag} указан дважды",
        "kk": "{tag} екі рет берілген",
    },
    "missing_value": {
        "en": "{tag}: the answer is missing",
        "ru": "{tag}: нет ответа",
        "kk": "{tag}: жауап жоқ",
    },
    "text_needs_at": {
        "en": "{tag}: write text as @{tag}: …",
        "ru": "{tag}: текст пишите так: @{tag}: …",
        "kk": "{tag}: мәтінді былай жазыңыз: @{tag}: …",
    },
    "no_comment": {
        "en": "form {form} takes no comment",
        "ru": "форма {form} не принимает комментарий",
        "kk": "{form} формасы түсініктеме қабылдамайды",
    },
    "not_a_number": {
        "en": "{tag}: “{value}” is not a whole number",
        "ru": "{tag}: «{value}» — не целое число",
        "kk": "{tag}: «{value}» бүтін сан емес",
    },
    "not_a_decimal": {
        "en": "{tag}: “{value}” is not a number",
        "ru": "{tag}: «{value}» — не число",
        "kk": "{tag}: «{value}» сан емес",
    },
    "below_minimum": {
        "en": "{tag}: {value} is below the minimum {minimum}",
        "ru": "{tag}: {value} меньше минимума {minimum}",
        "kk": "{tag}: {value} ең аз мәннен ({minimum}) кем",
    },
    "above_maximum": {
        "en": "{tag}: {value} is above the maximum {maximum}",
        "ru": "{tag}: {value} больше максимума {maximum}",
        "kk": "{tag}: {value} ең көп мәннен ({maximum}) асады",
    },
    "not_a_choice": {
        "en": "{tag}: {value} is not a choice (1–{n_choices})",
        "ru": "{tag}: варианта {value} нет (1–{n_choices})",
        "kk": "{tag}: {value} деген нұсқа жоқ (1–{n_choices})",
    },
    "one_choice_only": {
        "en": "{tag}: one choice only",
        "ru": "{tag}: только один вариант",
        "kk": "{tag}: тек бір нұсқа",
    },
    "bad_time": {
        "en": "{tag}: “{value}” is not a time (HHMM)",
        "ru": "{tag}: «{value}» — не время (ЧЧММ)",
        "kk": "{tag}: «{value}» уақыт емес (ССММ)",
    },
    "bad_date": {
        "en": "{tag}: “{value}” is not a date (YYYY-MM-DD)",
        "ru": "{tag}: «{value}» — не дата (ГГГГ-ММ-ДД)",
        "kk": "{tag}: «{value}» күн емес (ЖЖЖЖ-АА-КК)",
    },
    "missing_answers": {
        "en": "missing {tags}",
        "ru": "не хватает {tags}",
        "kk": "жетіспейді: {tags}",
    },
    # the channel
    "unknown_number": {
        "en": "this number is not registered with the mission",
        "ru": "этот номер не зарегистрирован в миссии",
        "kk": "бұл нөмір миссияда тіркелмеген",
    },
    "code_mismatch": {
        "en": "the code {code} is not the one of this number",
        "ru": "код {code} не принадлежит этому номеру",
        "kk": "{code} коды бұл нөмірге тиесілі емес",
    },
    "station_needed": {
        "en": "name the station after your code: {stations}",
        "ru": "укажите участок после кода: {stations}",
        "kk": "кодтан кейін учаскені көрсетіңіз: {stations}",
    },
    "unknown_station": {
        "en": "unknown station {station}",
        "ru": "неизвестный участок {station}",
        "kk": "белгісіз учаске {station}",
    },
    "not_deployed": {
        "en": "you are not deployed to {station} on that day",
        "ru": "в этот день вы не направлены на участок {station}",
        "kk": "бұл күні сіз {station} учаскесіне жіберілмегенсіз",
    },
    "answer": {"en": "{tag}: {reason}", "ru": "{tag}: {reason}", "kk": "{tag}: {reason}"},
    "not_stored": {
        "en": "not stored: {reason}",
        "ru": "не сохранено: {reason}",
        "kk": "сақталмады: {reason}",
    },
    "locked": {
        "en": "too many errors from this number; try again after {time}",
        "ru": "слишком много ошибок с этого номера; повторите после {time}",
        "kk": "бұл нөмірден қате тым көп; {time} кейін қайталаңыз",
    },
    "rate_limited": {
        "en": "too many messages from this number; wait a few minutes",
        "ru": "слишком много сообщений с этого номера; подождите несколько минут",
        "kk": "бұл нөмірден хабарлама тым көп; бірнеше минут күтіңіз",
    },
    "accepted": {
        "en": "received: {summary} (ref {ref})",
        "ru": "принято: {summary} (№ {ref})",
        "kk": "қабылданды: {summary} (№ {ref})",
    },
    "partial": {
        "en": "received: {summary}; still missing {tags}",
        "ru": "принято: {summary}; ещё нужны {tags}",
        "kk": "қабылданды: {summary}; әлі керек: {tags}",
    },
}


def language_of(languages: str, default: str = "en") -> str:
    """The first of a person's languages ("ru, en") that replies exist in, else `default`."""
    codes = [code[:2].lower() for code in re.split(r"[\s,;/]+", languages or "") if code]
    first = codes[0] if codes else ""
    return first if first in LANGUAGES else default if default in LANGUAGES else "en"


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def say(key: str, language: str, **values) -> str:
    """One reply text, filled in."""
    texts = TEXTS[key]
    template = texts.get(language) or texts["en"]
    return template.format(**{name: _plain(value) for name, value in values.items()})


def shorten(text: str) -> str:
    return text if len(text) <= MAX_REPLY else text[: MAX_REPLY - 1] + "…"


def error_text(error: SmsError, language: str) -> str:
    key = error.kind.value
    if error.kind is SmsErrorKind.NOT_A_NUMBER and error.details.get("kind") == "decimal":
        key = "not_a_decimal"
    values = {k: v for k, v in error.details.items() if k != "kind"}
    return say(key, language, **values)


def reply_for(result: ParsedSms | SmsError, language: str, ref: str = "") -> str:
    """The reply to a parsed message: every refusal named, or what was received."""
    if isinstance(result, SmsError):
        return shorten("; ".join(error_text(error, language) for error in result.all))
    return shorten(say("accepted", language, summary=summary(result), ref=ref))


def partial_reply(parsed: ParsedSms, missing: Iterable[str], language: str) -> str:
    return shorten(say("partial", language, summary=summary(parsed), tags=list(missing)))


def joined(parts: Iterable[str]) -> str:
    return shorten("; ".join(parts))
