"""report.html in Chromium (Debian's, through Playwright), opened from its file as a back office
user would: no request leaves the page and its policy blocks nothing of its own; typing in the
search box and choosing a verdict or a finding code leaves the matching registrations (their
details too), clicking a column header sorts the overview (again: the other way), an R-number
opens that registration's details; with 14 registrations the page is a few screens, the
overview on the first; axe-core finds no serious violation. A screenshot goes where
tests/test_browser.py puts its own (`BROWSER_TEST_SCREENSHOTS=docs/screenshots` refreshes the
README's)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.enums import Verdict
from core.report import Report
from outputs.html import write_html
from tests.test_browser import CHROMIUM, shots_folder
from tests.test_export_xlsx import sample_report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed"),
]
ROWS = "#overzicht-tabel tbody tr"
VISIBLE_ROWS = f"{ROWS}:visible"
PEOPLE = [
    ("Stichting De Wielewaal", "Sem Wolters"),
    ("Thuiszorg De Zonnehoek", "Gijs Schagen"),
    ("Woonzorg Brabantzorg", "Liv Dennenberg"),
    ("Kinderopvang Het Gastenhuis", "Nadia van Doornhem"),
    ("Stichting Zuiderhout", "Aiden Gruijl"),
    ("Woonzorg De Lichtenvoorde", "Féline Feenstra"),
    ("Stichting De Wielewaal", "Joy de Groot"),
]


def fourteen() -> Report:
    """The sample's four registrations over and over as fourteen, with their own numbers and
    people (as many as the demo data has)."""
    sample = sample_report()
    registrations = []
    for number in range(14):
        entry = sample.registrations[number % 4].model_copy(deep=True)
        entry.registratie_id = f"R02101{number:02d}"
        entry.organisatie, entry.deelnemer = PEOPLE[number % len(PEOPLE)]
        registrations.append(entry)
    return sample.model_copy(update={"registrations": registrations})


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    write_html(fourteen(), path)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Any, page_file: Path) -> Iterator[Any]:
    """The page at 1366 x 768, with every console error, page error and request kept."""
    tab = browser.new_page(viewport={"width": 1366, "height": 768})
    tab.problems, tab.requests = [], []
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.goto(page_file.as_uri())
    yield tab
    tab.close()


def participants(tab: Any) -> list[str]:
    return [row.locator("td").nth(2).inner_text() for row in tab.locator(VISIBLE_ROWS).all()]


def test_the_page_loads_offline_without_errors(tab: Any, page_file: Path) -> None:
    assert tab.title() == "bewijscheck — rapport"
    assert tab.locator(ROWS).count() == 14 and tab.locator("#filters").is_visible()
    assert tab.inner_text("#aantal") == "14 van 14 registraties"
    assert tab.problems == []  # a blocked style or script would be a console error
    assert tab.requests == [page_file.as_uri()]


def test_search_filters_and_sorting_work(tab: Any) -> None:
    report = fourteen()
    tab.locator("#zoek").press_sequentially("wielewaal")
    wielewaal = [e for e in report.registrations if e.organisatie == "Stichting De Wielewaal"]
    assert tab.locator(VISIBLE_ROWS).count() == len(wielewaal) == 4
    assert tab.inner_text("#aantal") == "4 van 14 registraties"
    assert tab.locator("details.registration:visible").count() == 4  # the details follow
    tab.locator("#zoek").fill("Feline")  # without its accent
    assert participants(tab) == ["Féline Feenstra"] * 2
    tab.locator("#zoek").fill("R0210103")
    assert tab.locator(VISIBLE_ROWS).count() == 1

    tab.locator("#zoek").fill("")
    tab.get_by_role("button", name="Deelnemer").click()
    everyone = [e.deelnemer or "" for e in report.registrations]
    assert participants(tab) == sorted(everyone, key=lambda name: name.lower())
    header = tab.locator("th", has=tab.get_by_role("button", name="Deelnemer"))
    assert header.get_attribute("aria-sort") == "ascending"
    tab.get_by_role("button", name="Deelnemer").click()
    assert participants(tab) == sorted(everyone, key=lambda name: name.lower(), reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    numbers = tab.locator(f"{VISIBLE_ROWS} td:first-child").all_inner_texts()
    details = tab.locator("details.registration .rid").all_inner_texts()
    assert details == numbers  # the details follow the overview's order
    tab.get_by_role("button", name="Fouten").click()
    errors = [int(r.locator("td").nth(4).inner_text()) for r in tab.locator(VISIBLE_ROWS).all()]
    assert errors == sorted(errors) and errors[0] < errors[-1]

    tab.select_option("#oordeel", Verdict.REVIEW.value)
    reviews = sum(e.verdict is Verdict.REVIEW for e in report.registrations)
    assert tab.locator(VISIBLE_ROWS).count() == reviews
    assert set(tab.locator(f"{VISIBLE_ROWS} td:nth-child(4)").all_inner_texts()) == {"Beoordelen"}
    tab.select_option("#oordeel", "")
    tab.select_option("#bevinding", "SIGNATURES_MISSING")
    having = [e for e in report.registrations if any(f.code.value == "SIGNATURES_MISSING"
                                                     for f in e.all_findings)]  # fmt: skip
    assert tab.locator(VISIBLE_ROWS).count() == len(having) == 4
    tab.get_by_role("button", name="Filters wissen").click()
    # a locator wait, not wait_for_function: a string predicate is eval, which the CSP refuses
    tab.locator("#aantal").filter(has_text=re.compile(r"^14 van")).wait_for()
    assert tab.problems == []


def test_a_code_in_the_summary_filters_and_an_r_number_opens_its_details(tab: Any) -> None:
    tab.locator("table.summary-codes a", has_text="Opleiding wijkt af").click()
    assert tab.input_value("#bevinding") == "EDUCATION_MISMATCH"
    assert tab.locator(VISIBLE_ROWS).count() == 4
    tab.locator(VISIBLE_ROWS).first.get_by_role("link").click()
    opened = tab.locator("details.registration[open]")
    assert opened.count() == 1 and opened.first.is_visible()
    assert "Opleiding wijkt af" in opened.first.inner_text()
    assert tab.problems == []


def test_the_page_is_light_and_the_overview_on_the_first_screen(tab: Any, tmp_path: Path) -> None:
    height = tab.evaluate("document.documentElement.scrollHeight")
    top = tab.evaluate("document.getElementById('overzicht-tabel').getBoundingClientRect().top")
    print(f"report.html with 14 registrations: {height} px tall, overview at {top:.0f} px")
    assert height < 4000 and top < 768 / 2
    shots = shots_folder(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=shots / "report-html.png")


def test_axe_finds_no_serious_violation(tab: Any) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    tab.locator("details.registration").first.locator("summary").click()  # a table inside too
    violations = axe.Axe().run(tab).response["violations"]
    serious = [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
