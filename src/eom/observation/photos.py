"""What kind of photo a file is, told by its content alone (never by its name or the type the
sender claims).

eom takes the photos a phone's camera makes, and nothing else:

    JPEG   FF D8 FF, then a marker byte
    PNG    89 'PNG' 0D 0A 1A 0A, then the IHDR chunk
    WebP   'RIFF' <size> 'WEBP', then a 'VP8 ', 'VP8L' or 'VP8X' chunk
    HEIC   an ISO-BMFF 'ftyp' box first whose major or compatible brands hold heic, heix, heim,
           heis, hevc or hevx (image/heic), else mif1 or msf1 without an AVIF brand (image/heif)

A file that starts with anything else (SVG, HTML, PDF, GIF, a polyglot that puts its script
first) is not a photo. The result is the media type eom stores and serves for the file.
"""

from __future__ import annotations

import struct

JPEG, PNG, WEBP, HEIC, HEIF = "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"
ACCEPTED = (JPEG, PNG, WEBP, HEIC, HEIF)
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", HEIC: "heic", HEIF: "heif"}
# How much of the file `kind_of` needs: an ftyp box lists its brands within its first bytes.
HEAD_BYTES = 4096

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_BRANDS = {b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def kind_of(head: bytes) -> str | None:
    """The media type of a photo whose first bytes are `head` (at least HEAD_BYTES of them,
    or the whole file), or None when it is not one of ACCEPTED."""
    if head[:3] == b"\xff\xd8\xff" and len(head) > 3:
        return JPEG
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:16] in {
        b"VP8 ", b"VP8L", b"VP8X",
    }:
        return WEBP
    return _heif_kind(head)


def _heif_kind(head: bytes) -> str | None:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    (size,) = struct.unpack(">I", head[:4])
    if size < 16 or size > len(head) or size % 4:
        return None
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, size, 4)}
    if brands & _HEIC_BRANDS:
        return HEIC
    if brands & _HEIF_BRANDS and not brands & _AVIF_BRANDS:
        return HEIF
    return None


def kind_of_file(file) -> str | None:
    """`kind_of` the first bytes of an open file (an upload or a stored file); the file's
    position is put back at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return kind_of(head)
