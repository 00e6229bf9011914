"""Helpers for the tests of intake by bucket (`pipeline.bucket_intake`): an incoming bucket
under test (a local folder or a bucket on moto's S3 server, real HTTP on 127.0.0.1) with the
settings that point at it, the recorded `intake_objects` rows, and a pre-screen that counts its
calls (around the real one or a fast fake). The fixtures are bound by name in each test module
(`make_bucket = intakekit.make_bucket`), which is how pytest finds them there."""

from __future__ import annotations

import io
import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select

import pipeline.bucket_intake as bucket_intake
from core.enums import Slot, Verdict
from core.registration import Registration
from core.report import ReportRegistration
from core.settings import Settings, StorageKind, StorageSettings
from pipeline.bucket_intake import BucketIntake
from store.claims import Claim, IntakeObjectRow, claim_object
from store.db import make_engine
from store.objects import LocalStorage
from store.s3 import S3Storage
from tests.test_storage_s3 import KEYS, client, start_server

SAMPLE = Path(__file__).parent.parent / "fixtures" / "sample"
REGISTRATIONS = SAMPLE / "registrations.csv"
# born-digital PDFs (text layer, no OCR): fast to check
POK = SAMPLE / "docs" / "r0210105_pok.pdf"
PAYSLIP = SAMPLE / "docs" / "r0210105_loonstrook_start.pdf"
POK_KEY = "R0210105/praktijkovereenkomst/pok.pdf"
_names = itertools.count()


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server, url = start_server()
    yield url
    server.stop()


@dataclass
class Bucket:
    """An incoming bucket under test, with the settings that point at it."""

    settings: Settings
    put: Callable[[str, bytes], None]
    keys: Callable[[], list[str]]
    originals: Callable[[], dict[str, dict[str, str]]]  # key -> metadata


def local_bucket(root: Path, **settings: object) -> Bucket:
    config = Settings(data_dir=root, **settings)
    incoming = root / "incoming"

    def put(key: str, data: bytes) -> None:
        path = incoming / key
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")  # written whole, then renamed
        tmp.write_bytes(data)
        tmp.replace(path)

    def keys() -> list[str]:
        return sorted(
            p.relative_to(incoming).as_posix() for p in incoming.rglob("*") if p.is_file()
        )

    def originals() -> dict[str, dict[str, str]]:
        store = LocalStorage(root / "storage")
        found = (root / "storage" / "originals").rglob("*")
        names = [p for p in found if p.is_file() and not p.name.endswith(".meta.json")]
        return {
            k: store.metadata(k)
            for k in (p.relative_to(root / "storage").as_posix() for p in names)
        }

    return Bucket(config, put, keys, originals)


def s3_bucket(root: Path, endpoint: str, **settings: object) -> Bucket:
    n = next(_names)
    storage = StorageSettings(
        kind=StorageKind.S3,
        endpoint=endpoint,
        access_key=SecretStr(KEYS["access_key"]),
        secret_key=SecretStr(KEYS["secret_key"]),
        bucket_originals=f"i{n}-originals",
        bucket_derived=f"i{n}-derived",
        bucket_incoming=f"i{n}-incoming",
    )
    config = Settings(data_dir=root, storage=storage, **settings)
    s3 = client(endpoint)
    s3.make_bucket(storage.bucket_incoming)

    def put(key: str, data: bytes) -> None:
        s3.put_object(storage.bucket_incoming, key, io.BytesIO(data), len(data))

    def keys() -> list[str]:
        listed = s3.list_objects(storage.bucket_incoming, recursive=True)
        return sorted(str(o.object_name) for o in listed)

    def originals() -> dict[str, dict[str, str]]:
        store = S3Storage.from_settings(storage)
        listed = s3.list_objects(storage.bucket_originals, recursive=True)
        return {str(o.object_name): store.metadata(str(o.object_name)) for o in listed}

    return Bucket(config, put, keys, originals)


@pytest.fixture(params=["local", "s3"])
def make_bucket(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Bucket]:
    """Builds the incoming bucket under test; keyword arguments go to Settings."""
    counter = itertools.count()

    def make(**settings: object) -> Bucket:
        root = tmp_path / f"data{next(counter)}"
        if request.param == "local":
            return local_bucket(root, **settings)
        return s3_bucket(root, request.getfixturevalue("s3_endpoint"), **settings)

    return make


def rows(settings: Settings) -> list[Any]:
    """The `intake_objects` rows, oldest first."""
    engine = make_engine(settings.database_dsn())
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(IntakeObjectRow).order_by(IntakeObjectRow.id)))
    finally:
        engine.dispose()


def recorded(settings: Settings) -> dict[str, tuple[str, int]]:
    """object key -> (status, attempts), one entry per recorded object version."""
    found = rows(settings)
    assert len({(r.object_key, r.version) for r in found}) == len(found)
    return {r.object_key: (r.status, r.attempts) for r in found}


class CountingPrescreen:
    """Wraps the real pre-screen (or a fake) and counts the calls per (registration, slot, file)."""

    def __init__(self, inner: Callable[..., ReportRegistration]) -> None:
        self.inner = inner
        self.calls: Counter[tuple[str, str, str]] = Counter()
        self.lock = threading.Lock()

    def __call__(
        self,
        data: bytes,
        file: str,
        registration: Registration,
        slot: Slot,
        settings: Settings,
    ) -> ReportRegistration:
        with self.lock:
            self.calls[(registration.registratie_id, slot.value, file)] += 1
        return self.inner(data, file, registration, slot, settings)


def count_prescreens(
    monkeypatch: pytest.MonkeyPatch, inner: Callable[..., ReportRegistration]
) -> CountingPrescreen:
    """`inner`, its calls counted, in the place of the pre-screen the intake calls."""
    counter = CountingPrescreen(inner)
    monkeypatch.setattr(bucket_intake, "prescreen_document", counter)
    return counter


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingPrescreen:
    """The real pre-screen, its calls counted."""
    return count_prescreens(monkeypatch, bucket_intake.prescreen_document)


def fake_prescreen(delay_s: float = 0.0) -> Callable[..., ReportRegistration]:
    def check(
        data: bytes, _file: str, registration: Registration, _slot: Slot, _settings: Settings
    ) -> ReportRegistration:
        assert data
        time.sleep(delay_s)
        return ReportRegistration(
            registratie_id=registration.registratie_id, verdict=Verdict.APPROVE
        )

    return check


def dead_claim(intake: BucketIntake, key: str, *, max_attempts: int) -> Claim:
    """A poller claims the only object in the bucket (lease 600 s) and dies before it records
    anything."""
    [obj] = intake.source.list()
    claim, _ = claim_object(
        intake.engine, intake.source.name, key, obj.version,
        owner="dead:1", lease_s=600, max_attempts=max_attempts,
    )  # fmt: skip
    assert claim is not None
    return claim
