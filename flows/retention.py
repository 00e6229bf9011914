"""Prefect wiring for the retention of originals (`store.retention.purge_originals`). The
`purge-originals` deployment in prefect.yaml runs it daily; `bewijscheck purge-originals` does
the same from the command line.

Without a work pool: `python -m flows.retention` serves the flow with the same schedule."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger

from core.settings import Settings
from store.retention import purge_originals

INTERVAL_S = 24 * 3600


@flow(name="purge_originals")
def purge_originals_flow(dry_run: bool = False) -> dict[str, Any]:
    """Delete the originals older than `BEWIJSCHECK_RETENTION_DAYS`; return the counts."""
    settings = Settings.from_env()
    result = purge_originals(settings, dry_run=dry_run)
    get_run_logger().info(
        "retention (%d days): %d originals checked, %d %s",
        settings.retention_days,
        result.checked,
        len(result.deleted),
        "would be deleted" if dry_run else "deleted",
    )
    return {
        "cutoff": result.cutoff.isoformat(),
        "dry_run": dry_run,
        "checked": result.checked,
        "deleted": len(result.deleted),
        "kept": result.kept,
        "bytes_deleted": result.bytes_deleted,
    }


def main() -> None:  # pragma: no cover - long-running service
    purge_originals_flow.serve(name="purge-originals", interval=INTERVAL_S)


if __name__ == "__main__":  # pragma: no cover
    main()
