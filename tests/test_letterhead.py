"""LETTERHEAD_MISSING: an external training's performance declaration without logo or stamp is
still on letterhead paper when the trainer's name is printed in page 1's header band (legal
form, case and punctuation aside); a name filled in after a form's label, or printed lower
on the page, is none."""

from __future__ import annotations

from typing import Any

import pytest

from core.enums import FindingCode, MediaType, WordSource
from core.geometry import BBox
from core.model import Document, Page, ProcessedDocument, Word
from tests import rulekit as k

F = FindingCode.LETTERHEAD_MISSING
C = k.c_registration(opleider="Zorgacademie Noord B.V.")


def line(text: str, x: float, y: float, block: int = 1, number: int = 1) -> list[Word]:
    """The words of `text` from (x, y) (page fractions), one printed line."""
    out = []
    for token in text.split():
        width = 0.012 * len(token)
        box = BBox(x0=x, y0=y, x1=x + width, y1=y + 0.012)
        out.append(Word(text=token, bbox=box, confidence=0.93, source=WordSource.OCR,
                        line=number, block=block))  # fmt: skip
        x += width + 0.01
    return out


def declaration(*lines: list[Word], **fields: Any) -> ProcessedDocument:
    """A declaration without logo or stamp whose page 1 holds `lines` (page 2 is blank)."""
    doc = k.declaration(**({"logo_present": False, "stamp_present": False} | fields))
    body = line("Hierbij verklaren wij dat de deelnemer de training heeft gevolgd", 0.1, 0.5, 9, 9)
    pages = [
        Page(number=2, width=595, height=842, source=WordSource.OCR),
        Page(number=1, width=595, height=842, source=WordSource.OCR,
             words=[w for ws in lines for w in ws] + body),
    ]  # fmt: skip
    document = Document(document_id="a" * 64, file=doc.file, media_type=MediaType.PDF,
                        size_bytes=1000, pages=pages)  # fmt: skip
    return doc.model_copy(update={"document": document})


def fires(reg: Any, doc: ProcessedDocument) -> bool:
    return F in k.codes(reg, k.replace(k.c_documents(), doc))


TITLE = line("PRESTATIEVERKLARING", 0.1, 0.12, 2, 2)


@pytest.mark.parametrize(
    ("label", "header"),
    [
        ("the registered name without legal form, capitals", line("ZORGACADEMIE NOORD", 0.1, 0.05)),
        ("a legal form and punctuation", line("Stichting Zorgacademie-Noord", 0.3, 0.04)),
        ("one OCR slip", line("Zorgacadernie Noord opleidingen in de zorg", 0.1, 0.05)),
    ],
)  # fmt: skip
def test_the_trainers_name_in_the_header_is_a_letterhead(label: str, header: list[Word]) -> None:
    assert not fires(C, declaration(header, TITLE)), label


def test_the_documents_own_trainer_name_counts_too() -> None:
    header = line("Thuiszorg Oosterlicht Academie", 0.1, 0.05, 1, 1)
    doc = declaration(header, TITLE, opleider="Thuiszorg Oosterlicht Academie")
    assert not fires(k.c_registration(opleider=None), doc)


def test_no_logo_no_stamp_and_no_name_in_the_header_fires() -> None:
    assert fires(C, declaration(line("Zorggroep Noord", 0.1, 0.05, 1, 1), TITLE))
    assert fires(C, declaration(TITLE))


def test_the_name_lower_on_the_page_or_after_a_label_is_no_letterhead() -> None:
    lower = line("Zorgacademie Noord", 0.1, 0.3, 5, 5)
    assert fires(C, declaration(TITLE, lower))
    label = line("Naam opleider", 0.1, 0.13, 3, 3)
    value = line("Zorgacademie Noord", 0.35, 0.13, 4, 4)  # another OCR block, same row
    assert fires(C, declaration(TITLE, label, value))


def test_a_logo_or_stamp_is_a_letterhead_without_the_name() -> None:
    assert not fires(C, declaration(TITLE, logo_present=True))
    assert not fires(C, declaration(TITLE, stamp_present=True))


def test_an_internal_training_needs_no_letterhead() -> None:
    assert not fires(k.c_registration(extern=False), declaration(TITLE))
