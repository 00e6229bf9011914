"""Tampering signs: a payslip whose month was white-boxed and overtyped (the text layer holds
both months) and an unsigned PDF whose page content a later incremental update replaced; a
metadata-only update and a clean page are not signs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from core.enums import FindingCode, MediaType, Slot
from core.model import Document
from core.settings import Settings
from extractors.integrity import incremental_update_signs, integrity_fields
from reading.text import extract_pages
from tests import esignkit as kit
from tests import rulekit as k

BODY = [
    "Salarisspecificatie Zorggroep Noord B.V.",
    "Naam: Jan de Vries",
    "Personeelsnummer: 104233",
    "Salaris 2.812,40",
    "Pensioenpremie PFZW -295,30",
    "Loonheffing -482,11",
    "Netto te betalen 2.034,99",
]


def tampered_payslip(old: str = "Periode: oktober 2025", new: str = "Periode: juli 2025") -> bytes:
    """Like the fixtures: the old month drawn, a white box over it, the new month typed over."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(60, 780, old)
    c.setFillColor(white)
    c.rect(58, 776, c.stringWidth(old, "Helvetica-Bold", 14) + 4, 16, fill=1, stroke=0)
    c.setFillColorRGB(0, 0, 0)
    c.drawString(60, 780, new)
    c.setFont("Helvetica", 14)
    for i, line in enumerate(BODY):
        c.drawString(60, 740 - 24 * i, line)
    c.save()
    return buf.getvalue()


def _document(data: bytes) -> Document:
    pages = extract_pages(data, MediaType.PDF, settings=Settings())
    return Document(
        document_id="a" * 64,
        file="docs/loonstrook.pdf",
        media_type=MediaType.PDF,
        size_bytes=len(data),
        pages=pages,
    )


@pytest.fixture(scope="module")
def tampered_fields() -> dict:
    data = tampered_payslip()
    return integrity_fields(data, _document(data))


def test_overtyped_month_is_a_tampering_sign(tampered_fields: dict) -> None:
    [sign] = tampered_fields["tampering"].value
    assert sign["soort"] == "tekstlaag" and sign["page"] == 1 and sign["bbox"]
    assert "oktober 2025" in sign["reden"] and "juli 2025" in sign["reden"]
    assert "oktober" in sign["tekstlaag"] and "juli" in sign["zichtbaar"]


def test_rule_names_both_months(tampered_fields: dict) -> None:
    doc = k.payslip(Slot.LOONSTROOK_EIND)
    doc.fields.update(tampered_fields)
    found = k.findings(k.registration(), k.replace(k.a_documents(), doc))
    [finding] = [f for f in found if f.code is FindingCode.TAMPERING_SUSPECTED]
    assert "oktober 2025" in finding.message and "juli 2025" in finding.message
    assert finding.page == 1 and finding.bbox is not None


def test_clean_page_has_no_integrity_fields() -> None:
    data = kit.page_pdf(*BODY)
    assert integrity_fields(data, _document(data)) == {}


def test_incremental_content_update_of_unsigned_pdf_is_a_sign() -> None:
    [sign] = incremental_update_signs(kit.with_content_change(kit.page_pdf(*BODY)))
    assert sign["soort"] == "incrementele_update"


def test_metadata_only_update_is_not_a_sign() -> None:
    data = kit.page_pdf(*BODY)
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_metadata({"/Title": "Loonstrook"})
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert updated.count(b"%%EOF") == 2 and PdfReader(io.BytesIO(updated)).metadata
    assert incremental_update_signs(updated) == []
    assert incremental_update_signs(kit.with_annotation(data)) == []
