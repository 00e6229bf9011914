"""The case and document pages in Chromium at 1366×768, over R0210105's real processed
documents (imported as a fresh case per test; the start payslip's month is taken out, as a
reader that missed it). The scripted reviewer task (claim, check three fields against the page,
enter the missed month, overrule a finding, decide) is counted: page loads by the "load" event,
and after every action the window's scroll and the place of the element acted on. The same
task keyboard-only counts its key presses (typed characters too) and checks each focused control
shows its focus; every control is reached by Tab; axe-core finds no serious violation.
Screenshots as in tests/test_browser.py (BROWSER_TEST_SCREENSHOTS)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browserkit import (
    FOCUS_SHOWN,
    Site,
    Watch,
    chromium,
    claimed_page,
    expect,
    images_loaded,
    key_counter,
    log_in,
    open_document,
    open_tab,
    place,
    ready,
    shots_in,
    site_for,
)
from tests.test_browser import CHROMIUM

pytestmark = [
    pytest.mark.slow,
    # one worker runs the module's tests in order: they share one site, and what one test
    # does (a claim, a decision) is what the next one starts from
    pytest.mark.xdist_group("test_browser_case"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed"),
]
MAX_LOADS, MAX_KEYS = 10, 40


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from site_for(tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return shots_in(tmp_path)


def test_scripted_reviewer_task(site: Site, browser: Any, shots: Path) -> None:
    rid, watch = site.case(), Watch()
    tab = open_tab(browser, watch)
    log_in(tab, site)
    tab.click(f"a:has-text('{rid}')")
    expect(tab.locator("h1")).to_contain_text(rid)
    ready(tab)

    # claim: the claim bar changes in place
    tab.click("button:has-text('In behandeling nemen')")
    expect(tab.locator("#kop .flash-ok")).to_have_text(
        "Je hebt deze registratie in behandeling genomen."
    )
    place(watch, "claim", tab.locator("#behandeling"))
    tab.screenshot(path=str(shots / "case.png"))

    # the start payslip: check three fields against the page
    tab.locator("tr", has_text="Loonstrook start").get_by_text("Bekijken").click()
    images_loaded(tab)
    for name, label in (
        ("deelnemer", "Deelnemer"),
        ("werkgever", "Werkgever"),
        ("datum_in_dienst", "Datum in dienst"),
    ):
        tab.locator(f"#veld-{name} a.pick").click()
        card = tab.locator(f"#kaart-{name}")
        expect(card).to_be_visible()
        expect(card.locator("h3")).to_contain_text(label)
        images_loaded(tab, f"#kaart-{name} .crop img")
        box = tab.locator(f'.sheet .box[data-target="veld-{name}"]')
        expect(box).to_have_class(re.compile("is-active"))
        expect(box).to_be_in_viewport()
        values = card.locator(".values dd")
        assert values.nth(0).inner_text() == values.nth(1).inner_text().splitlines()[0]
        place(watch, f"check {name}", card)

    # the month the reader missed has a row; enter it with a reason
    month = tab.locator("#veld-loonstrook_maand")
    expect(month).to_contain_text("niet gevonden")
    month.locator("a.pick").click()
    card = tab.locator("#kaart-loonstrook_maand")
    card.locator("input[name=waarde]").fill("09-2023")
    card.locator("input[name=reden]").fill("Periode rechtsboven: september 2023")
    card.locator("button:has-text('Opslaan')").click()
    expect(card.locator(".flash-ok")).to_have_text(
        "Loonstrookmaand aangepast. Oordeel na de regels: Afwijzen."
    )
    expect(month.locator("td").nth(2)).to_have_text("09-2023")
    place(watch, "correct", card)
    tab.screenshot(path=str(shots / "document_fields.png"))

    # back to the case: overrule the crebo finding
    tab.click(f"a:has-text('{rid}')")
    ready(tab)
    crebo = tab.locator("li.finding", has_text="CREBO_MISMATCH")
    crebo.locator("input[name=reden]").fill("Crebo is in 2024 hernummerd")
    crebo.locator("button:has-text('Verwerpen')").click()
    expect(crebo.locator(".flash-ok")).to_have_text("Bevinding verworpen.")
    expect(crebo.locator(".state")).to_have_text("Verworpen")
    place(watch, "overrule", crebo)

    # decide: the decision stays shown, the case is released and read-only
    tab.select_option("#besluit select[name=besluit]", "afgewezen")
    tab.click("button:has-text('Besluit opslaan')")
    decision = tab.locator("#besluit")
    expect(decision.locator(".flash-ok")).to_contain_text("Het eindbesluit is opgeslagen")
    expect(decision.locator(".decision")).to_contain_text("Afgewezen")
    place(watch, "decide", decision)
    expect(tab.locator("#behandeling")).to_contain_text("Besluit genomen: Afgewezen")
    expect(tab.locator("li.finding form")).to_have_count(0)
    tab.screenshot(path=str(shots / "case_decided.png"))

    loads = len(watch.loads)
    print(f"\nscripted task: {loads} page loads; after each action (scrollY, top, bottom):")
    for what, scroll_y, top, bottom in watch.scrolls:
        print(f"  {what:<22} {scroll_y:>5.0f} {top:>6.0f} {bottom:>6.0f}")
    assert loads <= MAX_LOADS, watch.loads
    assert watch.problems == []
    tab.close()


def test_scripted_task_keyboard_only(site: Site, browser: Any, shots: Path) -> None:
    rid, watch = site.case(), Watch()
    tab = open_tab(browser, watch)
    log_in(tab, site)
    tab.goto(f"{site.url}/registraties/{rid}")
    ready(tab)
    press, typed, unseen = key_counter(tab), [0], []

    def type_text(text: str) -> None:
        tab.keyboard.type(text)
        typed[0] += len(text)

    def focused() -> Any:
        shown = tab.evaluate(FOCUS_SHOWN)
        if shown is not None and not shown[2]:
            unseen.append(shown[:2])
        return shown

    press("i")  # claim
    expect(tab.locator("#kop .flash-ok")).to_contain_text("in behandeling genomen")
    press("d")
    press("Tab")  # the second document: the start payslip
    focused()
    press("Enter")
    expect(tab.locator("h1")).to_contain_text("Loonstrook start")
    ready(tab)
    for name in ("deelnemer", "werkgever", "loonstrook_maand"):  # check two, reach the third
        press("j")
        expect(tab.locator(f"#veld-{name} a.pick")).to_be_focused()
        expect(tab.locator(f"#kaart-{name}")).to_be_visible()
        focused()
    press("c")
    expect(tab.locator("#kaart-loonstrook_maand input[name=waarde]")).to_be_focused()
    type_text("09-2023")
    press("Tab")  # the preset reasons
    expect(tab.locator("#kaart-loonstrook_maand select[name=reden_keuze]")).to_be_focused()
    focused()
    press("ArrowDown")  # "Staat zo op de pagina"
    press("Tab", 2)  # past the free text to the save button
    focused()
    press("Enter")
    card = tab.locator("#kaart-loonstrook_maand")
    expect(card.locator(".flash-ok")).to_contain_text("Loonstrookmaand aangepast")
    focused()
    press("j", 2)  # the third field checked: the pay period, then the employment date
    expect(tab.locator("#veld-datum_in_dienst a.pick")).to_be_focused()
    focused()
    press("t")  # back to the case
    expect(tab.locator("h1")).to_contain_text(rid)
    ready(tab)
    press("j", 2)  # the crebo finding
    crebo = tab.locator("li.finding", has_text="CREBO_MISMATCH")
    expect(crebo).to_be_focused()
    focused()
    press("Enter")
    expect(crebo.locator("select[name=reden_keuze]")).to_be_focused()
    press("o")  # the preset starting with O: "Opleiding hernummerd (opvolgende crebo)"
    press("Tab", 3)  # past the free text and "Bevestigen"
    expect(crebo.locator("button:has-text('Verwerpen')")).to_be_focused()
    focused()
    press("Enter")
    expect(crebo.locator(".flash-ok")).to_have_text("Bevinding verworpen.")
    press("e")
    focused()
    press("ArrowDown", 2)
    press("Tab", 2)
    expect(tab.locator("button:has-text('Besluit opslaan')")).to_be_focused()
    focused()
    keys = press("Enter")
    expect(tab.locator("#besluit .decision")).to_contain_text("Afgewezen")
    print(f"\nkeyboard-only task: {keys} key presses and {typed[0]} typed characters")
    assert keys + typed[0] <= MAX_KEYS  # a typed character is a key press too
    assert unseen == []
    assert watch.problems == []
    tab.close()


def serious_violations(tab: Any) -> list[str]:
    """axe-core's serious and critical findings on the page (bundled axe.min.js, no CDN)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations(site: Site, browser: Any) -> None:
    watch = Watch()
    tab = claimed_page(site, browser, watch, site.case())
    found = {"registratie": serious_violations(tab)}
    for slot in ("Praktijkovereenkomst", "Loonstrook start"):
        tab.goto(tab.url.split("/documenten/")[0])
        open_document(tab, slot)
        tab.locator("#veld-crebo a.pick, #veld-werkgever a.pick").first.click()
        found[slot] = serious_violations(tab)
    assert found == {key: [] for key in found}
    tab.close()


