"""Visual extractors on synthetic A4 pages drawn at 150 dpi with OpenCV: a signature in a zone
is counted with its zone's role; an empty zone, a smudge, a coffee ring, a dot or printed text
in a zone is not; a blue round stamp and a header logo are found; a plain page has neither."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from core.enums import WordSource
from core.geometry import BBox
from core.model import Word
from extractors.visual.collect import VisualCollector, analyse_page
from extractors.visual.zones import role_for
from reading.frame import rotate

W, H = 1240, 1754  # A4 at 150 dpi
MM = H / 297.0
INK = (110, 25, 15)  # dark blue ballpoint, BGR


def blank() -> np.ndarray:
    return np.full((H, W, 3), 255, np.uint8)


def word(text: str, x_mm: float, y_mm: float, w_mm: float, h_mm: float = 3.5) -> Word:
    box = BBox.from_pixels(
        x_mm * MM, y_mm * MM, (x_mm + w_mm) * MM, (y_mm + h_mm) * MM, width=W, height=H
    )
    return Word(text=text, bbox=box, confidence=0.95, source=WordSource.TEXT_LAYER)


def printed(page: np.ndarray, text: str, x_mm: float, y_mm: float, size: float = 0.9) -> Word:
    """Draw `text` with its baseline at y_mm + 3.5 mm and return its word box."""
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, size, 2)
    org = (int(x_mm * MM), int((y_mm + 3.5) * MM))
    cv2.putText(page, text, org, cv2.FONT_HERSHEY_SIMPLEX, size, (20, 20, 20), 2, cv2.LINE_AA)
    return word(text, x_mm, y_mm + 3.5 - th / MM, tw / MM, th / MM + 1)


def zone(page: np.ndarray, label: str, x_mm: float, y_mm: float) -> list[Word]:
    """A signature zone like the fixtures': label, 20 mm of space, a line and 'Datum:'."""
    words = [printed(page, w, x_mm + 22 * i, y_mm) for i, w in enumerate(label.split())]
    cv2.line(page, (int(x_mm * MM), int((y_mm + 20) * MM)), (int((x_mm + 50) * MM),
             int((y_mm + 20) * MM)), (0, 0, 0), 1)  # fmt: skip
    words.append(printed(page, "Datum:", x_mm, y_mm + 23))
    return words


def scribble(page: np.ndarray, x_mm: float, y_mm: float, seed: int = 1) -> None:
    """Three curved pen strokes and an underline inside a 40 x 13 mm box."""
    rng = np.random.default_rng(seed)
    x = x_mm
    for _ in range(3):
        t = np.linspace(0, 1, 60)
        xs = x + t * 14
        ys = y_mm + 6 + 4 * np.sin(t * np.pi * rng.uniform(1.5, 3)) + rng.uniform(-1, 1)
        pts = np.column_stack((xs * MM, ys * MM)).astype(np.int32)
        cv2.polylines(page, [pts], False, INK, 2, cv2.LINE_AA)
        x += 11
    t = np.linspace(0, 1, 40)
    pts = np.column_stack(((x_mm + 2 + 34 * t) * MM, (y_mm + 12 - 2 * np.sin(t * 3)) * MM))
    cv2.polylines(page, [pts.astype(np.int32)], False, INK, 1, cv2.LINE_AA)


def test_signature_in_zone_is_counted_with_its_role() -> None:
    page = blank()
    words = zone(page, "Handtekening deelnemer", 20, 200) + zone(page, "Leerbedrijf", 110, 200)
    scribble(page, 22, 204)
    marks = analyse_page(1, page, words)
    assert [m.rol for m in marks.signatures] == ["deelnemer"]
    box = marks.signatures[0].bbox
    assert 0.09 < box.x0 < 0.25 and 0.68 < box.center_y < 0.75  # 1 mm margin around the ink


def test_two_zones_two_signatures_roles_left_to_right() -> None:
    page = blank()
    words = zone(page, "Docent", 20, 150) + zone(page, "Onderwijsinstelling", 110, 150)
    scribble(page, 22, 154, seed=2)
    scribble(page, 112, 154, seed=3)
    marks = analyse_page(1, page, words)
    assert sorted(m.rol or "" for m in marks.signatures) == ["docent", "onderwijsinstelling"]


def test_empty_zone_is_not_counted() -> None:
    page = blank()
    words = zone(page, "Handtekening deelnemer", 20, 200)
    assert analyse_page(1, page, words).signatures == []


@pytest.mark.parametrize("kind", ["coffee_ring", "smudge", "dot"])
def test_smudges_rings_and_dots_are_not_signatures(kind: str) -> None:
    page = blank()
    words = zone(page, "Handtekening deelnemer", 20, 200)
    centre = (int(45 * MM), int(210 * MM))
    if kind == "coffee_ring":
        layer = page.copy()
        for k in range(3):
            cv2.circle(layer, centre, int(13 * MM) - k, (60, 120, 160), 3 + k, cv2.LINE_AA)
        page[:] = cv2.addWeighted(layer, 0.4, page, 0.6, 0)
    elif kind == "smudge":
        layer = page.copy()
        for dx, dy, r in ((0, 0, 18), (20, 8, 25), (-15, 12, 12), (10, -14, 20)):
            cv2.circle(layer, (centre[0] + dx, centre[1] + dy), r, (90, 90, 90), -1)
        page[:] = cv2.addWeighted(layer, 0.3, page, 0.7, 0)
    else:
        cv2.circle(page, centre, 4, (0, 0, 0), -1)
    assert analyse_page(1, page, words).signatures == []


