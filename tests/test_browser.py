"""The reviewer web app in a real browser (Debian's Chromium through Playwright), over a case
made from real processed fixture documents (R0210105: the POK's crebo differs and it has no
BPV volume; one payslip is of the wrong month). Logs in, opens the queue and a document,
checks the boxes over the page render, highlights a field and a finding, overrules a finding
and finds it in the audit trail; no console errors. Screenshots go to a temporary folder, or to
the folder BROWSER_TEST_SCREENSHOTS names (relative to the repository): the README's are
refreshed with `BROWSER_TEST_SCREENSHOTS=docs/screenshots`; a plain run leaves the tracked
ones alone."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from core.manifest import ManifestEntry, load_manifest
from core.model import Hints, ProcessedDocument
from core.registration import Registration, load_registrations
from core.settings import Settings
from pipeline.assemble import assemble_report
from pipeline.process import process_document
from reading.admission import sha256
from reading.text import SaveRender
from review.importer import import_case
from store.objects import Storage, render_key
from web.app import create_app
from web.auth import Role, add_user

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
TRACKED_SHOTS = ROOT / "docs" / "screenshots"
SHOTS_VARIABLE = "BROWSER_TEST_SCREENSHOTS"
SHOT_NAMES = ("queue.png", "document.png", "audit.png")
CHROMIUM = Path("/usr/bin/chromium")
RID = "R0210105"
PASSWORD = "browser-test-wachtwoord"

pytestmark = [
    pytest.mark.slow,
    # one worker runs the module's tests in order: they share one site, and what one test
    # does (a claim, a decision) is what the next one starts from
    pytest.mark.xdist_group("test_browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed"),
]


def _saver(storage: Storage, document_id: str) -> SaveRender:
    """Page renders stored where the web app looks for them (as `flows.batch` does)."""

    def save(page: int, image: np.ndarray, words: object) -> str:
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        assert ok
        return storage.put(render_key(document_id, page), encoded.tobytes())

    return save


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


def import_fixture_case(settings: Settings, storage: Storage, engine: Engine) -> None:
    """Process R0210105's documents as the batch does (renders stored) and import the case."""
    registration, pairs = process_fixture(settings, storage)
    report_entry = assemble_report([registration], pairs).registrations[0]
    import_case(engine, registration, pairs, report_entry, "batch:browser-test")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("web"), workers=1)
    app = create_app(settings, secret_key="browser-test")
    import_fixture_case(settings, app.state.storage, app.state.engine)
    add_user(app.state.engine, "anna", PASSWORD, Role.ADMIN)
    with serve(app) as base:
        yield base


def _late(route: Any) -> None:
    time.sleep(1.5)
    route.continue_()


def shots_folder(tmp_path: Path) -> Path:
    """Where the screenshots go: the folder BROWSER_TEST_SCREENSHOTS names (relative to the
    repository), else a temporary one."""
    asked = os.environ.get(SHOTS_VARIABLE)
    return ROOT / asked if asked else tmp_path / "screenshots"


def _stamps() -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in TRACKED_SHOTS.glob("*.png")}


def test_review_a_real_case_in_chromium(base_url: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    shots, tracked = shots_folder(tmp_path), _stamps()
    expect = sync_api.expect
    # the suite runs on 2 processes on 2 cores: a page can take longer than Playwright's 5 s
    expect.set_options(timeout=20_000)
    problems: list[str] = []
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            tab = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab.set_default_timeout(30_000)
            tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            tab.on("pageerror", lambda error: problems.append(str(error)))
            # page images arrive late, as on a loaded CI machine: the test must wait for them
            tab.route("**/*.jpg", _late)

            tab.goto(f"{base_url}/")
            expect(tab).to_have_url(f"{base_url}/login?next=%2F")
            tab.fill("input[name=username]", "anna")
            tab.fill("input[name=password]", PASSWORD)
            tab.click("button:has-text('Aanmelden')")
            expect(tab.locator("h1")).to_have_text("Werkvoorraad")
            expect(tab.locator("table.queue tbody tr")).to_have_count(1)
            tab.screenshot(path=str(shots / "queue.png"), full_page=True)

            tab.click(f"text={RID}")
            tab.click("button:has-text('In behandeling nemen')")
            expect(tab.locator(".flash-ok")).to_contain_text("in behandeling genomen")
            crebo = tab.locator("li.finding", has_text="CREBO_MISMATCH")
            expect(crebo).to_have_count(1)

            # the POK's page with its boxes; click a field, then a finding
            tab.locator("tr", has_text="praktijkovereenkomst").get_by_text("Bekijken").click()
            # wait for the page images without a string predicate: Playwright evaluates
            # those with eval() once it has to poll, which the app's CSP refuses
            images = tab.locator("img")
            expect(images.first).to_be_visible()
            for index in range(images.count()):
                expect(images.nth(index)).to_have_js_property("complete", True)
                expect(images.nth(index)).not_to_have_js_property("naturalWidth", 0)
            boxes = tab.locator(".sheet .box")
            assert boxes.count() > 0
            for index in range(boxes.count()):
                box = boxes.nth(index).bounding_box()
                assert box is not None and box["width"] > 0 and box["height"] > 0
            assert tab.locator(".box-handtekening").count() > 0
            finding = tab.locator("li.finding", has_text="CREBO_MISMATCH")
            finding.locator("p").first.click()
            expect(finding).to_have_class("finding active sev-error is-active")
            expect(tab.locator(".box-bevinding.is-active")).to_have_count(1)
            tab.locator("#veld-crebo td").first.click()
            crebo_box = tab.locator('.box[data-target="veld-crebo"]')
            expect(crebo_box).to_have_class("box box-veld is-active")
            expect(crebo_box).to_be_in_viewport()
            expect(tab.locator("#veld-crebo")).to_have_class(re.compile("is-active"))
            expect(finding).not_to_have_class(re.compile("is-active"))
            tab.screenshot(path=str(shots / "document.png"), full_page=False)

            # overrule the finding on the registration page, with a reason
            tab.click(f"a:has-text('{RID}')")
            crebo = tab.locator("li.finding", has_text="CREBO_MISMATCH")
            crebo.locator("input[name=reden]").fill("Crebo is in 2024 hernummerd")
            crebo.locator("button:has-text('Verwerpen')").click()
            expect(tab.locator(".flash-ok")).to_have_text("Bevinding verworpen.")
            trail = tab.locator("table.audit tbody tr").first
            expect(trail).to_contain_text("Bevinding beoordeeld")
            expect(trail).to_contain_text("Crebo is in 2024 hernummerd")
            trail.scroll_into_view_if_needed()
            tab.screenshot(path=str(shots / "audit.png"), full_page=True)
        finally:
            browser.close()
    assert problems == []
    assert all((shots / name).stat().st_size for name in SHOT_NAMES)
    if shots.resolve() != TRACKED_SHOTS.resolve():
        assert _stamps() == tracked, "docs/screenshots/ rewritten without being asked"
