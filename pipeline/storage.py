"""Object storage behind one small interface. Originals are immutable and addressed by their
sha256; derived artefacts (page renders, extraction JSON) sit beside them. The embedded default
is a local folder; production uses an S3 endpoint (MinIO) through the same interface."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class Storage(Protocol):
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


class LocalStorage:
    """A folder as object store. Writes are atomic (temp file + rename), so a killed run never
    leaves half an object; an existing original is never overwritten."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> str:
        path = self._path(key)
        if key.startswith("originals/") and path.exists():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if metadata:
            meta = path.with_name(path.name + ".meta.json")
            meta.write_text(json.dumps(metadata, sort_keys=True), encoding="utf-8")
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()
