"""The reviewer's HTML page: well-formed, self-contained (inline style and script allowed by
their hashes, nothing loaded), Dutch with the web app's verdict words and Dutch finding labels
(the code in a tooltip), local time with its zone, every value escaped; an overview that the
page's script can search, filter and sort, and every registration's details folded. The page
in Chromium: tests/test_export_html_browser.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.enums import FindingCode, Verdict
from core.finding_labels import FINDING_LABELS
from core.report import Report
from core.words import VERDICT_WORDS
from outputs.html import write_html
from outputs.html_assets import CSS, JS, csp_hash
from outputs.labels import code_counts, local_time, verdict_counts
from tests.test_export_xlsx import BSN, SCRIPT_MESSAGE, sample_report

VOID = {"meta", "link", "br", "img", "hr", "input", "col", "wbr"}


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
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._raw: list[str] | None = None
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append(tag)
        self.elements.append((tag, values))
        if tag in ("script", "style"):
            self._raw = self.scripts if tag == "script" else self.styles
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
        if self._raw is not None:
            self._raw.append(data)
            self._raw = None
            return
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


def attrs_of(parsed: PageParser, tag: str, **wanted: str) -> list[dict[str, str]]:
    """The attributes of every `tag` whose attributes include `wanted` (class: a word of it)."""

    def matches(values: dict[str, str], key: str, value: str) -> bool:
        if key == "class":
            return value in values.get("class", "").split()
        return values.get(key) == value

    return [
        values
        for name, values in parsed.elements
        if name == tag and all(matches(values, k, v) for k, v in wanted.items())
    ]


def test_page_is_well_formed_dutch_and_self_contained(page: Path) -> None:
    parsed = parse(page)
    assert parsed.attrs.get("lang") == "nl"
    assert "bewijscheck — rapport" in parsed.text
    assert all(link.startswith("#") for link in parsed.links)  # no src, no outside link
    assert parsed.scripts == [JS] and parsed.styles == [CSS]  # inline, one of each
    [policy] = attrs_of(parsed, "meta", **{"http-equiv": "Content-Security-Policy"})
    rules = dict(rule.strip().split(" ", 1) for rule in policy["content"].split(";"))
    assert rules["default-src"] == "'none'"
    assert rules["script-src"] == csp_hash(parsed.scripts[0])
    assert rules["style-src"] == csp_hash(parsed.styles[0])
    assert "versie 0.1.0" in "".join(parsed.text)


def test_the_time_is_dutch_local_time_with_its_zone(page: Path) -> None:
    parsed = parse(page)
    [time] = attrs_of(parsed, "time")
    assert time["datetime"] == "2026-11-23T10:00:00Z"  # the machine-readable UTC stamp
    text = "".join(parsed.text)
    assert "Gemaakt op 23-11-2026 11:00 CET" in text and "10:00" not in text
    assert local_time("2026-07-01T10:00:00Z") == "01-07-2026 12:00 CEST"  # summer time
    assert local_time("2026-03-29T01:30:00Z") == "29-03-2026 03:30 CEST"  # the night it turns
    assert local_time("geen tijd") == "geen tijd"


def overview(parsed: PageParser) -> list[list[str]]:
    return parsed.tables["overview"]


def test_overview_has_a_row_per_registration_with_names_and_verdict_words(page: Path) -> None:
    rows = overview(parse(page))
    assert rows[0] == [
        "Registratie", "Organisatie", "Deelnemer", "Oordeel", "Fouten", "Waarschuwingen",
        "Documenten", "Bevindingen",
    ]  # fmt: skip
    assert rows[1] == [
        "R0001234", "Stichting De Wielewaal", "Zoë de Groot", "Afwijzen", "3", "1", "2",
        "Crebo wijkt afHandtekening ontbreektOpleiding wijkt af",
    ]  # fmt: skip
    assert rows[2][:4] == ["R0005678", "Kinderopvang Het Gastenhuis", "Jan-Willem van der Heijden",
                           "Beoordelen"]  # fmt: skip
    assert rows[3][3:] == ["Goedkeuren", "0", "0", "1", "—"]
    assert rows[4][:4] == ["R0000042", "—", "—", "Afwijzen"]


def test_verdict_words_are_the_web_apps(page: Path) -> None:
    parsed = parse(page)
    badges = [
        text
        for text in parsed.text
        if text in VERDICT_WORDS.values() or text.lower() in ("afkeuren", "goedkeuren")
    ]
    assert set(badges) == set(VERDICT_WORDS.values())
    assert "afkeuren" not in page.read_text(encoding="utf-8").lower()
    verdicts = {v["value"] for v in attrs_of(parsed, "option") if v.get("value")}
    assert {v.value for v in Verdict} <= verdicts


def test_codes_show_as_dutch_labels_with_the_code_as_tooltip(page: Path) -> None:
    parsed = parse(page)
    tags = attrs_of(parsed, "li", **{"class": "tag"})
    assert [t["title"] for t in tags] == [
        "CREBO_MISMATCH", "SIGNATURES_MISSING", "EDUCATION_MISMATCH", "DOC_TYPE_UNCERTAIN",
        "DOCUMENT_MISSING",
    ]  # fmt: skip
    text = parsed.text
    for title in (t["title"] for t in tags):
        assert FINDING_LABELS[FindingCode(title)] in text
    [errors] = [t for t in tags if t["title"] == "CREBO_MISMATCH"]
    assert "error" in errors["class"].split()


def test_rows_carry_what_the_script_searches_and_filters_on(page: Path) -> None:
    rows = attrs_of(parse(page), "tr", **{"data-target": "registratie-1"})
    assert rows == [
        {
            "data-index": "1",
            "data-target": "registratie-1",
            "data-verdict": "reject",
            "data-codes": "CREBO_MISMATCH SIGNATURES_MISSING EDUCATION_MISMATCH",
            "data-search": "r0001234 stichting de wielewaal zoe de groot",  # no accents
        }
    ]


def test_filters_offer_every_verdict_and_every_code_found(page: Path) -> None:
    parsed = parse(page)
    [search] = attrs_of(parsed, "input", type="search")
    assert search["id"] == "zoek"
    assert attrs_of(parsed, "form", id="filters")[0].get("hidden") == ""  # shown by the script
    options = [o["value"] for o in attrs_of(parsed, "option") if o.get("value")]
    codes = {code.value for code, _, _ in code_counts(sample_report())}
    assert set(options) == codes | {v.value for v in Verdict}
    text = "".join(parsed.text)
    assert "Crebo wijkt af (1)" in text  # label and the registrations that have it
    headers = attrs_of(parsed, "th", **{"aria-sort": "none"})
    assert len(headers) == 8  # every overview column sorts


def test_every_registration_is_folded_with_its_findings_and_documents(page: Path) -> None:
    parsed = parse(page)
    folded = attrs_of(parsed, "details", **{"class": "registration"})
    assert [d["id"] for d in folded] == [f"registratie-{n}" for n in range(1, 5)]
    assert not any("open" in d for d in folded)
    links = [a["href"] for a in attrs_of(parsed, "a") if a["href"].startswith("#registratie")]
    assert links == [f"#registratie-{n}" for n in range(1, 5)]
    text = "".join(parsed.text)
    assert "R0001234 Afwijzen Zoë de Groot · Stichting De Wielewaal · 4 bevindingen" in text
    findings = parsed.tables["findings"]
    assert ["Crebo wijkt afCREBO_MISMATCH", "Fout", "Crebonummer 25498 op de "
            "praktijkovereenkomst wijkt af van 25491.", "docs/café_pok.pdf", "1", "25491",
            "25498"] in findings  # fmt: skip
    documents = parsed.tables["documents"]
    assert ["docs/café_pok.pdf", "praktijkovereenkomst", "praktijkovereenkomst (97%)", "2",
            "tekstlaag", "—"] in documents  # fmt: skip
    assert "Geen documenten." in text  # R0000042 has none


def test_script_in_a_message_is_escaped_not_run(page: Path) -> None:
    source = page.read_text(encoding="utf-8")
    assert source.count("<script>") == 1  # the page's own
    assert "&lt;script&gt;alert(&quot;zoë&quot;)&lt;/script&gt;" in source
    assert SCRIPT_MESSAGE in "".join(parse(page).text)


def test_summary_counts_verdicts_and_codes(page: Path) -> None:
    parsed = parse(page)
    text = "".join(parsed.text)
    assert re.search(r"Afwijzen\s*2\s*Beoordelen\s*1\s*Goedkeuren\s*1", text)
    codes = parsed.tables["narrow summary-codes"]
    assert codes[0] == ["Bevinding", "Code", "Ernst", "Aantal", "Registraties"]
    assert sorted(codes[1:]) == [
        ["Crebo wijkt af", "CREBO_MISMATCH", "Fout", "1", "1"],
        ["Document ontbreekt", "DOCUMENT_MISSING", "Fout", "1", "1"],
        ["Handtekening ontbreekt", "SIGNATURES_MISSING", "Fout", "2", "1"],
        ["Opleiding wijkt af", "EDUCATION_MISMATCH", "Waarschuwing", "1", "1"],
        ["Soort document onzeker", "DOC_TYPE_UNCERTAIN", "Waarschuwing", "1", "1"],
    ]
    report = sample_report()
    assert sum(verdict_counts(report).values()) == 4
    assert sum(count for _, _, count in code_counts(report)) == 6


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
    parsed = parse(path)
    text = "".join(parsed.text)
    assert "Geen registraties." in text and "Geen invoerproblemen." in text
    assert "overview" not in parsed.tables


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
    for expected in ("Afwijzen", "CREBO_MISMATCH (Fout)", "Invoerregels overgeslagen", "XLSX"):
        assert expected in out
