"""Review cases in the database: load a case and re-run its rules over the reviewers'
corrections, apply reviewer actions (each one appended to the audit log with before and after),
claim and release. Functions take an Engine and the acting user's name; reviewer-facing errors
carry a Dutch message. Putting the machine's results into cases is `review.importer`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Engine, or_, select, update
from sqlalchemy.orm import Session

from core.errors import ReviewError
from core.fields import label
from core.file_names import mask_bsn
from core.manifest import ManifestEntry
from core.model import Finding, ProcessedDocument
from core.registration import Registration
from core.report import ReportRegistration
from review.cases import DOC_TYPE, Effective, ReviewState, corrected, effective_entry, finding_key
from review.confidence import case_confidence
from store.audit_chain import append
from store.db import aware
from store.review_tables import (
    AuditRow,
    CaseDocumentRow,
    CaseRow,
    CorrectionRow,
    FindingDecisionRow,
)

CLAIM_LEASE = timedelta(hours=4)  # a claim nobody touched for this long may be taken over
DECISIONS = ("goedgekeurd", "afgewezen")


def now() -> datetime:
    return datetime.now(UTC)


def audit(
    session: Session,
    username: str,
    action: str,
    registratie_id: str | None,
    *,
    target: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> None:
    """Append a row to the audit log (a link of its hash chain, in the session's
    transaction: the chain's lock is held from here until the transaction ends)."""
    row = AuditRow(
        at=now(),
        username=username,
        action=action,
        registratie_id=registratie_id,
        target=target,
        before=before,
        after=after,
        reason=reason,
    )
    append(session, row)


# -- loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDocument:
    id: int
    entry: ManifestEntry
    processed: ProcessedDocument
    source: str
    created_at: datetime | None = None


def documents(session: Session, registratie_id: str) -> list[CaseDocument]:
    rows = session.scalars(
        select(CaseDocumentRow)
        .where(CaseDocumentRow.registratie_id == registratie_id, ~CaseDocumentRow.superseded)
        .order_by(CaseDocumentRow.line, CaseDocumentRow.id)
    )
    return [
        CaseDocument(
            row.id,
            ManifestEntry(
                registratie_id=registratie_id, slot=row.slot, bestand=row.file, line=row.line
            ),
            ProcessedDocument.model_validate(row.processed),
            row.source,
            row.created_at,
        )
        for row in rows
    ]


def review_state(session: Session, registratie_id: str, doc_ids: Iterable[int]) -> ReviewState:
    """The latest correction per field and decision per finding (append-only tables)."""
    state = ReviewState()
    corrections = session.scalars(
        select(CorrectionRow)
        .where(CorrectionRow.document.in_(list(doc_ids)))
        .order_by(CorrectionRow.id)
    )
    for c in corrections:
        fields = state.corrections.setdefault(c.document, {})
        if c.value is None:
            fields.pop(c.field, None)
        else:
            fields[c.field] = c.value
    latest: dict[str, str] = {}
    for d in session.scalars(
        select(FindingDecisionRow)
        .where(FindingDecisionRow.registratie_id == registratie_id)
        .order_by(FindingDecisionRow.id)
    ):
        latest[d.finding_key] = d.decision
    state.overruled = {key for key, decision in latest.items() if decision == "overruled"}
    return state


def evaluate(session: Session, case: CaseRow) -> Effective:
    """The case as it stands after review (rules re-run over the current documents)."""
    docs = documents(session, case.registratie_id)
    state = review_state(session, case.registratie_id, [d.id for d in docs])
    registration = Registration.model_validate(case.registration)
    machine = ReportRegistration.model_validate(case.machine_entry)
    return effective_entry(
        registration, [(d.id, d.entry, d.processed) for d in docs], state, machine.findings
    )


def project(case: CaseRow, effective: Effective) -> None:
    """Recompute the case row's projection (verdict, codes, lowest confidence: what the queue
    filters and sorts on) from a re-run."""
    case.verdict = effective.verdict.value
    codes = sorted({f.code.value for f in effective.active})
    case.codes = " " + " ".join(codes) + " "
    case.min_confidence = case_confidence(effective.entry.documents)
    case.updated_at = now()


# -- claims ----------------------------------------------------------------------------------


def stale(case: CaseRow) -> bool:
    """Whether the case's claim is older than the lease (anyone may take it over)."""
    return case.claimed_at is None or aware(case.claimed_at) < now() - CLAIM_LEASE


def claim(engine: Engine, registratie_id: str, username: str) -> None:
    """Take the case for `username`; refused while another reviewer holds a live claim."""
    stale = now() - CLAIM_LEASE
    with Session(engine) as session, session.begin():
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(CaseRow)
            .where(
                CaseRow.registratie_id == registratie_id,
                or_(
                    CaseRow.claimed_by.is_(None),
                    CaseRow.claimed_by == username,
                    CaseRow.claimed_at < stale,
                ),
            )
            .values(claimed_by=username, claimed_at=now())
        )
        if not result.rowcount:
            case = session.get(CaseRow, registratie_id)
            if case is None:
                raise ReviewError(f"Registratie {registratie_id} bestaat niet.")
            raise ReviewError(
                f"Registratie {registratie_id} is in behandeling bij {case.claimed_by}."
            )
        audit(session, username, "claim", registratie_id)


