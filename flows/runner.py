"""The local task runner of `bewijscheck batch`: Prefect's process pool, each worker process
made ready (imports, document-type model, OCR engine) as it starts, before it takes its first
task. The first document of each worker then no longer carries the worker's imports and model
loads in its stage times (about 3 s a worker), and a worker that cannot get ready says so in
the log once.

Workers still start only when the first task is submitted: started with the flow run, they
would overlap the flow's loading of its inputs by half a second at most and cost a batch that
finds everything in the cache two idle workers' start-up (measured with
`benchmarks/performance.py`: the fixed cost of an empty batch)."""

from __future__ import annotations

import logging
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner

from core.settings import Settings

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
    """`ProcessPoolTaskRunner` whose worker processes run `warm_worker` as they start."""

    def __init__(self, max_workers: int | None = None, settings: Settings | None = None) -> None:
        initializer = warm_worker if settings is not None else None
        initargs: tuple[Any, ...] = (settings,) if settings is not None else ()
        super().__init__(max_workers=max_workers, initializer=initializer, initargs=initargs)
