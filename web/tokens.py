"""API tokens of the employers' organisations (the portal's upload API, `web.api`).

A token is 32 random bytes (`secrets.token_urlsafe`), shown once when it is made; the database
keeps only its sha256, so a copy of the database gives no access. A revoked token stays in the
table (with `revoked_at`) and is refused. Making and revoking a token is written to the audit
log; the token itself never is, nor logged."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from review.repository import audit, now
from store.review_tables import CaseRow, OrgTokenRow

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 256  # longer presented values are refused without hashing


@dataclass(frozen=True)
class TokenInfo:
    id: int
    organisatie: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    engine: Engine, organisatie: str, label: str = "", username: str = "beheer"
) -> tuple[int, str]:
    """A new token for `organisatie`: its id and the token (shown once, stored as sha256)."""
    organisatie = organisatie.strip()
    if not organisatie:
        raise ValueError("Geef de naam van de organisatie op.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with Session(engine) as session, session.begin():
        row = OrgTokenRow(
            organisatie=organisatie,
            token_sha256=token_hash(token),
            label=label.strip(),
            created_at=now(),
            revoked_at=None,
        )
        session.add(row)
        session.flush()
        audit(
            session,
            username,
            "add_token",
            None,
            target=f"token {row.id} ({organisatie})",
            after={"label": row.label},
        )
        token_id = row.id
    return token_id, token


def verify_token(engine: Engine, token: str) -> str | None:
    """The organisation of a valid, unrevoked token; None otherwise."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    with Session(engine) as session:
        row = session.scalar(
            select(OrgTokenRow).where(OrgTokenRow.token_sha256 == token_hash(token))
        )
        if row is None or row.revoked_at is not None:
            return None
        return row.organisatie


def revoke_token(engine: Engine, token_id: int, username: str = "beheer") -> TokenInfo | None:
    """Revoke the token with this id (a no-op when it already was); None when there is none."""
    with Session(engine) as session, session.begin():
        row = session.get(OrgTokenRow, token_id)
        if row is None:
            return None
        if row.revoked_at is None:
            row.revoked_at = now()
            audit(
                session,
                username,
                "revoke_token",
                None,
                target=f"token {row.id} ({row.organisatie})",
                before={"revoked": False},
                after={"revoked": True},
            )
        return _info(row)


def has_cases(engine: Engine, organisatie: str) -> bool:
    """Whether any review case is of `organisatie` (spelled exactly so, as the API compares)."""
    with Session(engine) as session:
        found = session.scalar(
            select(CaseRow.registratie_id).where(CaseRow.organisatie == organisatie).limit(1)
        )
        return found is not None


def list_tokens(engine: Engine) -> list[TokenInfo]:
    with Session(engine) as session:
        return [_info(r) for r in session.scalars(select(OrgTokenRow).order_by(OrgTokenRow.id))]


def _info(row: OrgTokenRow) -> TokenInfo:
    return TokenInfo(row.id, row.organisatie, row.label, row.created_at, row.revoked_at)
