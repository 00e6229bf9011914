"""The document model: a document has pages, a page has words, every word and every extracted
value keeps where it came from (page, page-relative box, confidence, text layer or OCR), so a
reviewer can always be shown the evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from core.enums import (
    SEVERITY_OUTSIDE_RULES,
    DocType,
    FindingCode,
    MediaType,
    Severity,
    Slot,
    TextSource,
    WordSource,
)
from core.geometry import BBox

_SHA256 = re.compile(r"^[0-9a-f]{64}$")

Confidence = Field(ge=0.0, le=1.0, description="0..1; 1 is certain")


class Word(BaseModel):
    """One word on a page with its box, confidence and source."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(min_length=1)
    bbox: BBox
    confidence: float = Confidence
    source: WordSource
    line: int = Field(default=0, ge=0, description="line number on the page, for grouping")
    block: int = Field(default=0, ge=0, description="block (paragraph) number on the page")


class Page(BaseModel):
    """One page: its size, where its render is stored, and its words."""

    number: int = Field(ge=1, description="page number, from 1")
    width: float = Field(gt=0, description="width in PDF points (1/72 inch) or image pixels")
    height: float = Field(gt=0)
    source: WordSource
    words: list[Word] = Field(default_factory=list)
    render_ref: str | None = Field(
        default=None, description="storage key of the page image the boxes refer to"
    )
    dpi: int | None = Field(default=None, gt=0, description="render resolution used for OCR")
    rotation: float = Field(default=0.0, description="degrees the render was turned upright")
    ocr_confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    @property
    def text(self) -> str:
        """The page's words, one line of text per line."""
        lines: dict[tuple[int, int], list[str]] = {}
        for word in self.words:
            lines.setdefault((word.block, word.line), []).append(word.text)
        return "\n".join(" ".join(ws) for _, ws in sorted(lines.items()))


class Document(BaseModel):
    """An uploaded file after intake and text extraction."""

    document_id: str = Field(description="sha256 of the file's bytes, hex")
    file: str = Field(description="the name the file was uploaded or listed under")
    media_type: MediaType
    size_bytes: int = Field(ge=0)
    pages: list[Page] = Field(default_factory=list)

    @field_validator("document_id")
    @classmethod
    def _sha256(cls, value: str) -> str:
        if not _SHA256.match(value):
            raise ValueError("document_id must be a lowercase hex sha256 (64 characters)")
        return value

    kept_ocr_confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="ocr_confidence of a copy without words"
    )

    @property
    def text_source(self) -> TextSource | None:
        sources = {page.source for page in self.pages}
        if not sources:
            return None
        if sources == {WordSource.TEXT_LAYER}:
            return TextSource.TEXT_LAYER
        if sources == {WordSource.OCR}:
            return TextSource.OCR
        return TextSource.MIXED

    @property
    def ocr_confidence(self) -> float | None:
        """Mean OCR confidence over the OCR'd pages, weighted by their words."""
        total = 0.0
        count = 0
        for page in self.pages:
            for word in page.words:
                if word.source is WordSource.OCR:
                    total += word.confidence
                    count += 1
        return round(total / count, 4) if count else self.kept_ocr_confidence

    @property
    def text(self) -> str:
        return "\n\f\n".join(page.text for page in self.pages)


class FieldValue(BaseModel):
    """An extracted value with its evidence."""

    value: Any
    page: int | None = Field(default=None, ge=1)
    bbox: BBox | None = None
    confidence: float = Confidence
    source_text: str | None = None
    extractor: str = Field(description="module that produced the value")
    method: WordSource | None = Field(default=None, description="text_layer or ocr")


class Finding(BaseModel):
    """One reason a registration is not simply approved, with its evidence."""

    code: FindingCode
    severity: Severity
    message: str = Field(min_length=1, description="Dutch: what is wrong, what to upload")
    document_id: str | None = None
    page: int | None = Field(default=None, ge=1)
    bbox: BBox | None = None
    expected: str | None = None
    found: str | None = None
    slot: Slot | None = None
    file: str | None = None

    @classmethod
    def of(
        cls, code: FindingCode, message: str, *, severity: Severity | None = None, **evidence: Any
    ) -> Finding:
        """A finding with `severity`. Left out, it is the code's severity when no rule raises
        the code (intake, our own faults); a rule's code has the severity its rule declares,
        which only the rules know (checks.base.finding makes their findings)."""
        if severity is None:
            try:
                severity = SEVERITY_OUTSIDE_RULES[code]
            except KeyError:
                raise ValueError(
                    f"{code} is raised by a rule: its severity is declared there "
                    "(checks.base.finding, checks.registry.severity_of)"
                ) from None
        return cls(code=code, severity=severity, message=message, **evidence)


class ClassifiedType(BaseModel):
    """A document type with its confidence and the words that decided it."""

    doc_type: DocType
    confidence: float = Confidence
    evidence: list[str] = Field(default_factory=list)


class ProcessedDocument(BaseModel):
    """What the pipeline made of one manifest row: the document (if it could be read), its
    type and fields, and the findings about the file itself."""

    file: str
    slot: Slot
    document: Document | None = None
    document_id: str | None = None
    classified: ClassifiedType | None = None
    page_types: list[ClassifiedType] = Field(default_factory=list, description="per page")
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    seconds: dict[str, float] = Field(default_factory=dict, description="time per stage")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def readable(self) -> bool:
        return self.document is not None and bool(self.document.pages)


@dataclass(frozen=True)
class Hints:
    """What the registration says, to look for on the document (never assumed to be there)."""

    participant: str | None = None
    education: str | None = None
    crebo: str | None = None
    organisation: str | None = None
    signatory: str | None = None  # the director with signing authority (`tekenbevoegde`)
    # The registered dates by the field that carries them on a document (`startdatum`,
    # `einddatum`, `datum_in_dienst`), as ISO dates.
    dates: tuple[tuple[str, str], ...] = ()
