"""The reviewer's HTML page: well-formed, self-contained, Dutch, every value escaped, and the
summary counting what the report holds."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.report import Report
from outputs.html import code_counts, verdict_counts, write_html
from tests.test_export_xlsx import BSN, SCRIPT_MESSAGE, sample_report

VOID = {"meta", "link", "br", "img", "hr", "input", "col", "wbr"}
CHROMIUM = Path("/usr/bin/chromium")


class PageParser(HTMLParser):
    """Checks that tags nest and collects text, tag names, links and tables by class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.attrs: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append(tag)
        self.links.extend(values[name] for name in ("href", "src") if name in values)
        if tag == "html":
            self.attrs = values
        if tag == "table":
            self._table = self.tables.setdefault(values.get("class", ""), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th"):
            self._cell = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}> at {self.getpos()}")
        if tag in ("td", "th") and self._cell is not None and self._table:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors, parser.stack)
    return parser


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    write_html(sample_report(), path)
    return path


def test_page_is_well_formed_dutch_and_self_contained(page: Path) -> None:
    parsed = parse(page)
    assert parsed.attrs.get("lang") == "nl"
    assert "bewijscheck — rapport" in parsed.text
    assert "script" not in parsed.tags
    assert all(link.startswith("#") for link in parsed.links)
    text = "".join(parsed.text)
    assert "2026-11-23T10:00:00Z" in text and "versie 0.1.0" in text


def test_every_registration_is_on_the_page_with_its_findings_and_documents(page: Path) -> None:
    parsed = parse(page)
    text = "".join(parsed.text)
    for registratie_id in ("R0001234", "R0005678", "R0009999", "R0000042"):
        assert text.count(registratie_id) == 2  # overview link and section heading
    findings = parsed.tables["findings"]
    assert ["CREBO_MISMATCH", "fout", "Crebonummer 25498 op de praktijkovereenkomst wijkt af "
            "van 25491.", "docs/café_pok.pdf", "1", "25491", "25498"] in findings  # fmt: skip
    assert findings[2][:2] == ["SIGNATURES_MISSING", "fout"] and findings[2][4] == "—"
    documents = parsed.tables["documents"]
    assert ["docs/café_pok.pdf", "praktijkovereenkomst", "praktijkovereenkomst (97%)", "2",
            "tekstlaag", "—"] in documents  # fmt: skip
    assert ["docs/loonstrook_start.jpg", "loonstrook_start", "loonstrook (81%)", "1", "OCR",
            "88%"] in documents  # fmt: skip
    assert "Geen documenten." in text  # R0000042 has none


def test_script_in_a_message_is_escaped_not_run(page: Path) -> None:
    source = page.read_text(encoding="utf-8")
    assert "<script>" not in source
    assert "&lt;script&gt;alert(&quot;zoë&quot;)&lt;/script&gt;" in source
    assert SCRIPT_MESSAGE in "".join(parse(page).text)


def test_summary_counts_verdicts_and_codes(page: Path) -> None:
    parsed = parse(page)
    verdicts = parsed.tables["narrow summary-verdicts"]
    assert verdicts == [
        ["Oordeel", "Aantal"],
        ["afkeuren", "2"],
        ["beoordelen", "1"],
        ["goedkeuren", "1"],
        ["Totaal", "4"],
    ]
    codes = parsed.tables["narrow summary-codes"]
    assert codes[0] == ["Code", "Ernst", "Aantal"]
    assert sorted(codes[1:]) == [
        ["CREBO_MISMATCH", "fout", "1"],
        ["DOCUMENT_MISSING", "fout", "1"],
        ["DOC_TYPE_UNCERTAIN", "waarschuwing", "1"],
        ["EDUCATION_MISMATCH", "waarschuwing", "1"],
        ["SIGNATURES_MISSING", "fout", "1"],
    ]
    report = sample_report()
    assert sum(verdict_counts(report).values()) == 4
    assert sum(count for _, _, count in code_counts(report)) == 5


def test_input_problems_have_their_own_section(page: Path) -> None:
    parsed = parse(page)
    assert "Invoerproblemen" in parsed.text
    assert parsed.tables["input-problems"][1] == [
        "registraties.csv",
        "7",
        "R0000777",
        "crebo '2549' heeft geen 5 cijfers; rij overgeslagen (één fout)",
    ]


def test_no_field_text_and_so_no_bsn_reaches_the_page(page: Path) -> None:
    assert BSN not in page.read_text(encoding="utf-8")


def test_empty_report_renders(tmp_path: Path) -> None:
    path = tmp_path / "leeg.html"
    write_html(Report(), path)
    text = "".join(parse(path).text)
    assert "Geen registraties." in text and "Geen invoerproblemen." in text


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
def test_chromium_loads_the_page_without_console_errors_or_requests(page: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    problems: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            tab = browser.new_page()
            tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            tab.on("pageerror", lambda error: problems.append(str(error)))
            tab.on("request", lambda r: requests.append(r.url))
            tab.goto(page.as_uri())
            assert tab.title() == "bewijscheck — rapport"
            assert tab.locator("script").count() == 0
            assert SCRIPT_MESSAGE in tab.inner_text("body")
            assert tab.locator("section.registration").count() == 4
        finally:
            browser.close()
    assert problems == []
    assert requests == [page.as_uri()]


def test_batch_writes_all_three_reports_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bewijscheck.cli import _print_summary, _write_reports

    paths = _write_reports(sample_report(), tmp_path)
    assert [p.name for p in paths] == ["report.json", "report.xlsx", "report.html"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert Report.model_validate_json(paths[0].read_text(encoding="utf-8")) == sample_report()
    _print_summary(sample_report(), paths)
    out = capsys.readouterr().out
    for expected in ("afkeuren", "CREBO_MISMATCH (fout)", "Invoerregels overgeslagen", "XLSX"):
        assert expected in out
