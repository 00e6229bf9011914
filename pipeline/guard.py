"""One document checked with its own tries and time limit, never raising: whatever goes wrong
on our side becomes a CHECK_FAILED document that says why, so a batch always finishes and
never reports an unchecked document as checked.

The batch runs several documents per Prefect task (`flows.batch`): Prefect's per-task
bookkeeping cost ~0.1 s per task here, as much as a born-digital document's own stages. So the
retries and the time limit that used to be the task's are kept per document here instead."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from core.errors import DocumentTimeout
from core.manifest import ManifestEntry
from core.model import Hints
from core.settings import Settings
from pipeline.assemble import Unchecked, check_failed_document
from pipeline.documents import Checked, check_entry_cached
from store.objects import Storage, StorageError, make_storage

log = logging.getLogger(__name__)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in this thread after `seconds`, with SIGALRM (as Prefect does for
    a task timeout). Only the main thread of a process gets signals: elsewhere (a Dask
    worker's threads) there is no limit here, and the per-page Tesseract timeout bounds a
    document. Code inside a C call (Tesseract in-process) is interrupted when it returns."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def unchecked(entry: ManifestEntry, reason: Unchecked, problem: str) -> Checked:
    """The CHECK_FAILED document, with the line the batch logs for it."""
    line = f"document at manifest line {entry.line} not checked: {problem}"
    return Checked(check_failed_document(entry, reason), problem=line)


def check_entry_guarded(
    entry: ManifestEntry,
    settings: Settings,
    hints: Hints | None = None,
    storage: Storage | None = None,
) -> Checked:
    """`check_entry_cached` with `settings.task.retries` more tries after a failure (a
    timeout is not retried: it had its budget). A document still not checked carries the
    line to log in `Checked.problem` (logged by the batch, in its own process); the retries
    are logged here. Neither ever holds the document's text."""
    tries = settings.task.retries + 1
    limit = settings.document_timeout_s()
    for attempt in range(1, tries + 1):
        try:
            with deadline(limit):
                return check_entry_cached(entry, settings, storage or make_storage(settings), hints)
        except DocumentTimeout:
            problem = f"no result within {limit:g} s (the document timeout)"
            return unchecked(entry, Unchecked.TIMEOUT, problem)
        except StorageError as exc:  # its message names the store and the reason, no keys
            storage = None  # build it again: the store may be back
            if attempt == tries:
                return unchecked(entry, Unchecked.STORAGE, f"{exc} ({tries} tries)")
            reason = "storage"
        except Exception as exc:  # its type only: an exception's text may quote the document
            if attempt == tries:
                return unchecked(entry, Unchecked.FAULT, f"{type(exc).__name__} ({tries} tries)")
            reason = type(exc).__name__
        log.warning(
            "document at manifest line %d: try %d of %d failed (%s); trying again in %g s",
            entry.line,
            attempt,
            tries,
            reason,
            settings.task.retry_delay_s,
        )
        time.sleep(settings.task.retry_delay_s)
    raise AssertionError("unreachable")  # the loop returns on its last try


def check_entries_guarded(
    entries: list[ManifestEntry], settings: Settings, hints: list[Hints | None]
) -> list[Checked]:
    """Check several documents one after another, each guarded, with one store between them."""
    try:
        storage: Storage | None = make_storage(settings)
    except StorageError:
        storage = None  # each document tries again, and reports it
    return [
        check_entry_guarded(entry, settings, hint, storage)
        for entry, hint in zip(entries, hints, strict=True)
    ]
