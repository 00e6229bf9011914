"""The incoming bucket, as `pipeline.bucket_intake` sees it: list the objects there, read and
delete one version of an object. Two sources: a bucket on the S3 endpoint (MinIO), or the folder
`data_dir/incoming`, where only regular files count and names starting with a dot are files
still being written. A version is what a claim is made on: an object replaced under the same key
is a new version."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from core.settings import Settings, StorageKind
from store.objects import Storage, StorageError

if TYPE_CHECKING:
    from store.s3 import S3Storage


@dataclass(frozen=True)
class IncomingObject:
    key: str
    version: str  # identifies this version of the object (part of the claim)
    size: int
    tag: str  # what `read` and `delete` compare to be sure it is still this version


class IncomingSource(Protocol):
    """The incoming bucket: list what is there, read and delete one version of an object."""

    name: str  # recorded with every claim: "s3://<bucket>" or "local:<folder>"

    def list(self) -> list[IncomingObject]: ...

    def read(self, obj: IncomingObject) -> bytes | None:
        """The bytes of this version; None when the object is gone or was replaced."""
        ...

    def delete(self, obj: IncomingObject) -> bool:
        """Delete the object if it is still this version; False when it is not."""
        ...


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


class LocalIncoming:
    """A folder as incoming bucket; keys are paths relative to it with `/`. Only regular
    files count (no links); names with a leading dot are files still being written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create incoming folder {root}: {exc.strerror}") from None
        self.name = f"local:{root.resolve()}"

    @staticmethod
    def _version(st: os.stat_result) -> str:
        return f"{st.st_size}-{st.st_mtime_ns}"

    def list(self) -> list[IncomingObject]:
        found: list[IncomingObject] = []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                relative = path.relative_to(self.root)
                if _hidden(relative):
                    continue
                try:
                    st = path.lstat()
                except FileNotFoundError:  # renamed or deleted meanwhile
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                version = self._version(st)
                found.append(IncomingObject(relative.as_posix(), version, st.st_size, version))
        return found

    def read(self, obj: IncomingObject) -> bytes | None:
        try:
            fd = os.open(self.root / obj.key, os.O_RDONLY | os.O_NOFOLLOW)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            if exc.errno == getattr(os, "ELOOP", 40):  # replaced by a link
                return None
            raise
        with os.fdopen(fd, "rb") as handle:
            if self._version(os.fstat(handle.fileno())) != obj.tag:
                return None
            data = handle.read()
            if self._version(os.fstat(handle.fileno())) != obj.tag:  # written while read
                return None
        return data

    def delete(self, obj: IncomingObject) -> bool:
        path = self.root / obj.key
        try:
            if self._version(path.lstat()) != obj.tag:
                return False
            path.unlink()
        except FileNotFoundError:
            return False
        return True


class S3Incoming:
    """A bucket of the S3 endpoint (MinIO) as incoming bucket; created when missing."""

    def __init__(self, storage: S3Storage, bucket: str) -> None:
        self.storage = storage
        self.bucket = bucket
        self.name = f"s3://{bucket}"
        storage.ensure_bucket(bucket)

    def list(self) -> list[IncomingObject]:
        found: list[IncomingObject] = []
        for o in self.storage.list_objects(self.bucket):
            etag = (o.etag or "").strip('"')
            modified = o.last_modified.isoformat() if o.last_modified else ""
            found.append(
                IncomingObject(str(o.object_name), f"{etag}@{modified}", o.size or 0, etag)
            )
        return found

    def read(self, obj: IncomingObject) -> bytes | None:
        try:
            data, etag = self.storage.read_object(self.bucket, obj.key)
        except FileNotFoundError:
            return None
        return data if etag == obj.tag else None

    def delete(self, obj: IncomingObject) -> bool:
        # S3 has no conditional delete: look first, so a newer version put under the same
        # key since the listing is not deleted unchecked (a small window remains)
        if self.storage.object_etag(self.bucket, obj.key) != obj.tag:
            return False
        self.storage.delete_object(self.bucket, obj.key)
        return True


def make_incoming(settings: Settings, storage: Storage) -> IncomingSource:
    """The incoming bucket `settings` describe: `bucket_incoming` on the S3 endpoint, or the
    folder `data_dir/incoming`."""
    if settings.storage.kind is StorageKind.S3:
        from store.s3 import S3Storage

        if not isinstance(storage, S3Storage):  # pragma: no cover - make_storage guarantees it
            raise TypeError("S3 intake needs an S3Storage")
        return S3Incoming(storage, settings.storage.bucket_incoming)
    return LocalIncoming(settings.data_dir / "incoming")
