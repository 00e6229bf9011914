"""Process one uploaded file: intake, text per page, legibility. A pure stage over bytes; the
Prefect flow only wires it up. Whatever goes wrong with the file becomes a finding with a Dutch
message; a fault on our side (OCR engine crash) becomes CHECK_FAILED, never a silent pass. A
store that cannot save a page render raises StorageError: the caller retries the document or
reports it as not checked."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np

from core.enums import FindingCode, Slot, WordSource
from core.errors import AdmissionError, ExtractionError
from core.model import Document, FieldValue, Finding, Hints, Page, ProcessedDocument, Word
from core.settings import Settings
from extractors.fields import extract_fields, unsure_blanks
from pipeline.redact import redact_processed
from reading.admission import intake
from store.objects import StorageError

log = logging.getLogger(__name__)

SaveRender = Callable[[int, np.ndarray, list[Word]], str]  # see reading.text

# A document with fewer legible words than this cannot be checked (DOC_UNREADABLE).
MIN_LEGIBLE_WORDS = 12
LEGIBLE_WORD_CONFIDENCE = 0.6
# ... or whose OCR words are this unsure on average (measured: blurred scans 0.33-0.35, every
# sharp scan or photo of the development sets 0.83 or more).
MIN_MEAN_OCR_CONFIDENCE = 0.5

UNREADABLE_MESSAGE = (
    "Het document is niet of slecht leesbaar: er staat te weinig leesbare tekst op om het te "
    "controleren. Upload een scherpe scan of foto (bij voorkeur 300 dpi), recht en volledig in "
    "beeld, of het originele PDF-bestand."
)
ACTIVE_CONTENT_MESSAGE = (
    "Het bestand bevat {what}; bewijscheck heeft dat niet geopend of uitgevoerd. Upload het "
    "document bij voorkeur opnieuw als gewone PDF (bijvoorbeeld via 'Afdrukken als PDF')."
)
CHECK_FAILED_MESSAGE = (
    "Dit document kon door een technische storing niet automatisch worden gecontroleerd. "
    "U hoeft niets te doen: een medewerker van het SSC controleert het."
)


def active_content_message(kinds: tuple[str, ...]) -> str:
    """The ACTIVE_CONTENT message naming what was found ("JavaScript of ingesloten bestanden"
    when both, as in the reviewer's guide)."""
    what = kinds[-1] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} of {kinds[-1]}"
    return ACTIVE_CONTENT_MESSAGE.format(what=what)


def illegible(pages: list[Page]) -> bool:
    """Too little legible text to check: few confident words, or OCR that was unsure of most
    of what it read (a blurred page read as many low-confidence fragments)."""
    from reading.ocr import mean_confidence  # loaded with the text stage, not at start-up

    if legible_words(pages) < MIN_LEGIBLE_WORDS:
        return True
    ocr = [w for page in pages if page.source is WordSource.OCR for w in page.words]
    confidence = mean_confidence(ocr)
    if confidence is None or len(ocr) < sum(len(page.words) for page in pages) / 2:
        return False
    return confidence < MIN_MEAN_OCR_CONFIDENCE


def legible_words(pages: list[Page]) -> int:
    """Words read with confidence that contain at least two letters or digits."""
    count = 0
    for page in pages:
        for word in page.words:
            if (
                word.confidence >= LEGIBLE_WORD_CONFIDENCE
                and sum(c.isalnum() for c in word.text) >= 2
            ):
                count += 1
    return count


def _file_finding(
    code: FindingCode, message: str, file: str, slot: Slot, doc_id: str | None
) -> Finding:
    return Finding.of(code, message, document_id=doc_id, file=file, slot=slot)


