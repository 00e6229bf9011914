"""Field extractors on text rows (golden cases): every value with its evidence, labels in
forms and in prose, birth dates never taken for document dates."""

from __future__ import annotations

import pytest

from core.enums import DocType, WordSource
from core.model import Hints
from extractors.fields import extract_fields
from extractors.registry import produced
from tests.helpers_text import document_of

POK = [
    "Praktijkovereenkomst (BPV-overeenkomst)",
    "Naam  Jan de Vries",
    "Geboortedatum  12-03-1990",
    "Naam leerbedrijf  Zorggroep Noorderlicht",
    "Onderwijsinstelling  Noorderpoort",
    "Opleiding  Verzorgende IG",
    "Crebo  25491",
    "Startdatum BPV  1 sept. 2024",
    "Einddatum BPV  31-08-2026",
    "Omvang BPV  20 weken (800 uur)",
]


def values(lines: list[str], doc_type: DocType, **hints: str) -> dict[str, object]:
    fields = extract_fields(document_of(lines), doc_type, Hints(**hints))
    assert set(fields) <= produced(doc_type)  # only what the type's extractors declare
    return {name: field.value for name, field in fields.items()}


def test_practice_agreement_fields() -> None:
    got = values(POK, DocType.PRAKTIJKOVEREENKOMST, participant="Jan de Vries")
    assert got == {
        "deelnemer": "Jan de Vries",
        "crebo": "25491",
        "opleiding": "Verzorgende IG",
        "startdatum": "2024-09-01",
        "einddatum": "2026-08-31",
        "bpv_omvang": "20 weken (800 uur)",
        "leerbedrijf": "Zorggroep Noorderlicht",
        "onderwijsinstelling": "Noorderpoort",
    }


def test_fields_carry_evidence() -> None:
    fields = extract_fields(document_of(POK), DocType.PRAKTIJKOVEREENKOMST, Hints())
    crebo = fields["crebo"]
    assert crebo.page == 1 and crebo.bbox is not None
    assert crebo.bbox.y0 == pytest.approx(0.05 + 6 * 0.025)  # the crebo row
    assert crebo.source_text == "Crebo 25491"  # words joined by single spaces
    assert crebo.method is WordSource.TEXT_LAYER and crebo.extractor == "extractors.kv"


def test_missing_parties_and_volume_are_absent_not_guessed() -> None:
    lines = [row for row in POK if not row.startswith(("Naam leerbedrijf", "Omvang"))]
    lines.insert(3, "Naam leerbedrijf")
    fields = extract_fields(document_of(lines), DocType.PRAKTIJKOVEREENKOMST, Hints())
    # Sure they are not there: the blank label (with its box), no hours anywhere; no guess.
    assert fields["leerbedrijf"].value is None and fields["leerbedrijf"].bbox is not None
    assert fields["bpv_omvang"].value is None


def test_period_gives_start_and_end() -> None:
    lines = ["BPV-overeenkomst", "Periode: 1 september 2024 t/m 31 augustus 2026"]
    got = values(lines, DocType.PRAKTIJKOVEREENKOMST)
    assert got["startdatum"] == "2024-09-01" and got["einddatum"] == "2026-08-31"


def test_payslip_fields_and_masked_bsn() -> None:
    lines = [
        "LOONSTROOK  Zorggroep Meandergroep",
        "Annestraat 63",
        "Periode 08-2024  8706 HY Veenhuizen",
        "Werknemer  Iris Huurdeman",
        "Geboortedatum  07-03-1994",
        "Datum in dienst  17-04-2024",
        "Burgerservicenummer *********",
    ]
    got = values(lines, DocType.LOONSTROOK, participant="Iris Huurdeman")
    assert got["werkgever"] == "Zorggroep Meandergroep"
    assert got["loonstrook_maand"] == "2024-08"
    assert got["datum_in_dienst"] == "2024-04-17"
    assert got["bsn_present"] is False


def test_a_payslips_employee_or_address_is_no_letterhead() -> None:
    """A photo that lost the coloured header band: the employee's address block tops the
    page, and is not the employer."""
    lines = [
        "Salaris over  december 2024  Van der Laar, Liza",
        "Tijdvak  maand  Molenweg 78",
        "Verwerkingsdatum  21-12-2024  3326 XE LEEUWARDEN",
    ]
    got = values(lines, DocType.LOONSTROOK, participant="Liza van der Laar")
    assert got.get("werkgever") is None
    street = ["Maand  september 2022", "Beukenhof 69", "2862 SS AMERSFOORT"]
    assert values(street, DocType.LOONSTROOK).get("werkgever") is None
    letterhead = ["Zorggroep Meandergroep", "Maand  september 2022  Daan Bosch"]
    assert values(letterhead, DocType.LOONSTROOK, participant="Daan Bosch")["werkgever"] == (
        "Zorggroep Meandergroep"
    )


