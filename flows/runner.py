"""The local task runner of `bewijscheck batch`: Prefect's process pool, with its worker
processes started and warmed (imports, document-type model, OCR engine) as soon as the flow
run enters it, while the flow itself still loads the registrations and the manifest and lists
the work. Prefect's pool would start each worker only when the first task reaches it, and
that task would then pay the worker's imports and model loads (about 3 s a worker, measured
in `benchmarks/performance.py`) while the other cores wait.

Relies on `ProcessPoolTaskRunner` keeping its `concurrent.futures.ProcessPoolExecutor` as
`_executor` (Prefect 3.8); without it the pool simply starts its workers as before."""

from __future__ import annotations

import logging
from typing import Any, Self

from prefect.task_runners import ProcessPoolTaskRunner

from core.settings import Settings

log = logging.getLogger(__name__)

# Set in the pool's own workers: Prefect enters a copy of the flow's task runner around each
# task run there too, which must not start workers of its own.
_in_worker = {"yes": False}


def warm_worker(settings: Settings) -> None:
    """Run once in each new worker process: make it ready to check documents. Never raises (a
    failing initializer would break the whole pool): what fails here fails again, with its
    reason, in the first document task."""
    _in_worker["yes"] = True
    try:
        from pipeline.bootstrap import init_process

        init_process(settings, warm=True)
    except Exception as exc:  # pragma: no cover - logged, and the task reports it
        log.warning("worker warm-up failed (%s); the document tasks load what they need", exc)


def _ready() -> bool:
    return True


class WarmProcessPool(ProcessPoolTaskRunner):
    """`ProcessPoolTaskRunner` whose `max_workers` processes start (and warm up with
    `warm_worker`) when the runner is entered, not at the first task."""

    def __init__(self, max_workers: int | None = None, settings: Settings | None = None) -> None:
        initializer = warm_worker if settings is not None else None
        initargs: tuple[Any, ...] = (settings,) if settings is not None else ()
        super().__init__(max_workers=max_workers, initializer=initializer, initargs=initargs)

    def __enter__(self) -> Self:
        super().__enter__()
        executor = getattr(self, "_executor", None)
        if executor is not None and not _in_worker["yes"]:
            # each submission the pool cannot give to an idle worker starts one more process
            for _ in range(self._max_workers):
                executor.submit(_ready)
        return self
