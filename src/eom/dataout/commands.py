"""`eom export <table> FILE`: a page's table or an export of the evidence, written to a file.

The command asks the page's own view for its download, as the login named by `--user` reads it
(its access scopes the rows, as on the page) with the page's filters (`--filter key=value`,
the page's query string), so that the file equals what that reader downloads from the page;
the export is recorded and audited with the command line as its channel.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation
from django_htmx.middleware import HtmxDetails

from eom.missions.models import Channel


@dataclass(frozen=True)
class Source:
    url: str  # the URL name of the page or export
    query: tuple[tuple[str, str], ...]  # what the table needs beyond the filters
    zipped: bool = False


TABLES: dict[str, Source] = {
    "submissions": Source("dataout:submissions", (("shape", "wide"),)),
    "answers": Source("dataout:submissions", (("shape", "long"),)),
    "flags": Source("dataout:submissions", (("shape", "flags"),)),
    "revisions": Source("dataout:submissions", (("shape", "revisions"),)),
    "photos": Source("dataout:photos", (), zipped=True),
    "analysis": Source("reporting:analysis", (("table", "questions"),)),
    "analysis-areas": Source("reporting:analysis", (("table", "areas"),)),
    "indicators": Source("reporting:analysis", (("table", "indicators"),)),
    "coverage": Source("observation:coverage", (("table", "coverage"),)),
    "quick-count": Source("reporting:quick_count", (("table", "estimates"),)),
    "strata": Source("reporting:quick_count", (("table", "strata"),)),
    "protocols": Source("results:protocols", (("table", "protocols"),)),
    "discrepancies": Source("results:discrepancies", (("table", "discrepancies"),)),
    "aggregation": Source("results:aggregation", (("table", "aggregation"),)),
    "seats": Source("results:seats", (("table", "seats"),)),
    "allocation": Source("results:seats", (("table", "allocation"),)),
    "complaints-figures": Source("dataout:complaints_figures", ()),
    "media-figures": Source("dataout:media_figures", ()),
    "media-weeks": Source("dataout:media_figures", (("table", "weeks"),)),
    "forensics-stations": Source("results:forensics", (("table", "stations"),)),
    "forensics-integer-percent": Source("results:forensics", (("table", "integer_percent"),)),
    "forensics-observer-effect": Source("results:forensics", (("table", "observer_effect"),)),
}


def reader(username: str | None):
    """The login named, else the first active superuser (the server's operator)."""
    users = get_user_model().objects.filter(is_active=True)
    user = (users.filter(username=username).first() if username
            else users.filter(is_superuser=True).order_by("pk").first())
    if user is None:
        raise CommandError(f'--user: no active login "{username}"' if username else
                           "--user: name the login whose access the export follows "
                           "(there is no superuser)")
    return user


def export(kind: str, path: Path, *, user, form: str | None, lang: str | None,
           labels: bool, filters: list[str]) -> int:
    """Write the table `kind` to `path` (.csv, .xlsx; .zip for photos) as `user` downloads it
    from its page; returns the file's size in bytes. CommandError names what is wrong."""
    source = TABLES[kind]
    suffix = path.suffix.lower().lstrip(".")
    if source.zipped and suffix != "zip":
        raise CommandError(f"{path.name}: name the file .zip")
    if not source.zipped and suffix not in ("csv", "xlsx"):
        raise CommandError(f"{path.name}: name the file .csv or .xlsx")
    query: list[tuple[str, str]] = list(source.query)
    if not source.zipped:
        query.append(("format", suffix))
    if form:
        query.append(("form", form))
    if labels:
        query.append(("values", "labels"))
    if lang:
        query.append(("lang", lang))
    for pair in filters:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f'--filter: "{pair}" is not key=value (e.g. --filter region=R1)')
        query.append((key, value))
    address = reverse(source.url)
    request = RequestFactory().get(address, dict(query))
    request.user = user
    request.htmx = HtmxDetails(request)
    request.eom_channel = Channel.COMMAND
    with translation.override(lang or "en"):
        response = resolve(address).func(request)
    if response.status_code != 200:
        content = b"" if response.streaming else response.content
        reason = content.decode("utf-8", "replace").strip() or f"status {response.status_code}"
        raise CommandError(f"{kind}: {reason}")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as out:
            if response.streaming:
                for chunk in response.streaming_content:
                    out.write(chunk)
            else:
                out.write(response.content)
        shutil.move(partial, path)
    finally:
        partial.unlink(missing_ok=True)
        # the file a download streams from (not response.close(): outside a request, that
        # would tell Django the request finished and close the database connections)
        streamed = getattr(response, "file_to_stream", None)
        if streamed is not None:
            streamed.close()
    return path.stat().st_size
