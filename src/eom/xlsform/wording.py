"""Messages of the pure readers (the XLSForm reader, the expression parser) that a page can show
in the reader's language.

The readers import no Django, so they cannot translate. Each message they raise is a
`Message`: the English text (a `str`, equal to the text as written), which also remembers its
template and its values. A page translates it with Django's `gettext`:
`message.translated(gettext)` looks the template up in eom's catalogue and fills in the values
(values that are messages themselves are translated too). The templates are written with
`gettext_noop(...)`, the name Django's `makemessages` looks for, so they are collected into
`locale/*/LC_MESSAGES/django.po` like every other string.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Message(str):
    """English text that can be shown in another language (see the module docstring)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any] | None = None) -> Message:
        params = dict(params or {})
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message through `gettext` (Django's, on a page): translated template, translated
        values; the English text where the translation does not fit its values."""
        values = {key: value.translated(gettext) if isinstance(value, Message) else value
                  for key, value in self.params.items()}
        try:
            return gettext(self.template) % values if values else gettext(self.template)
        except (KeyError, TypeError, ValueError):
            return str(self)


def gettext_noop(template: str, /, **params: Any) -> Message:
    """A message the page translates when it shows it: `template` with `%(name)s` fields, and
    their values (the workbook reader imports no Django, so it cannot translate itself)."""
    return Message(template, params)


def translated(text: str, gettext: Callable[[str], str]) -> str:
    """Any text a reader raised: a `Message` translated, anything else as it is."""
    return text.translated(gettext) if isinstance(text, Message) else str(text)
