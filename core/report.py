"""Report models that serialise exactly to CONTRACT's `report.json`, and the verdict rule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from core import PIPELINE_VERSION
from core.enums import DocType, FindingCode, Severity, Slot, TextSource, Verdict, WordSource
from core.geometry import BBox
from core.model import FieldValue, Finding, ProcessedDocument

# Below this, a document's type counts as uncertain (verdict at least `review`).
TYPE_CONFIDENCE_THRESHOLD = 0.6
FIELD_CONFIDENCE_THRESHOLD = 0.5
# What the reader could not read is no finding about the upload (nothing is shown to be wrong
# with it) but a reason to look: it goes to a registration's `to_review`, and to review.
REVIEW_ONLY_CODES = frozenset({FindingCode.FIELD_NOT_FOUND})


class ReportField(BaseModel):
    value: Any
    page: int | None = None
    bbox: BBox | None = None
    confidence: float
    source_text: str | None = None
    extractor: str | None = None
    method: WordSource | None = None

    @classmethod
    def of(cls, field: FieldValue) -> ReportField:
        return cls.model_validate(field.model_dump())


class ReportDocument(BaseModel):
    document_id: str | None
    file: str
    slot: Slot
    doc_type: DocType | None = None
    doc_type_confidence: float | None = None
    doc_type_evidence: list[str] = Field(default_factory=list)
    page_types: list[DocType] = Field(default_factory=list, description="type per page")
    pages: int = 0
    text_source: TextSource | None = None
    ocr_confidence: float | None = None
    fields: dict[str, ReportField] = Field(default_factory=dict)


class ReportRegistration(BaseModel):
    registratie_id: str
    verdict: Verdict
    findings: list[Finding] = Field(default_factory=list)
    documents: list[ReportDocument] = Field(default_factory=list)
    to_review: list[Finding] = Field(
        default_factory=list,
        description="what a reviewer must look at because it was not read (added key)",
    )
    organisatie: str | None = Field(
        default=None, description="the registering organisation, from the CSV (added key)"
    )
    deelnemer: str | None = Field(
        default=None, description="the participant's name, from the CSV (added key)"
    )

    @property
    def all_findings(self) -> list[Finding]:
        """The findings and the points to review, as a reviewer works through them."""
        return [*self.findings, *self.to_review]


def split_review(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(findings about the upload, points to review) of `findings`."""
    review = [f for f in findings if f.code in REVIEW_ONLY_CODES]
    return [f for f in findings if f.code not in REVIEW_ONLY_CODES], review


class InputProblem(BaseModel):
    """A row of an input CSV that was skipped (added to CONTRACT's shape, never renamed)."""

    file: str
    line: int
    registratie_id: str | None = None
    reason: str


class Report(BaseModel):
    generated_at: str = Field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    version: str = PIPELINE_VERSION
    registrations: list[ReportRegistration] = Field(default_factory=list)
    input_problems: list[InputProblem] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=False)


def report_document(processed: ProcessedDocument) -> ReportDocument:
    """The CONTRACT view of one processed document."""
    doc = processed.document
    classified = processed.classified
    return ReportDocument(
        document_id=processed.document_id,
        file=processed.file,
        slot=processed.slot,
        # a file that could not be read has an unknown type, with no confidence at all
        doc_type=classified.doc_type if classified else DocType.ONBEKEND,
        doc_type_confidence=round(classified.confidence, 4) if classified else 0.0,
        doc_type_evidence=classified.evidence if classified else [],
        page_types=[p.doc_type for p in processed.page_types],
        pages=len(doc.pages) if doc else 0,
        text_source=doc.text_source if doc else None,
        ocr_confidence=doc.ocr_confidence if doc else None,
        fields={name: ReportField.of(value) for name, value in processed.fields.items()},
    )


def is_uncertain(document: ReportDocument) -> bool:
    """A readable document whose type or a field is below its confidence threshold."""
    if document.pages == 0:
        return False
    if document.doc_type is None or document.doc_type is DocType.ONBEKEND:
        return True
    if (document.doc_type_confidence or 0.0) < TYPE_CONFIDENCE_THRESHOLD:
        return True
    return any(f.confidence < FIELD_CONFIDENCE_THRESHOLD for f in document.fields.values())


def verdict(findings: list[Finding], documents: list[ReportDocument]) -> Verdict:
    """CONTRACT: reject on any error; review on any warning or uncertain document; else approve."""
    if any(f.severity is Severity.ERROR for f in findings):
        return Verdict.REJECT
    if any(f.severity is Severity.WARNING for f in findings):
        return Verdict.REVIEW
    if any(is_uncertain(d) for d in documents):
        return Verdict.REVIEW
    return Verdict.APPROVE
