"""Prefect wiring for the portal's pre-screen: one upload for one registration and slot →
that registration's report entry (CONTRACT shape), as `bewijscheck check` prints it.

Serve it once (`python -m flows.prescreen`) and the portal triggers runs of the deployment;
a served flow avoids starting a temporary Prefect server for every upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

from pipeline.enums import Slot
from pipeline.prescreen import prescreen
from pipeline.settings import Settings


@flow(name="prescreen_upload", retries=1, retry_delay_seconds=2)
def prescreen_upload(
    file: Path, registrations_csv: Path, registratie_id: str, slot: Slot
) -> dict[str, Any]:
    """Check one upload; return the registration's report entry as JSON-ready data."""
    entry = prescreen(file, registrations_csv, registratie_id, slot, Settings.from_env())
    return entry.model_dump(mode="json")


def main() -> None:  # pragma: no cover - long-running service
    prescreen_upload.serve(name="prescreen-upload")


if __name__ == "__main__":  # pragma: no cover
    main()
