"""Issue 19's items on the case and document pages, each in Chromium at 1366×768 (see
tests/test_browser_case.py for the scripted task): the document viewer (zoom, fit, rotate,
see-through padded boxes and their toggle, the enlarged crop, the lens, thumbnails) and the
fields beside it also at 150 % browser zoom (item 1); actions that keep the place, messages
beside the control and the typed value kept (2); an `onbekend` document given its type and
its fields entered (3); the five value columns (4); reasons, review states, contrast and a
closed case (7); claims, the re-upload draft, sources, the audit trail and one date format
(8)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.enums import Slot
from review import repository
from tests.browserkit import (
    SCREEN,
    Site,
    Watch,
    chromium,
    claimed_page,
    contrast,
    expect,
    images_loaded,
    log_in,
    open_document,
    open_tab,
    place,
    ready,
    shots_in,
    site_for,
    sizes,
    untyped,
)
from tests.test_browser import CHROMIUM

pytestmark = [
    pytest.mark.slow,
    # one worker runs the module's tests in order: they share one site, and what one test
    # does (a claim, a decision) is what the next one starts from
    pytest.mark.xdist_group("test_browser_case_items"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from site_for(tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return shots_in(tmp_path)


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


def test_review_state_reasons_contrast_and_a_closed_case(
    site: Site, browser: Any, shots: Path
) -> None:
    watch = Watch()
    rid = site.case()
    tab = claimed_page(site, browser, watch, rid)

    # a correction, like an overrule, is not sent without a reason
    open_document(tab, "Praktijkovereenkomst")
    tab.locator("#veld-crebo a.pick").click()
    card = tab.locator("#kaart-crebo")
    card.locator("input[name=waarde]").fill("25480")
    card.locator("button:has-text('Opslaan')").click()
    assert card.locator("input[name=reden]").evaluate("el => el.validity.valueMissing")
    expect(card.locator(".note")).to_have_count(0)
    tab.click(f"a:has-text('{rid}')")
    ready(tab)

    # confirmed and overruled findings say so and offer only the other choice
    bpv = tab.locator("li.finding", has_text="BPV_VOLUME_MISSING")
    bpv.locator("input[name=reden]").fill("Er staat geen omvang op")
    bpv.locator("button:has-text('Bevestigen')").click()
    expect(bpv.locator(".state")).to_have_text("Bevestigd")
    expect(bpv.locator("button")).to_have_text(["Verwerpen"])
    crebo = tab.locator("li.finding", has_text="CREBO_MISMATCH")
    crebo.locator("input[name=reden]").fill("Crebo is in 2024 hernummerd")
    crebo.locator("button:has-text('Verwerpen')").click()
    expect(crebo.locator(".state")).to_have_text("Verworpen")
    expect(crebo.locator("button")).to_have_text(["Toch laten meetellen"])
    reason = crebo.locator(".decided")
    expect(reason).to_contain_text("Crebo is in 2024 hernummerd")
    colours = reason.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el.closest('li')).backgroundColor,"
        " getComputedStyle(el.closest('li')).opacity]"
    )
    assert colours[2] == "1" and contrast(colours[0], colours[1]) >= 4.5, colours

    # the decision: shown, the case released and read-only until reopened (audited)
    tab.select_option("#besluit select[name=besluit]", "goedgekeurd")
    tab.fill("#besluit input[name=reden]", "Omvang staat in de bijlage")
    tab.click("button:has-text('Besluit opslaan')")
    expect(tab.locator("#besluit .decision")).to_contain_text("Goedgekeurd")
    expect(tab.locator("#behandeling")).to_contain_text("vrijgegeven")
    expect(tab.locator("#bevindingen form, #upload form")).to_have_count(0)
    expect(tab.locator("button:has-text('In behandeling nemen')")).to_have_count(0)
    tab.locator("tr", has_text="Praktijkovereenkomst").get_by_text("Bekijken").click()
    expect(tab.locator(".field-card form, #documenttype form")).to_have_count(0)
    tab.click(f"a:has-text('{rid}')")
    ready(tab)
    tab.fill("#besluit input[name=reden]", "Werkgever stuurt nieuwe POK")
    tab.click("button:has-text('Besluit intrekken en heropenen')")
    expect(tab.locator("#besluit select[name=besluit]")).to_be_visible()
    trail = tab.locator("table.audit tbody tr").first
    expect(trail).to_contain_text("Heropend")
    expect(trail).to_contain_text("Werkgever stuurt nieuwe POK")
    expect(tab.locator("#behandeling")).to_contain_text("Bij jou in behandeling")
    assert watch.problems == []
    tab.close()


def test_claims_reupload_sources_audit_and_dates(site: Site, browser: Any) -> None:
    watch = Watch()
    rid = site.case()
    repository.claim(site.app.state.engine, rid, "anna")
    tab = open_tab(browser, watch)
    log_in(tab, site)
    tab.goto(f"{site.url}/registraties/{rid}")
    expect(tab.locator("#behandeling")).to_contain_text("In behandeling bij anna")
    expect(tab.locator("form[action$='/claim']")).to_have_count(0)  # not offered, not refused
    repository.release(site.app.state.engine, rid, "anna")
    tab.reload()
    ready(tab)
    tab.click("button:has-text('In behandeling nemen')")

    draft = tab.locator("#upload textarea[name=bericht]")
    tab.locator("#upload summary").click()
    expect(draft).to_have_value(re.compile("^Op de praktijkovereenkomst staat geen omvang"))
    assert "Crebonummer 25475 op de praktijkovereenkomst" in draft.input_value()
    sources = tab.locator("#documenten .origin").all_inner_texts()
    assert sources and all(s.startswith("Batchcontrole, ") for s in sources), sources
    assert not any(re.search(r"[0-9a-f]{8}-", s) for s in sources)

    text = tab.locator("#bevindingen, #registratie").all_inner_texts()
    assert not re.search(r"\b\d{4}-\d{2}(-\d{2})?\b", " ".join(text))  # one date format
    assert re.search(r"Verwacht: 07-2024 · Gevonden: 05-2024", " ".join(text))

    open_document(tab, "Praktijkovereenkomst")
    tab.locator("#veld-crebo a.pick").click()
    card = tab.locator("#kaart-crebo")
    card.locator("input[name=waarde]").fill("25480")
    card.locator("input[name=reden]").fill("hernummerd")
    card.locator("button:has-text('Opslaan')").click()
    expect(card.locator(".flash-ok")).to_be_visible()
    tab.click(f"a:has-text('{rid}')")
    ready(tab)
    trail = tab.locator("table.audit tbody tr").first
    expect(trail).to_contain_text("docs/r0210105_pok.pdf / Crebo")
    assert watch.problems == []
    tab.close()
