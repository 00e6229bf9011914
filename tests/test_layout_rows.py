"""Visual rows from OCR lines (core.layout.page_lines): what belongs on one row, what does not."""

from __future__ import annotations

from core.enums import WordSource
from core.geometry import BBox
from core.layout import page_lines
from core.model import Page, Word


def word(text: str, x0: float, y0: float, x1: float, y1: float, group: int) -> Word:
    box = BBox(x0=x0, y0=y0, x1=x1, y1=y1)
    return Word(text=text, bbox=box, confidence=0.9, source=WordSource.OCR, block=group, line=0)


def rows(*words: Word) -> list[str]:
    page = Page(number=1, width=595, height=842, source=WordSource.OCR, words=list(words))
    return [line.text for line in page_lines(page)]


def test_a_rule_sliver_does_not_lift_a_value_off_its_labels_row() -> None:
    # a scanned form: OCR reads a fragment of the table's rule as "|" in the value's line
    got = rows(
        word("Functie", 0.07, 0.2223, 0.12, 0.2303, 0),
        word("Datum", 0.07, 0.2426, 0.12, 0.2503, 1),
        word("in", 0.125, 0.2426, 0.135, 0.2503, 1),
        word("dienst", 0.139, 0.2423, 0.18, 0.2503, 1),
        word("|", 0.2757, 0.2352, 0.2769, 0.236, 2),
        word("2-6-'17", 0.2834, 0.2414, 0.3269, 0.2537, 2),
    )
    assert got == ["Functie", "Datum in dienst | 2-6-'17"]


def test_a_line_that_is_all_slivers_keeps_its_own_height() -> None:
    got = rows(word("|", 0.3, 0.30, 0.301, 0.301, 0), word("Naam", 0.07, 0.40, 0.12, 0.408, 1))
    assert got == ["|", "Naam"]


def test_cells_in_the_gaps_of_another_line_join_its_row() -> None:
    # "BSN" and "2022 - 10 - maand" stand in the gaps of the row "Werkgever … #8887574"
    got = rows(
        word("BSN", 0.7256, 0.1311, 0.7497, 0.1377, 0),
        word("2022", 0.3751, 0.1315, 0.4031, 0.1385, 1),
        word("maand", 0.4403, 0.1315, 0.4803, 0.1381, 1),
        word("Werkgever", 0.0646, 0.1318, 0.1249, 0.1405, 2),
        word("Periode", 0.2853, 0.1318, 0.3275, 0.1385, 2),
        word("#8887574", 0.82, 0.1318, 0.87, 0.1385, 2),
    )
    assert got == ["Werkgever Periode 2022 maand BSN #8887574"]


def test_overlapping_words_or_another_height_stay_apart() -> None:
    overlapping = rows(
        word("Naam", 0.07, 0.20, 0.12, 0.208, 0), word("Adres", 0.10, 0.201, 0.15, 0.209, 1)
    )
    assert overlapping == ["Naam", "Adres"]
    next_row = rows(
        word("Naam", 0.07, 0.20, 0.12, 0.208, 0), word("Jan", 0.30, 0.212, 0.33, 0.220, 1)
    )
    assert next_row == ["Naam", "Jan"]
