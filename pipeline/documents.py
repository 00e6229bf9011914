"""The batch's per-document steps without Prefect: store the original, answer from the
result cache or run the document stages, and save page renders. `flows.batch` wires them
into tasks; the upload API and the bucket intake use `render_saver` too."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from core.enums import FindingCode, WordSource
from core.manifest import ManifestEntry
from core.model import Hints, ProcessedDocument, Word
from core.settings import Settings
from pipeline.assemble import entry_problem_document, size_refused_document
from pipeline.cache import ResultCache, result_key
from pipeline.process import SaveRender, process_document
from pipeline.redact import redact_render
from reading.admission import sha256
from store.objects import (
    LocalStorage,
    Storage,
    StorageError,
    make_storage,
    original_key,
    render_key,
)

log = logging.getLogger(__name__)


def render_saver(storage: Storage, document_id: str) -> SaveRender:
    """Store each page image the stages hand over as a JPEG beside the original, with every
    BSN its words show blacked out first (`pipeline.redact`): a render never shows one."""

    def save(page: int, image: np.ndarray, words: list[Word]) -> str:
        image = redact_render(image, words, page)
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        if not ok:
            raise RuntimeError("could not encode page render")
        return storage.put(render_key(document_id, page), encoded.tobytes())

    return save


@dataclass(frozen=True)
class Checked:
    """A task's answer: the processed document, and whether it came from the cache."""

    processed: ProcessedDocument
    cached: bool = False
    # why a fault on our side kept it from being checked, for the batch's log: the manifest
    # line and the reason, never the document's text
    problem: str | None = None

    @property
    def unchecked(self) -> bool:
        """A fault on our side kept the document from being checked."""
        return any(f.code is FindingCode.CHECK_FAILED for f in self.processed.findings)

    @property
    def ocr_pages(self) -> int:
        """Pages read by OCR in this run (none when the result came from the cache)."""
        doc = self.processed.document
        if self.cached or doc is None:
            return 0
        return sum(1 for page in doc.pages if page.source == WordSource.OCR)


def check_entry_cached(
    entry: ManifestEntry, settings: Settings, storage: Storage, hints: Hints | None = None
) -> Checked:
    """Store the original; return the cached result for it, or run the document stages on it
    and cache what they found (unless `settings.cache` is off)."""
    if entry.path is None:
        return Checked(entry_problem_document(entry))
    if (refused := size_refused_document(entry, settings.limits)) is not None:
        return Checked(refused)  # empty or too big: never read into memory
    data = entry.path.read_bytes()
    document_id = sha256(data)
    storage.put(
        original_key(document_id),
        data,
        {"registratie_id": entry.registratie_id, "slot": entry.slot.value},
    )
    cache = ResultCache(storage)
    key = result_key(document_id, entry.slot, settings, hints)
    if settings.cache and (hit := cache.get(key, entry.bestand)) is not None:
        return Checked(hit, cached=True)
    processed = process_document(
        data,
        file=entry.bestand,
        slot=entry.slot,
        settings=settings,
        save_render=render_saver(storage, document_id),
        hints=hints,
    )
    try:
        cache.put(key, processed)  # also with --no-cache: the fresh result replaces the old one
    except StorageError as exc:  # the document was checked: report it, the next run redoes it
        log.warning("result of manifest line %d not cached: %s", entry.line, exc)
    return Checked(processed)


def check_entry(
    entry: ManifestEntry, settings: Settings, storage: Storage, hints: Hints | None = None
) -> ProcessedDocument:
    """Store the original and run the document stages on it (or take the cached result)."""
    return check_entry_cached(entry, settings, storage, hints).processed


def known_results(
    entries: list[ManifestEntry], settings: Settings, storage: Storage, hints: dict[str, Hints]
) -> dict[int, Checked]:
    """The answers found without running the stages: listing problems and cache hits, by
    position in `entries`. When the store fails, the rest is left to the tasks (which retry
    and report it per document)."""
    known: dict[int, Checked] = {}
    look_up = settings.cache
    for i, entry in enumerate(entries):
        if entry.path is None:
            known[i] = Checked(entry_problem_document(entry))
            continue
        if (refused := size_refused_document(entry, settings.limits)) is not None:
            known[i] = Checked(refused)
            continue
        if not look_up:
            continue
        try:
            data = entry.path.read_bytes()
        except OSError:
            continue  # the task reports it
        key = result_key(sha256(data), entry.slot, settings, hints.get(entry.registratie_id))
        try:
            hit = ResultCache(storage).get(key, entry.bestand)
        except StorageError as exc:
            log.error("result cache not reachable, the document tasks try again: %s", exc)
            look_up = False
            continue
        if hit is not None:
            known[i] = Checked(hit, cached=True)
    return known


def prepare_storage(settings: Settings) -> Storage:
    """Open the store before any task runs (a dead object store fails the run at once, with
    its reason) and clear what a killed run left half-written."""
    storage = make_storage(settings)
    if isinstance(storage, LocalStorage):
        storage.sweep()
    return storage
