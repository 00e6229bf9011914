"""Retention of originals: an uploaded file as it came is kept for `Settings.retention_days`
(`BEWIJSCHECK_RETENTION_DAYS`, default 365) and then deleted. Only originals (`originals/`: the
originals bucket on S3, `data_dir/storage/originals` locally) are purged; the page renders
(with every BSN blacked out), cached results (BSN masked) and the review data stay.

An original's age is its store's write time (S3 `last_modified`, the file's mtime): originals
are immutable, so that is when the upload first arrived. The log names counts, never keys of
single documents."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from core.settings import Settings
from store.db import aware
from store.objects import ORIGINALS, StoredObject, make_storage

log = logging.getLogger(__name__)


@runtime_checkable
class RetentionStorage(Protocol):
    """What a store needs for retention (`LocalStorage` and `S3Storage` have it)."""

    def list_stored(self, prefix: str) -> list[StoredObject]: ...

    def delete(self, key: str) -> None: ...


@dataclass
class PurgeResult:
    """What a purge found and did; `deleted` are the keys removed (or, in a dry run, the keys
    that would have been)."""

    cutoff: datetime
    dry_run: bool
    checked: int = 0
    deleted: list[str] = field(default_factory=list)
    bytes_deleted: int = 0

    @property
    def kept(self) -> int:
        return self.checked - len(self.deleted)


def purge_originals(
    settings: Settings,
    now: datetime | None = None,
    *,
    dry_run: bool = False,
    storage: RetentionStorage | None = None,
) -> PurgeResult:
    """Delete every original written more than `settings.retention_days` days before `now`
    (default: the current time); with `dry_run`, only say which."""
    now = aware(now or datetime.now(UTC))
    cutoff = now - timedelta(days=settings.retention_days)
    store: object = storage if storage is not None else make_storage(settings)
    if not isinstance(store, RetentionStorage):
        raise TypeError(f"{type(store).__name__} cannot list or delete originals")
    result = PurgeResult(cutoff=cutoff, dry_run=dry_run)
    for obj in store.list_stored(ORIGINALS):
        result.checked += 1
        if obj.modified >= cutoff:
            continue
        if not dry_run:
            store.delete(obj.key)
        result.deleted.append(obj.key)
        result.bytes_deleted += obj.size
    log.info(
        "retention (%d days): %d originals checked, %d %s, %d kept",
        settings.retention_days,
        result.checked,
        len(result.deleted),
        "would be deleted (dry run)" if dry_run else "deleted",
        result.kept,
    )
    return result
