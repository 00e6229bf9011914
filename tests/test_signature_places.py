"""Signature places: a practice agreement lacks a party's signature only where that party's
place to sign was found, near the signatures that were found, and blank. A place holding ink
the finder did not recognise (a signature under a stamp), or no place found for the party (a
letter signed in its closing), is no proof: a reviewer looks (FIELD_NOT_FOUND)."""

from __future__ import annotations

from typing import Any

import numpy as np

from core.enums import FindingCode, WordSource
from core.geometry import BBox
from core.model import Word
from extractors.visual.places import find_places, junk
from tests import rulekit as k

F = FindingCode


def _words(*items: tuple[float, float, str]) -> list[Word]:
    """Words at (x, y) in page fractions, each item its own OCR line."""
    out = []
    for n, (x, y, text) in enumerate(items):
        for token in text.split():
            w = 0.008 * len(token)
            box = BBox(x0=x, y0=y - 0.012, x1=x + w, y1=y)
            out.append(Word(text=token, bbox=box, confidence=0.95, source=WordSource.OCR,
                            line=n, block=n))  # fmt: skip
            x += w + 0.006
    return out


SIGNED = [BBox(x0=0.1, y0=0.54, x1=0.25, y1=0.56), BBox(x0=0.4, y0=0.54, x1=0.55, y1=0.56)]


def test_captions_near_the_signatures_are_places_headings_and_prose_are_not() -> None:
    words = _words(
        (0.1, 0.1, "Leerbedrijf"),  # a section heading far above the signing block
        (0.1, 0.4, "De onderwijsinstelling begeleidt de deelnemer tijdens de hele bpv en"),
        (0.1, 0.44, "het leerbedrijf de erkenning van SBB verliest."),  # a sentence's end
        (0.1, 0.5, "De deelnemer"), (0.4, 0.5, "Namens het leerbedrijf"),
        (0.68, 0.5, "Namens de onderwijsinstelling"),
    )  # fmt: skip
    unread = np.zeros((297, 210), bool)  # one cell per millimetre of an A4 page
    unread[150:160, 150:190] = True  # 400 mm² of ink under the school's caption
    places = find_places(2, words, SIGNED, unread)
    assert [p.rol for p in places] == ["deelnemer", "leerbedrijf", "onderwijsinstelling"]
    assert [p.ink_mm2 for p in places][:2] == [0, 0]
    assert places[2].ink_mm2 >= 300
    assert find_places(2, words, [], unread) == []  # no signature found on the page: no block
    assert find_places(2, words, SIGNED, None)[2].ink_mm2 == 0  # a text layer: nothing unread


def test_a_scribble_read_as_words_in_a_table_row_is_ink() -> None:
    """ "Partij | Naam | Handtekening | Datum": OCR read the company's signature as "i =_——";
    the name and the date beside the caption are the row's own cells, not another party's."""
    row = [(0.1, 0.5, "Leerbedrijf"), (0.25, 0.5, "Bibi van der Holthuis"),
           (0.62, 0.5, "19-08-2023")]  # fmt: skip
    unread = np.zeros((297, 210), bool)
    clean = find_places(2, _words(*row), SIGNED, unread)
    assert [(p.rol, p.ink_mm2) for p in clean] == [("leerbedrijf", 0)]
    scribbled = _words(*row, (0.45, 0.5, "i =_——"))
    scribbled[-2:] = [w.model_copy(update={"confidence": 0.0}) for w in scribbled[-2:]]
    [place] = find_places(2, scribbled, SIGNED, unread)
    assert place.ink_mm2 >= 5
    assert not junk(scribbled[1]) and junk(scribbled[-1])


def _pok(rows: list[str], places: list[dict[str, Any]] | None) -> Any:
    marks = [{"rol": r, "page": 2, "bbox": [0.1, 0.54, 0.25, 0.56]} for r in rows]
    extra = {} if places is None else {"signature_places": places}
    return k.pok(signature_count=len(rows), signatures=marks, **extra)


def _place(rol: str, ink: int) -> dict[str, Any]:
    return {"rol": rol, "page": 2, "bbox": [0.7, 0.5, 0.95, 0.52], "inkt_mm2": ink}


