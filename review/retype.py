"""A reviewer gives a document its type (an `onbekend` document, or one the classifier got
wrong): the rules re-run and the change is audited (type and verdict before and after, the
reason). The machine's result stays as it was; the type is a correction (`review.cases.DOC_TYPE`)
like a field's. The fields the new type carries that the machine read are kept; the others are
listed empty on the document page, for the reviewer to enter from the page (the review tables
keep no words to read them again: the page text may hold a BSN)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.enums import DocType
from core.model import ProcessedDocument
from review.cases import DOC_TYPE, Effective
from review.repository import (
    _claimed,
    audit,
    case_documents,
    document_target,
    evaluate,
    need_reason,
    now,
    project,
    review_state,
)
from store.review_tables import CorrectionRow

log = logging.getLogger(__name__)


def _type_of(processed: ProcessedDocument, corrections: dict[str, Any]) -> str | None:
    retyped = corrections.get(DOC_TYPE)
    if isinstance(retyped, dict):
        return str(retyped["type"])
    return processed.classified.doc_type.value if processed.classified else None


def correct_type(
    engine: Engine,
    registratie_id: str,
    document: int,
    doc_type: DocType | None,
    username: str,
    reason: str,
) -> Effective:
    """Set the document's type (None: back to the machine's), its fields read again for it;
    re-run the rules and audit the type and verdict before and after with the reason."""
    reason = need_reason(reason)
    with Session(engine) as session, session.begin():
        case = _claimed(session, registratie_id, username, open_case=True)
        docs = case_documents(session, registratie_id, document)
        processed = docs[document].processed
        state = review_state(session, registratie_id, docs)
        old = _type_of(processed, state.corrections.get(document, {}))
        value = None if doc_type is None else {"type": doc_type.value}
        old_verdict = case.verdict
        session.add(
            CorrectionRow(
                document=document, field=DOC_TYPE, value=value, username=username, at=now()
            )
        )
        session.flush()
        effective = evaluate(session, case)
        project(case, effective)
        machine = processed.classified.doc_type.value if processed.classified else None
        audit(
            session,
            username,
            "correct_type",
            registratie_id,
            target=document_target(docs[document], DOC_TYPE),
            before={"type": old, "verdict": old_verdict},
            after={"type": doc_type.value if doc_type else machine, "verdict": case.verdict},
            reason=reason,
        )
    log.info("document type corrected (case document %s)", document)
    return effective
