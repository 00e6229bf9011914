"""Prefect wiring for `bewijscheck batch`: one task per document over the pure pipeline
stages; loading, assembling and writing stay plain function calls."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner

from extractors.fields import Hints
from flows import progress
from pipeline.assemble import assemble_report, check_failed_document, entry_problem_document
from pipeline.intake import sha256
from pipeline.manifest import ManifestEntry, load_manifest
from pipeline.model import ProcessedDocument
from pipeline.process import SaveRender, process_document
from pipeline.registration import load_registrations
from pipeline.report import Report
from pipeline.settings import Settings
from pipeline.storage import LocalStorage, Storage, original_key, render_key

log = logging.getLogger(__name__)


def _render_saver(storage: Storage, document_id: str) -> SaveRender:
    def save(page: int, image: np.ndarray) -> str:
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        if not ok:
            raise RuntimeError("could not encode page render")
        return storage.put(render_key(document_id, page), encoded.tobytes())

    return save


def check_entry(
    entry: ManifestEntry, settings: Settings, storage: Storage, hints: Hints | None = None
) -> ProcessedDocument:
    """Store the original and run the document stages on it."""
    if entry.path is None:
        return entry_problem_document(entry)
    data = entry.path.read_bytes()
    document_id = sha256(data)
    storage.put(
        original_key(document_id),
        data,
        {"registratie_id": entry.registratie_id, "slot": entry.slot.value},
    )
    return process_document(
        data,
        file=entry.bestand,
        slot=entry.slot,
        settings=settings,
        save_render=_render_saver(storage, document_id),
        hints=hints,
    )


@task(name="check_document", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def check_document_task(
    entry: ManifestEntry, settings: Settings, storage_root: Path, hints: Hints | None
) -> ProcessedDocument:
    return check_entry(entry, settings, LocalStorage(storage_root), hints)


def _outcome(entry: ManifestEntry, future: PrefectFuture[ProcessedDocument]) -> ProcessedDocument:
    """The task's result, or a CHECK_FAILED document when it failed after its retries."""
    try:
        return future.result()
    except Exception as exc:
        log.error("document task failed at manifest line %d: %s", entry.line, type(exc).__name__)
        return check_failed_document(entry)


# Documents run in worker processes: pdfium is not thread-safe, and the Python stages
# (OpenCV, pdfplumber) need their own interpreter to use more than one core.
@flow(name="batch_check", task_runner=ProcessPoolTaskRunner(max_workers=2))  # type: ignore[arg-type]
def batch_check(registrations_csv: Path, manifest_csv: Path, settings: Settings) -> Report:
    """Check every document of every registration and return the report."""
    registrations, reg_errors = load_registrations(registrations_csv)
    entries, manifest_errors = load_manifest(manifest_csv)
    storage_root = settings.data_dir / "storage"
    hints = {r.registratie_id: Hints(r.deelnemer, r.opleiding) for r in registrations}
    futures = [
        check_document_task.submit(e, settings, storage_root, hints.get(e.registratie_id))
        for e in entries
    ]
    for done, _ in enumerate(as_completed(futures), start=1):
        progress.notify(done, len(futures))
    processed = [_outcome(e, f) for e, f in zip(entries, futures, strict=True)]
    log.info("checked %d documents of %d registrations", len(processed), len(registrations))
    return assemble_report(
        registrations, list(zip(entries, processed, strict=True)), [*reg_errors, *manifest_errors]
    )


def run_batch(
    registrations_csv: Path,
    manifest_csv: Path,
    settings: Settings,
    on_progress: progress.Progress | None = None,
) -> Report:
    """Run the batch flow with as many parallel document tasks as `settings.workers`;
    `on_progress(done, total)` is called in this process as documents finish."""
    runner = ProcessPoolTaskRunner(max_workers=settings.workers)
    configured = batch_check.with_options(task_runner=runner)  # type: ignore[arg-type]
    progress.listen(on_progress)
    try:
        return configured(registrations_csv, manifest_csv, settings)
    finally:
        progress.listen(None)
