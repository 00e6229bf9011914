"""S3Storage against moto's S3 server on 127.0.0.1 (real S3 over HTTP, no network): objects
round-trip, originals are never overwritten and carry their metadata, derived artefacts live
in their own bucket, and a dead object store gives one clear StorageError after retries."""

from __future__ import annotations

import itertools
import socket
import time
from collections.abc import Iterator

import pytest
from minio import Minio
from moto.server import ThreadedMotoServer

from core.settings import Settings, StorageKind, StorageSettings
from reading.admission import sha256
from store.objects import StorageError, make_storage, original_key, render_key
from store.s3 import S3Storage

KEYS = {"access_key": "testing", "secret_key": "testing"}
_names = itertools.count()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[ThreadedMotoServer, str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server, url = start_server()
    yield url
    server.stop()


def buckets() -> tuple[str, str]:
    n = next(_names)
    return f"t{n}-originals", f"t{n}-derived"


def storage_at(url: str, **options: float) -> S3Storage:
    originals, derived = buckets()
    return S3Storage(url, bucket_originals=originals, bucket_derived=derived, **KEYS, **options)  # type: ignore[arg-type]


def client(url: str) -> Minio:
    return Minio(url.removeprefix("http://"), secure=False, **KEYS)


def test_put_get_exists_and_buckets_created(endpoint: str) -> None:
    store = storage_at(endpoint)
    assert client(endpoint).bucket_exists(store.bucket_originals)
    assert client(endpoint).bucket_exists(store.bucket_derived)
    key = render_key("ab" * 32, 1)
    assert not store.exists(key)
    assert store.put(key, b"jpeg bytes") == key
    assert store.exists(key) and store.get(key) == b"jpeg bytes"
    with pytest.raises(FileNotFoundError):
        store.get(render_key("cd" * 32, 1))


def test_originals_are_immutable_with_metadata_in_their_own_bucket(endpoint: str) -> None:
    store = storage_at(endpoint)
    data = b"%PDF-1.7 original"
    key = original_key(sha256(data))
    store.put(key, data, {"registratie_id": "R0000001", "slot": "praktijkovereenkomst"})
    # a second put (even with other bytes or metadata) never overwrites the original
    store.put(key, b"something else", {"registratie_id": "R0000002", "slot": "prestatiebewijs"})
    assert store.get(key) == data
    assert store.metadata(key) == {"registratie-id": "R0000001", "slot": "praktijkovereenkomst"}
    raw = client(endpoint).stat_object(store.bucket_originals, key)
    assert raw.metadata["x-amz-meta-registratie-id"] == "R0000001"
    # derived artefacts go to the derived bucket only, and may be replaced
    derived = render_key(sha256(data), 1)
    store.put(derived, b"v1")
    store.put(derived, b"v2")
    assert store.get(derived) == b"v2"
    objects = client(endpoint)
    assert [o.object_name for o in objects.list_objects(store.bucket_derived, recursive=True)] == [
        derived
    ]
    assert [
        o.object_name for o in objects.list_objects(store.bucket_originals, recursive=True)
    ] == [key]


def test_make_storage_builds_s3_from_settings(endpoint: str) -> None:
    originals, derived = buckets()
    settings = Settings(
        storage=StorageSettings(
            kind=StorageKind.S3,
            endpoint=endpoint,
            access_key=KEYS["access_key"],  # type: ignore[arg-type]
            secret_key=KEYS["secret_key"],  # type: ignore[arg-type]
            bucket_originals=originals,
            bucket_derived=derived,
        )
    )
    store = make_storage(settings)
    assert isinstance(store, S3Storage) and not store.secure
    assert store.bucket_derived == derived
    assert "testing" not in repr(settings)  # keys are secrets


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEWIJSCHECK_STORAGE", "s3")
    monkeypatch.setenv("BEWIJSCHECK_S3_ENDPOINT", "https://minio.example.nl:9000")
    monkeypatch.setenv("BEWIJSCHECK_S3_SECRET_KEY", "geheim")
    monkeypatch.setenv("BEWIJSCHECK_S3_SECURE", "false")
    monkeypatch.setenv("BEWIJSCHECK_CACHE", "0")
    settings = Settings.from_env()
    assert settings.storage.kind is StorageKind.S3
    assert settings.storage.secret_key.get_secret_value() == "geheim"
    assert settings.storage.secure is False and settings.cache is False
    assert settings.storage.bucket_originals == "bewijscheck-originals"
    monkeypatch.delenv("BEWIJSCHECK_S3_ENDPOINT")
    with pytest.raises(StorageError, match="BEWIJSCHECK_S3_ENDPOINT"):
        make_storage(Settings.from_env())


def test_dead_object_store_gives_one_clear_error_after_retries() -> None:
    server, url = start_server()
    store = storage_at(url, backoff_s=0.05)
    store.put(render_key("ef" * 32, 1), b"before")
    server.stop()
    started = time.perf_counter()
    for operation in (
        lambda: store.put(render_key("ef" * 32, 2), b"after"),
        lambda: store.get(render_key("ef" * 32, 1)),
        lambda: store.exists(render_key("ef" * 32, 1)),
    ):
        with pytest.raises(StorageError) as caught:
            operation()
        message = str(caught.value)
        assert "\n" not in message
        assert url in message and "after 3 attempts" in message
        assert "testing" not in message
    assert time.perf_counter() - started < 10
    # and a store that is down from the start fails when opened
    with pytest.raises(StorageError, match="unavailable"):
        storage_at(url, backoff_s=0.01)
