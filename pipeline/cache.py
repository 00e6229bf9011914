"""A content-addressed cache of processed documents in derived storage, so that re-running an
unchanged batch skips the work and a killed batch resumes where it stopped.

The key is made of everything that decides a document's result: the sha256 of the file's
bytes, the slot, the pipeline (its version and a digest of the stages' source code, so an edit
never serves a stale result), the settings that change what is read (limits, OCR), and the
registration's hints (participant name, education). The hints are hashed together with the
document's sha256, never stored in clear. The value is the `ProcessedDocument` as JSON, written
once the document is done; storage puts are atomic, so an entry is whole or absent.

Results with CHECK_FAILED (a fault on our side) are never cached: the next run tries again."""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from extractors.fields import Hints
from pipeline import PIPELINE_VERSION
from pipeline.enums import FindingCode, Slot
from pipeline.model import ProcessedDocument
from pipeline.settings import Settings
from pipeline.storage import Storage

log = logging.getLogger(__name__)

RESULTS = "results/"
# The packages whose code decides a ProcessedDocument (checks run later, on every run).
STAGE_PACKAGES = ("pipeline", "extractors")


@cache
def code_digest() -> str:
    """A short digest of the stage packages' Python source (computed once per process)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for package in STAGE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _context_hash(document_id: str, settings: Settings, hints: Hints | None) -> str:
    """Hints and reading settings, hashed with the document's sha256 as salt."""
    hints = hints or Hints()
    parts = [
        document_id,
        hints.participant or "",
        hints.education or "",
        settings.limits.model_dump_json(),
        settings.ocr.model_dump_json(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def result_key(document_id: str, slot: Slot, settings: Settings, hints: Hints | None) -> str:
    """Where the result of this document, in this slot, under these hints is cached."""
    version = f"{PIPELINE_VERSION}-{code_digest()}"
    context = _context_hash(document_id, settings, hints)
    return f"{RESULTS}{document_id[:2]}/{document_id}/{version}/{slot.value}-{context}.json"


def cacheable(processed: ProcessedDocument) -> bool:
    """Only results that say something about the file; never a fault of ours."""
    return all(f.code is not FindingCode.CHECK_FAILED for f in processed.findings)


class ResultCache:
    """Processed documents by `result_key`, in a Storage (derived bucket)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def get(self, key: str, file: str) -> ProcessedDocument | None:
        """The cached result, re-labelled with the `file` name it was listed under now."""
        if not self.storage.exists(key):
            return None
        try:
            cached = ProcessedDocument.model_validate_json(self.storage.get(key))
        except FileNotFoundError:
            return None
        except ValidationError:
            log.warning("ignoring an unreadable cache entry %s", key)
            return None
        return _relabel(cached, file)

    def put(self, key: str, processed: ProcessedDocument) -> bool:
        """Store `processed` if it may be reused; True when it was stored."""
        if not cacheable(processed):
            return False
        self.storage.put(key, processed.model_dump_json().encode())
        return True


def _relabel(processed: ProcessedDocument, file: str) -> ProcessedDocument:
    """The same bytes may be listed under another name: point every `file` at the new one."""
    old = processed.file
    if old == file:
        return processed
    processed.file = file
    if processed.document is not None:
        processed.document.file = file
    for finding in processed.findings:
        if finding.file == old:
            finding.file = file
    return processed
