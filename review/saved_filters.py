"""A reviewer's saved views of the queue: a name and the view's query string (filters and
sort), per user, in the database. Saving under an existing name replaces that view. Also the
view each reviewer last looked at (`remember`, `last_view`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from core.errors import ReviewError
from review.queue import QueueView
from review.repository import now
from store.review_tables import QueueViewRow, SavedFilterRow

MAX_PER_USER = 20
MAX_NAME = 80


@dataclass(frozen=True)
class SavedFilter:
    id: int
    name: str
    query: str


def saved(engine: Engine, username: str) -> list[SavedFilter]:
    with Session(engine) as session:
        rows = session.scalars(
            select(SavedFilterRow)
            .where(SavedFilterRow.username == username)
            .order_by(SavedFilterRow.name)
        )
        return [SavedFilter(row.id, row.name, row.query) for row in rows]


def save(engine: Engine, username: str, name: str, view: QueueView) -> None:
    name = " ".join(name.split())[:MAX_NAME]
    if not name:
        raise ReviewError("Geef het filter een naam.")
    if not view.query():
        raise ReviewError("Kies eerst een filter of sortering om te bewaren.")
    with Session(engine) as session, session.begin():
        rows = list(
            session.scalars(select(SavedFilterRow).where(SavedFilterRow.username == username))
        )
        same = next((row for row in rows if row.name == name), None)
        if same is not None:
            same.query = view.query()
            same.created_at = now()
            return
        if len(rows) >= MAX_PER_USER:
            raise ReviewError(f"Je kunt hoogstens {MAX_PER_USER} filters bewaren.")
        session.add(
            SavedFilterRow(username=username, name=name, query=view.query(), created_at=now())
        )


def remove(engine: Engine, username: str, filter_id: int) -> None:
    with Session(engine) as session, session.begin():
        session.execute(
            delete(SavedFilterRow).where(
                SavedFilterRow.id == filter_id, SavedFilterRow.username == username
            )
        )


def remember(engine: Engine, username: str, view: QueueView) -> None:
    """Keep `view` as the one `username` last looked at (written only when it changed)."""
    query = view.query()
    with Session(engine) as session, session.begin():
        row = session.get(QueueViewRow, username)
        if row is None:
            session.add(QueueViewRow(username=username, query=query, at=now()))
        elif row.query != query:
            row.query = query
            row.at = now()


def last_view(engine: Engine, username: str) -> QueueView:
    with Session(engine) as session:
        row = session.get(QueueViewRow, username)
        return QueueView.from_query(row.query if row else "")
