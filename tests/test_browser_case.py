"""The case and document pages in Chromium at 1366×768, over R0210105's real processed
documents (imported as a fresh case per test; the start payslip's month is taken out, as a
reader that missed it). The scripted reviewer task (claim, check three fields against the page,
enter the missed month, overrule a finding, decide) is counted: page loads by the "load" event,
and after every action the window's scroll and the place of the element acted on. The same
task keyboard-only counts its key presses (typed text apart) and checks each focused control
shows its focus. Screenshots as in tests/test_browser.py (BROWSER_TEST_SCREENSHOTS)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.enums import Slot
from core.settings import Settings
from tests.browserkit import (
    FOCUS_SHOWN,
    Pairs,
    Watch,
    import_as,
    key_counter,
    place,
    process_fixture,
    serve,
    untyped,
    without_field,
)
from tests.test_browser import CHROMIUM, PASSWORD, shots_folder
from web.app import create_app
from web.auth import Role, add_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
SCREEN = {"width": 1366, "height": 768}
MAX_LOADS, MAX_KEYS = 10, 40
_numbers = itertools.count(9100001)


class Site:
    def __init__(self, url: str, app: Any, registration: Any, pairs: Pairs) -> None:
        self.url, self.app, self.registration, self.pairs = url, app, registration, pairs

    def case(self, pairs: Pairs | None = None) -> str:
        """A fresh case of the fixture documents (by default: the start payslip's month not
        read); returns its R-number."""
        missed = without_field(self.pairs, Slot.LOONSTROOK_START, "loonstrook_maand")
        return import_as(self.app, self.registration, pairs or missed, f"R{next(_numbers)}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("case-web"), workers=1)
    app = create_app(settings, secret_key="browser-case-test")
    registration, pairs = process_fixture(settings, app.state.storage)
    add_user(app.state.engine, "anna", PASSWORD, Role.ADMIN)
    add_user(app.state.engine, "bram", PASSWORD, Role.REVIEWER)
    with serve(app) as url:
        yield Site(url, app, registration, pairs)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    expect.set_options(timeout=20_000)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
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


def images_loaded(tab: Any, selector: str = ".sheet img") -> None:
    images = tab.locator(selector)
    expect(images.first).to_be_visible()
    for index in range(images.count()):
        expect(images.nth(index)).to_have_js_property("complete", True)
        expect(images.nth(index)).not_to_have_js_property("naturalWidth", 0)


def test_scripted_reviewer_task(site: Site, browser: Any, shots: Path) -> None:
    rid, watch = site.case(), Watch()
    tab = open_tab(browser, watch)
    log_in(tab, site)
    tab.click(f"a:has-text('{rid}')")
    expect(tab.locator("h1")).to_contain_text(rid)

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
        assert values.nth(0).inner_text() == values.nth(1).inner_text().split(" “")[0]
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
    for name in ("deelnemer", "werkgever", "loonstrook_maand"):  # check two, reach the third
        press("j")
        expect(tab.locator(f"#veld-{name} a.pick")).to_be_focused()
        expect(tab.locator(f"#kaart-{name}")).to_be_visible()
        focused()
    press("c")
    expect(tab.locator("#kaart-loonstrook_maand input[name=waarde]")).to_be_focused()
    type_text("09-2023")
    press("Tab")
    focused()
    type_text("maand rechtsboven")
    press("Enter")
    card = tab.locator("#kaart-loonstrook_maand")
    expect(card.locator(".flash-ok")).to_contain_text("Loonstrookmaand aangepast")
    focused()
    press("j", 2)  # the third field checked: the pay period, then the employment date
    expect(tab.locator("#veld-datum_in_dienst a.pick")).to_be_focused()
    focused()
    press("t")  # back to the case
    expect(tab.locator("h1")).to_contain_text(rid)
    press("j", 2)  # the crebo finding
    crebo = tab.locator("li.finding", has_text="CREBO_MISMATCH")
    expect(crebo).to_be_focused()
    focused()
    press("Enter")
    type_text("hernummerd")
    press("Tab", 2)
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
    print(f"\nkeyboard-only task: {keys} key presses (and {typed[0]} typed characters)")
    assert keys <= MAX_KEYS
    assert unseen == []
    assert watch.problems == []
    tab.close()


def claimed_page(site: Site, browser: Any, watch: Watch, rid: str, **options: Any) -> Any:
    """A tab of bram's, logged in, on case `rid` which he has claimed."""
    tab = open_tab(browser, watch, **options)
    log_in(tab, site)
    tab.goto(f"{site.url}/registraties/{rid}")
    tab.click("button:has-text('In behandeling nemen')")
    expect(tab.locator("#kop .flash-ok")).to_be_visible()
    return tab


def open_document(tab: Any, slot_text: str) -> None:
    tab.locator("tr", has_text=slot_text).get_by_text("Bekijken").click()
    images_loaded(tab)