def test_printed_text_in_a_zone_is_not_a_signature() -> None:
    page = blank()
    words = zone(page, "Handtekening werkgever", 20, 200)
    words.append(printed(page, "J. de Vries", 22, 208))
    printed(page, "namens de directie", 22, 214, size=0.6)  # no word box: OCR missed it
    assert analyse_page(1, page, words).signatures == []


def test_blue_round_stamp_is_found_and_not_a_signature() -> None:
    page = blank()
    words = [printed(page, "Gezien", 140, 150)]
    centre = (int(150 * MM), int(152 * MM))
    cv2.circle(page, centre, int(17 * MM), (190, 60, 40), 4, cv2.LINE_AA)
    cv2.circle(page, centre, int(14.5 * MM), (190, 60, 40), 2, cv2.LINE_AA)
    cv2.putText(page, "OPLEIDINGEN", (centre[0] - 70, centre[1] - 25),
                cv2.FONT_HERSHEY_SIMPLEX, 0.6, (190, 60, 40), 2)  # fmt: skip
    marks = analyse_page(1, page, words)
    assert len(marks.stamps) == 1 and marks.signatures == []
    box = marks.stamps[0].bbox
    assert box.x0 < 150 / 210 < box.x1 and box.y0 < 152 / 297 < box.y1


def test_stamp_on_a_grayscale_scan_is_found_by_its_frame() -> None:
    page = blank()
    cx, cy = int(120 * MM), int(200 * MM)
    rect = ((cx, cy), (60 * MM, 20 * MM), 8.0)
    cv2.polylines(page, [cv2.boxPoints(rect).astype(np.int32)], True, (90, 90, 90), 4)
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert len(analyse_page(1, gray, []).stamps) == 1


@pytest.mark.parametrize(("width_mm", "stamp"), [(60, True), (75, True), (88, False)])
def test_a_framed_signing_box_wider_than_a_stamp_is_no_stamp(width_mm: int, stamp: bool) -> None:
    """A form's signing box with a heavy frame (a landscape agreement's three boxes of
    90 mm) has a stamp's rim, not a stamp's size."""
    page = blank()
    x0, y0 = int(20 * MM), int(200 * MM)
    x1, y1 = int((20 + width_mm) * MM), int(235 * MM)
    cv2.rectangle(page, (x0, y0), (x1, y1), (60, 60, 60), 4)
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert (len(analyse_page(1, gray, []).stamps) == 1) is stamp


def test_logo_in_the_header_is_found() -> None:
    page = blank()
    words = [printed(page, "Zorggroep", 32, 12), printed(page, "Noorderlicht", 60, 12)]
    cv2.rectangle(
        page, (int(18 * MM), int(9 * MM)), (int(29 * MM), int(20 * MM)), (150, 110, 20), -1
    )
    cv2.line(page, (int(18 * MM), int(27 * MM)), (int(192 * MM), int(27 * MM)), (60, 60, 60), 2)
    marks = analyse_page(1, page, words)
    assert len(marks.logos) == 1 and marks.signatures == []
    assert marks.logos[0].bbox.x0 < 0.1 and marks.logos[0].bbox.y1 < 0.1


def test_plain_page_has_no_marks() -> None:
    page = blank()
    words = [printed(page, "Loonstrook", 18, 20)]
    for i in range(20):
        words.append(printed(page, f"Regel {i} bedrag 1.234,56", 18, 40 + 10 * i))
    cv2.line(page, (int(18 * MM), int(27 * MM)), (int(192 * MM), int(27 * MM)), (0, 0, 0), 2)
    collector = VisualCollector()
    collector(1, page, words)
    fields = collector.fields()
    assert fields["signature_count"].value == 0
    assert fields["logo_present"].value is False
    assert fields["stamp_present"].value is False
    assert fields["signatures"].value == []


def test_fields_carry_page_box_and_role() -> None:
    page = blank()
    words = zone(page, "Handtekening student", 20, 200)
    scribble(page, 22, 204)
    collector = VisualCollector()
    collector(2, page, words)
    fields = collector.fields()
    assert fields["signature_count"].value == 1
    assert fields["signature_count"].page == 2 and fields["signature_count"].bbox is not None
    [sig] = fields["signatures"].value
    assert sig["rol"] == "deelnemer" and sig["page"] == 2 and len(sig["bbox"]) == 4


