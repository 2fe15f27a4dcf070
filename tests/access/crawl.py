"""Walk the pages a role can open by following their links, with Django's test client.

The walk starts from the pages given (the matrix's pages that answer the role 200, and an error
page or two), reads every `<a href>` of every HTML page it opens (error pages too: their links
must lead somewhere) and opens each link to this site once. Links that differ only in the values
of their query are sampled: a link is opened when one of its parameter values has not been tried
yet on its path (every value of every parameter is tried once, not every combination).
The Django admin's own pages are opened when linked to but not walked further.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.test import Client

HOST = "testserver"


class _Anchors(HTMLParser):
    """The `href` of every `<a>`, and how many menu items are marked current."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.current_in_menu = 0
        self.has_menu = False
        self._in_menu = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and "main" in (attributes.get("class") or "").split():
            self.has_menu, self._in_menu = True, True
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
            if self._in_menu and attributes.get("aria-current") == "page":
                self.current_in_menu += 1

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_menu = False


@dataclass
class Page:
    path: str
    status: int
    location: str = ""  # where a redirect leads
    html: bool = False
    has_menu: bool = False
    current_in_menu: int = 0
    content: str = ""  # the HTML, when the crawl keeps it


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    linked_from: dict[str, str] = field(default_factory=dict)  # target -> first page linking it

    def dead_links(self) -> list[str]:
        """Every link whose page does not answer 200: a redirect counts by where it leads, and
        one to the sign-in page is a refusal."""
        dead = []
        for target, source in self.linked_from.items():
            page = self.pages.get(target)
            if page is None:
                continue  # a sampled-out variant of a query
            final = self.final(page)
            if final.status != 200 or _to_login(page):
                dead.append(f"{source} links to {target}: {page.status}"
                            + (f" → {final.path}: {final.status}" if final is not page else ""))
        return sorted(dead)

    def final(self, page: Page) -> Page:
        seen = set()
        while page.location and page.location in self.pages and page.path not in seen:
            seen.add(page.path)
            page = self.pages[page.location]
        return page


def _to_login(page: Page) -> bool:
    """A redirect to the sign-in: the page refuses the reader."""
    return urlsplit(page.location).path in {"/login/", "/admin/login/"}


def internal(href: str, base: str) -> str | None:
    """The path and query a link leads to on this site; None for another site, a fragment of
    the same page, mailto:/tel: and the like."""
    if href.startswith("#"):
        return None
    parts = urlsplit(urljoin(f"http://{HOST}{base}", href))
    if parts.scheme not in {"http", "https"} or parts.netloc != HOST:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _Sampler:
    """Decides which links with a query are opened: one with a parameter value not tried yet
    on its path."""

    def __init__(self):
        self.tried: dict[str, set] = {}

    def wanted(self, target: str) -> bool:
        parts = urlsplit(target)
        if not parts.query:
            return True
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        tried = self.tried.setdefault(parts.path, set())
        new = set(pairs) - tried
        tried.update(pairs)
        return bool(new)


class _OneOfEachKind:
    """Decides which links are opened: the first of each kind."""

    def __init__(self, kind: Callable[[str], str]):
        self.kind = kind
        self.seen: set[str] = set()

    def wanted(self, target: str) -> bool:
        kind = self.kind(target)
        if kind in self.seen:
            return False
        self.seen.add(kind)
        return True


def crawl(client: Client, starts: list[str], *, limit: int = 1000,
          kind: Callable[[str], str] | None = None, keep: bool = False) -> Crawl:
    """Open the start pages and every page they link to, recursively (see the module).

    With `kind` (a path → the kind of page, e.g. its URL name), a link is opened only when no
    page of its kind has been queued yet: one page of each kind. With `keep`, each HTML page
    keeps its content."""
    result = Crawl()
    sampler = _Sampler() if kind is None else _OneOfEachKind(kind)
    queue = [path for path in starts if sampler.wanted(path)]
    queued = set(queue)
    while queue:
        path = queue.pop(0)
        page, hrefs = _open(client, path, keep)
        result.pages[path] = page
        if page.location and page.location not in queued:
            queue.append(page.location)
            queued.add(page.location)
        for href in hrefs:
            target = internal(href, path)
            if target is None:
                continue
            result.linked_from.setdefault(target, path)
            if target not in queued and len(queued) < limit and sampler.wanted(target):
                queue.append(target)
                queued.add(target)
    return result


def _open(client: Client, path: str, keep: bool = False) -> tuple[Page, list[str]]:
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end: closes the file
        return Page(path, response.status_code), []
    location = ""
    if response.status_code in {301, 302, 303, 307, 308}:
        location = internal(response["Location"], path) or response["Location"]
    page = Page(path, response.status_code, location)
    if "text/html" not in response.get("Content-Type", ""):
        return page, []
    content = response.content.decode()
    page.content = content if keep else ""
    if path.startswith("/admin/"):
        return page, []
    anchors = _Anchors()
    anchors.feed(content)
    page.html, page.has_menu, page.current_in_menu = True, anchors.has_menu, anchors.current_in_menu
    return page, anchors.hrefs
