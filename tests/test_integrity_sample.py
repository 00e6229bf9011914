"""No false alarms on the generated sample: every PDF of fixtures/sample, with every page
treated as OCR'd (stricter than the pipeline, which compares only pages it OCR'd), gets a
tampering sign or an invalid signature only where the fixture injected one. Every PDF must
open, except those the fixtures' truth lists as kind `broken` (truncated, not a PDF), which
must not."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from core.enums import CaptureKind, MediaType, WordSource
from core.model import Document, Page
from extractors.integrity import integrity_fields

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"


def _purposes() -> dict[str, str]:
    with (SAMPLE / "samples.csv").open(encoding="utf-8") as handle:
        return {row["file"]: row["purpose"] for row in csv.DictReader(handle)}


def _broken() -> set[str]:
    """The files the fixtures' truth lists as kind `broken`."""
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    return {f for f, doc in truth["documents"].items() if doc["kind"] == CaptureKind.BROKEN}


def _as_ocr(data: bytes, file: str) -> Document:
    pdf = pdfium.PdfDocument(data)
    try:
        count = len(pdf)
    finally:
        pdf.close()
    pages = [
        Page(number=n, width=595, height=842, source=WordSource.OCR) for n in range(1, count + 1)
    ]
    return Document(
        document_id="c" * 64,
        file=file,
        media_type=MediaType.PDF,
        size_bytes=len(data),
        pages=pages,
    )


def test_no_integrity_findings_on_clean_sample_documents() -> None:
    broken = _broken()
    flagged: dict[str, set[str]] = {}
    refused: set[str] = set()
    for file, purpose in sorted(_purposes().items()):
        if not file.endswith(".pdf"):
            continue
        data = (SAMPLE / file).read_bytes()
        if file in broken:
            with pytest.raises(pdfium.PdfiumError):
                _as_ocr(data, file)
            refused.add(file)
            continue
        doc = _as_ocr(data, file)  # any other PDF that does not open fails the test
        fields = integrity_fields(data, doc)
        tampering = fields.get("tampering")
        kinds = {s["soort"] for s in tampering.value} if tampering else set()
        signatures = fields.get("digital_signatures")
        invalid = [s for s in signatures.value if not s["valid"]] if signatures else []
        if kinds or invalid:
            flagged[file] = kinds
        assert ("tekstlaag" in kinds) is ("overtyped" in purpose), file
        assert bool(invalid) is ("/Sig field" in purpose), file
        assert "incrementele_update" not in kinds, file
    assert flagged  # the sample holds one of each injected case
    assert refused == {f for f in broken if f.endswith(".pdf")} and refused
