"""No false alarms on the generated sample: every PDF of fixtures/sample, with every page
treated as OCR'd (stricter than the pipeline, which compares only pages it OCR'd), gets a
tampering sign or an invalid signature only where the fixture injected one."""

from __future__ import annotations

import csv
from pathlib import Path

from core.enums import MediaType, WordSource
from core.model import Document, Page
from extractors.integrity import integrity_fields

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"


def _purposes() -> dict[str, str]:
    with (SAMPLE / "samples.csv").open(encoding="utf-8") as handle:
        return {row["file"]: row["purpose"] for row in csv.DictReader(handle)}


def _as_ocr(data: bytes, file: str) -> Document:
    import pypdfium2 as pdfium

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
    flagged: dict[str, set[str]] = {}
    for file, purpose in sorted(_purposes().items()):
        if not file.endswith(".pdf") or not (SAMPLE / file).stat().st_size:
            continue
        data = (SAMPLE / file).read_bytes()
        try:
            doc = _as_ocr(data, file)
        except Exception:
            continue  # broken fixtures (truncated, encrypted) never reach this stage
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
