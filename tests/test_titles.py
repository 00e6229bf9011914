"""A clear title decides the document type on any layout; a sentence that names a type, or a
look-alike's title, does not."""

from __future__ import annotations

import pytest

from core.enums import DocType
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
        ([(20, 20, "Leerwerkovereenkomst duaal")], DocType.OPLEIDINGSOVEREENKOMST),
        ([(20, 20, "Onderwijsarbeidsovereenkomst")], DocType.OPLEIDINGSOVEREENKOMST),
        ([(20, 20, "Presentielijst scholingsbijeenkomst")], DocType.ONBEKEND),
    ],
)  # fmt: skip
def test_a_title_names_the_type(rows: list[tuple[float, float, str]], expected: DocType) -> None:
    title = find_title(page(*rows).lines)
    assert title is not None and title.doc_type is expected


def test_a_sentence_naming_a_type_is_no_title() -> None:
    rows = [(20, 20, "Geachte heer, mevrouw, hierbij sturen wij u het diploma van uw medewerker")]
    assert find_title(page(*rows).lines) is None


def test_no_title_below_the_top_rows() -> None:
    rows = [(20, 20 + 6 * i, f"Regel {i} met tekst") for i in range(10)]
    assert find_title(page(*rows, (20, 100, "Diploma")).lines) is None