def sizes(tab: Any, selector: str) -> dict[str, float]:
    return tab.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width,"
        " h: r.height, right: r.right, bottom: r.bottom}; }"
    )


def test_document_viewer_zoom_fit_rotate_boxes_crop_lens(
    site: Site, browser: Any, shots: Path
) -> None:
    watch = Watch()
    tab = claimed_page(site, browser, watch, site.case())
    open_document(tab, "Praktijkovereenkomst")
    canvas = tab.locator(".canvas")
    width = canvas.evaluate("el => el.clientWidth")
    first = sizes(tab, ".frame")
    assert abs(first["w"] - (width - 32)) < 2  # fits the width at first

    tab.click("button[data-zoom=in]")
    assert sizes(tab, ".frame")["w"] == pytest.approx(first["w"] * 1.25, rel=0.02)
    level = tab.locator(".zoom-level").inner_text()
    tab.click("button[data-zoom=out]")
    tab.click("button[data-zoom=out]")
    assert sizes(tab, ".frame")["w"] < first["w"]
    assert tab.locator(".zoom-level").inner_text() != level
    tab.click("button[data-fit=page]")
    assert sizes(tab, ".frame")["h"] <= canvas.evaluate("el => el.clientHeight")
    tab.click("button[data-fit=width]")
    tab.click("button[data-rotate]")
    turned = sizes(tab, ".frame")
    assert turned["w"] == pytest.approx(width - 32, abs=2) and turned["h"] < turned["w"]
    transform = tab.locator(".sheet").first.evaluate("el => getComputedStyle(el).transform")
    assert transform.startswith("matrix(0, 1, -1, 0")  # a quarter turn
    for _ in range(3):
        tab.click("button[data-rotate]")

    # see-through boxes: no fill, the border a few pixels outside the value's box
    crebo = tab.locator('.sheet .box[data-target="veld-crebo"]')
    style = crebo.evaluate(
        "el => { const b = getComputedStyle(el), r = getComputedStyle(el, '::before');"
        " return [b.backgroundColor, b.borderTopWidth, r.top, r.left, r.bottom, r.right]; }"
    )
    assert style[:2] == ["rgba(0, 0, 0, 0)", "0px"]
    assert all(float(edge.removesuffix("px")) <= -4 for edge in style[2:])
    tab.click("button[data-toggle=boxes]")
    expect(crebo).to_be_hidden()
    tab.keyboard.press("x")
    expect(crebo).to_be_visible()

    # the selected field's crop is the page enlarged around its value
    tab.locator("#veld-crebo a.pick").click()
    images_loaded(tab, "#kaart-crebo .crop img")
    enlarged = sizes(tab, "#kaart-crebo .crop img")["w"] / sizes(tab, ".sheet")["w"]
    assert enlarged >= 1.5, enlarged
    expect(crebo).to_have_class(re.compile("is-active"))
    tab.screenshot(path=str(shots / "document_view.png"))

    # the lens follows the cursor over the page
    tab.click("button[data-toggle=lens]")
    sheet, view = sizes(tab, ".sheet"), sizes(tab, ".canvas")
    tab.mouse.move(view["x"] + view["w"] / 2, view["y"] + view["h"] / 2)
    lens = tab.locator(".lens")
    expect(lens).to_be_visible()
    backdrop = lens.evaluate("el => parseFloat(getComputedStyle(el).backgroundSize)")
    assert backdrop > sheet["w"] * 2

    # thumbnails of the two pages: the second one scrolls the page into view
    thumbs = tab.locator(".thumbs a")
    expect(thumbs).to_have_count(2)
    thumbs.nth(1).click()
    top = sizes(tab, "#pagina-2")["y"] - sizes(tab, ".canvas")["y"]
    assert abs(top) < 20
    expect(thumbs.nth(1)).to_have_attribute("aria-current", "page")
    assert watch.problems == []
    tab.close()


def test_at_150_percent_the_fields_stay_beside_the_page(
    site: Site, browser: Any, shots: Path
) -> None:
    """Chrome at 150 % on a 1366×768 screen lays out 911×512 CSS pixels."""
    watch = Watch()
    zoomed = {"viewport": {"width": 911, "height": 512}, "device_scale_factor": 1.5}
    tab = claimed_page(site, browser, watch, site.case(), **zoomed)
    open_document(tab, "Loonstrook start")
    viewer, panel = sizes(tab, ".viewer"), sizes(tab, ".panel")
    assert panel["x"] >= viewer["right"] - 1 and panel["y"] < 300  # beside, not below
    assert viewer["w"] > 350 and panel["w"] > 350
    row = tab.locator("#veld-werkgever")
    row.locator("a.pick").click()
    expect(row).to_be_in_viewport()
    expect(tab.locator("#kaart-werkgever .crop img")).to_be_in_viewport()
    assert tab.evaluate("window.scrollY") == 0
    tab.screenshot(path=str(shots / "document_150.png"))
    tab.close()