def release(engine: Engine, registratie_id: str, username: str, *, admin: bool = False) -> None:
    with Session(engine) as session, session.begin():
        case = _claimed(session, registratie_id, username, admin=admin)
        before = case.claimed_by
        case.claimed_by = None
        case.claimed_at = None
        audit(session, username, "release", registratie_id, before={"claimed_by": before})


def case_documents(session: Session, registratie_id: str, document: int) -> dict[int, CaseDocument]:
    """The case's documents by id; refused when `document` is not (or no longer) one of them."""
    docs = {d.id: d for d in documents(session, registratie_id)}
    if document not in docs:
        raise ReviewError("Dit document hoort niet (meer) bij de registratie.")
    return docs


def _claimed(
    session: Session,
    registratie_id: str,
    username: str,
    *,
    admin: bool = False,
    open_case: bool = False,
) -> CaseRow:
    """The case, locked, when `username` holds it (an admin: when anyone does); with
    `open_case`, only while it has no final decision (a decided case is read-only until it is
    reopened)."""
    case = session.get(CaseRow, registratie_id, with_for_update=True)
    if case is None:
        raise ReviewError(f"Registratie {registratie_id} bestaat niet.")
    if open_case and case.decision:
        raise ReviewError(
            f"Over registratie {registratie_id} is al besloten; heropen de registratie om iets "
            "te wijzigen."
        )
    if case.claimed_by != username and not (admin and case.claimed_by):
        holder = case.claimed_by or "niemand"
        raise ReviewError(f"Neem registratie {registratie_id} eerst in behandeling (nu: {holder}).")
    case.claimed_at = now()
    return case


def need_reason(reason: str) -> str:
    """The reason, trimmed; a change without one is refused."""
    if not reason.strip():
        raise ReviewError("Geef een reden op.")
    return reason.strip()


# -- reviewer actions ------------------------------------------------------------------------


