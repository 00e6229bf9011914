"""The local task runner of `bewijscheck batch`: Prefect's process pool, its workers forked
from the fork server of `flows.workers` (the task engine, the stages and the document-type
model loaded once), each worker then made ready (its OCR engine, OpenCV threads, what the
fork server could not load) by `warm_worker` before it takes its first task."""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Self

from prefect.task_runners import ProcessPoolTaskRunner, _initialize_process_pool_worker

from core.settings import Settings
from flows.workers import worker_context

log = logging.getLogger(__name__)


def warm_worker(settings: Settings) -> None:
    """Run once in each new worker process: make it ready to check documents. Never raises (a
    failing initializer would break the whole pool): what fails here fails again, with its
    reason, in the first document task."""
    try:
        from pipeline.bootstrap import init_process

        init_process(settings, warm=True)
    except Exception as exc:  # logged; the first task fails with its reason
        log.warning("worker warm-up failed (%s); the document tasks load what they need", exc)


class WarmProcessPool(ProcessPoolTaskRunner):
    """`ProcessPoolTaskRunner` whose worker processes are forked from the fork server
    (`worker_context`) and run `warm_worker` as they start."""

    def __init__(self, max_workers: int | None = None, settings: Settings | None = None) -> None:
        initializer = warm_worker if settings is not None else None
        initargs: tuple[Any, ...] = (settings,) if settings is not None else ()
        super().__init__(max_workers=max_workers, initializer=initializer, initargs=initargs)

    def __enter__(self) -> Self:
        super().__enter__()
        # Prefect's pool uses `spawn` and has started no process yet (they start on the first
        # task): swap it for the same pool on the fork server, with Prefect's own worker
        # initializer (events and logs forwarded to this process, then `warm_worker`).
        spawning = self._executor
        self._executor = ProcessPoolExecutor(
            max_workers=self._max_workers,
            mp_context=worker_context(),
            initializer=_initialize_process_pool_worker,
            initargs=(self._subprocess_message_queue, self._initializer, self._initargs),
        )
        if spawning is not None:
            spawning.shutdown(wait=False)
        return self
