"""A photo's kind is told by its first bytes: the phone formats are recognised, anything that
starts otherwise is not a photo, whatever it is called."""

import io
import struct

import pytest

from eom.observation.photos import kind_of, kind_of_file
from tests.observation import photo_files as files


@pytest.mark.parametrize(("content", "kind"), [
    (files.png(), "image/png"),
    (files.jpeg(), "image/jpeg"),
    (files.WEBP, "image/webp"),
    (files.heic(), "image/heic"),
    (files.heif(), "image/heif"),
])
def test_phone_photo_formats_are_recognised_by_their_content(content, kind):
    assert kind_of(content) == kind


@pytest.mark.parametrize("content", [
    files.SVG_WITH_SCRIPT, files.HTML, files.PDF, files.GIF, files.POLYGLOT, files.avif(),
    b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPJUNK",
    b"RIFF\x00\x00\x00\x00AVI LIST", b"\xef\xbb\xbf<svg/>", b"   <html>",
])
def test_anything_that_starts_otherwise_is_not_a_photo(content):
    assert kind_of(content) is None


def test_an_ftyp_box_whose_size_runs_past_the_file_is_not_a_photo():
    head = files.heic()[:20]
    assert kind_of(head) is None
    assert kind_of(struct.pack(">I", 8) + b"ftypheic") is None


def test_a_heic_brand_among_the_compatible_ones_makes_a_heic_photo():
    brands = b"mif1" + b"\x00\x00\x00\x00" + b"mif1heic"
    assert kind_of(struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands) == "image/heic"


def test_reading_the_kind_of_a_file_leaves_it_at_its_start():
    file = io.BytesIO(files.png())
    file.seek(5)
    assert kind_of_file(file) == "image/png"
    assert file.tell() == 0
