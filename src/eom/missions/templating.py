"""The template engine of eom's pages: Django's, with output that can always be sent.

A text stored before eom refused lone surrogates (a JSON `"\\ud800"` escape, on SQLite) cannot
be encoded as UTF-8, so any page showing it would fail. The engine's output has each lone
surrogate replaced by U+FFFD (�): the page is shown and the damaged character is visible.
"""

from __future__ import annotations

import re

from django.template.backends.django import DjangoTemplates as _DjangoTemplates

_SURROGATE = re.compile("[\ud800-\udfff]")


def sendable(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD (unchanged in the usual case)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


class _Template:
    """A template of the Django engine whose output is `sendable`."""

    def __init__(self, template) -> None:
        self._template = template

    def __getattr__(self, name: str):
        return getattr(self._template, name)

    def render(self, context=None, request=None) -> str:
        return sendable(self._template.render(context, request))


class DjangoTemplates(_DjangoTemplates):
    def from_string(self, template_code):
        return _Template(super().from_string(template_code))

    def get_template(self, template_name):
        return _Template(super().get_template(template_name))
