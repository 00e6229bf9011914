"""The work queue as queries: filters (search, verdict, finding code, organisation, low
confidence, claim, state), a stable sort by column, one page of it, all of it (export), and the
next case to work on after a given one.

The order is stable: by default the registration number, and every other sort falls back to
it, so an action on a case never moves it unless the sorted column itself changed. A case
"waits for an upload" when a reviewer asked the employer for a new upload and no document came
in after the request (and there is no final decision)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from sqlalchemy import ColumnElement, Engine, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from core.enums import FindingCode, Verdict
from core.errors import ReviewError
from review import repository
from store.review_tables import AuditRow, CaseDocumentRow, CaseRow

LOW_CONFIDENCE = 0.8
CLAIMS = {"": "Alle", "vrij": "Niet in behandeling", "bezet": "In behandeling", "mijn": "Bij mij"}
STATES = {"": "Alle", "open": "Open", "wacht": "Wacht op upload", "besloten": "Besloten"}
SORTS = (
    "registratie",
    "deelnemer",
    "organisatie",
    "machine",
    "oordeel",
    "zekerheid",
    "staat",
    "behandelaar",
    "bijgewerkt",
)
DIRECTIONS = ("op", "af")
MAX_EXPORT = 50_000


@dataclass(frozen=True)
class QueueView:
    """What the reviewer asked the queue for: filters and sort (the page number apart)."""

    zoek: str = ""
    oordeel: str = ""
    code: str = ""
    organisatie: str = ""
    lage_zekerheid: bool = False
    status: str = ""
    staat: str = ""
    sorteer: str = ""
    richting: str = ""

    @classmethod
    def clean(cls, **values: Any) -> QueueView:
        """A view from (untrusted) values: unknown choices become the default."""
        return cls(
            zoek=str(values.get("zoek") or "").strip()[:100],
            oordeel=_choice(values.get("oordeel"), {v.value for v in Verdict}),
            code=_choice(values.get("code"), {c.value for c in FindingCode}),
            organisatie=str(values.get("organisatie") or "")[:255],
            lage_zekerheid=str(values.get("lage_zekerheid") or "") in ("1", "true", "True", "on"),
            status=_choice(values.get("status"), set(CLAIMS)),
            staat=_choice(values.get("staat"), set(STATES)),
            sorteer=_choice(values.get("sorteer"), set(SORTS)),
            richting=_choice(values.get("richting"), set(DIRECTIONS)),
        )

    @classmethod
    def from_query(cls, query: str) -> QueueView:
        parsed = parse_qs(query, keep_blank_values=False)
        return cls.clean(**{key: values[-1] for key, values in parsed.items()})

    def query(self, **extra: Any) -> str:
        """The view as a query string (empty values left out), with `extra` parameters."""
        values: dict[str, Any] = {
            **asdict(self),
            "lage_zekerheid": "1" if self.lage_zekerheid else "",
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None, False)})

    def sorted_by(self, column: str) -> QueueView:
        """The view sorted by `column`: ascending first, a second click descending."""
        current = self.sorteer or "registratie"
        if current == column:
            return replace(self, sorteer=column, richting="" if self.richting == "af" else "af")
        return replace(self, sorteer=column, richting="")

    @property
    def filtered(self) -> bool:
        names = {f.name for f in fields(self)} - {"sorteer", "richting"}
        return any(getattr(self, name) for name in names)


def _choice(value: object, allowed: set[str]) -> str:
    text = str(value or "")
    return text if text in allowed else ""


def participant() -> ColumnElement[str]:
    """The participant's name in the stored registration (JSON)."""
    return CaseRow.registration["deelnemer"].as_string()


def waiting() -> ColumnElement[bool]:
    """True for a case that waits for an upload (see the module's doc)."""
    asked = (
        select(func.max(AuditRow.at))
        .where(
            AuditRow.registratie_id == CaseRow.registratie_id,
            AuditRow.action == "request_reupload",
        )
        .scalar_subquery()
    )
    arrived = (
        select(func.max(CaseDocumentRow.created_at))
        .where(CaseDocumentRow.registratie_id == CaseRow.registratie_id)
        .scalar_subquery()
    )
    return and_(
        CaseRow.reupload_message.is_not(None),
        CaseRow.decision.is_(None),
        asked.is_not(None),
        or_(arrived.is_(None), asked > arrived),
    )


def conditions(view: QueueView, username: str) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if view.zoek:
        found.append(
            or_(
                CaseRow.registratie_id.icontains(view.zoek, autoescape=True),
                CaseRow.organisatie.icontains(view.zoek, autoescape=True),
                participant().icontains(view.zoek, autoescape=True),
            )
        )
    if view.oordeel:
        found.append(CaseRow.verdict == view.oordeel)
    if view.code:
        found.append(CaseRow.codes.contains(f" {view.code} ", autoescape=True))
    if view.organisatie:
        found.append(CaseRow.organisatie == view.organisatie)
    if view.lage_zekerheid:
        found.append(CaseRow.min_confidence < LOW_CONFIDENCE)
    if view.status == "vrij":
        found.append(CaseRow.claimed_by.is_(None))
    elif view.status == "bezet":
        found.append(CaseRow.claimed_by.is_not(None))
    elif view.status == "mijn":
        found.append(CaseRow.claimed_by == username)
    if view.staat == "besloten":
        found.append(CaseRow.decision.is_not(None))
    elif view.staat == "wacht":
        found.append(waiting())
    elif view.staat == "open":
        found.append(and_(CaseRow.decision.is_(None), ~waiting()))
    return found


