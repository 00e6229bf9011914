"""The batch flow scaled out with Dask: `run_batch` with `dask_address` set runs the document
tasks on the cluster's workers and gives the same report as the local worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings, TaskSettings
from flows.batch import run_batch, task_runner
from tests import factories
from tests.test_flow_batch import HEADER, reg

SLOTS = ["praktijkovereenkomst", "loonstrook_start", "loonstrook_eind"]


@pytest.fixture
def pdf_batch_dir(tmp_path: Path) -> Path:
    """Two registrations with three born-digital PDFs each (fast: no OCR)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    rows = []
    for rid in ("R0000001", "R0000002"):
        for slot in SLOTS:
            name = f"{rid}-{slot}.pdf"
            (docs / name).write_bytes(factories.text_pdf([*factories.LINES, f"{rid} {slot}"]))
            rows.append(f"{rid},{slot},docs/{name}")
    (tmp_path / "registrations.csv").write_text(
        "\n".join([HEADER, reg("R0000001"), reg("R0000002")]) + "\n"
    )
    (tmp_path / "manifest.csv").write_text("registratie_id,slot,bestand\n" + "\n".join(rows))
    return tmp_path


@pytest.fixture
def cluster() -> Iterator[object]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


def test_dask_address_setting_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEWIJSCHECK_DASK_ADDRESS", raising=False)
    assert Settings.from_env().dask_address is None
    assert type(task_runner(Settings())).__name__ == "WarmProcessPool"  # the local pool
    monkeypatch.setenv("BEWIJSCHECK_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    settings = Settings.from_env()
    assert settings.dask_address == "tcp://10.0.0.5:8786"
    assert type(task_runner(settings)).__name__ == "DaskTaskRunner"


def test_batch_on_dask_matches_the_process_pool(
    prefect_harness: None, pdf_batch_dir: Path, tmp_path: Path, cluster: object
) -> None:
    from distributed import Client, get_task_stream

    registrations, manifest = pdf_batch_dir / "registrations.csv", pdf_batch_dir / "manifest.csv"
    local = run_batch(registrations, manifest, Settings(data_dir=tmp_path / "local", workers=2))

    address = cluster.scheduler_address  # type: ignore[attr-defined]
    # a task per document on the cluster (the local run groups them: same report)
    settings = Settings(
        data_dir=tmp_path / "dask",
        workers=2,
        dask_address=address,
        task=TaskSettings(documents_per_task=1),
    )
    with Client(address) as client, get_task_stream(client=client) as stream:
        on_dask = run_batch(registrations, manifest, settings)

    exclude = {"generated_at"}
    assert on_dask.model_dump(exclude=exclude) == local.model_dump(exclude=exclude)
    assert len(local.registrations) == 2
    assert sum(len(r.documents) for r in local.registrations) == 6
    # the six document tasks ran on the cluster, spread over both workers
    workers = {t["worker"] for t in stream.data}
    assert len(stream.data) >= 6
    assert len(workers) == 2, workers
