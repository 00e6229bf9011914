"""Prefect wiring for `bewijscheck batch`: one task per small group of documents over the
pure pipeline stages; loading, assembling and writing stay plain function calls.

Each task builds its storage from the (picklable) settings and first looks in the result cache
(`pipeline.cache`): an unchanged document is not read again, and a killed batch resumes with
the documents it had not finished. We use our own content-addressed cache rather than Prefect's
result persistence: its key must follow the file's bytes (not the path or the task inputs),
keep the hints hashed, live in the same store as the originals (S3 in production, shared by
every machine) and survive the temporary Prefect server's database.

A task checks up to `settings.task.documents_per_task` documents' worth of OCR (Prefect's
bookkeeping cost ~0.1 s per task, as much as a born-digital document's stages; a small
born-digital PDF counts as a tenth), the heaviest first and the last tasks single documents,
so that the workers finish together (`pipeline.workload`). Each document keeps its
own tries and time limit (`pipeline.guard`): one that still fails (the store unreachable, a
fault in the stages, no result within its timeout) becomes a CHECK_FAILED document saying
why, the others in its task are checked as usual; the batch always finishes, and never
reports an unchecked document as checked. With `settings.task.concurrency_tag` every task is
tagged `bewijscheck-document`, so a Prefect tag concurrency limit caps the tasks in flight
across all flow runs and machines; it is off by default, as Prefect then asks the server for
a slot before each task.

Every process that checks documents is made ready by `pipeline.bootstrap.init_process`: the
flow's own and, at the start of every document task, the one the task runs in (a local worker
process, a Dask worker, a deployment's run), whatever started it."""

from __future__ import annotations

import logging
from pathlib import Path

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext, get_run_context
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from core.errors import BewijscheckError
from core.manifest import ManifestEntry, load_manifest
from core.model import Hints, ProcessedDocument
from core.registration import Registration, load_registrations
from core.report import Report
from core.settings import Settings
from flows import progress
from flows.runner import WarmProcessPool
from pipeline.assemble import Unchecked, assemble_report
from pipeline.bootstrap import init_process
from pipeline.documents import Checked, known_results, prepare_storage
from pipeline.guard import check_entries_guarded, unchecked
from pipeline.workload import groups
from store.db import migrate_in_background
from store.objects import make_storage

log = logging.getLogger(__name__)

# The tag of the document tasks when `settings.task.concurrency_tag` is on:
# `prefect concurrency-limit create bewijscheck-document 8` then caps the tasks checking
# documents at once, over all batches and workers that share the server.
DOCUMENT_TAG = "bewijscheck-document"


@task(name="check_documents", cache_policy=NO_CACHE)
def check_documents_task(
    entries: list[ManifestEntry], settings: Settings, hints: list[Hints | None]
) -> list[Checked]:
    init_process(settings)  # this worker's OCR threads, engine and loggers (cheap to repeat)
    return check_entries_guarded(entries, settings, hints)


def document_task(settings: Settings) -> Task[..., list[Checked]]:
    """`check_documents_task`, tagged when `settings.task.concurrency_tag` is on. Retries and
    timeouts are per document inside it (`pipeline.guard`), not Prefect's per task."""
    return check_documents_task.with_options(
        tags=[DOCUMENT_TAG] if settings.task.concurrency_tag else []
    )


def _outcomes(entries: list[ManifestEntry], future: PrefectFuture[list[Checked]]) -> list[Checked]:
    """The task's results; when the task itself failed (its worker process died), a
    CHECK_FAILED document for each of its documents."""
    try:
        return future.result()
    except Exception as exc:
        reason = f"its task failed ({type(exc).__name__})"
        return [unchecked(e, Unchecked.FAULT, reason) for e in entries]


# Documents run in worker processes: pdfium is not thread-safe, and the Python stages
# (OpenCV, pdfplumber) need their own interpreter to use more than one core.
@flow(name="batch_check", task_runner=ProcessPoolTaskRunner(max_workers=2))  # type: ignore[arg-type]
def batch_check(
    registrations_csv: Path, manifest_csv: Path, settings: Settings, review: bool = True
) -> Report:
    """Check every document of every registration and return the report; with `review`,
    hand every registration to the review app (its cases in the results store)."""
    init_process(settings)
    registrations, reg_errors = load_registrations(registrations_csv)
    entries, manifest_errors = load_manifest(manifest_csv)
    storage = prepare_storage(settings)
    hints = {r.registratie_id: r.hints() for r in registrations}
    # Cached documents are answered here, without a task or a worker process; the rest run
    # in tasks (which look in the cache again: a retried document may find its own result).
    known: dict[int, Checked] = dict(known_results(entries, settings, storage, hints))
    check = document_task(settings)
    pending = [i for i in range(len(entries)) if i not in known]
    futures = {
        check.submit(
            [entries[i] for i in group],
            settings,
            [hints.get(entries[i].registratie_id) for i in group],
        ): group
        for group in groups(entries, pending, settings.task.documents_per_task, settings.workers)
    }
    store = migrate_in_background(settings.database_dsn()) if review else None
    for done in range(1, len(known) + 1):
        progress.notify(done, len(entries))
    done = len(known)
    for future in as_completed(list(futures)):
        group = futures[future]
        known.update(zip(group, _outcomes([entries[i] for i in group], future), strict=True))
        for _ in group:  # once per document, as for the cached ones
            done += 1
            progress.notify(done, len(entries))
    checked = [known[i] for i in range(len(entries))]
    for problem in (c.problem for c in checked if c.problem):
        log.error("%s", problem)
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
    if store is not None:
        store.join()
        hand_to_review(settings, registrations, pairs, report)
    return report


def hand_to_review(
    settings: Settings,
    registrations: list[Registration],
    pairs: list[tuple[ManifestEntry, ProcessedDocument]],
    report: Report,
) -> None:
    """Import the run into the review app; a failing database is logged, the report stands."""
    from review.importer import import_run

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
    a shared `data_dir`), else in `settings.workers` local worker processes, started and
    made ready as they start (`flows.runner`)."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner  # imports distributed: only when asked for

        return DaskTaskRunner(address=settings.dask_address)
    return WarmProcessPool(max_workers=settings.workers, settings=settings)


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
