"""A case with a final decision is closed to new documents: an upload or a batch re-import
would change the verdict under the decision (approved, yet `reject`). Such a change is refused
(`CaseDecided`, raised by `review.importer.import_case` inside its transaction, so a decision
taken while an upload was being checked still counts) and the refusal is audited. The decision
releases the case, which stays read-only (no corrections, finding decisions or re-upload
requests) until a reviewer reopens it (`reopen`, with a reason, taking the case); then
documents are taken again and a new decision is needed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.errors import CaseDecided, ReviewError
from review.repository import audit, now, stale
from store.review_tables import CaseRow


def ensure_open(registratie_id: str, decision: str | None) -> None:
    """Raise CaseDecided when the case has a decision."""
    if decision:
        raise CaseDecided(registratie_id, decision)


def audit_refusal(
    engine: Engine,
    refused: CaseDecided,
    username: str,
    action: str,
    *,
    target: str = "",
    after: dict[str, Any] | None = None,
) -> None:
    """Record a refused change of a decided case (in its own transaction: the change's own
    transaction was rolled back, or never began)."""
    with Session(engine) as session, session.begin():
        audit(
            session,
            username,
            action,
            refused.registratie_id,
            target=target,
            before={"decision": refused.decision},
            after={"status": "geweigerd", **(after or {})},
        )


def reopen(
    engine: Engine, registratie_id: str, reason: str, username: str, *, admin: bool = False
) -> None:
    """Withdraw the final decision so the case can be changed and documents added again; needs
    a reason, both in the audit log. The decision released the case: the reviewer who reopens
    it takes it (refused while another reviewer holds a live claim)."""
    if not reason.strip():
        raise ReviewError("Geef een reden op voor het heropenen.")
    with Session(engine) as session, session.begin():
        case = session.get(CaseRow, registratie_id, with_for_update=True)
        if case is None:
            raise ReviewError(f"Registratie {registratie_id} bestaat niet.")
        if not case.decision:
            raise ReviewError(f"Over registratie {registratie_id} is nog geen besluit genomen.")
        holder = case.claimed_by
        if holder and holder != username and not admin and not stale(case):
            raise ReviewError(f"Registratie {registratie_id} is in behandeling bij {holder}.")
        before = case.decision
        case.decision = None
        case.claimed_by = username
        case.claimed_at = now()
        audit(
            session,
            username,
            "reopen",
            registratie_id,
            before={"decision": before, "verdict": case.verdict, "claimed_by": holder},
            after={"decision": None, "verdict": case.verdict, "claimed_by": username},
            reason=reason.strip(),
        )
