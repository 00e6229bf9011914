"""Hostile PDFs and JPEGs of issue 17 (items 1 and 2): intake stays linear in a flood of stream
starts; an image that declares too many pixels is refused wherever it hides (forms nested
deeper than a page walk looks, an annotation's appearance, a tiling pattern, a soft mask, a
Type 3 glyph, inline, a JPEG header that says more than the PDF's dictionary); a compressed
stream that inflates far beyond the limit is refused; a JPEG that declares far more pixels than
its data can hold is refused. Each shown refused and, just under its limit, accepted."""

from __future__ import annotations

import io
import re
import time
import zlib
from collections.abc import Callable

import pytest
from PIL import Image

from core.errors import AdmissionError
from core.settings import Limits
from reading.admission import (
    MAX_DANGLING_STREAMS,
    _without_stream_data,
    active_content,
    dangling_streams,
    intake,
)
from reading.jpeg_header import frame, holds_too_little
from reading.pdf_draws import most_draws
from reading.pdf_objects import _streams, costly_object
from tests import factories, hostile, hostile_bombs

LIMITS = Limits()
# The structure scan used before: quadratic in stream starts without an end.
_OLD_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def most_draws_of(data: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    forms = {n: s for n, s in _streams(reader) if s.get("/Subtype") == "/Form"}
    return most_draws(reader, forms, 10**6)


def refused(data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(AdmissionError) as caught:
        intake(data, limits)
    return caught.value.message


def test_a_flood_of_stream_starts_is_read_in_linear_time() -> None:
    """512 KB of `%stream` lines: the regex scan took about 2 minutes for this (8.5 s for
    125 KB, four times as long for twice the size); now a few milliseconds. The bound is a
    hundred times what it takes here."""
    data = hostile.stream_flood_pdf(512 * 1024)
    started = time.perf_counter()
    checked = intake(data, LIMITS)
    seconds = time.perf_counter() - started
    assert checked.page_count == 1 and checked.active_content == ()
    assert seconds < 1.0, f"intake of a 512 KB stream flood took {seconds:.2f} s"


def test_leaving_out_stream_data_is_what_the_regex_did_on_ordinary_files() -> None:
    files = [
        factories.text_pdf(),
        factories.image_pdf(),
        hostile.active_pdf(),
        hostile.page_pdf(content=b"BT (stream\nendstream) Tj ET"),
        hostile.raw_pdf([b"<< /Length 5 >>\nstream\nabc\nendstream", b"<< /JS 1 >>"]),
    ]
    for data in files:
        assert _without_stream_data(data) == _OLD_STREAM.sub(b"stream endstream", data)
    # a stream without an end keeps the rest as it is (structure from there on is still read)
    tail = b"1 0 obj\n<< /Length 3 >>\nstream\n/JavaScript"
    assert _without_stream_data(tail) == tail
    assert active_content(hostile.page_pdf() + b"\n" + tail) == ("JavaScript",)


def test_objects_whose_streams_never_end_are_refused_before_pdfium_reads_them() -> None:
    """pdfium searches to the end of the file for each stream's end: 256 KB took 8 s."""
    data = hostile.object_flood_pdf(256 * 1024)
    started = time.perf_counter()
    assert "beschadigd" in refused(data)
    assert time.perf_counter() - started < 1.0
    # one stream cut off at the end (a truncated save) is not this: pdfium reads it
    assert dangling_streams(hostile.object_flood_pdf(64)) <= 3
    few = hostile.object_flood_pdf(MAX_DANGLING_STREAMS * 26)
    assert dangling_streams(few) <= MAX_DANGLING_STREAMS
    assert dangling_streams(factories.text_pdf()) == 0


BOMBS = {
    "nested 9 deep": hostile.nested_image_bomb_pdf,
    "annotation": hostile.annotation_image_bomb_pdf,
    "pattern": hostile.pattern_image_bomb_pdf,
    "soft mask": hostile.soft_mask_image_bomb_pdf,
    "type 3 glyph": hostile.type3_image_bomb_pdf,
    "inline": hostile.inline_image_bomb_pdf,
    "JPEG header": hostile.jpeg_lies_pdf,
}


@pytest.mark.parametrize("make", BOMBS.values(), ids=BOMBS.keys())
def test_an_image_bomb_is_refused_wherever_it_hides(make: Callable[..., bytes]) -> None:
    assert "40000×40000 pixels" in refused(make(side=40000))
    # the same file with a small image is read as usual
    assert intake(make(side=500), LIMITS).page_count == 1
    # and the limit decides: with the limit above the image, only a JPEG whose data is far
    # too short for its header is still refused (as damaged)
    if make is hostile.jpeg_lies_pdf:
        assert "beschadigd" in refused(make(side=40000), Limits(max_megapixels=2000))
    else:
        assert intake(make(side=40000), Limits(max_megapixels=2000)).page_count == 1


def test_a_flate_bomb_in_a_content_stream_or_a_font_is_refused() -> None:
    for make in (hostile.flate_bomb_pdf, hostile.font_bomb_pdf):
        assert "uitpakken" in refused(make(8), Limits(max_inflated_mb=4))
        assert intake(make(8), Limits(max_inflated_mb=16)).page_count == 1
    assert costly_object(factories.text_pdf(), Limits(max_inflated_mb=0.01)) is None


def test_a_flate_image_is_judged_by_its_pixels_not_by_how_far_it_inflates() -> None:
    """A scan's page stored with Flate inflates to many MB: that is its pixels, not a bomb."""
    assert intake(hostile.image_bomb_pdf(3000), Limits(max_inflated_mb=0.5)).page_count == 1


def test_a_jpeg_that_declares_more_than_its_data_holds_is_refused() -> None:
    lying = factories.jpeg_bomb(8000, 8000)  # 64 MP declared (under the limit) in ~1 KB
    found = frame(lying)
    assert found is not None and (found.width, found.height) == (8000, 8000)
    assert holds_too_little(lying, found)
    assert "beschadigd" in refused(lying)
    honest = factories.jpeg()
    found = frame(honest)
    assert found is not None and not holds_too_little(honest, found)
    assert intake(honest, LIMITS).page_count == 1
    blank = factories.jpeg(Image.new("L", (2480, 3508), 255), quality=30)
    found = frame(blank)  # a white A4 page at 300 dpi compresses best of all: still enough
    assert found is not None and not holds_too_little(blank, found)


def test_an_arithmetic_coded_frame_is_not_judged_by_its_size() -> None:
    data = bytearray(factories.jpeg_bomb(8000, 8000))
    data[data.find(b"\xff\xc0") + 1] = 0xC9  # SOF9: arithmetic coding
    found = frame(bytes(data))
    assert found is not None and found.arithmetic and not holds_too_little(bytes(data), found)


def test_an_unparsable_object_table_leaves_the_file_to_pdfium() -> None:
    """The object walk only adds refusals: a file pypdf cannot parse gets None here."""
    assert costly_object(b"%PDF-1.7\n garbage \n%%EOF\n", LIMITS) is None
    assert costly_object(zlib.compress(b"x" * 100), LIMITS) is None


def test_a_form_drawn_ten_times_a_level_is_refused_once_it_costs_too_many_draws() -> None:
    """Six levels of ten draws (111,111 draws, ~10 s in pdfium) refused, four (1,111, 0.1 s)
    read as usual; a form that draws itself is neither a hang nor a bomb."""
    assert "te zwaar" in refused(hostile_bombs.form_fanout_pdf(levels=6))
    assert intake(hostile_bombs.form_fanout_pdf(levels=4), LIMITS).page_count == 1
    assert costly_object(hostile_bombs.form_cycle_pdf(), LIMITS) is None
    assert most_draws_of(hostile_bombs.form_fanout_pdf(levels=3)) == 111
