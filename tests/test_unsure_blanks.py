"""A blank label on a scan is proof of absence only where the page shows no ink in the value's
place: OCR loses a cell now and then (a crebo dropped from a photographed form), and a lost
value must go to review, not be rejected as missing. Ink no OCR word explains is mapped per
millimetre by the visual pass."""

from __future__ import annotations

import cv2

from core.enums import WordSource
from core.geometry import BBox
from core.model import FieldValue, Word
from extractors.fields import unsure_blanks, value_places
from extractors.visual.collect import VisualCollector
from tests.test_visual_marks import MM, blank, printed

LABEL = BBox(x0=0.5, y0=0.26, x1=0.58, y1=0.27)


def _blank(method: WordSource) -> FieldValue:
    return FieldValue(
        value=None, page=1, bbox=LABEL, confidence=0.8, extractor="extractors.kv", method=method
    )


def test_a_blank_on_a_scan_with_ink_in_its_place_is_not_sure() -> None:
    fields = {"crebo": _blank(WordSource.OCR)}
    under = value_places(LABEL)[1]
    assert unsure_blanks(fields, lambda page, box: 9 if box == under else 0) == ["crebo"]
    assert fields == {}


def test_a_blank_with_an_empty_place_stands() -> None:
    fields = {"crebo": _blank(WordSource.OCR)}
    assert unsure_blanks(fields, lambda page, box: 0) == []
    assert list(fields) == ["crebo"]


def test_a_text_layer_blank_stands_whatever_the_ink() -> None:
    fields = {"bpv_omvang": _blank(WordSource.TEXT_LAYER)}
    assert unsure_blanks(fields, lambda page, box: 50) == []


def _nowhere(method: WordSource) -> FieldValue:
    """No value of the field's kind anywhere on the document: an absence without a box."""
    return FieldValue(value=None, confidence=0.8, extractor="extractors.kv", method=method)


def test_no_value_of_its_kind_on_a_scan_counts_only_where_ocr_read_all_the_ink() -> None:
    def none(page: int, box: BBox) -> int:
        return 0

    lossy = {"crebo": _nowhere(WordSource.OCR)}
    assert unsure_blanks(lossy, none, lost=500) == ["crebo"]  # table cells OCR did not read
    clean = {"crebo": _nowhere(WordSource.OCR)}
    assert unsure_blanks(clean, none, lost=20) == [] and list(clean) == ["crebo"]
    layer = {"crebo": _nowhere(WordSource.TEXT_LAYER)}
    assert unsure_blanks(layer, none, lost=500) == []


def test_nobody_named_on_a_scan_counts_only_where_ocr_read_all_the_ink() -> None:
    """A photographed payslip whose values row OCR lost names nobody: that is no proof."""
    from core.enums import DocType
    from core.model import Hints
    from extractors.fields import extract_fields
    from tests.helpers_text import document_of

    lines = ["Loonstrook", "Naam  Functie", "Uren per week  32"]
    scan = document_of(lines, source=WordSource.OCR)
    fields = extract_fields(scan, DocType.LOONSTROOK, Hints(participant="Bart Ernst"))
    assert fields["deelnemer"].value is None and fields["deelnemer"].method is WordSource.OCR
    assert "deelnemer" in unsure_blanks(dict(fields), lambda page, box: 0, lost=500)
    assert "deelnemer" not in unsure_blanks(dict(fields), lambda page, box: 0, lost=20)


def _ocr(word: Word) -> Word:
    return word.model_copy(update={"source": WordSource.OCR})


def test_the_visual_pass_maps_ink_that_ocr_did_not_read() -> None:
    page = blank()
    label = _ocr(printed(page, "Crebonummer", 100, 80))
    value = _ocr(printed(page, "25480", 100, 88))
    collector = VisualCollector()
    collector(1, page.copy(), [label])  # OCR lost the value
    read = VisualCollector()
    read(1, page.copy(), [label, value])
    under = value_places(label.bbox)[1]
    assert collector.unread_ink(1, under) >= 4
    assert read.unread_ink(1, under) == 0
    assert read.unread_ink(2, under) == 0  # no such page
    assert collector.unread_total() > read.unread_total()


def test_a_page_with_a_text_layer_has_no_unread_map() -> None:
    page = blank()
    cv2.putText(page, "25480", (int(100 * MM), int(92 * MM)), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
                (20, 20, 20), 2)  # fmt: skip
    collector = VisualCollector()
    collector(1, page, [printed(page, "Crebonummer", 100, 80)])  # a text-layer word
    assert collector.unread_ink(1, BBox(x0=0.0, y0=0.0, x1=1.0, y1=1.0)) == 0