def tab_through(tab: Any, limit: int) -> list[tuple[str, str, bool]]:
    """Tab from the top of the page until focus comes round again; each focused control and
    whether it shows its focus."""
    tab.reload()  # focus starts before the first control
    seen: list[tuple[str, str, bool]] = []
    for _ in range(limit):
        tab.keyboard.press("Tab")
        shown = tab.evaluate(FOCUS_SHOWN)
        if shown is None or (seen and tuple(shown) == seen[0]):
            break
        seen.append(tuple(shown))
    return seen


CONTROLS = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]'
REACHABLE = f"""() => [...document.querySelectorAll('{CONTROLS}')]
  .filter(el => el.checkVisibility({{visibilityProperty: true}}))
  .map(el => [el.tagName,
    el.id || el.getAttribute('name') || el.textContent.trim().slice(0, 30)])"""


def test_every_control_is_reached_by_tab_and_shows_its_focus(site: Site, browser: Any) -> None:
    watch = Watch()
    tab = claimed_page(site, browser, watch, site.case())
    for page in ("case", "document"):
        if page == "document":
            open_document(tab, "Loonstrook start")
        controls = [tuple(control) for control in tab.evaluate(REACHABLE)]
        seen = tab_through(tab, len(controls) + 10)
        reached = {s[:2] for s in seen}
        assert [c for c in controls if c not in reached] == [], page
        hidden = [s[:2] for s in seen if not s[2]]
        assert hidden == [], (page, hidden)
    tab.close()
