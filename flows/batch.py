"""Prefect wiring for `bewijscheck batch`: one task per document over the pure pipeline
stages; loading, assembling and writing stay plain function calls.

Each task builds its storage from the (picklable) settings and first looks in the result cache
(`pipeline.cache`): an unchanged document is not read again, and a killed batch resumes with
the documents it had not finished. We use our own content-addressed cache rather than Prefect's
result persistence: its key must follow the file's bytes (not the path or the task inputs),
keep the hints hashed, live in the same store as the originals (S3 in production, shared by
every machine) and survive the temporary Prefect server's database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from extractors.fields import Hints
from flows import progress
from pipeline.assemble import assemble_report, check_failed_document, entry_problem_document
from pipeline.cache import ResultCache, result_key
from pipeline.enums import WordSource
from pipeline.intake import sha256
from pipeline.manifest import ManifestEntry, load_manifest
from pipeline.model import ProcessedDocument
from pipeline.process import SaveRender, process_document
from pipeline.registration import load_registrations
from pipeline.report import Report
from pipeline.settings import Settings
from pipeline.storage import LocalStorage, Storage, make_storage, original_key, render_key

log = logging.getLogger(__name__)


def _render_saver(storage: Storage, document_id: str) -> SaveRender:
    def save(page: int, image: np.ndarray) -> str:
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
        save_render=_render_saver(storage, document_id),
        hints=hints,
    )
    cache.put(key, processed)  # also with --no-cache: the fresh result replaces the old one
    return Checked(processed)


def check_entry(
    entry: ManifestEntry, settings: Settings, storage: Storage, hints: Hints | None = None
) -> ProcessedDocument:
    """Store the original and run the document stages on it (or take the cached result)."""
    return check_entry_cached(entry, settings, storage, hints).processed


@task(name="check_document", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def check_document_task(entry: ManifestEntry, settings: Settings, hints: Hints | None) -> Checked:
    return check_entry_cached(entry, settings, make_storage(settings), hints)


def _outcome(entry: ManifestEntry, future: PrefectFuture[Checked]) -> Checked:
    """The task's result, or a CHECK_FAILED document when it failed after its retries."""
    try:
        return future.result()
    except Exception as exc:
        log.error("document task failed at manifest line %d: %s", entry.line, type(exc).__name__)
        return Checked(check_failed_document(entry))


def _known(
    entry: ManifestEntry, settings: Settings, storage: Storage, hints: dict[str, Hints]
) -> Checked | None:
    """The answer for `entry` without running the stages: a listing problem, or a cache hit."""
    if entry.path is None:
        return Checked(entry_problem_document(entry))
    if not settings.cache:
        return None
    try:
        data = entry.path.read_bytes()
    except OSError:
        return None  # the task reports it
    key = result_key(sha256(data), entry.slot, settings, hints.get(entry.registratie_id))
    hit = ResultCache(storage).get(key, entry.bestand)
    return Checked(hit, cached=True) if hit is not None else None


def prepare_storage(settings: Settings) -> Storage:
    """Open the store before any task runs (a dead object store fails the run at once, with
    its reason) and clear what a killed run left half-written."""
    storage = make_storage(settings)
    if isinstance(storage, LocalStorage):
        storage.sweep()
    return storage


# Documents run in worker processes: pdfium is not thread-safe, and the Python stages
# (OpenCV, pdfplumber) need their own interpreter to use more than one core.
@flow(name="batch_check", task_runner=ProcessPoolTaskRunner(max_workers=2))  # type: ignore[arg-type]
def batch_check(registrations_csv: Path, manifest_csv: Path, settings: Settings) -> Report:
    """Check every document of every registration and return the report."""
    registrations, reg_errors = load_registrations(registrations_csv)
    entries, manifest_errors = load_manifest(manifest_csv)
    storage = prepare_storage(settings)
    hints = {r.registratie_id: Hints(r.deelnemer, r.opleiding) for r in registrations}
    # Cached documents are answered here, without a task or a worker process; the rest run
    # as tasks (which look in the cache again: a retried task may find its own result).
    known = {i: c for i, e in enumerate(entries) if (c := _known(e, settings, storage, hints))}
    futures = {
        i: check_document_task.submit(e, settings, hints.get(e.registratie_id))
        for i, e in enumerate(entries)
        if i not in known
    }
    for done in range(1, len(known) + 1):
        progress.notify(done, len(entries))
    for done, _ in enumerate(as_completed(list(futures.values())), start=len(known) + 1):
        progress.notify(done, len(entries))
    checked = [known.get(i) or _outcome(e, futures[i]) for i, e in enumerate(entries)]
    processed = [c.processed for c in checked]
    log.info(
        "checked %d documents of %d registrations: %d from cache, %d pages read by OCR",
        len(processed),
        len(registrations),
        sum(c.cached for c in checked),
        sum(c.ocr_pages for c in checked),
    )
    return assemble_report(
        registrations, list(zip(entries, processed, strict=True)), [*reg_errors, *manifest_errors]
    )


def task_runner(settings: Settings) -> TaskRunner:
    """Where the document tasks run: on the Dask cluster at `settings.dask_address` when it
    is set (its workers need this package, and the store must be one they all reach: S3, or
    a shared `data_dir`), else in `settings.workers` local worker processes."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner  # imports distributed: only when asked for

        return DaskTaskRunner(address=settings.dask_address)
    return ProcessPoolTaskRunner(max_workers=settings.workers)


def run_batch(
    registrations_csv: Path,
    manifest_csv: Path,
    settings: Settings,
    on_progress: progress.Progress | None = None,
) -> Report:
    """Run the batch flow with as many parallel document tasks as `settings.workers` (or on
    the Dask cluster at `settings.dask_address`); `on_progress(done, total)` is called in this
    process as documents finish."""
    make_storage(settings)  # fail before Prefect starts when the store is unreachable
    runner = task_runner(settings)
    configured = batch_check.with_options(task_runner=runner)  # type: ignore[arg-type]
    progress.listen(on_progress)
    try:
        return configured(registrations_csv, manifest_csv, settings)
    finally:
        progress.listen(None)
