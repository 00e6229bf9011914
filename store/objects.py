"""Object storage behind one small interface. Originals are immutable and addressed by their
sha256; derived artefacts (page renders, extraction JSON) sit beside them. The embedded default
is a local folder; production uses an S3 endpoint (MinIO) through the same interface."""

from __future__ import annotations

import errno
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from core.errors import StorageError

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)

ORIGINALS = "originals/"
TEMP_PREFIX = ".tmp-"
# A temp file of a writer that is gone (killed) is removed by `LocalStorage.sweep`; one of a
# live process only when it is older than this (its writer hangs, or the pid was reused).
STALE_TEMP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StoredObject:
    """A stored object as listed for retention: key, size and when it was written (UTC)."""

    key: str
    size: int
    modified: datetime


class Storage(Protocol):
    """Keys are `/`-separated relative paths; keys under `originals/` are immutable (a second
    `put` is a no-op). `get` of a missing key raises FileNotFoundError; faults of the store
    itself raise StorageError."""

    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> str: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...


def original_key(document_id: str) -> str:
    return f"originals/{document_id[:2]}/{document_id}"


def render_key(document_id: str, page: int) -> str:
    return f"renders/{document_id[:2]}/{document_id}/page-{page:03d}.jpg"


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"invalid storage key {key!r}")
    return key


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file named after this process, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True


class LocalStorage:
    """A folder as object store. Writes are atomic (temp file + rename), so a killed run never
    leaves half an object; an existing original is never overwritten. Metadata sits beside the
    object as `<name>.meta.json`, written before the object itself."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create storage folder {root}: {exc.strerror}") from None

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> str:
        path = self._path(key)
        try:
            if key.startswith(ORIGINALS) and path.exists():
                return key
            if metadata:
                meta = json.dumps(metadata, sort_keys=True).encode()
                _write_atomic(path.with_name(path.name + ".meta.json"), meta)
            _write_atomic(path, data)
        except OSError as exc:  # disk full, read-only, no permission: the store is at fault
            raise StorageError(
                f"local storage cannot write {key}: {exc.strerror or type(exc).__name__}"
            ) from None
        return key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StorageError(
                f"local storage cannot read {key}: {exc.strerror or type(exc).__name__}"
            ) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def metadata(self, key: str) -> dict[str, str]:
        meta = self._path(key).with_name(Path(key).name + ".meta.json")
        return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}

    def list_stored(self, prefix: str) -> list[StoredObject]:
        """Every object whose key starts with `prefix` (e.g. `originals/`), in key order, with
        its modification time; metadata files and temp files are not objects."""
        base = self.root / prefix.rstrip("/") if prefix.strip("/") else self.root
        found: list[StoredObject] = []
        if not base.is_dir():
            return found
        for path in sorted(base.rglob("*")):
            name = path.name
            if name.endswith(".meta.json") or name.startswith(TEMP_PREFIX):
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            if not path.is_file():
                continue
            key = path.relative_to(self.root).as_posix()
            if key.startswith(prefix):
                found.append(
                    StoredObject(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))
                )
        return found

    def delete(self, key: str) -> None:
        """Remove the object and its metadata (no error when it is gone already)."""
        path = self._path(key)
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".meta.json").unlink(missing_ok=True)

    def sweep(self) -> int:
        """Remove temp files left by writers that were killed mid-write; returns how many."""
        removed = 0
        now = time.time()
        for tmp in self.root.rglob(f"{TEMP_PREFIX}*"):
            pid_part = tmp.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
            try:
                gone = not (pid_part.isdigit() and _alive(int(pid_part)))
                if gone or now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:  # its writer finished meanwhile
                continue
        if removed:
            log.warning("removed %d partial object(s) left by an interrupted run", removed)
        return removed


def make_storage(settings: Settings) -> Storage:
    """The store `settings` describe: `data_dir/storage`, or the S3 endpoint (MinIO)."""
    from core.settings import StorageKind

    if settings.storage.kind is StorageKind.S3:
        from store.s3 import S3Storage

        return S3Storage.from_settings(settings.storage)
    return LocalStorage(settings.data_dir / "storage")