def process_document(
    data: bytes,
    *,
    file: str,
    slot: Slot,
    settings: Settings,
    save_render: SaveRender | None = None,
    hints: Hints | None = None,
) -> ProcessedDocument:
    """Run the document stages over one file's bytes; `hints` say what the registration
    expects (the participant's name, the education) so it can be located on the document."""
    from extractors.visual.collect import VisualCollector
    from reading.text import extract_pages

    result = ProcessedDocument(file=file, slot=slot)
    started = time.perf_counter()
    try:
        accepted = intake(data, settings.limits)
    except AdmissionError as exc:
        log.info("intake refused a %s upload: %s", slot, exc.reason)
        result.findings.append(_file_finding(FindingCode(exc.code), exc.message, file, slot, None))
        return result
    result.document_id = accepted.document_id
    result.seconds["intake"] = time.perf_counter() - started
    if accepted.active_content:  # never run or extracted; checked as usual, reviewer told
        log.info("document %s has active content", accepted.document_id[:12])
        result.findings.append(
            _file_finding(
                FindingCode.ACTIVE_CONTENT,
                active_content_message(accepted.active_content),
                file,
                slot,
                accepted.document_id,
            )
        )

    started = time.perf_counter()
    visual = VisualCollector()  # analyses each page image while text extraction holds it
    try:
        pages = extract_pages(
            data,
            accepted.media_type,
            settings=settings,
            save_render=save_render,
            on_page=visual,
            on_plain_page=visual.plain,
        )
    except ExtractionError as exc:
        # The file itself is at fault (a corrupt page, an undecodable image).
        log.info("text extraction refused document %s: %s", accepted.document_id[:12], exc)
        result.findings.append(
            _file_finding(
                FindingCode.FILE_UNREADABLE,
                "Het bestand is beschadigd en kan niet worden gelezen. "
                "Upload het document opnieuw als PDF of JPG.",
                file,
                slot,
                accepted.document_id,
            )
        )
        return result
    except StorageError:
        raise  # the store is down, not the file at fault: the caller retries or reports it
    except Exception:
        log.exception("text extraction failed for document %s", accepted.document_id[:12])
        result.findings.append(
            _file_finding(
                FindingCode.CHECK_FAILED, CHECK_FAILED_MESSAGE, file, slot, accepted.document_id
            )
        )
        return result
    result.seconds["text"] = time.perf_counter() - started - visual.seconds
    result.seconds["visual"] = visual.seconds
    result.document = Document(
        document_id=accepted.document_id,
        file=file,
        media_type=accepted.media_type,
        size_bytes=accepted.size_bytes,
        pages=pages,
    )
    if illegible(pages):
        result.findings.append(
            _file_finding(
                FindingCode.DOC_UNREADABLE, UNREADABLE_MESSAGE, file, slot, accepted.document_id
            )
        )
        return redact_processed(result)
    analyse(result, hints or Hints(), visual.fields())
    unsure_blanks(result.fields, visual.unread_ink, visual.unread_total())
    # -- integrity: digital signatures, e-signing traces, tampering signs (needs the bytes) --
    from extractors.integrity import integrity_fields

    result.fields.update(integrity_fields(data, result.document))
    # No BSN in anything kept: the words and evidence texts are masked once the fields
    # (bsn_present included) are read.
    return redact_processed(result)


def analyse(
    result: ProcessedDocument, hints: Hints, visual: dict[str, FieldValue] | None = None
) -> None:
    """Classify the readable document (as a whole and per page) and extract its fields;
    `visual` holds the fields of the visual extractors (signatures, logo, stamp), which
    replace any text-based guess of the same name."""
    from extractors.classify.classifier import classify, classify_pages

    assert result.document is not None
    started = time.perf_counter()
    result.classified = classify(result.document)
    if len(result.document.pages) > 1:
        result.page_types = classify_pages(result.document)
    result.seconds["classify"] = time.perf_counter() - started
    started = time.perf_counter()
    result.fields = extract_fields(result.document, result.classified.doc_type, hints)
    result.fields.update(visual or {})
    result.seconds["fields"] = time.perf_counter() - started