def test_rotation_keeps_colour_and_white_border() -> None:
    page = blank()
    page[:10, :10] = (255, 0, 0)
    turned = rotate(page, 91.5)
    assert turned.shape == (W, H, 3)
    assert tuple(turned[0, W // 2]) == (255, 255, 255)


def _red_stamp(page: np.ndarray, x_mm: float, y_mm: float) -> None:
    rect = ((int(x_mm * MM), int(y_mm * MM)), (45 * MM, 18 * MM), -6.0)
    cv2.polylines(page, [cv2.boxPoints(rect).astype(np.int32)], True, (60, 40, 200), 5)
    cv2.putText(page, "ZORGGROEP", (int(x_mm * MM) - 90, int(y_mm * MM) + 8),
                cv2.FONT_HERSHEY_SIMPLEX, 0.9, (60, 40, 200), 2)  # fmt: skip


def test_signature_under_a_stamp_of_another_colour_is_counted() -> None:
    """A company signs and stamps in one place: the red stamp's ink is left out, the blue pen's
    strokes under and beside it stay a signature with the zone's role."""
    page = blank()
    words = zone(page, "Handtekening leerbedrijf", 30, 200)
    scribble(page, 32, 207)
    _red_stamp(page, 52, 213)
    marks = analyse_page(1, page, words)
    assert len(marks.stamps) == 1
    assert [s.rol for s in marks.signatures] == ["leerbedrijf"]


def test_a_stamp_alone_in_a_zone_is_no_signature() -> None:
    page = blank()
    words = zone(page, "Handtekening leerbedrijf", 30, 200)
    _red_stamp(page, 52, 213)
    marks = analyse_page(1, page, words)
    assert len(marks.stamps) == 1 and marks.signatures == []


@pytest.mark.parametrize(
    ("middle", "expected"),
    [
        ("Bpv-bedrijf", ["deelnemer", "onderwijsinstelling", "leerbedrijf"]),  # stamped place
        ("Docent", ["deelnemer", "onderwijsinstelling"]),  # a trainer's stamp signs nothing
    ],
)
def test_a_company_stamp_in_its_signing_place_is_its_mark(middle: str, expected: list[str]) -> None:
    """On the row where the others signed, a company's stamp in its own place hides whether
    it signed under it: it counts as that party's mark, flagged as a stamp."""
    page = blank()
    words = zone(page, "Student", 10, 200) + zone(page, middle, 80, 200)
    words += zone(page, "School", 150, 200)
    scribble(page, 12, 205)
    scribble(page, 152, 205, seed=3)
    _red_stamp(page, 102, 212)
    marks = analyse_page(1, page, words)
    assert sorted(str(m.rol) for m in marks.signatures) == sorted(expected)
    assert [m.rol for m in marks.signatures if m.stamped] == expected[2:]


def test_a_stamp_over_a_signature_is_not_counted_twice() -> None:
    page = blank()
    words = zone(page, "Student", 10, 200) + zone(page, "Leerbedrijf", 80, 200)
    scribble(page, 12, 205)
    scribble(page, 82, 205, seed=2)
    _red_stamp(page, 102, 212)
    marks = analyse_page(1, page, words).signatures
    assert sorted(str(m.rol) for m in marks) == ["deelnemer", "leerbedrijf"]
    assert not any(m.stamped for m in marks)


@pytest.mark.parametrize(
    ("below", "expected"),
    [("hoofddocent", "docent"), ("Docent", "docent"), ("Trainingsbureau", "onbekend")],
)
def test_a_letter_signed_off_names_the_role_under_the_signature(below: str, expected: str) -> None:
    """A letter's closing: "Met vriendelijke groet", the signature, then name and function."""
    words = [
        word("Met", 20, 180, 8),
        word("vriendelijke", 30, 180, 20),
        word("groet,", 52, 180, 10),
    ]
    words += [word("Lotte", 20, 203, 10), word(below, 20, 208, 24)]
    signature = BBox(x0=20 / 210, y0=186 / 297, x1=60 / 210, y1=196 / 297)
    assert role_for(signature, words) == expected


@pytest.mark.parametrize("in_place", [True, False])
def test_ink_in_a_born_digital_place_is_no_blank_place(in_place: bool) -> None:
    """A text-layer page whose company place holds ink the finder did not take for a
    signature (drawn over by a stamp, or scrawled): no text-layer word explains that ink, so
    the place is not blank; an empty place is (the school's)."""
    page = blank()
    words = zone(page, "Handtekening deelnemer", 20, 200) + zone(page, "Leerbedrijf", 110, 200)
    scribble(page, 22, 204)
    if in_place:  # a filled mark, no pen stroke: never a signature, but ink
        cv2.circle(page, (int(122 * MM), int(235 * MM)), int(4.5 * MM), INK, -1)
    marks = analyse_page(1, page, words)
    assert [m.rol for m in marks.signatures] == ["deelnemer"]
    assert marks.unread is None  # a text layer: nothing OCR could have lost
    company = next(p for p in marks.places if p.rol == "leerbedrijf")
    assert (company.ink_mm2 >= 20) is in_place  # checks._roles.PLACE_INK_MM2
