"""A clear title decides the document type on any layout; a sentence that names a type, or a
look-alike's title, does not."""

from __future__ import annotations

import pytest

from core.enums import DocType
from extractors.classify.classifier import TITLE_CONFIDENCE, classify_lines, load_model
from extractors.classify.titles import find_title
from tests.test_kv_reading import page


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([(20, 20, "ROC van Amsterdam"), (20, 40, "Betreft"), (60, 40, "Bewijs van deelname")],
         DocType.BEWIJS_VAN_DEELNAME),
        ([(20, 20, "CERTIFICAAT"), (20, 30, "Verklaring van deelname en prestatie")],
         DocType.PRESTATIEVERKLARING),
        ([(20, 20, "Loonstrook"), (20, 30, "Salarisadministratie")], DocType.LOONSTROOK),
        ([(20, 20, "Zorggroep Oost"), (20, 40, "Salaris over augustus 2024", 1.6)],
         DocType.LOONSTROOK),  # GLOSSARY's "Salaris over" heading a payslip
        ([(20, 20, "Leerwerkovereenkomst duaal")], DocType.OPLEIDINGSOVEREENKOMST),
        ([(20, 20, "Onderwijsarbeidsovereenkomst")], DocType.OPLEIDINGSOVEREENKOMST),
        ([(20, 20, "Presentielijst scholingsbijeenkomst")], DocType.ONBEKEND),
        # OCR split the title's word in two
        ([(20, 20, "Prestatieverklari ng Ons kenmerk: PV-2025-0645")],
         DocType.PRESTATIEVERKLARING),
        ([(20, 20, "Loon strook")], DocType.LOONSTROOK),
        # ... where a shorter title runs on inside the split word: the longer one wins
        ([(20, 20, "Onder wijs-arbeidsovereenkomst")], DocType.OPLEIDINGSOVEREENKOMST),
        ([(20, 20, "Onderwijs-arbeidsovereenkomst")], DocType.OPLEIDINGSOVEREENKOMST),
        ([(20, 20, "Arbeids overeenkomst")], DocType.ARBEIDSOVEREENKOMST),
        # a letter's subject names the type, then what it is about
        ([(20, 20, "Stichting Brabantzorg"), (20, 40, "Betreft"),
          (40, 40, "Prestatieverklaring training Omgaan met agressie en geweld op de werkvloer")],
         DocType.PRESTATIEVERKLARING),
    ],
)  # fmt: skip
def test_a_title_names_the_type(rows: list[tuple[float, float, str]], expected: DocType) -> None:
    title = find_title(page(*rows).lines)
    assert title is not None and title.doc_type is expected


def test_a_sentence_naming_a_type_is_no_title() -> None:
    rows = [(20, 20, "Geachte heer, mevrouw, hierbij sturen wij u het diploma van uw medewerker")]
    assert find_title(page(*rows).lines) is None
    subject = [(20, 40, "Betreft"), (60, 40, "Uw vraag over het diploma van uw medewerker")]
    assert find_title(page(*subject).lines) is None  # a subject that does not open with it
    salary = [(20, 20, "Het salaris over de proeftijd is gelijk aan het salaris daarna")]
    assert find_title(page(*salary).lines) is None
    # closing a space joins no two words into a title that neither was
    assert find_title(page((20, 20, "Overzicht loon strookjes")).lines) is None


def test_no_title_below_the_top_rows() -> None:
    rows = [(20, 20 + 6 * i, f"Regel {i} met tekst") for i in range(10)]
    assert find_title(page(*rows, (20, 100, "Diploma")).lines) is None


SCHOOL = [
    (20, 40, "Hierbij verklaren wij dat de student de opleiding Verzorgende IG volgt"),
    (20, 50, "Crebo 25491 leerweg BBL niveau 3 aan het ROC Zadkine"),
    (20, 60, "De opleiding is nog niet afgerond en loopt door in het studiejaar 2025-2026"),
]
TRAINING = [
    (20, 40, "Training Omgaan met agressie, verzorgd door Trainingsbureau Kompas"),
    (20, 50, "Naam opleider Kompas Opleidingen  Docent P. Jansen  Einddatum training 12-03-2025"),
    (20, 60, "Handtekening deelnemer  Handtekening docent  Datum"),
]


@pytest.mark.parametrize(
    ("heading", "content", "expected"),
    [
        ("Verklaring van deelname", SCHOOL, DocType.BEWIJS_VAN_DEELNAME),
        ("Verklaring van deelname", TRAINING, DocType.PRESTATIEVERKLARING),
        ("CERTIFICAAT VAN DEELNAME", SCHOOL, DocType.BEWIJS_VAN_DEELNAME),
        ("Deelnamecertificaat", TRAINING, DocType.PRESTATIEVERKLARING),
        # a title joining two types' own titles
        ("Bewijs van deelname en prestatieverklaring", TRAINING, DocType.PRESTATIEVERKLARING),
        ("Bewijs van deelname en prestatieverklaring", SCHOOL, DocType.BEWIJS_VAN_DEELNAME),
        ("Bewijs van deelname & prestatieverklaring", TRAINING, DocType.PRESTATIEVERKLARING),
    ],
)
def test_a_shared_title_leaves_the_choice_to_the_content(
    heading: str, content: list[tuple[float, float, str]], expected: DocType
) -> None:
    lines = page((20, 20, heading), *content).lines
    title = find_title(lines)
    assert title is not None and title.shared
    assert set(title.doc_types) == {DocType.BEWIJS_VAN_DEELNAME, DocType.PRESTATIEVERKLARING}
    result = classify_lines(lines, load_model())
    assert result.doc_type is expected
    assert result.confidence >= TITLE_CONFIDENCE
    assert result.evidence[0] == f"titel: {heading.lower()}"


def test_a_title_of_one_type_is_not_shared() -> None:
    title = find_title(page((20, 20, "Bewijs van deelname"), *TRAINING).lines)
    assert title is not None and not title.shared
    assert title.doc_type is DocType.BEWIJS_VAN_DEELNAME


def test_a_look_alikes_title_joined_to_a_types_title_is_that_types() -> None:
    title = find_title(page((20, 20, "Factuur / prestatieverklaring"), *TRAINING).lines)
    assert title is not None and not title.shared
    assert title.doc_type is DocType.PRESTATIEVERKLARING
    alone = find_title(page((20, 20, "Factuur"), *TRAINING).lines)
    assert alone is not None and alone.doc_type is DocType.ONBEKEND
