"""Hand the machine's results to the review app: a batch run's (`import_run`, one review case
per registration) or one upload's (`import_case`), with the processed documents (words
dropped), so reviewers see what the back office ran. Reviewers' corrections and decisions
survive an import."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.errors import CaseDecided, ResultsStoreError
from core.file_names import mask_bsn, mask_name_fields
from core.manifest import ManifestEntry
from core.model import ProcessedDocument
from core.registration import Registration
from core.report import Report, ReportRegistration, verdict
from core.settings import Settings
from review.cases import BATCH_CODES, Effective
from review.decided import audit_refusal, ensure_open
from review.repository import audit, evaluate, now, project
from store.db import open_store
from store.review_tables import CaseDocumentRow, CaseRow

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
    the reviewers' corrections and decisions; a case with a final decision is left as it is
    (the refusal audited)."""
    by_id: dict[str, list[tuple[ManifestEntry, ProcessedDocument]]] = {}
    for listed, processed in documents:
        by_id.setdefault(listed.registratie_id, []).append((listed, processed))
    entries = {e.registratie_id: e for e in report.registrations}
    engine = open_store(settings.database_dsn())
    imported = refused = 0
    try:
        for registration in registrations:
            entry = entries.get(registration.registratie_id)
            if entry is None:
                continue
            docs = by_id.get(registration.registratie_id, [])
            try:
                import_case(engine, registration, docs, entry, source)
                imported += 1
            except CaseDecided as decided:
                after = {"documents": [mask_bsn(listed.bestand) for listed, _ in docs]}
                action = "import_refused"
                audit_refusal(engine, decided, "systeem", action, target=source, after=after)
                refused += 1
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"review cases cannot be written: {type(exc).__name__}") from exc
    finally:
        engine.dispose()
    log.info("%d registrations handed to review (%s)", imported, source)
    if refused:
        log.warning("%d decided registrations left as they were (%s)", refused, source)
    return imported


def import_case(
    engine: Engine,
    registration: Registration,
    docs: Sequence[tuple[ManifestEntry, ProcessedDocument]],
    entry: ReportRegistration,
    source: str,
    *,
    replace_slots: bool = False,
) -> Effective:
    """Store one registration's machine result. A batch import (`replace_slots=False`)
    supersedes all earlier documents of the case; an upload only those in its slots. Reviewer
    decisions stay in their tables (a finding decision keeps applying while its finding
    exists); the case is re-evaluated and the import is audited. An upload's entry cannot
    judge batch-wide findings (BATCH_CODES, e.g. a duplicate participant): those of the
    case's previous machine entry are carried into it. A case with a final decision raises
    CaseDecided and nothing changes. A BSN in a file name is masked before it is stored."""
    rid = registration.registratie_id
    with Session(engine) as session, session.begin():
        # The case row is written first, so it is locked (SQLite: the database's write lock)
        # before its decision is read: a decision cannot be taken between the check and the
        # import.
        this_case = CaseRow.registratie_id == rid
        session.execute(update(CaseRow).where(this_case).values(updated_at=now()))
        case = session.get(CaseRow, rid)
        if case is not None:
            ensure_open(rid, case.decision)
        before = None if case is None else {"verdict": case.verdict}
        if replace_slots and case is not None:
            entry = with_batch_findings(entry, case.machine_entry)
        if case is None:
            case = CaseRow(registratie_id=registration.registratie_id, claimed_by=None)
            session.add(case)
        case.organisatie = registration.organisatie
        case.registration = registration.model_dump(mode="json")
        case.machine_entry = mask_name_fields(entry.model_dump(mode="json"))
        case.machine_verdict = entry.verdict.value
        case.verdict = entry.verdict.value
        case.updated_at = now()
        session.flush()
        old = select(CaseDocumentRow.id).where(
            CaseDocumentRow.registratie_id == registration.registratie_id,
            ~CaseDocumentRow.superseded,
        )
        if replace_slots:
            old = old.where(CaseDocumentRow.slot.in_({e.slot.value for e, _ in docs}))
        session.execute(
            update(CaseDocumentRow)
            .where(CaseDocumentRow.id.in_(old.scalar_subquery()))
            .values(superseded=True)
        )
        for manifest_entry, processed in docs:
            session.add(
                CaseDocumentRow(
                    registratie_id=registration.registratie_id,
                    slot=manifest_entry.slot.value,
                    file=mask_bsn(manifest_entry.bestand),
                    line=manifest_entry.line,
                    document_id=processed.document_id,
                    processed=mask_name_fields(without_words(processed).model_dump(mode="json")),
                    source=source,
                    created_at=now(),
                    superseded=False,
                )
            )
        session.flush()
        effective = evaluate(session, case)
        project(case, effective)
        audit(
            session,
            "systeem",
            "import",
            registration.registratie_id,
            target=source,
            before=before,
            after={"verdict": case.verdict, "documents": [mask_bsn(e.bestand) for e, _ in docs]},
        )
    return effective


def with_batch_findings(entry: ReportRegistration, previous: dict[str, Any]) -> ReportRegistration:
    """`entry` with the BATCH_CODES findings of the `previous` machine entry."""
    old = ReportRegistration.model_validate(previous).findings
    carried = [f for f in old if f.code in BATCH_CODES]
    if not carried:
        return entry
    findings = [*entry.findings, *carried]
    return entry.model_copy(
        update={
            "findings": findings,
            "verdict": verdict([*findings, *entry.to_review], entry.documents),
        }
    )


def without_words(processed: ProcessedDocument) -> ProcessedDocument:
    """The document without its words: the rules read fields only, and the page text (which
    may hold a BSN) has no place in the review tables."""
    doc = processed.document
    if doc is None:
        return processed
    pages = [page.model_copy(update={"words": []}) for page in doc.pages]
    kept = doc.model_copy(update={"pages": pages, "kept_ocr_confidence": doc.ocr_confidence})
    return processed.model_copy(update={"document": kept})
