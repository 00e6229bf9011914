"""Retention of originals (`store.retention`): originals older than
BEWIJSCHECK_RETENTION_DAYS are deleted, fresh ones kept, a dry run deletes nothing, and renders
stay — against LocalStorage, moto's S3 server and through `bewijscheck purge-originals`."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bewijscheck.cli import app
from core.settings import Settings, StorageSettings
from store.objects import LocalStorage, original_key, render_key
from store.retention import purge_originals
from tests.test_storage_s3 import start_server, storage_at

ROOT = Path(__file__).resolve().parent.parent
OLD, FRESH = "0a" * 32, "0b" * 32
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _local(tmp_path: Path) -> tuple[Settings, LocalStorage]:
    settings = Settings(data_dir=tmp_path, retention_days=30)
    storage = LocalStorage(tmp_path / "storage")
    for document_id, age_days in ((OLD, 31), (FRESH, 29)):
        storage.put(original_key(document_id), b"%PDF-1.7 ...", {"registratie_id": "R1"})
        storage.put(render_key(document_id, 1), b"jpeg")
        stamp = (NOW - timedelta(days=age_days)).timestamp()
        os.utime(storage.root / original_key(document_id), (stamp, stamp))
    return settings, storage


def test_local_old_originals_deleted_fresh_kept_renders_stay(tmp_path: Path) -> None:
    settings, storage = _local(tmp_path)
    result = purge_originals(settings, now=NOW)
    assert result.deleted == [original_key(OLD)] and result.checked == 2 and result.kept == 1
    assert not storage.exists(original_key(OLD)) and storage.metadata(original_key(OLD)) == {}
    assert storage.exists(original_key(FRESH))
    assert storage.exists(render_key(OLD, 1)) and storage.exists(render_key(FRESH, 1))
    assert purge_originals(settings, now=NOW).deleted == []


# The README ("Privacy"): originals *older than* BEWIJSCHECK_RETENTION_DAYS are deleted. So one
# written exactly that many days ago is kept, and one a second older is not.
LIMIT_CASES = {
    "day-under": (timedelta(days=29), False),
    "at-limit": (timedelta(days=30), False),
    "second-over": (timedelta(days=30, seconds=1), True),
    "day-over": (timedelta(days=31), True),
}


@pytest.mark.parametrize(("age", "deleted"), LIMIT_CASES.values(), ids=LIMIT_CASES.keys())
def test_an_original_exactly_at_the_limit_is_kept(
    tmp_path: Path, age: timedelta, deleted: bool
) -> None:
    settings = Settings(data_dir=tmp_path, retention_days=30)
    storage = LocalStorage(tmp_path / "storage")
    storage.put(original_key(OLD), b"%PDF-1.7 ...")
    stamp = (NOW - age).timestamp()  # whole seconds: the file's mtime holds them exactly
    os.utime(storage.root / original_key(OLD), (stamp, stamp))
    result = purge_originals(settings, now=NOW)
    assert result.cutoff == NOW - timedelta(days=30) and result.checked == 1
    assert result.deleted == ([original_key(OLD)] if deleted else [])
    assert storage.exists(original_key(OLD)) is not deleted


def test_local_dry_run_deletes_nothing(tmp_path: Path) -> None:
    settings, storage = _local(tmp_path)
    result = purge_originals(settings, now=NOW, dry_run=True)
    assert result.dry_run and result.deleted == [original_key(OLD)]
    assert storage.exists(original_key(OLD)) and storage.exists(original_key(FRESH))


def test_cli_purge_originals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, storage = _local(tmp_path)
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BEWIJSCHECK_STORAGE", "local")
    # relative to the real clock: the old original is 31 days before NOW, years ago
    monkeypatch.setenv("BEWIJSCHECK_RETENTION_DAYS", "3650")
    runner = CliRunner()
    dry = runner.invoke(app, ["purge-originals", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 originelen bekeken, 0 zouden worden verwijderd" in dry.output
    monkeypatch.setenv("BEWIJSCHECK_RETENTION_DAYS", "1")
    dry = runner.invoke(app, ["purge-originals", "--dry-run"])
    assert "2 zouden worden verwijderd" in dry.output and storage.exists(original_key(OLD))
    done = runner.invoke(app, ["purge-originals"])
    assert done.exit_code == 0 and "2 verwijderd" in done.output, done.output
    assert not storage.exists(original_key(OLD)) and not storage.exists(original_key(FRESH))
    assert storage.exists(render_key(OLD, 1))


def test_retention_days_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEWIJSCHECK_RETENTION_DAYS", raising=False)
    assert Settings.from_env().retention_days == 365
    monkeypatch.setenv("BEWIJSCHECK_RETENTION_DAYS", "90")
    assert Settings.from_env().retention_days == 90


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server, url = start_server()
    yield url
    server.stop()


def test_s3_old_originals_deleted_fresh_kept_dry_run_deletes_nothing(endpoint: str) -> None:
    store = storage_at(endpoint)
    store.put(original_key(OLD), b"old", {"registratie_id": "R1"})
    store.put(render_key(OLD, 1), b"jpeg")
    time.sleep(1.1)  # S3 times are in whole seconds
    store.put(original_key(FRESH), b"fresh")
    stamps = {o.key: o.modified for o in store.list_stored("originals/")}
    assert set(stamps) == {original_key(OLD), original_key(FRESH)}
    between = (
        stamps[original_key(OLD)] + (stamps[original_key(FRESH)] - stamps[original_key(OLD)]) / 2
    )
    settings = Settings(retention_days=7)
    now = between + timedelta(days=7)

    dry = purge_originals(settings, now=now, dry_run=True, storage=store)
    assert dry.deleted == [original_key(OLD)] and store.exists(original_key(OLD))

    done = purge_originals(settings, now=now, storage=store)
    assert done.deleted == [original_key(OLD)] and done.kept == 1
    assert not store.exists(original_key(OLD)) and store.exists(original_key(FRESH))
    assert store.exists(render_key(OLD, 1))


def test_minio_policy_covers_the_originals_bucket_only() -> None:
    policy = json.loads((ROOT / "deploy" / "minio-originals-policy.json").read_text())
    bucket = StorageSettings().bucket_originals
    resources = {r for s in policy["Statement"] for r in s["Resource"]}
    assert resources == {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"} <= actions
    assert all(s["Effect"] == "Allow" and "Principal" not in s for s in policy["Statement"])