def correct_field(
    engine: Engine,
    registratie_id: str,
    document: int,
    field: str,
    value: Any,
    username: str,
    reason: str = "",
) -> Effective:
    """Set a field's value (None: back to the machine's), re-run the rules, audit both
    versions: the field's value and the verdict before and after, and the reason (required)."""
    reason = need_reason(reason)
    with Session(engine) as session, session.begin():
        case = _claimed(session, registratie_id, username, open_case=True)
        docs = case_documents(session, registratie_id, document)
        state = review_state(session, registratie_id, docs)
        own = state.corrections.get(document, {})
        retyped = {DOC_TYPE: own[DOC_TYPE]} if DOC_TYPE in own else {}
        machine = corrected(docs[document].processed, retyped).fields.get(field)
        old = own.get(field, machine.value if machine else None)
        old_verdict = case.verdict
        session.add(
            CorrectionRow(document=document, field=field, value=value, username=username, at=now())
        )
        session.flush()
        effective = evaluate(session, case)
        project(case, effective)
        new = value if value is not None else (machine.value if machine else None)
        audit(
            session,
            username,
            "correct_field",
            registratie_id,
            target=document_target(docs[document], field),
            before={"value": _jsonable(old), "verdict": old_verdict},
            after={"value": _jsonable(new), "verdict": case.verdict},
            reason=reason,
        )
    return effective


def decide_finding(
    engine: Engine, registratie_id: str, key: str, decision: str, reason: str, username: str
) -> Effective:
    """Confirm or overrule a finding (by `finding_key`); a reason is required."""
    if decision not in ("confirmed", "overruled"):
        raise ReviewError("Onbekende beslissing.")
    reason = need_reason(reason)
    with Session(engine) as session, session.begin():
        case = _claimed(session, registratie_id, username, open_case=True)
        current = evaluate(session, case)
        findings = {finding_key(f): f for f in current.entry.all_findings}
        if key not in findings:
            raise ReviewError("Deze bevinding bestaat niet (meer); vernieuw de pagina.")
        was = "overruled" if key in {finding_key(f) for f in current.overruled} else "open"
        old_verdict = case.verdict
        session.add(
            FindingDecisionRow(
                registratie_id=registratie_id,
                finding_key=key,
                decision=decision,
                reason=reason,
                username=username,
                at=now(),
            )
        )
        session.flush()
        effective = evaluate(session, case)
        project(case, effective)
        audit(
            session,
            username,
            "decide_finding",
            registratie_id,
            target=f"{findings[key].code.value} ({key})",
            before={"decision": was, "verdict": old_verdict},
            after={"decision": decision, "verdict": case.verdict},
            reason=reason,
        )
    return effective


def request_reupload(engine: Engine, registratie_id: str, message: str, username: str) -> None:
    if not message.strip():
        raise ReviewError("Schrijf een bericht voor de werkgever.")
    with Session(engine) as session, session.begin():
        case = _claimed(session, registratie_id, username, open_case=True)
        before = case.reupload_message
        case.reupload_message = message.strip()
        audit(
            session,
            username,
            "request_reupload",
            registratie_id,
            before={"message": before},
            after={"message": case.reupload_message},
        )


def set_decision(
    engine: Engine, registratie_id: str, decision: str, reason: str, username: str
) -> None:
    """The final decision: the case is released and read-only until it is reopened."""
    if decision not in DECISIONS:
        raise ReviewError("Kies goedgekeurd of afgewezen.")
    with Session(engine) as session, session.begin():
        case = _claimed(session, registratie_id, username, open_case=True)
        before = case.decision
        case.decision = decision
        case.claimed_by = None
        case.claimed_at = None
        audit(
            session,
            username,
            "final_decision",
            registratie_id,
            before={"decision": before, "verdict": case.verdict, "claimed_by": username},
            after={"decision": decision, "verdict": case.verdict, "claimed_by": None},
            reason=reason.strip(),
        )


def document_target(doc: CaseDocument, field: str) -> str:
    """How the audit log names a document's field: its file and the field's label."""
    name = "Documenttype" if field == DOC_TYPE else label(field)
    return f"{mask_bsn(doc.entry.bestand)} / {name}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool | type(None) | list | dict):
        return value
    return str(value)


def findings_of(effective: Effective) -> list[tuple[str, Finding, bool]]:
    """Every finding of the re-run with its key and whether it is overruled."""
    overruled = {finding_key(f) for f in effective.overruled}
    return [(finding_key(f), f, finding_key(f) in overruled) for f in effective.entry.all_findings]