def _rank(column: Any, order: Iterable[str]) -> ColumnElement[int]:
    return case({value: rank for rank, value in enumerate(order)}, value=column, else_=9)


def sort_key(view: QueueView) -> list[Any]:
    """ORDER BY of the view: its column, then the registration number (always ascending)."""
    severity = ("reject", "review", "approve")
    columns: dict[str, Any] = {
        "deelnemer": func.lower(participant()),
        "organisatie": func.lower(CaseRow.organisatie),
        "machine": _rank(CaseRow.machine_verdict, severity),
        "oordeel": _rank(CaseRow.verdict, severity),
        "zekerheid": CaseRow.min_confidence,
        "staat": case(
            (CaseRow.decision.is_not(None), 2), (waiting(), 1), else_=0
        ),  # open, waiting, decided
        "behandelaar": func.coalesce(CaseRow.claimed_by, ""),
        "bijgewerkt": CaseRow.updated_at,
    }
    first = columns.get(view.sorteer)
    if first is None:  # by registration number
        key = CaseRow.registratie_id
        return [key.desc() if view.richting == "af" else key.asc()]
    return [first.desc() if view.richting == "af" else first.asc(), CaseRow.registratie_id]


@dataclass(frozen=True)
class QueueRow:
    case: CaseRow
    waiting: bool

    @property
    def deelnemer(self) -> str:
        return str(self.case.registration.get("deelnemer") or "")

    @property
    def codes(self) -> list[str]:
        return self.case.codes.split()

    @property
    def state(self) -> str:
        """open, wacht or the decision (goedgekeurd, afgewezen)."""
        if self.case.decision:
            return self.case.decision
        return "wacht" if self.waiting else "open"


def _select(view: QueueView, username: str) -> Select[CaseRow, bool]:
    return select(CaseRow, waiting().label("waiting")).where(*conditions(view, username))


def page(
    session: Session, view: QueueView, username: str, number: int, size: int
) -> tuple[int, list[QueueRow]]:
    """(how many cases match, the rows of page `number`)."""
    total = session.scalar(
        select(func.count()).select_from(CaseRow).where(*conditions(view, username))
    )
    rows = session.execute(
        _select(view, username).order_by(*sort_key(view)).limit(size).offset((number - 1) * size)
    )
    return total or 0, [QueueRow(row.CaseRow, bool(row.waiting)) for row in rows]


def everything(session: Session, view: QueueView, username: str) -> list[QueueRow]:
    """Every matching case in the view's order (at most MAX_EXPORT)."""
    rows = session.execute(_select(view, username).order_by(*sort_key(view)).limit(MAX_EXPORT))
    return [QueueRow(row.CaseRow, bool(row.waiting)) for row in rows]


def organisations(session: Session) -> list[str]:
    return list(session.scalars(select(CaseRow.organisatie).distinct().order_by("organisatie")))


def workable(username: str, now: datetime) -> ColumnElement[bool]:
    """A case `username` can work on now: open, not waiting, not held by someone else."""
    stale = now - repository.CLAIM_LEASE
    return and_(
        CaseRow.decision.is_(None),
        ~waiting(),
        or_(
            CaseRow.claimed_by.is_(None),
            CaseRow.claimed_by == username,
            CaseRow.claimed_at < stale,
        ),
    )


def next_case(engine: Engine, view: QueueView, current: str | None, username: str) -> str | None:
    """Claim and return the first workable case after `current` in the view's order (from
    the top when `current` is None or not in it; wrapping round to the top), or None when
    there is none. A case another reviewer claims in between is skipped."""
    with Session(engine) as session:
        matches = and_(true(), *conditions(view, username))
        listed = or_(matches, CaseRow.registratie_id == current) if current else matches
        rows = session.execute(
            select(CaseRow.registratie_id, workable(username, repository.now()).label("ok"))
            .where(listed)
            .order_by(*sort_key(view))
            .limit(MAX_EXPORT)
        ).all()
    ids = [row.registratie_id for row in rows]
    start = ids.index(current) + 1 if current in ids else 0
    order = [*rows[start:], *rows[:start]]
    for row in order:
        if not row.ok or row.registratie_id == current:
            continue
        try:
            repository.claim(engine, row.registratie_id, username)
        except ReviewError:  # taken by someone else meanwhile
            continue
        return str(row.registratie_id)
    return None


def bulk(
    engine: Engine, action: str, ids: Iterable[str], username: str, *, admin: bool = False
) -> tuple[list[str], list[str]]:
    """Claim or release each of `ids`: (the ones done, the reasons the others were not)."""
    done: list[str] = []
    refused: list[str] = []
    for registratie_id in dict.fromkeys(ids):
        try:
            if action == "claim":
                repository.claim(engine, registratie_id, username)
            elif action == "release":
                repository.release(engine, registratie_id, username, admin=admin)
            else:
                raise ReviewError("Onbekende actie.")
        except ReviewError as exc:
            refused.append(str(exc))
        else:
            done.append(registratie_id)
    return done, refused
