"""Prefect wiring for `bewijscheck batch`: one task per document over the pure pipeline
stages; loading, assembling and writing stay plain function calls.

Each task builds its storage from the (picklable) settings and first looks in the result cache
(`pipeline.cache`): an unchanged document is not read again, and a killed batch resumes with
the documents it had not finished. We use our own content-addressed cache rather than Prefect's
result persistence: its key must follow the file's bytes (not the path or the task inputs),
keep the hints hashed, live in the same store as the originals (S3 in production, shared by
every machine) and survive the temporary Prefect server's database.

A document task that still fails after its retries (the store unreachable, a fault in the
stages, no result within its timeout) becomes a CHECK_FAILED document saying why: the batch
always finishes, and never reports an unchecked document as checked. Every document task is
tagged `bewijscheck-document`, so a Prefect tag concurrency limit caps how many documents run
at once across all flow runs and machines."""

from __future__ import annotations

import logging
from pathlib import Path

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.context import FlowRunContext, get_run_context
from prefect.futures import PrefectFuture, as_completed
from prefect.states import State
from prefect.task_engine import TaskRunTimeoutError
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from extractors.fields import Hints
from flows import progress
from pipeline.assemble import (
    Unchecked,
    assemble_report,
    check_failed_document,
)
from pipeline.documents import (
    Checked,
    check_entry_cached,
    known_results,
    prepare_storage,
)
from pipeline.errors import BewijscheckError
from pipeline.manifest import ManifestEntry, load_manifest
from pipeline.model import ProcessedDocument
from pipeline.registration import Registration, load_registrations
from pipeline.report import Report
from pipeline.settings import Settings
from pipeline.storage import (
    StorageError,
    make_storage,
)

log = logging.getLogger(__name__)

# The tag of every document task: `prefect concurrency-limit create bewijscheck-document 8`
# caps the documents checked at once, over all batches and workers that share the server.
DOCUMENT_TAG = "bewijscheck-document"


def _worth_retrying(task: Task[..., Checked], task_run: TaskRun, state: State[Checked]) -> bool:
    """Retry a failed document task, but not one that ran out of time: it had its budget."""
    return not isinstance(state.data, TaskRunTimeoutError)


@task(
    name="check_document",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_worth_retrying,
    cache_policy=NO_CACHE,
    tags=[DOCUMENT_TAG],
)
def check_document_task(entry: ManifestEntry, settings: Settings, hints: Hints | None) -> Checked:
    return check_entry_cached(entry, settings, make_storage(settings), hints)


def document_task(settings: Settings) -> Task[..., Checked]:
    """`check_document_task` with the retries and timeout of `settings.task`. Prefect can
    only interrupt a task in the main thread of its process (with SIGALRM), so the timeout is
    set for local worker processes; in a Dask worker's threads it would only warn per task,
    and there the per-page Tesseract timeout is what bounds a document."""
    context = FlowRunContext.get()
    in_processes = context is None or isinstance(context.task_runner, ProcessPoolTaskRunner)
    return check_document_task.with_options(
        retries=settings.task.retries,
        retry_delay_seconds=settings.task.retry_delay_s,
        timeout_seconds=settings.document_timeout_s() if in_processes else None,
    )


def _outcome(entry: ManifestEntry, future: PrefectFuture[Checked], settings: Settings) -> Checked:
    """The task's result, or a CHECK_FAILED document saying why when it failed after its
    retries. The log line names the manifest line and the reason, never the document's text."""
    try:
        return future.result()
    except StorageError as exc:  # its message names the store and the reason, no credentials
        log.error("document at manifest line %d not checked: %s", entry.line, exc)
        return Checked(check_failed_document(entry, Unchecked.STORAGE))
    except TaskRunTimeoutError:
        log.error(
            "document at manifest line %d not checked: no result within %g s (the task timeout)",
            entry.line,
            settings.document_timeout_s(),
        )
        return Checked(check_failed_document(entry, Unchecked.TIMEOUT))
    except Exception as exc:
        log.error("document task failed at manifest line %d: %s", entry.line, type(exc).__name__)
        return Checked(check_failed_document(entry))


# Documents run in worker processes: pdfium is not thread-safe, and the Python stages
# (OpenCV, pdfplumber) need their own interpreter to use more than one core.
@flow(name="batch_check", task_runner=ProcessPoolTaskRunner(max_workers=2))  # type: ignore[arg-type]
def batch_check(
    registrations_csv: Path, manifest_csv: Path, settings: Settings, review: bool = True
) -> Report:
    """Check every document of every registration and return the report; with `review`,
    hand every registration to the review app (its cases in the results store)."""
    registrations, reg_errors = load_registrations(registrations_csv)
    entries, manifest_errors = load_manifest(manifest_csv)
    storage = prepare_storage(settings)
    hints = {r.registratie_id: Hints(r.deelnemer, r.opleiding) for r in registrations}
    # Cached documents are answered here, without a task or a worker process; the rest run
    # as tasks (which look in the cache again: a retried task may find its own result).
    known = known_results(entries, settings, storage, hints)
    check = document_task(settings)
    futures = {
        i: check.submit(e, settings, hints.get(e.registratie_id))
        for i, e in enumerate(entries)
        if i not in known
    }
    for done in range(1, len(known) + 1):
        progress.notify(done, len(entries))
    for done, _ in enumerate(as_completed(list(futures.values())), start=len(known) + 1):
        progress.notify(done, len(entries))
    checked = [known.get(i) or _outcome(e, futures[i], settings) for i, e in enumerate(entries)]
    processed = [c.processed for c in checked]
    log.info(
        "checked %d documents of %d registrations: %d from cache, %d pages read by OCR",
        len(processed),
        len(registrations),
        sum(c.cached for c in checked),
        sum(c.ocr_pages for c in checked),
    )
    unchecked = sum(c.unchecked for c in checked)
    if unchecked:
        log.error(
            "%d of %d documents could not be checked (CHECK_FAILED in the report); "
            "run the batch again to check them",
            unchecked,
            len(processed),
        )
    pairs = list(zip(entries, processed, strict=True))
    report = assemble_report(registrations, pairs, [*reg_errors, *manifest_errors])
    if review:
        hand_to_review(settings, registrations, pairs, report)
    return report


def hand_to_review(
    settings: Settings,
    registrations: list[Registration],
    pairs: list[tuple[ManifestEntry, ProcessedDocument]],
    report: Report,
) -> None:
    """Import the run into the review app; a failing database is logged, the report stands."""
    from web.batch_import import import_run

    run = get_run_context()
    flow_run = run.flow_run if isinstance(run, FlowRunContext) else None
    source = f"batch:{flow_run.id}" if flow_run else "batch"
    try:
        import_run(settings, registrations, pairs, report, source)
    except BewijscheckError as exc:
        log.error("review cases not updated: %s", exc)


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
    *,
    review: bool = False,
) -> Report:
    """Run the batch flow with as many parallel document tasks as `settings.workers` (or on
    the Dask cluster at `settings.dask_address`); `on_progress(done, total)` is called in this
    process as documents finish."""
    make_storage(settings)  # fail before Prefect starts when the store is unreachable
    runner = task_runner(settings)
    configured = batch_check.with_options(task_runner=runner)  # type: ignore[arg-type]
    progress.listen(on_progress)
    try:
        return configured(registrations_csv, manifest_csv, settings, review)
    finally:
        progress.listen(None)
