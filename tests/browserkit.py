"""Helpers for the browser tests of the case and document pages (tests/test_browser_case.py):
R0210105's fixture documents processed once as the batch does (renders stored), then imported
as many cases as the tests need, each under its own R-number and each changed as a test wants
it (a field the reader missed, a document it could not type); the app served by uvicorn in a
thread; a Chromium page logged in; and the measurements the tests make (page loads, scroll,
visible focus)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI

from core.enums import DocType, Slot
from core.manifest import ManifestEntry, load_manifest
from core.model import ClassifiedType, Hints, ProcessedDocument
from core.registration import Registration, load_registrations
from core.settings import Settings
from pipeline.assemble import assemble_report
from pipeline.process import process_document
from reading.admission import sha256
from review.importer import import_case
from store.objects import Storage
from tests.test_browser import RID, SAMPLE, _saver

Pairs = list[tuple[ManifestEntry, ProcessedDocument]]


def process_fixture(settings: Settings, storage: Storage) -> tuple[Registration, Pairs]:
    """R0210105's registration and its documents, processed with their renders stored."""
    registrations, _ = load_registrations(SAMPLE / "registrations.csv")
    registration = next(r for r in registrations if r.registratie_id == RID)
    entries, _ = load_manifest(SAMPLE / "manifest.csv")
    pairs = []
    for entry in (e for e in entries if e.registratie_id == RID):
        assert entry.path is not None
        data = entry.path.read_bytes()
        processed = process_document(
            data,
            file=entry.bestand,
            slot=entry.slot,
            settings=settings,
            save_render=_saver(storage, sha256(data)),
            hints=Hints(registration.deelnemer, registration.opleiding),
        )
        pairs.append((entry, processed))
    return registration, pairs


def without_field(pairs: Pairs, slot: Slot, name: str) -> Pairs:
    """The documents with `name` not read on the one in `slot` (as a reader that missed it)."""
    out = []
    for entry, doc in pairs:
        if entry.slot is slot:
            doc = doc.model_copy(
                update={"fields": {k: v for k, v in doc.fields.items() if k != name}}
            )
        out.append((entry, doc))
    return out


def untyped(pairs: Pairs, slot: Slot) -> Pairs:
    """The documents with the one in `slot` not recognised (type `onbekend`, no fields but the
    visual ones), as the classifier leaves a document it cannot place."""
    out = []
    for entry, doc in pairs:
        if entry.slot is slot:
            keep = {"signatures", "signature_count", "logo_present", "stamp_present"}
            doc = doc.model_copy(
                update={
                    "classified": ClassifiedType(doc_type=DocType.ONBEKEND, confidence=0.3),
                    "fields": {k: v for k, v in doc.fields.items() if k in keep},
                }
            )
        out.append((entry, doc))
    return out


def import_as(app: FastAPI, registration: Registration, pairs: Pairs, rid: str) -> str:
    """Import the documents as case `rid` (a copy of the registration under that number)."""
    reg = registration.model_copy(update={"registratie_id": rid})
    moved = [(entry.model_copy(update={"registratie_id": rid}), doc) for entry, doc in pairs]
    entry = assemble_report([reg], moved).registrations[0]
    import_case(app.state.engine, reg, moved, entry, "batch:0f6c2a9e-5b1d-4c1e-9a51-browser")
    return rid


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """The app on a free local port (uvicorn in a thread); yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass
class Watch:
    """What a browser tab did: its page loads ("load" events), console errors and, per
    action, the scroll position and where the element acted on was."""

    loads: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    scrolls: list[tuple[str, float, float, float]] = field(default_factory=list)

    def attach(self, tab: Any) -> None:
        tab.on("load", lambda: self.loads.append(tab.url))
        tab.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda error: self.problems.append(str(error)))


# The element's place in the window and the window's scroll position, after an action.
PLACE = """el => { const r = el.getBoundingClientRect();
  return [window.scrollY, r.top, r.bottom, window.innerHeight]; }"""

# Whether the focused element shows a focus indicator (an outline or a box shadow).
FOCUS_SHOWN = """() => { const el = document.activeElement; if (!el || el === document.body)
  return null; const s = getComputedStyle(el); const outline = s.outlineStyle !== 'none'
  && parseFloat(s.outlineWidth) > 0; return [el.tagName, el.id || el.getAttribute('name')
  || el.textContent.trim().slice(0, 30), outline || s.boxShadow !== 'none']; }"""


def place(watch: Watch, what: str, locator: Any) -> None:
    """Record after an action where the element acted on is; it must be on the screen and the
    window not scrolled past one screen."""
    scroll_y, top, bottom, height = locator.evaluate(PLACE)
    watch.scrolls.append((what, scroll_y, top, bottom))
    assert scroll_y <= height, f"{what}: scrolled {scroll_y}px, more than one screen"
    assert top >= 0 and bottom <= height, f"{what}: the control is off the screen ({top}px)"


def key_counter(tab: Any) -> Callable[..., int]:
    """`press(key, times=1)`: presses a key on the page and counts it; returns the count."""
    count = [0]

    def press(key: str = "", times: int = 1) -> int:
        for _ in range(times if key else 0):
            tab.keyboard.press(key)
            count[0] += 1
        return count[0]

    return press
