"""Hand a batch run's results to the review app: one review case per registration, with the
machine's processed documents (words dropped), so reviewers see what the back office ran."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from core.manifest import ManifestEntry
from core.model import ProcessedDocument
from core.registration import Registration
from core.report import Report
from core.settings import Settings
from review.repository import import_case
from store.results import ResultsStoreError, open_store

log = logging.getLogger(__name__)


def import_run(
    settings: Settings,
    registrations: Sequence[Registration],
    documents: Sequence[tuple[ManifestEntry, ProcessedDocument]],
    report: Report,
    source: str,
) -> int:
    """Import every registration of `report` as a review case; returns how many. A batch
    import replaces a case's documents (the earlier ones stay, marked superseded) and keeps
    the reviewers' corrections and decisions."""
    by_id: dict[str, list[tuple[ManifestEntry, ProcessedDocument]]] = {}
    for listed, processed in documents:
        by_id.setdefault(listed.registratie_id, []).append((listed, processed))
    entries = {e.registratie_id: e for e in report.registrations}
    engine = open_store(settings.database_dsn())
    try:
        for registration in registrations:
            entry = entries.get(registration.registratie_id)
            if entry is not None:
                docs = by_id.get(registration.registratie_id, [])
                import_case(engine, registration, docs, entry, source)
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"review cases cannot be written: {type(exc).__name__}") from exc
    finally:
        engine.dispose()
    log.info("%d registrations handed to review (%s)", len(entries), source)
    return len(entries)
