"""Find what a Content-Security-Policy without 'unsafe-inline' would block in a piece of HTML:
inline scripts, event-handler attributes, `javascript:` URLs, style attributes and <style>
elements, and htmx attributes that evaluate script (hx-on, hx-vars, `js:` values)."""

from __future__ import annotations

from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # In a template, an attribute may follow a tag ({% if %}onclick=...): read past it.
        values = {name.rsplit("}", 1)[-1]: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if tag == "script" and "src" not in values and (
                values.get("type", "").strip().lower() not in DATA_SCRIPT_TYPES):
            self.found.append(f"line {line}: inline <script>")
        if tag == "style":
            self.found.append(f"line {line}: <style> element")
        for name, value in values.items():
            if name.startswith("on") and name.isalpha():
                self.found.append(f"line {line}: event handler {name}=")
            elif name == "style":
                self.found.append(f"line {line}: style attribute")
            elif name.startswith(("hx-on", "data-hx-on")) or name in {"hx-vars", "data-hx-vars"}:
                self.found.append(f"line {line}: {name} runs script")
            elif name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                self.found.append(f"line {line}: javascript: URL in {name}")
            elif name.startswith(("hx-", "data-hx-")) and value.strip().startswith(
                    ("js:", "javascript:")):
                self.found.append(f"line {line}: {name} evaluates script")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    """Each piece of inline script or style in `html`, as "line N: what"."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
