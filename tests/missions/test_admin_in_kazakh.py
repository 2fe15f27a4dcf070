"""The admin in Kazakh: Django's own Kazakh catalogue lacks much of the admin's chrome ("View
site", "Recent actions" …); eom's catalogue gives it, so no English of Django's admin is left."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_meeting

# Words of Django's admin chrome, as they read in English.
ENGLISH = re.compile(
    r"\b(View site|Change password|Log out|Recent actions|My actions|None available|"
    r"Site administration|Django administration|Add|Change|View|Delete|Search|Filter|All|"
    r"Action|Go|Save|selected|of|results?|Show all|Clear all filters|Toggle navigation|"
    r"Start typing to filter|Welcome|Home|Skip to main content|Theme|Models in the)\b"
)


class _Text(HTMLParser):
    """The text a reader sees: element text and the titles, labels and button values."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        shown = dict(attrs)
        for name in ("title", "placeholder", "aria-label"):
            if shown.get(name):
                self.parts.append(shown[name])
        if tag == "input" and shown.get("type") in ("submit", "button") and shown.get("value"):
            self.parts.append(shown["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def shown_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def english_in(html: str) -> list[str]:
    return sorted({part for part in shown_text(html) if ENGLISH.search(part)})


@pytest.mark.parametrize("page", ["admin:index", "admin:missions_meeting_changelist",
                                  "admin:missions_person_changelist", "admin:missions_meeting_add"])
def test_admin_pages_in_kazakh_show_no_english_of_the_admin(client, mission, core_member, page):
    make_meeting(mission, actor=core_member, place="Астана, Сыртқы істер министрлігі")
    client.force_login(core_member)

    response = client.get(reverse(page), HTTP_ACCEPT_LANGUAGE="kk")

    assert response.status_code == 200
    assert english_in(response.content.decode()) == []
