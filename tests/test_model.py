"""The document model validates geometry, confidence, ids and findings at construction."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.enums import SEVERITY_OUTSIDE_RULES, FindingCode, MediaType, Severity, WordSource
from core.geometry import BBox
from core.model import Document, FieldValue, Finding, Page, Word

SHA = "a" * 64


def test_bbox_serialises_to_contract_list() -> None:
    box = BBox.model_validate([0.12, 0.30, 0.25, 0.33])
    assert box.model_dump() == [0.12, 0.3, 0.25, 0.33]


@pytest.mark.parametrize(
    ("coords", "reason"),
    [
        ([0.5, 0.1, 0.4, 0.2], "right edge"),
        ([0.1, 0.5, 0.2, 0.4], "bottom edge"),
        ([-0.1, 0.1, 0.2, 0.2], "outside the page"),
        ([0.1, 0.1, 1.2, 0.2], "outside the page"),
        ([0.1, 0.1, 0.2], "4 numbers"),
    ],
)
def test_bad_bbox_refused_with_reason(coords: list[float], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        BBox.model_validate(coords)


def test_bbox_from_pixels_clamps_to_page() -> None:
    box = BBox.from_pixels(-5, 10, 210, 297, width=200, height=297)
    assert box.model_dump() == [0.0, 0.0337, 1.0, 1.0]
    with pytest.raises(ValueError, match="positive"):
        BBox.from_pixels(0, 0, 1, 1, width=0, height=10)


def test_word_confidence_must_be_a_fraction() -> None:
    box = BBox.model_validate([0, 0, 0.1, 0.1])
    Word(text="crebo", bbox=box, confidence=0.9, source=WordSource.OCR)
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        Word(text="crebo", bbox=box, confidence=91, source=WordSource.OCR)


def test_document_id_must_be_sha256() -> None:
    with pytest.raises(ValidationError, match="sha256"):
        Document(document_id="abc", file="x.pdf", media_type=MediaType.PDF, size_bytes=1)


def test_text_source_follows_pages() -> None:
    def page(n: int, source: WordSource) -> Page:
        return Page(number=n, width=595, height=842, source=source)

    doc = Document(document_id=SHA, file="x.pdf", media_type=MediaType.PDF, size_bytes=1)
    assert doc.text_source is None
    doc.pages = [page(1, WordSource.TEXT_LAYER)]
    assert doc.text_source == "text_layer"
    doc.pages.append(page(2, WordSource.OCR))
    assert doc.text_source == "mixed"
    doc.pages = [page(1, WordSource.OCR)]
    assert doc.text_source == "ocr"


def test_ocr_confidence_is_mean_over_ocr_words() -> None:
    box = BBox.model_validate([0, 0, 0.1, 0.1])
    words = [
        Word(text="a1", bbox=box, confidence=0.8, source=WordSource.OCR),
        Word(text="b2", bbox=box, confidence=0.6, source=WordSource.OCR),
    ]
    page = Page(number=1, width=10, height=10, source=WordSource.OCR, words=words)
    doc = Document(
        document_id=SHA, file="x.jpg", media_type=MediaType.JPEG, size_bytes=1, pages=[page]
    )
    assert doc.ocr_confidence == pytest.approx(0.7)


def test_page_text_groups_lines_in_order() -> None:
    box = BBox.model_validate([0, 0, 0.1, 0.1])
    words = [
        Word(text="tweede", bbox=box, confidence=1, source=WordSource.TEXT_LAYER, line=1),
        Word(text="eerste", bbox=box, confidence=1, source=WordSource.TEXT_LAYER, line=0),
        Word(text="regel", bbox=box, confidence=1, source=WordSource.TEXT_LAYER, line=0),
    ]
    page = Page(number=1, width=10, height=10, source=WordSource.TEXT_LAYER, words=words)
    assert page.text == "eerste regel\ntweede"


def test_page_number_starts_at_one() -> None:
    with pytest.raises(ValidationError):
        Page(number=0, width=10, height=10, source=WordSource.OCR)


def test_finding_takes_the_severity_of_a_code_raised_outside_the_rules() -> None:
    finding = Finding.of(FindingCode.ACTIVE_CONTENT, "Actieve inhoud.")
    assert finding.severity is Severity.WARNING
    assert Finding.of(FindingCode.FILE_UNREADABLE, "x").severity is Severity.ERROR
    given = Finding.of(FindingCode.TAMPERING_SUSPECTED, "x", severity=Severity.WARNING)
    assert given.severity is Severity.WARNING
    with pytest.raises(ValueError, match="rule"):  # a rule's code: its rule declares it
        Finding.of(FindingCode.CREBO_MISMATCH, "x")
    with pytest.raises(ValidationError):
        Finding(code="NOT_A_CODE", severity=Severity.ERROR, message="x")  # type: ignore[arg-type]


def test_every_contract_code_has_a_severity() -> None:
    contract = {
        "FILE_TYPE_NOT_ALLOWED", "FILE_UNREADABLE", "DOCUMENT_MISSING", "DOC_UNREADABLE",
        "DOC_WRONG_TYPE", "DOC_TYPE_UNCERTAIN", "PARTICIPANT_NOT_FOUND", "CREBO_MISSING",
        "CREBO_MISMATCH", "EDUCATION_MISMATCH", "START_DATE_MISMATCH", "END_DATE_MISMATCH",
        "BPV_VOLUME_MISSING", "PARTY_MISSING", "SIGNATURES_MISSING", "START_BEFORE_WINDOW",
        "END_AFTER_WINDOW", "TARGET_GROUP_MISMATCH", "DUPLICATE_PARTICIPANT",
        "PAYSLIP_MONTH_MISMATCH", "PAYSLIP_NOT_ANONYMISED", "PAYSLIP_EMPLOYER_MISMATCH",
        "DIPLOMA_OUTSIDE_PERIOD", "LETTERHEAD_MISSING", "TRAINER_NAME_MISSING",
        "SIGNED_TOO_EARLY", "SIGNED_TOO_LATE", "KVK_EXTRACT_TOO_OLD", "SIGNATORY_NOT_ON_KVK",
        "DIGITAL_SIGNATURE_INVALID", "TAMPERING_SUSPECTED",
    }  # fmt: skip
    assert contract <= {c.value for c in FindingCode}
    assert set(SEVERITY_OUTSIDE_RULES) < set(FindingCode)  # the rest: tests/test_registry.py


def test_field_value_keeps_evidence() -> None:
    field = FieldValue(
        value="25491",
        page=1,
        bbox=BBox.model_validate([0.1, 0.2, 0.3, 0.25]),
        confidence=0.95,
        source_text="Crebo: 25491",
        extractor="extractors.crebo",
        method=WordSource.TEXT_LAYER,
    )
    dumped = field.model_dump(mode="json")
    assert dumped["bbox"] == [0.1, 0.2, 0.3, 0.25]
    assert dumped["method"] == "text_layer"
