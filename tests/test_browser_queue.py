"""The queue and the menu in a real browser (Debian's Chromium through Playwright, 1366x768),
issue 19 items 5, 6, 8 and 10: filters that apply at once (no page load), search, sorting,
Dutch finding labels with the code as a tooltip, saved filters, the waiting-for-upload state;
one vocabulary for verdicts; a case another reviewer holds not offered; the API documentation
rendered from local assets; keyboard only (skip link, every queue control reachable and
visibly focused, the shortcuts, never while typing), bulk claim, the next-case button; the
audit log's date filter and CSV export; axe-core finds no serious violation on the queue.

The app runs in a thread over cases made with `tests.queuekit` (no OCR: fast). Screenshots go
where `tests.test_browser.shots_folder` says (docs/screenshots with
BROWSER_TEST_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from core.words import VERDICT_WORDS
from review import repository
from tests import queuekit
from tests.browserkit import serve
from tests.test_browser import CHROMIUM, shots_folder
from tests.webkit import PASSWORD, RID, make_app

SHOTS = ("queue-filters.png", "queue-shortcuts.png", "api-docs.png", "audit-export.png")
pytestmark = [
    pytest.mark.slow,
    # one worker runs the module's tests in order: they share one site, and what one test
    # does (a claim, a decision) is what the next one starts from
    pytest.mark.xdist_group("test_browser_queue"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed"),
]
VIEWPORT = {"width": 1366, "height": 768}
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FastAPI]]:
    """The app over four cases (bram a reviewer, anna an admin) served by uvicorn."""
    app = make_app(tmp_path_factory.mktemp("queue-web"))
    queuekit.add_case(app, "R0000100", queuekit.low_read_value())
    queuekit.add_case(app, "R0000200")
    queuekit.add_case(app, "R0000300")
    repository.claim(app.state.engine, "R0000200", "anna")
    repository.request_reupload(
        app.state.engine, "R0000200", "Upload de loonstrook van september.", "anna"
    )
    with serve(app) as base:
        yield base, app


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect.set_options(timeout=20_000)  # 2 processes on 2 cores: pages can be slow
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


class Tab:
    """A logged-in tab that records console errors, page loads and requests elsewhere."""

    def __init__(self, browser: Any, base: str, username: str) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport=VIEWPORT, accept_downloads=True, locale="nl-NL", timezone_id="Europe/Amsterdam"
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.problems: list[str] = []
        self.loads = 0
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("load", lambda _: setattr(self, "loads", self.loads + 1))
        self.page.on(
            "request",
            lambda r: r.url.startswith(base) or self.problems.append(f"elsewhere: {r.url}"),
        )
        self.page.goto(f"{base}/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button:has-text('Aanmelden')")
        self.page.wait_for_url(f"{base}/")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


def row_ids(page: Any) -> list[str]:
    return list(page.locator("table.queue tbody tr").evaluate_all("r => r.map(x => x.dataset.rid)"))


def settled(page: Any) -> None:
    """Wait until the queue's fetches are answered (the count alone can be the old one when
    two filters give as many cases)."""
    page.wait_for_timeout(300)  # the search field's pause before it fetches
    page.wait_for_load_state("networkidle")


def rows_are(page: Any, expected: list[str]) -> None:
    settled(page)
    assert row_ids(page) == expected


def test_queue_filters_apply_at_once(
    site: tuple[str, FastAPI], browser: Any, expect: Any, tmp_path: Path
) -> None:
    """Item 5: search, a finding filter, the state filter and sorting, without a button and
    without a page load for the filters; labels in Dutch with the code as a tooltip."""
    base, _ = site
    tab = Tab(browser, base, "bram")
    page, shots = tab.page, shots_folder(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    try:
        expect(page.locator("button.apply")).to_be_hidden()  # JavaScript applies at once
        rows_are(page, ["R0000100", "R0000200", "R0000300", RID])
        label = page.locator('table.queue li[title="CREBO_MISMATCH"]')
        expect(label).to_have_text("Crebo wijkt af")
        loads = tab.loads
        page.fill("#zoek", "zorg zuid")
        expect(page.locator("#aantal")).to_have_text("2 registraties")
        rows_are(page, ["R0000100", "R0000300"])
        expect(page).to_have_url(f"{base}/?zoek=zorg+zuid")
        page.fill("#zoek", "")
        expect(page.locator("#aantal")).to_have_text("4 registraties")
        page.select_option("select[name=code]", label="Crebo wijkt af")
        expect(page.locator("#aantal")).to_have_text("1 registratie")
        rows_are(page, [RID])
        page.select_option("select[name=code]", "")
        page.select_option("select[name=staat]", label="Wacht op upload")
        expect(page.locator("#aantal")).to_have_text("1 registratie")
        expect(page.locator("tr[data-rid=R0000200] .s-wacht")).to_have_text("Wacht op upload")
        page.select_option("select[name=staat]", "")
        page.check("input[name=lage_zekerheid]")
        expect(page.locator("#aantal")).to_have_text("1 registratie")
        rows_are(page, ["R0000100"])
        page.uncheck("input[name=lage_zekerheid]")
        expect(page.locator("#aantal")).to_have_text("4 registraties")
        assert tab.loads == loads, "a filter reloaded the page"
        # sorting by a column (a link: one page load), the filters kept
        page.select_option("select[name=organisatie]", "Zorg Zuid")
        expect(page.locator("#aantal")).to_have_text("2 registraties")
        page.click("th a.sort:has-text('Deelnemer')")
        expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Deelnemer")
        rows_are(page, ["R0000300", "R0000100"])
        page.click("th a.sort:has-text('Deelnemer')")
        expect(page.locator("th[aria-sort=descending]")).to_contain_text("Deelnemer")
        rows_are(page, ["R0000100", "R0000300"])
        # saved for later, then applied from the list
        page.fill("input[name=naam]", "Zuid op naam")
        page.click("button:has-text('Bewaren')")
        expect(page.locator(".flash-ok")).to_have_text("Filter ‘Zuid op naam’ bewaard.")
        page.goto(f"{base}/")
        page.click(".saved a:has-text('Zuid op naam')")
        rows_are(page, ["R0000100", "R0000300"])
        page.screenshot(path=str(shots / "queue-filters.png"))
    finally:
        tab.close()
    assert tab.problems == []


def test_words_menu_and_holder(
    site: tuple[str, FastAPI], browser: Any, expect: Any, tmp_path: Path
) -> None:
    """Items 6 and 8: the verdict words of core/words.py; a case anna holds shows her name and
    cannot be selected by bram; the API documentation renders from local files."""
    base, _ = site
    tab = Tab(browser, base, "bram")
    page = tab.page
    try:
        verdicts = set(page.locator("table.queue .badge[class*=' v-']").all_inner_texts())
        words = {str(word) for word in VERDICT_WORDS.values()}
        assert verdicts <= words and "Afwijzen" in verdicts
        held = page.locator("tr[data-rid=R0000200]")
        expect(held.locator("td").nth(9)).to_have_text("anna")
        expect(held.locator("input[type=checkbox]")).to_be_disabled()
        expect(held.locator("input[type=checkbox]")).to_have_attribute(
            "title", "In behandeling bij anna"
        )
        page.click("nav >> text=API-documentatie")
        expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
        assert page.locator("#swagger-ui .opblock").count() >= 2
        page.screenshot(path=str(shots_folder(tmp_path) / "api-docs.png"))
    finally:
        tab.close()
    assert tab.problems == []


def focus_ring(page: Any) -> dict[str, Any]:
    """The focused element's identity and whether its focus can be seen (an outline or a
    box shadow)."""
    return dict(
        page.evaluate(
            """() => {
              const el = document.activeElement;
              const style = getComputedStyle(el);
              const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
              return {
                tag: el.tagName, name: el.name || "", text: (el.innerText || el.value || "").trim(),
                id: el.id || "", label: el.getAttribute("aria-label") || "",
                inMain: !!el.closest("main"), visible: outline || style.boxShadow !== "none",
              };
            }"""
        )
    )


def test_keyboard_only(
    site: tuple[str, FastAPI], browser: Any, expect: Any, tmp_path: Path
) -> None:
    """Item 10: a skip link first; every control of the queue reached by Tab with a visible
    focus; the shortcuts (? / j k x c n) work and never fire while typing."""
    base, app = site
    tab = Tab(browser, base, "bram")
    page = tab.page
    try:
        page.keyboard.press("Tab")
        skip = focus_ring(page)
        assert skip["text"] == "Naar de inhoud" and skip["visible"]
        box = page.locator("a.skip").bounding_box()
        assert box is not None and box["y"] >= 0  # shown when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhoud"
        # Tab through the main part: every control reached, each visibly focused
        controls = page.locator(
            "main a[href], main button:visible, main input:not([type=hidden]):visible, main select"
        ).count()
        seen: list[dict[str, Any]] = []
        for _ in range(controls + 5):
            page.keyboard.press("Tab")
            ring = focus_ring(page)
            if not ring["inMain"]:
                break
            seen.append(ring)
        assert len(seen) >= controls - 1, (len(seen), controls)
        assert all(ring["visible"] for ring in seen), [r for r in seen if not r["visible"]]
        names = {ring["name"] for ring in seen} | {ring["text"] for ring in seen}
        expected = {"zoek", "oordeel", "code", "organisatie", "status", "staat", "lage_zekerheid"}
        assert expected <= names and {"In behandeling nemen", "CSV", "Excel"} <= names
        assert {"Deelnemer", "R0000100"} <= {n.split(" ")[0] for n in names} | names
        # shortcuts
        page.keyboard.press("?")
        expect(page.locator("#sneltoetsen")).to_be_visible()
        page.screenshot(path=str(shots_folder(tmp_path) / "queue-shortcuts.png"))
        page.keyboard.press("Escape")
        expect(page.locator("#sneltoetsen")).to_be_hidden()
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "zoek"
        page.keyboard.type("jk")  # typed into the search, no row chosen
        expect(page.locator("#zoek")).to_have_value("jk")
        assert page.locator("tr.is-current").count() == 0
        page.fill("#zoek", "")
        settled(page)
        expect(page.locator("#aantal")).to_have_text("4 registraties")
        page.locator("h1").click()
        page.keyboard.press("j")
        page.keyboard.press("j")
        expect(page.locator("tr.is-current")).to_have_attribute("data-rid", "R0000200")
        page.keyboard.press("k")
        expect(page.locator("tr.is-current")).to_have_attribute("data-rid", "R0000100")
        assert focus_ring(page)["text"] == "R0000100"
        page.keyboard.press("x")
        expect(page.locator("tr[data-rid=R0000100] input[type=checkbox]")).to_be_checked()
        page.keyboard.press("c")  # claim the chosen row and open it
        expect(page.locator("h1")).to_contain_text("R0000100")
        expect(page.locator(".flash-ok")).to_contain_text("in behandeling genomen")
        expect(page.locator("html[data-actions=ready]")).to_have_count(1)  # its scripts run
        page.keyboard.press("n")  # the next case in the queue's order: R0000200 is anna's
        expect(page.locator("h1")).to_contain_text("R0000300")
        expect(page.locator(".flash-ok")).to_contain_text("Volgende registratie: R0000300")
        assert repository_holder(app, "R0000300") == "bram"
    finally:
        tab.close()
    assert tab.problems == []


def repository_holder(app: FastAPI, registratie_id: str) -> str | None:
    from sqlalchemy.orm import Session

    from store.review_tables import CaseRow

    with Session(app.state.engine) as session:
        row = session.get(CaseRow, registratie_id)
        return row.claimed_by if row else None


def test_bulk_actions_and_next_case_button(
    site: tuple[str, FastAPI], browser: Any, expect: Any
) -> None:
    base, app = site
    tab = Tab(browser, base, "anna")
    page = tab.page
    try:
        page.check("#alles")  # JavaScript shows it
        expect(page.locator("table.queue tbody input[type=checkbox]:checked")).to_have_count(4)
        page.click("#selectie button:has-text('Vrijgeven')")
        expect(page.locator(".flash-ok")).to_contain_text("vrijgegeven")
        assert repository_holder(app, "R0000200") is None  # an admin releases anyone's
        page.check("tr[data-rid=R0000300] input[type=checkbox]")
        page.check(f"tr[data-rid={RID}] input[type=checkbox]")
        page.click("#selectie button:has-text('In behandeling nemen')")
        expect(page.locator(".flash-ok")).to_have_text(
            f"2 registraties in behandeling genomen: R0000300, {RID}."
        )
        page.select_option("select[name=organisatie]", "Zorg Zuid")
        expect(page.locator("#aantal")).to_have_text("2 registraties")
        page.click(".top button:has-text('Volgende registratie')")
        expect(page.locator("h1")).to_contain_text("R0000100")
        page.click(".top button:has-text('Volgende registratie')")  # Zorg Zuid only
        expect(page.locator("h1")).to_contain_text("R0000300")
    finally:
        tab.close()
    assert tab.problems == []


def test_audit_log_date_filter_and_export(
    site: tuple[str, FastAPI], browser: Any, expect: Any, tmp_path: Path
) -> None:
    base, _ = site
    tab = Tab(browser, base, "anna")
    page = tab.page
    try:
        page.click("nav >> text=Auditlog")
        today = page.evaluate("new Date().toLocaleDateString('sv-SE')")  # YYYY-MM-DD, local
        page.fill("input[name=van]", today)
        page.fill("input[name=tot]", today)
        page.select_option("select[name=actie]", label="Nieuwe upload gevraagd")
        page.click("button:has-text('Filteren')")
        expect(page.locator("p.count")).to_contain_text("1 regel")
        page.screenshot(path=str(shots_folder(tmp_path) / "audit-export.png"))
        with page.expect_download() as download:
            page.click("text=Exporteren (CSV)")
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        table = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert table[0][:3] == ["Tijdstip", "Gebruiker", "Actie"]
        assert [line[2] for line in table[1:]] == ["Nieuwe upload gevraagd"]
    finally:
        tab.close()
    assert tab.problems == []


def test_queue_has_no_serious_accessibility_violations(
    site: tuple[str, FastAPI], browser: Any
) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    """The queue page, plain and filtered (Swagger UI on /docs is not ours: left out)."""
    base, _ = site
    tab = Tab(browser, base, "bram")
    try:
        found = {}
        for path in ("/", "/?staat=wacht&sorteer=deelnemer&zoek=a"):
            tab.page.goto(base + path)
            results = axe_module.Axe().run(tab.page)
            found[path] = [
                (v["id"], v["impact"], len(v["nodes"]))
                for v in results.response["violations"]
                if v["impact"] in SERIOUS
            ]
        assert found == {path: [] for path in found}, found
    finally:
        tab.close()


def test_screenshots_written(tmp_path: Path) -> None:
    """Runs last in this module: the screenshots of the tests above exist (when they ran)."""
    shots = shots_folder(tmp_path)
    if shots.is_relative_to(tmp_path):
        pytest.skip("screenshots went to each test's own temporary folder")
    assert all((shots / name).stat().st_size for name in SHOTS)
