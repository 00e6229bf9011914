"""Prefect wiring for intake by bucket: one pass over the incoming bucket
(`pipeline.bucket_intake.poll_incoming`). The `intake-incoming` deployment in prefect.yaml runs
it every 30 seconds; overlapping runs are harmless (every object is claimed in the results
store), the deployment's concurrency limit only keeps them from piling up.

Without a work pool: `python -m flows.intake REGISTRATIONS.csv` serves the flow with the same
schedule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from core.settings import Settings
from pipeline.bootstrap import init_process
from pipeline.bucket_intake import poll_incoming
from store.claims import IntakeStatus

INTERVAL_S = 30


@flow(name="intake_incoming")
def intake_incoming(registrations_csv: Path) -> list[dict[str, Any]]:
    """Pre-screen every new object of the incoming bucket once; return what became of each
    object handled in this pass (the report entries are in the results store)."""
    settings = Settings.from_env()
    init_process(settings)
    outcomes = poll_incoming(settings, registrations_csv)
    logger = get_run_logger()
    counts = {s.value: sum(o.status is s for o in outcomes) for s in IntakeStatus}
    logger.info("intake: %d objects handled %s", len(outcomes), counts)
    return [o.summary() for o in outcomes]


def main() -> None:  # pragma: no cover - long-running service
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m flows.intake REGISTRATIONS.csv")
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    intake_incoming.serve(
        name="intake-incoming",
        interval=INTERVAL_S,
        global_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        ),
        parameters={"registrations_csv": str(Path(sys.argv[1]).resolve())},
    )


if __name__ == "__main__":  # pragma: no cover
    main()
