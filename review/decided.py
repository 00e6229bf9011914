"""A case with a final decision is closed to new documents: an upload or a batch re-import
would change the verdict under the decision (approved, yet `reject`). Such a change is refused
(`CaseDecided`, raised by `review.importer.import_case` inside its transaction, so a decision
taken while an upload was being checked still counts) and the refusal is audited. A reviewer
who holds the case can reopen it (`reopen`, with a reason); then documents are taken again
and a new decision is needed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.errors import CaseDecided, ReviewError
from review.repository import _claimed, audit


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


def reopen(engine: Engine, registratie_id: str, reason: str, username: str) -> None:
    """Withdraw the final decision so documents can be added again; needs the claim and a
    reason, both in the audit log."""
    if not reason.strip():
        raise ReviewError("Geef een reden op voor het heropenen.")
    with Session(engine) as session, session.begin():
        case = _claimed(session, registratie_id, username)
        if not case.decision:
            raise ReviewError(f"Over registratie {registratie_id} is nog geen besluit genomen.")
        before = case.decision
        case.decision = None
        audit(
            session,
            username,
            "reopen",
            registratie_id,
            before={"decision": before, "verdict": case.verdict},
            after={"decision": None, "verdict": case.verdict},
            reason=reason.strip(),
        )