def test_payslip_with_valid_bsn_never_reports_the_number() -> None:
    lines = ["Loonstrook", "Periode: september 2024", "BSN 123456782"]
    fields = extract_fields(document_of(lines), DocType.LOONSTROOK, Hints())
    assert fields["bsn_present"].value is True
    assert "123456782" not in fields["bsn_present"].model_dump_json()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["Diploma mbo", "Naam  Jan de Vries", "Geboortedatum 3 jan. 1973",
             "Kwalificatie Agogisch medewerker GGZ", "Crebonummer 25474",
             "Datum uitreiking 1 dec. 2024"],
            {"crebo": "25474", "opleiding": "Agogisch medewerker GGZ",
             "diploma_datum": "2024-12-01"},
        ),
        (
            ["DIPLOMA", "Jan de Vries", "geboren op 5 apr. 1993",
             "heeft voldaan aan de eisen voor het diploma van de kwalificatie",
             "Gespecialiseerd pedagogisch medewerker",
             "Crebo 25484, niveau 4, beroepsbegeleidende leerweg",
             "Uitgereikt op 6 aug. 2024 te Wamel"],
            {"crebo": "25484", "opleiding": "Gespecialiseerd pedagogisch medewerker",
             "diploma_datum": "2024-08-06"},
        ),
        (
            ["Bewijs van deelname",
             "Hierbij verklaren wij dat Jan de Vries, geboren op 07-03-1994, sinds 31-08-2024",
             "opleiding Helpende Zorg en Welzijn (crebo 25498) in de beroepsbegeleidende leerweg",
             "Wânswert, 02-12-2025"],
            {"crebo": "25498", "opleiding": "Helpende Zorg en Welzijn",
             "diploma_datum": "2025-12-02"},
        ),
    ],
)  # fmt: skip
def test_diploma_forms(lines: list[str], expected: dict[str, str]) -> None:
    got = values(lines, DocType.DIPLOMA, participant="Jan de Vries")
    assert got["deelnemer"] == "Jan de Vries"
    for name, value in expected.items():
        assert got[name] == value, name


def test_declaration_signature_rows() -> None:
    lines = [
        "Prestatieverklaring SectorplanPlus",
        "Naam opleider  Zorgacademie Oost",
        "Einddatum training  18 april 2024",
        "Deelnemer(s)",
        "Naam Geboortedatum Handtekening Datum",
        "Vera Ramaker 8 januari 2000 12 mei 2024",
        "Piet Jansen 3 maart 1980 14 mei 2024",
        "Docent",
        "Nout de Sarneel 6 mei 2024",
    ]
    got = values(lines, DocType.PRESTATIEVERKLARING, participant="Vera Ramaker")
    assert got["opleider"] == "Zorgacademie Oost"
    assert got["training_einddatum"] == "2024-04-18"
    assert got["handtekeningen"] == [
        {"rol": "deelnemer", "datum": "2024-05-12"},
        {"rol": "deelnemer", "datum": "2024-05-14"},
        {"rol": "docent", "datum": "2024-05-06"},
    ]


def test_declaration_without_trainer_name() -> None:
    lines = ["Prestatieverklaring", "Naam opleider", "Naam training Dementiezorg"]
    assert values(lines, DocType.PRESTATIEVERKLARING)["opleider"] is None  # blank, not a guess


def test_kvk_directors_in_both_layouts() -> None:
    table = [
        "Uittreksel Handelsregister", "Functionarissen", "Naam Geboortedatum Functie",
        "Dani van der Linden 3 jul. 1981 Bestuurder (zelfstandig bevoegd)",
        "Bradley de Jorrisen 21 jul. 1984 Bestuurder (zelfstandig bevoegd)",
        "Datum uittreksel: 1 okt. 2023",
    ]  # fmt: skip
    got = values(table, DocType.KVK_UITTREKSEL)
    assert got == {
        "kvk_datum": "2023-10-01",
        "bestuurders": ["Dani van der Linden", "Bradley de Jorrisen"],
    }
    sections = ["Bestuurders", "Naam  Vigo Slagmolen", "Geboortedatum 20 mei 1981",
                "Functie Bestuurder", "Datum uittreksel: 18 juli 2024"]  # fmt: skip
    got = values(sections, DocType.KVK_UITTREKSEL)
    assert got["bestuurders"] == ["Vigo Slagmolen"] and got["kvk_datum"] == "2024-07-18"


def test_other_person_on_document_is_reported_as_printed() -> None:
    lines = ["Verklaring van deelname", "Deelnemer  Victoria Janse", "Opleiding  Verzorgende IG"]
    got = values(lines, DocType.BEWIJS_VAN_DEELNAME, participant="Amin van Leeuwen")
    assert got["deelnemer"] == "Victoria Janse"


def test_label_words_are_never_a_persons_name() -> None:
    """A key-figures grid whose values row OCR lost: the next labels' row is no name."""
    lines = ["Loonstrook", "Naam", "Loontijdvak  Verwerkingsdatum", "Functie  Begeleider"]
    got = values(lines, DocType.LOONSTROOK, participant="Bart Ernst")
    assert got["deelnemer"] is None  # nobody named, never "op naam van Loontijdvak …"
    named = ["Loonstrook", "Naam", "Jan van Dijk", "Functie  Begeleider"]
    assert values(named, DocType.LOONSTROOK, participant="Bart Ernst")["deelnemer"] == (
        "Jan van Dijk"
    )


def test_wrapped_name_in_prose_is_found() -> None:
    lines = [
        "In dit schrijven informeren wij u over de voortgang van Daphne van",
        "West-Francië in de opleiding Apothekersassistent.",
    ]
    got = values(lines, DocType.ONBEKEND, participant="Daphne van West-Francië")
    assert got["deelnemer"] == "Daphne van West-Francië"


def test_employment_contract_start() -> None:
    lines = ["Arbeidsovereenkomst", "De werknemer, geboren op 30.04.1989, treedt in dienst.",
             "De arbeidsovereenkomst gaat in op 27.09.2024 en eindigt op 31.12.2025."]  # fmt: skip
    assert values(lines, DocType.ARBEIDSOVEREENKOMST)["datum_in_dienst"] == "2024-09-27"
