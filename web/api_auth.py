"""Who calls the upload API (`web.api`): the organisation of the bearer token, and the
registrations it may see. Without a valid token: 401 with `WWW-Authenticate: Bearer`. A
registration of another organisation gets the same 404 as one that does not exist, so its
existence is not revealed."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from core.registration import Registration
from store.review_tables import CaseRow
from web.tokens import verify_token

NOT_FOUND = "Registratie niet gevonden."

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="OrganisatieToken",
    description="Het API-token van de organisatie (aangemaakt door het SSC met "
    "`bewijscheck add-token`).",
)

RegistratieId = Annotated[
    str, Path(description="Het registratienummer (R-nummer).", examples=["R0210270"])
]


def _unauthorized(error: str | None) -> HTTPException:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="Geen geldig API-token. Stuur het token van uw organisatie in de header "
        "Authorization: Bearer <token>.",
        headers={"WWW-Authenticate": challenge},
    )


def organisation(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> str:
    """The organisation of the request's token; 401 without a valid one."""
    if credentials is None:
        raise _unauthorized(None)
    organisatie = verify_token(request.app.state.engine, credentials.credentials)
    if organisatie is None:
        raise _unauthorized("invalid_token")
    return organisatie


Organisation = Annotated[str, Depends(organisation)]


def owned_case(session: Session, registratie_id: str, organisatie: str) -> CaseRow:
    """The review case when it belongs to `organisatie`; 404 otherwise."""
    case = session.get(CaseRow, registratie_id)
    if case is None or case.organisatie != organisatie:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return case


def owned_registration(
    registratie_id: RegistratieId, request: Request, organisatie: Organisation
) -> Registration:
    """The registration when it is a review case of the token's organisation; else 404."""
    with Session(request.app.state.engine) as session:
        case = owned_case(session, registratie_id, organisatie)
        return Registration.model_validate(case.registration)
