"""Helpers for the browser tests of the case and document pages (tests/test_browser_case.py):
R0210105's fixture documents processed once as the batch does (renders stored), then imported
as many cases as the tests need, each under its own R-number and each changed as a test wants
it (a field the reader missed, a document it could not type); the app served by uvicorn in a
thread; a Chromium page logged in; and the measurements the tests make (page loads, scroll,
visible focus)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from core.enums import DocType, Slot
from core.model import ClassifiedType
from core.registration import Registration
from core.settings import Settings
from pipeline.assemble import assemble_report
from review.importer import import_case
from tests.test_browser import (
    CHROMIUM,
    PASSWORD,
    Pairs,
    process_fixture,
    serve,
    shots_folder,
)
from web.app import create_app
from web.auth import Role, add_user

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
SCREEN = {"width": 1366, "height": 768}
_numbers = itertools.count(9100001)


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


class Site:
    def __init__(self, url: str, app: Any, registration: Any, pairs: Pairs) -> None:
        self.url, self.app, self.registration, self.pairs = url, app, registration, pairs

    def case(self, pairs: Pairs | None = None) -> str:
        """A fresh case of the fixture documents (by default: the start payslip's month not
        read); returns its R-number."""
        missed = without_field(self.pairs, Slot.LOONSTROOK_START, "loonstrook_maand")
        return import_as(self.app, self.registration, pairs or missed, f"R{next(_numbers)}")


def site_for(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app with users anna (admin) and bram, the fixture documents processed, served."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("case-web"), workers=1)
    app = create_app(settings, secret_key="browser-case-test")
    registration, pairs = process_fixture(settings, app.state.storage)
    add_user(app.state.engine, "anna", PASSWORD, Role.ADMIN)
    add_user(app.state.engine, "bram", PASSWORD, Role.REVIEWER)
    with serve(app) as url:
        yield Site(url, app, registration, pairs)


def chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright (expectations wait up to 20 s: 2 busy cores)."""
    expect.set_options(timeout=20_000)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def shots_in(tmp_path: Path) -> Path:
    folder = shots_folder(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_tab(browser: Any, watch: Watch, **options: Any) -> Any:
    tab = browser.new_page(viewport=options.pop("viewport", SCREEN), **options)
    tab.set_default_timeout(30_000)
    watch.attach(tab)
    return tab


def log_in(tab: Any, site: Site, user: str = "bram") -> None:
    tab.goto(f"{site.url}/login")
    tab.fill("input[name=username]", user)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button:has-text('Aanmelden')")
    expect(tab.locator("h1")).to_have_text("Werkvoorraad")


def ready(tab: Any) -> None:
    """Wait until the page's scripts have set up (a fast test presses keys before that)."""
    html = tab.locator("html")
    expect(html).to_have_attribute("data-actions", "ready")
    if tab.locator("[data-viewer]").count():
        expect(html).to_have_attribute("data-viewer", "ready")


def images_loaded(tab: Any, selector: str = ".sheet img") -> None:
    images = tab.locator(selector)
    expect(images.first).to_be_visible()
    for index in range(images.count()):
        expect(images.nth(index)).to_have_js_property("complete", True)
        expect(images.nth(index)).not_to_have_js_property("naturalWidth", 0)


def claimed_page(site: Site, browser: Any, watch: Watch, rid: str, **options: Any) -> Any:
    """A tab of bram's, logged in, on case `rid` which he has claimed."""
    tab = open_tab(browser, watch, **options)
    log_in(tab, site)
    tab.goto(f"{site.url}/registraties/{rid}")
    ready(tab)
    tab.click("button:has-text('In behandeling nemen')")
    expect(tab.locator("#kop .flash-ok")).to_be_visible()
    return tab


def open_document(tab: Any, slot_text: str) -> None:
    tab.locator("tr", has_text=slot_text).get_by_text("Bekijken").click()
    images_loaded(tab)
    ready(tab)


def sizes(tab: Any, selector: str) -> dict[str, float]:
    return tab.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width,"
        " h: r.height, right: r.right, bottom: r.bottom}; }"
    )


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two `rgb(...)` colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
