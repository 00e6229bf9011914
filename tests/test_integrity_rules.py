"""DIGITAL_SIGNATURE_INVALID and TAMPERING_SUSPECTED: pass, fail and not applicable, plus the
end-to-end path from a signed PDF changed after signing to the finding."""

from __future__ import annotations

from typing import Any

import pytest

from core.enums import FindingCode, MediaType, WordSource
from core.model import Document, Page, ProcessedDocument
from extractors.esign import pdf_signatures
from extractors.integrity import integrity_fields
from tests import esignkit as kit
from tests import rulekit as k

F = FindingCode
GOOD = {"field": "Handtekening1", "signer": "J. de Vries", "valid": True, "reason": None}
BAD = {**GOOD, "valid": False, "reason": "het document is na ondertekening gewijzigd"}
LAYER = {
    "soort": "tekstlaag",
    "reden": "De tekstlaag … (tekstlaag: 'oktober 2025', zichtbaar: 'juli 2025').",
    "page": 1,
    "bbox": [0.1, 0.1, 0.3, 0.12],
    "tekstlaag": "oktober 2025",
    "zichtbaar": "juli 2025",
}
AFTER_SIGNING = {"soort": "na_ondertekening", "reden": "gewijzigd", "page": None, "bbox": None}


def _pok(**fields: Any) -> ProcessedDocument:
    return k.pok(**fields)


CASES: list[tuple[str, F, ProcessedDocument, bool]] = [
    ("valid signature", F.DIGITAL_SIGNATURE_INVALID, _pok(digital_signatures=[GOOD]), False),
    ("changed after signing", F.DIGITAL_SIGNATURE_INVALID,
     _pok(digital_signatures=[GOOD, BAD]), True),
    ("unsigned n/a", F.DIGITAL_SIGNATURE_INVALID, _pok(), False),
    ("no tampering signs", F.TAMPERING_SUSPECTED, _pok(tampering=[]), False),
    ("text layer conflict", F.TAMPERING_SUSPECTED, _pok(tampering=[LAYER]), True),
    ("changed after signing is the signature's finding", F.TAMPERING_SUSPECTED,
     _pok(tampering=[AFTER_SIGNING]), False),
    ("no tampering field n/a", F.TAMPERING_SUSPECTED, _pok(), False),
]  # fmt: skip


@pytest.mark.parametrize(("label", "code", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_integrity_rules(label: str, code: F, new: ProcessedDocument, expected: bool) -> None:
    assert (code in k.codes(k.registration(), k.replace(k.a_documents(), new))) is expected


def _document(data: bytes) -> Document:
    page = Page(number=1, width=595, height=842, source=WordSource.TEXT_LAYER)
    return Document(
        document_id="b" * 64,
        file="docs/pok.pdf",
        media_type=MediaType.PDF,
        size_bytes=len(data),
        pages=[page],
    )


def test_signed_then_changed_pdf_gives_the_finding() -> None:
    data = kit.with_content_change(kit.signed(kit.page_pdf()))
    doc = k.pok()
    doc.fields.update(integrity_fields(data, _document(data)))
    found = k.findings(k.registration(), k.replace(k.a_documents(), doc))
    codes = {f.code for f in found}
    assert F.DIGITAL_SIGNATURE_INVALID in codes and F.TAMPERING_SUSPECTED not in codes
    [finding] = [f for f in found if f.code is F.DIGITAL_SIGNATURE_INVALID]
    assert "praktijkovereenkomst" in finding.message
    assert "na ondertekening gewijzigd" in finding.message


def test_signed_pdf_gives_no_finding() -> None:
    data = kit.signed(kit.page_pdf())
    doc = k.pok()
    doc.fields.update(integrity_fields(data, _document(data)))
    assert doc.fields["digital_signatures"].value[0]["signer"] == kit.SIGNER
    codes = k.codes(k.registration(), k.replace(k.a_documents(), doc))
    assert not codes & {F.DIGITAL_SIGNATURE_INVALID, F.TAMPERING_SUSPECTED}
    assert pdf_signatures(data)[0].valid