def _check(doc: Any) -> tuple[set[F], list[str]]:
    found = k.findings(k.registration(), k.replace(k.a_documents(), doc))
    messages = [f.message for f in found if f.code is F.FIELD_NOT_FOUND]
    return {f.code for f in found}, messages


def test_a_blank_place_proves_the_missing_signature_with_its_box() -> None:
    doc = _pok(["deelnemer", "leerbedrijf"], [_place("deelnemer", 0), _place("school", 0),
                                                _place("onderwijsinstelling", 3)])  # fmt: skip
    found = k.findings(k.registration(), k.replace(k.a_documents(), doc))
    [missing] = [f for f in found if f.code is F.SIGNATURES_MISSING]
    assert missing.page == 2 and missing.bbox is not None and missing.bbox.x0 == 0.7


def test_ink_in_the_place_or_no_place_sends_it_to_review() -> None:
    inked = _pok(["deelnemer", "leerbedrijf"], [_place("onderwijsinstelling", 40)])
    codes, messages = _check(inked)
    assert F.SIGNATURES_MISSING not in codes
    assert any("handtekening van de onderwijsinstelling" in m for m in messages)
    unplaced = _pok(["deelnemer", "onderwijsinstelling"], [_place("deelnemer", 0)])
    codes, messages = _check(unplaced)
    assert F.SIGNATURES_MISSING not in codes
    assert any("handtekening van het leerbedrijf" in m for m in messages)


def test_without_places_read_the_count_decides_and_three_signatures_pass() -> None:
    assert F.SIGNATURES_MISSING in _check(_pok(["deelnemer", "leerbedrijf"], None))[0]
    three = _pok(["deelnemer", "werkgever", "onderwijsinstelling"], [])
    assert F.SIGNATURES_MISSING not in _check(three)[0]  # n/a: all three signed
    assert not _check(three)[1]


def test_a_signature_box_reaching_into_a_place_marks_it() -> None:
    """Two signatures merged into one box (the company's and the school's): the box is given
    to the company, and it reaches into the school's place, which is no blank place then."""
    words = _words((0.1, 0.5, "De deelnemer"), (0.4, 0.5, "Namens het leerbedrijf"),
                   (0.68, 0.5, "Namens de onderwijsinstelling"))  # fmt: skip
    merged = BBox(x0=0.4, y0=0.5, x1=0.85, y1=0.6)
    unread = np.zeros((297, 210), bool)
    apart = find_places(1, words, [SIGNED[0], SIGNED[1]], unread)
    assert [p.marked for p in apart] == [True, True, False]  # each under its own signature
    together = find_places(1, words, [SIGNED[0], merged], unread)
    assert [p.marked for p in together] == [True, True, True]
    doc = _pok(["deelnemer", "leerbedrijf"], [_place("onderwijsinstelling", 0) | {"merk": True}])
    codes, messages = _check(doc)
    assert F.SIGNATURES_MISSING not in codes
    assert any("handtekening van de onderwijsinstelling" in m for m in messages)


def test_a_stamp_over_a_place_marks_it_as_a_signature_would() -> None:
    """A company's stamp over its own place, a signature in the stamp's colour under it: the
    finder cannot tell the two apart, so the place is never proven blank (review, no error);
    a stamp elsewhere on the page proves nothing about the place."""
    words = _words((0.1, 0.5, "De deelnemer"), (0.4, 0.5, "Namens het leerbedrijf"),
                   (0.68, 0.5, "Namens de onderwijsinstelling"))  # fmt: skip
    unread = np.zeros((297, 210), bool)
    over_place = BBox(x0=0.66, y0=0.5, x1=0.82, y1=0.6)  # over the school's place
    elsewhere = BBox(x0=0.7, y0=0.05, x1=0.85, y1=0.12)  # in the page's header
    places = find_places(1, words, SIGNED, unread, [over_place])
    assert [p.marked for p in places] == [True, True, True]
    places = find_places(1, words, SIGNED, unread, [elsewhere])
    assert [p.marked for p in places] == [True, True, False]
    assert [p.marked for p in find_places(1, words, SIGNED, unread)] == [True, True, False]
