"""No template of eom holds inline script or style: the Content-Security-Policy allows
neither, so everything a page runs or styles comes from eom's static files."""

from pathlib import Path

import pytest

from tests.inline_code import inline_code

SOURCE = Path(__file__).resolve().parent.parent / "src" / "eom"
TEMPLATES = sorted(SOURCE.rglob("templates/**/*.html"))


def test_the_templates_are_found():
    assert len(TEMPLATES) > 40
    assert SOURCE / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_template_has_no_inline_script_handler_or_style(template):
    assert inline_code(template.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("html", "found"), [
    ("<script>alert(1)</script>", ["line 1: inline <script>"]),
    ('<script type="module">x()</script>', ["line 1: inline <script>"]),
    ('<a href="x" {% if a %}onclick="go()"{% endif %}>', ["line 1: event handler onclick="]),
    ('<p\nstyle="color: red">', ["line 1: style attribute"]),
    ("<svg><style>rect{fill:red}</style></svg>", ["line 1: <style> element"]),
    ('<a href=" JavaScript:alert(1)">', ["line 1: javascript: URL in href"]),
    ('<button hx-on:click="x()">', ["line 1: hx-on:click runs script"]),
    ("<div hx-vals='js:{a: b()}'>", ["line 1: hx-vals evaluates script"]),
    ('<script src="/static/eom/a.js"></script><script type="application/json">{}</script>', []),
])
def test_inline_code_is_found_wherever_it_hides(html, found):
    assert inline_code(html) == found
