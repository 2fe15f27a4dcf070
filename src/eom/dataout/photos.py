"""Incident photos as one ZIP: every photo of the reports asked for, and `index.csv` naming,
for each file, the report it belongs to (uuid, form, place, team, time observed, question).

The archive is streamed as it is written (ZIP_STORED: photos are compressed already), one photo
at a time, so that its size never sits in memory; the count and the total size are bounded
before the first byte is sent (MAX_PHOTOS, MAX_BYTES), so that an export asks for what a
connection can carry.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from eom.observation.models import Attachment, Submission
from eom.tables import neutralised

from .submissions import ExportRefused, id_batches

MAX_PHOTOS = 5000
MAX_BYTES = 2 * 1024**3
INDEX_HEADER = ("file", "uuid", "form", "location", "location_name", "team", "observed_at",
                "question", "content_type", "size")


class _Pipe(io.RawIOBase):
    """What zipfile writes, handed on in pieces (a stream it cannot seek in)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def photo_batches(reports: QuerySet[Submission]) -> Iterator[QuerySet[Attachment]]:
    """The photos of the reports, a batch of reports at a time, in the exports' order."""
    for ids in id_batches(reports, attachments__isnull=False):
        yield (Attachment.objects.filter(submission_id__in=ids)
               .select_related("submission__form", "submission__location", "submission__team")
               .order_by("submission__observed_at", "submission_id", "pk"))


def check_bounds(reports: QuerySet[Submission]) -> int:
    """How many photos the reports hold; ExportRefused when there are more than MAX_PHOTOS or
    more than MAX_BYTES of them."""
    n_photos = size = 0
    for batch in photo_batches(reports):
        found = batch.aggregate(n=Count("pk"), total=Sum("size"))
        n_photos += found["n"]
        size += found["total"] or 0
        if n_photos > MAX_PHOTOS or size > MAX_BYTES:
            break
    if n_photos > MAX_PHOTOS or size > MAX_BYTES:
        raise ExportRefused("filters", _(
            "%(n)s photos, %(mb)s MB: more than one archive carries (%(max)s photos, %(max_mb)s "
            "MB); narrow the filters (a form, a region, a time).") % {
                "n": n_photos, "mb": size // 1024**2, "max": MAX_PHOTOS,
                "max_mb": MAX_BYTES // 1024**2})
    return n_photos


def _name(index: int, photo: Attachment) -> str:
    s = photo.submission
    suffix = PurePosixPath(photo.file.name).suffix.lower()[:6] or ".bin"
    question = photo.question.replace("/", "-")  # inside a repeat: `visits[2]-photo`
    return f"photos/{index:05d}-{s.location.code}-{s.form.form_id}-{question}{suffix}"


def archive(reports: QuerySet[Submission]) -> Iterator[bytes]:
    """The ZIP's bytes, piece by piece: the photos, then index.csv."""
    pipe = _Pipe()
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(INDEX_HEADER)
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as bundle:
        photos = (photo for batch in photo_batches(reports) for photo in batch)
        for number, photo in enumerate(photos, start=1):
            s = photo.submission
            name = _name(number, photo)
            with photo.file.open("rb") as source, bundle.open(name, "w", force_zip64=True) as out:
                while chunk := source.read(1024 * 1024):
                    out.write(chunk)
                    yield pipe.drain()
            writer.writerow([neutralised(str(v)) for v in (
                name, s.uuid, s.form.form_id, s.location.code, s.location.name,
                s.team.code if s.team_id else "", timezone.localtime(s.observed_at).isoformat(),
                photo.question, photo.content_type, photo.size)])
            yield pipe.drain()
        bundle.writestr("index.csv", "\ufeff" + index.getvalue())
    yield pipe.drain()
