"""Locating the registered participant: initials, tussenvoegsels, order, OCR errors."""

from __future__ import annotations

import pytest

from core.enums import WordSource
from extractors.parsers.names import PersonName, find_participant
from tests.helpers_text import text_of


@pytest.mark.parametrize(
    "printed",
    [
        "Deelnemer: Jan de Vries",
        "Naam student: J. de Vries geboren 12-03-1990",
        "Vries, Jan de",
        "DE VRIES, JAN",
        "JAN DE VRIES",
        "Naam: Jan de Vrles",  # OCR: i read as l
        "Werknemer J de Vries",
    ],
)
def test_participant_found_in_common_forms(printed: str) -> None:
    text = text_of(["Praktijkovereenkomst", printed, "Leerbedrijf: Zorggroep Noord"])
    field = find_participant(text, "Jan de Vries")
    assert field is not None
    assert field.value == "Jan de Vries"
    assert field.page == 1 and field.bbox is not None
    assert field.bbox.y0 == pytest.approx(0.075)  # the second line
    assert field.source_text == printed


@pytest.mark.parametrize(
    "printed",
    [
        "Deelnemer: Piet Jansen",
        "Deelnemer: Jan de Boer",
        "Deelnemer: Johan van Dijk",
        "Namens leerbedrijf: P. de Vries",
        "Directeur: Piet de Vries",
    ],
)
def test_other_person_not_taken_for_participant(printed: str) -> None:
    text = text_of(["Praktijkovereenkomst", printed])
    assert find_participant(text, "Jan de Vries") is None


def test_compound_tussenvoegsel_and_two_given_names() -> None:
    person = PersonName.parse("Anna Maria van den Berg")
    assert person.given == ("anna", "maria")
    assert person.tussenvoegsel == ("van", "den")
    assert person.surname == ("berg",)
    assert "a.m. van den berg" in person.variants()
    text = text_of(["Student: A.M. van den Berg"], source=WordSource.OCR)
    field = find_participant(text, "Anna Maria van den Berg")
    assert field is not None and field.method == "ocr"


def test_accents_are_folded() -> None:
    text = text_of(["Deelnemer: Zoë Çelik"])
    assert find_participant(text, "Zoe Celik") is not None


def test_locate_maps_document_offsets_to_lines() -> None:
    text = text_of(["Eerste regel", "Crebo: 25491"], ["Pagina twee"])
    start = text.text.index("25491")
    line, a, b = text.locate(start, start + 5)  # type: ignore[misc]
    assert line.text[a:b] == "25491"
    page_two = text.text.index("twee")
    found = text.locate(page_two, page_two + 4)
    assert found is not None and found[0].page == 2


def test_ocr_confused_initial_still_matches() -> None:
    text = text_of(["Naam lan Kok"], source=WordSource.OCR)  # OCR read "I" as "l"
    assert find_participant(text, "Ian Kok") is not None
    assert find_participant(text_of(["Naam Jan Kok"]), "Ian Kok") is None
