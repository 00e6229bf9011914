"""What the batch's fork server (`flows.workers`) loads once, before it forks any worker: the
task engine every worker runs (Prefect), the document task's module (`flows.batch`), the
lazily imported stages and the document-type model (`pipeline.bootstrap.warm_up`). Each
worker forked from it starts with all of that in memory instead of importing and loading it
again (about 3 s of CPU a worker).

Importing this module is what loads them: it exists for that, and only the fork server
imports it (multiprocessing's preload takes module names). It never raises: what fails
here fails again, with its reason, in the worker's own warm-up (`flows.runner.warm_worker`)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

try:
    import prefect.task_runners  # noqa: F401  (the engine of every document task)

    import flows.batch  # noqa: F401  (the task's own module, imported to unpickle it)
    from pipeline.bootstrap import warm_up

    warm_up()
except Exception as exc:  # the workers load what they need themselves
    log.warning("fork server preload failed (%s); each worker loads what it needs", exc)