def test_actions_keep_the_place_and_the_typed_value(site: Site, browser: Any) -> None:
    watch = Watch()
    tab = claimed_page(site, browser, watch, site.case())
    open_document(tab, "Praktijkovereenkomst")
    loads = len(watch.loads)

    # confirming a finding on the document page stays there, the message beside it
    crebo = tab.locator("li.finding", has_text="CREBO_MISMATCH")
    crebo.locator("input[name=reden]").fill("Crebo staat echt anders op de POK")
    crebo.locator("button:has-text('Bevestigen')").click()
    expect(crebo.locator(".flash-ok")).to_have_text("Bevinding bevestigd.")
    expect(crebo.locator(".state")).to_have_text("Bevestigd")
    assert "/documenten/" in tab.url

    # a value that does not fit: the error beside the form, what was typed kept
    tab.locator("#veld-startdatum a.pick").click()
    card = tab.locator("#kaart-startdatum")
    card.locator("input[name=waarde]").fill("dertien juni")
    card.locator("input[name=reden]").fill("datum misgelezen")
    card.locator("button:has-text('Opslaan')").click()
    expect(card.locator(".flash-fout")).to_have_text(
        "Startdatum: Vul een datum in, bijvoorbeeld 01-09-2025."
    )
    expect(card.locator("input[name=waarde]")).to_have_value("dertien juni")
    expect(card.locator("input[name=reden]")).to_have_value("datum misgelezen")
    expect(card.locator("input[name=waarde]")).to_be_focused()
    place(watch, "refused correction", card)
    assert len(watch.loads) == loads  # no page load for either
    assert tab.evaluate("window.scrollY") == 0
    assert watch.problems == []
    tab.close()


def test_an_unknown_document_is_given_its_type(site: Site, browser: Any, shots: Path) -> None:
    watch = Watch()
    rid = site.case(untyped(site.pairs, Slot.PRESTATIEBEWIJS))
    tab = claimed_page(site, browser, watch, rid)
    expect(tab.locator("li.finding", has_text="DOC_TYPE_UNCERTAIN")).to_have_count(1)
    open_document(tab, "Prestatiebewijs")
    kind = tab.locator("#documenttype")
    expect(kind).to_contain_text("onbekend")
    expect(tab.locator("#veld-crebo")).to_have_count(0)
    kind.locator("select[name=soort]").select_option("diploma")
    kind.locator("input[name=reden]").fill("Diploma MBO, titel bovenaan")
    kind.locator("button:has-text('Type opslaan')").click()
    expect(kind.locator(".flash-ok")).to_contain_text("Documenttype aangepast.")
    expect(kind).to_contain_text("diploma")
    expect(tab.locator("li.finding", has_text="DOC_TYPE_UNCERTAIN")).to_have_count(0)
    for name in ("crebo", "opleiding", "diploma_datum", "deelnemer"):  # the type's fields
        expect(tab.locator(f"#veld-{name} td").nth(1)).to_have_text("niet gevonden")

    # the diploma's crebo, entered from the page: the rules run again
    tab.locator("#veld-crebo a.pick").click()
    card = tab.locator("#kaart-crebo")
    card.locator("input[name=waarde]").fill("25480")
    card.locator("input[name=reden]").fill("Crebo onder de titel")
    card.locator("button:has-text('Opslaan')").click()
    expect(card.locator(".flash-ok")).to_contain_text("Crebo aangepast.")
    expect(tab.locator("#veld-crebo td").nth(2)).to_have_text("25480")
    tab.screenshot(path=str(shots / "document_type.png"))
    assert watch.problems == []
    tab.close()


def test_the_fields_are_beside_the_page_in_five_columns(site: Site, browser: Any) -> None:
    watch = Watch()
    tab = claimed_page(site, browser, watch, site.case())
    open_document(tab, "Loonstrook start")
    headers = tab.locator("table.fields thead th").all_inner_texts()
    assert headers == ["Veld", "Registratie", "Gelezen", "Gecorrigeerd", "Zekerheid", "Pag."]
    rows = tab.locator("table.fields tbody tr")
    names = rows.evaluate_all("rows => rows.map(r => r.dataset.field)")
    wanted = {"deelnemer", "werkgever", "loonstrook_maand", "loonstrook_periode"}
    assert wanted | {"datum_in_dienst", "bsn_present", "signatures"} <= set(names)
    werkgever = tab.locator("#veld-werkgever td").all_inner_texts()
    assert werkgever[0] == werkgever[1] == site.registration.organisatie
    assert sizes(tab, "table.fields")["x"] > sizes(tab, ".viewer")["right"]  # beside the page
    assert sizes(tab, "table.fields")["y"] < SCREEN["height"]
    tab.close()
