"""Registration-guided verification (extractors.guided): the registered crebo, organisation and
education found anywhere on a page of any layout, with OCR's confusions; absent values and
look-alikes are not found, so the label-based reading and its mismatches stand."""

from __future__ import annotations

import pytest

from core.enums import DocType
from core.model import Hints
from extractors.fields import extract_fields
from extractors.guided import find_code, find_name
from tests.helpers_text import document_of, text_of

# A layout no reader was written for: generic labels under section headings, values above.
SECTIONS = [
    "Overeenkomst beroepspraktijkvorming",
    "Partij 1",
    "Zorggroep Noorderlicht B.V.",
    "Naam",
    "Partij 2",
    "ROC Noorderpoort",
    "Naam",
    "Kwalificatie",
    "Verzorgende IG (kwalificatiedossier 25491)",
]


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        (["Crebo: 25491"], True),
        (["Opleidingscode 2549l niveau 3"], True),  # l read for 1
        (["code 25 491"], True),  # one space inside the number
        (["(25491)"], True),
        (["Telefoon 0255491234"], False),  # part of a longer number
        (["Crebo 25492"], False),  # another number
        (["Postcode 25491AB"], False),
        ([], False),
    ],
)
def test_a_registered_code_is_found_as_a_number_of_its_own(lines: list[str], found: bool) -> None:
    hit = find_code(text_of(lines), "25491")
    assert (hit is not None) is found
    if hit is not None:
        assert (
            hit.value == "25491" and hit.bbox is not None and hit.extractor == "extractors.guided"
        )


@pytest.mark.parametrize(
    ("lines", "name", "found"),
    [
        (["Werkgever: Zorggroep Noorderlicht"], "Zorggroep Noorderlicht B.V.", True),
        (["STICHTING ZORGGROEP NOORDERLICHT"], "Zorggroep Noorderlicht", True),
        (["Zorggroep Noorderllcht BV"], "Zorggroep Noorderlicht", True),  # a misread letter
        (["Zorggroep", "Noorderlicht"], "Zorggroep Noorderlicht", True),  # wrapped
        (["Zorggroep Zuiderlicht"], "Zorggroep Noorderlicht", False),
        (["Thuiszorg Noorderlichten"], "Noorderlicht", False),  # part of a longer word
        (["Zorg BV"], "Zorg B.V.", False),  # too short a name to search for
        (["en"], "Persoonlijk begeleider en verzorgende", False),  # a row inside the name
        (["Persoonlijk begeleider"], "Persoonlijk begeleider gehandicaptenzorg", False),
    ],
)
def test_a_registered_name_is_found_whole(lines: list[str], name: str, found: bool) -> None:
    assert (find_name(text_of(lines), name) is not None) is found


def test_guided_values_replace_a_misread_layout_and_keep_a_conflict() -> None:
    hints = Hints(crebo="25491", organisation="Zorggroep Noorderlicht B.V.")
    fields = extract_fields(document_of(SECTIONS), DocType.PRAKTIJKOVEREENKOMST, hints)
    assert fields["crebo"].value == "25491"
    assert fields["crebo"].extractor == "extractors.guided"
    # the organisation is not taken for the leerbedrijf from anywhere on the page (a stamp)
    assert "leerbedrijf" not in fields or fields["leerbedrijf"].extractor != "extractors.guided"
    # another crebo registered: not on the page, so the page's own number is what is read
    other = extract_fields(
        document_of(SECTIONS), DocType.PRAKTIJKOVEREENKOMST, Hints(crebo="25655")
    )
    assert other.get("crebo") is None or other["crebo"].value != "25655"


def test_a_payslip_employer_and_an_education_are_found_by_the_registration() -> None:
    page = ["Salarisstrook", "STICHTING ZORGGROEP NOORDERLICHT", "Periode 09", "Functie: VIG"]
    hints = Hints(organisation="Zorggroep Noorderlicht", education="Verzorgende IG")
    fields = extract_fields(document_of(page), DocType.LOONSTROOK, hints)
    assert fields["werkgever"].value == "Zorggroep Noorderlicht"
    diploma = ["DIPLOMA", "Kwalificatie: Verzorgende-IG, niveau 3", "uitgereikt op 1-7-2024"]
    fields = extract_fields(document_of(diploma), DocType.DIPLOMA, hints)
    assert fields["opleiding"].value == "Verzorgende IG"


def test_guided_fields_only_for_the_fields_the_type_carries() -> None:
    hints = Hints(crebo="25491", organisation="Zorggroep Noorderlicht B.V.")
    fields = extract_fields(document_of(SECTIONS), DocType.KVK_UITTREKSEL, hints)
    assert "crebo" not in fields and "leerbedrijf" not in fields and "werkgever" not in fields
