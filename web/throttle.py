"""Throttling of logins. Failed logins are kept in the results database (`login_failures`),
so every server process counts the same: once a user name has `login.max_failures` failures
within `login.window_minutes` (or a client address `login.max_failures_per_address`, whatever
names it tried), a further attempt waits `login.lockout_s` after the last failure, twice as
long after every failure beyond, at most the window. A refused attempt runs no password check
and is not counted (so it cannot extend the wait forever), and the right password is refused
too while waiting. Separately, one server process runs at most `login.password_checks`
password checks at once: argon2id takes 64 MiB each, and a burst of logins must not take the
server's memory; a login that finds no free check within `login.password_wait_s` gets 503."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import anyio
from sqlalchemy import ColumnElement, Engine, delete, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core.errors import ChecksBusy
from core.settings import LoginSettings
from review.repository import audit
from store.db import aware
from store.review_tables import LoginFailureRow

T = TypeVar("T")
MAX_DOUBLINGS = 16  # beyond this the wait is the window anyway


def wait_left(
    engine: Engine, username: str, client: str, at: datetime, settings: LoginSettings
) -> float:
    """Seconds until `username` may try to log in from `client` again; 0: now."""
    window = timedelta(minutes=settings.window_minutes)
    limits: tuple[tuple[ColumnElement[bool], int], ...] = (
        (LoginFailureRow.username == username, settings.max_failures),
        (LoginFailureRow.client == client, settings.max_failures_per_address),
    )
    waits = [0.0]
    with Session(engine) as session:
        for match, limit in limits:
            count, last = session.execute(
                select(func.count(), func.max(LoginFailureRow.at)).where(
                    match, LoginFailureRow.at > at - window
                )
            ).one()
            if count < limit or last is None:
                continue
            doublings = min(count - limit, MAX_DOUBLINGS)
            lockout = min(window, timedelta(seconds=settings.lockout_s * 2**doublings))
            waits.append((aware(last) + lockout - at).total_seconds())
    return max(waits)


def record_failure(
    engine: Engine, username: str, client: str, at: datetime, settings: LoginSettings
) -> None:
    """Count a failed login and write it to the audit log (user name as typed, lower case;
    never the password); failures that left the window are deleted on the way."""
    window = timedelta(minutes=settings.window_minutes)
    with Session(engine) as session, session.begin():
        session.execute(delete(LoginFailureRow).where(LoginFailureRow.at < at - window))
        session.add(LoginFailureRow(username=username, client=client, at=at))
        audit(session, username, "login_failed", None, target=client)


class PasswordChecks:
    """At most `limit` password checks at once in this process. A waiting login polls for a
    free check instead of blocking: it holds no worker thread, and the gate works from any
    event loop (the test client runs one per request)."""

    POLL_S = 0.02

    def __init__(self, limit: int, wait_s: float) -> None:
        self._slots = threading.BoundedSemaphore(limit)
        self._wait_s = wait_s

    async def run(self, check: Callable[..., T], *args: object) -> T:
        """`check(*args)` in a worker thread once a check is free; `ChecksBusy` if none is free
        in time."""
        deadline = time.monotonic() + self._wait_s
        while not self._slots.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise ChecksBusy
            await anyio.sleep(self.POLL_S)
        try:
            return await run_in_threadpool(check, *args)
        finally:
            self._slots.release()
