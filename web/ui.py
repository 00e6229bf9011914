"""Rendering helpers of the HTML pages: the Jinja2 environment with its Dutch labels and
filters, flash messages kept in the session (post/redirect/get) and redirects."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from core.file_names import mask_bsn
from core.finding_labels import finding_label
from core.words import DECISION_WORDS, VERDICT_WORDS
from review.queue import LOW_CONFIDENCE  # the queue's "Lage zekerheid", also marked on fields
from store.db import aware
from web import reasons
from web.csrf import csrf_token

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")

# one vocabulary with report.xlsx and report.html (core.words): never define these words here
VERDICTS = {verdict.value: word for verdict, word in VERDICT_WORDS.items()}
DECISIONS = dict(DECISION_WORDS)
FINDING_DECISIONS = {"confirmed": "bevestigd", "overruled": "verworpen", "open": "open"}
ACTIONS = {
    "import": "Machineresultaat ingelezen",
    "claim": "In behandeling genomen",
    "release": "Vrijgegeven",
    "correct_field": "Veld gecorrigeerd",
    "correct_type": "Documenttype gecorrigeerd",
    "decide_finding": "Bevinding beoordeeld",
    "request_reupload": "Nieuwe upload gevraagd",
    "final_decision": "Eindbesluit",
    "reopen": "Heropend",
    "upload_refused": "Upload geweigerd (besluit genomen)",
    "import_refused": "Inlezen geweigerd (besluit genomen)",
    "login": "Aangemeld",
    "login_failed": "Aanmelden mislukt",
    "logout": "Afgemeld",
    "add_user": "Gebruiker aangemaakt",
    "update_user": "Gebruiker gewijzigd",
    "deactivate_user": "Gebruiker gedeactiveerd",
}
ROLES = {"reviewer": "Beoordelaar", "admin": "Beheerder"}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # a container without tzdata
        return UTC


ZONE = _zone()


def when(value: datetime | None) -> str:
    """A stored time (UTC; SQLite gives it back without zone) in Dutch local time."""
    if value is None:
        return ""
    return aware(value).astimezone(ZONE).strftime("%d-%m-%Y %H:%M")


def show(value: Any) -> str:
    """A field value as a reviewer reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}-{value[5:7]}-{value[0:4]}"
    if isinstance(value, str) and _MONTH.match(value):  # a month as the dates: MM-YYYY
        return f"{value[5:7]}-{value[0:4]}"
    if isinstance(value, list) and all(isinstance(v, dict) and "page" in v for v in value):
        if not value:
            return "geen"
        marks = [f"{v.get('rol') or 'rol onbekend'} (p. {v['page']})" for v in value]
        return f"{len(value)}: " + ", ".join(marks)  # signatures
    if isinstance(value, list) and not any(isinstance(v, list | dict) for v in value):
        return ", ".join(show(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def label(value: Any, names: dict[str, str]) -> str:
    return names.get(str(value), str(value) if value is not None else "")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def percent_down(value: float | None) -> str:
    """A confidence as a whole percentage rounded down, so a value under a threshold never
    shows as the threshold itself (0.799 is 79%, not 80%)."""
    return "—" if value is None else f"{math.floor(round(value * 100, 6))}%"


AUDIT_KEYS = {
    "verdict": ("oordeel", VERDICTS),
    "decision": ("besluit", {**FINDING_DECISIONS, **DECISIONS}),
    "value": ("waarde", {}),
    "claimed_by": ("in behandeling bij", {}),
    "message": ("bericht", {}),
    "documents": ("documenten", {}),
    "status": ("status", {}),
    "type": ("type", {}),
}


def compact(value: Any) -> str:
    """An audit before/after value on one line, in Dutch."""
    if value is None:
        return ""
    if not isinstance(value, dict):
        return show(value)
    parts = []
    for key, item in value.items():
        name, names = AUDIT_KEYS.get(key, (key, {}))
        if key == "documents" and isinstance(item, list):  # file names (older rows: unmasked)
            item = [mask_bsn(v) if isinstance(v, str) else v for v in item]
        text = names.get(item, show(item)) if isinstance(item, str) else show(item)
        parts.append(f"{name}: {text}")
    return ", ".join(parts)


env = templates.env
env.filters.update(
    when=when,
    show=show,
    percent=percent,
    percent_down=percent_down,
    compact=compact,
    masked=mask_bsn,
)
env.globals.update(
    VERDICTS=VERDICTS,
    DECISIONS=DECISIONS,
    FINDING_DECISIONS=FINDING_DECISIONS,
    ACTIONS=ACTIONS,
    ROLES=ROLES,
    LOW_CONFIDENCE=LOW_CONFIDENCE,
    label=label,
    finding_label=finding_label,
    CORRECTION_REASONS=reasons.CORRECTION_REASONS,
    FINDING_REASONS=reasons.FINDING_REASONS,
    TYPE_REASONS=reasons.TYPE_REASONS,
)


def flash(request: Request, message: str, kind: str = "ok", target: str = "") -> None:
    """A message for the next page (kind `ok` or `fout`); with a `target` (the id of the part
    of the page acted on) the page shows it there, next to the control, instead of on top."""
    messages = list(request.session.get("flash", []))
    messages.append([kind, message, target])
    request.session["flash"] = messages[-5:]


TYPED_KEPT = 300  # characters of each typed value kept (the session is a cookie of < 4 KB)


def keep_typed(request: Request, target: str, **values: str) -> None:
    """What the reviewer typed in a form that was refused, for the next page to fill in again
    (the page without JavaScript; with it, the form is never replaced after an error)."""
    request.session["typed"] = {
        "target": target,
        **{name: value[:TYPED_KEPT] for name, value in values.items()},
    }


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf"] = csrf_token(request)
    messages = request.session.pop("flash", [])
    context["flashes"] = [m[:2] for m in messages if len(m) < 3 or not m[2]]
    context["notes"] = {m[2]: m[:2] for m in messages if len(m) > 2 and m[2]}
    context["typed"] = request.session.pop("typed", None) or {}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def back(url: str) -> RedirectResponse:
    """The redirect after a form post (303: the browser follows with GET)."""
    return RedirectResponse(url, status_code=303)
