"""Hostile uploads (tests/hostile.py): every kind gets its finding with a Dutch message; a batch
over the whole corpus plus one good document checks the good one and writes nothing outside its
data and report folders; each hostile file stays within generous time and memory bounds; a PDF
of 400 pages is refused without reading its pages; JavaScript and embedded files are reported,
never run or extracted; hostile names in the manifest and in uploads are refused or cleaned."""

from __future__ import annotations

import csv
import json
import os
import resource
import time
import unicodedata
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from core.enums import FindingCode, Verdict
from core.errors import AdmissionError
from core.manifest import load_manifest
from core.registration import load_registrations
from core.report import Report
from core.settings import Limits, Settings
from outputs.html import write_html
from outputs.xlsx import write_xlsx
from pipeline.assemble import assemble_report, entry_problem_document, shown_name
from pipeline.documents import check_entry_cached
from reading.admission import active_content, intake
from store.objects import LocalStorage
from tests import factories, hostile
from tests.test_flow_batch import HEADER, reg
from web.upload_form import MAX_NAME_CHARS, read_upload, safe_name

ROOT = Path(__file__).resolve().parent.parent
LIMITS = Limits()
MAX_SECONDS = 5.0
MAX_RSS_MB = 500.0
REFUSED_AT_INTAKE = [h for h in hostile.corpus() if h.code in ("FILE_UNREADABLE",
                     "FILE_TYPE_NOT_ALLOWED") and h.kind != "truncated_jpeg"]  # fmt: skip


@cache
def corpus() -> dict[str, hostile.Hostile]:
    return {h.kind: h for h in hostile.corpus()}


@pytest.mark.parametrize("item", REFUSED_AT_INTAKE, ids=lambda h: h.kind)
def test_intake_refuses_each_kind_with_its_dutch_message(item: hostile.Hostile) -> None:
    with pytest.raises(AdmissionError) as caught:
        intake(item.data, LIMITS)
    assert caught.value.code == item.code
    assert item.words in caught.value.message
    assert caught.value.message.endswith(".")  # a sentence, saying what to upload instead


def test_a_400_page_pdf_is_refused_quickly_without_loading_its_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = corpus()["pdf_400_pages"].data
    loaded: list[int] = []
    real_getitem = pdfium.PdfDocument.__getitem__
    real_size = pdfium.PdfDocument.get_page_size

    def getitem(self: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
        loaded.append(index)
        return real_getitem(self, index)

    def page_size(self: pdfium.PdfDocument, index: int) -> tuple[float, float]:
        loaded.append(index)
        return real_size(self, index)

    monkeypatch.setattr(pdfium.PdfDocument, "__getitem__", getitem)
    monkeypatch.setattr(pdfium.PdfDocument, "get_page_size", page_size)
    started = time.perf_counter()
    with pytest.raises(AdmissionError) as caught:
        intake(data, LIMITS)
    seconds = time.perf_counter() - started
    assert "400 pagina's; het maximum is 50" in caught.value.message
    assert loaded == []  # refused on the page count, no page looked at
    assert seconds < 1.0, f"refusing 400 pages took {seconds:.2f} s"


def test_a_pdf_image_bomb_is_refused_from_the_image_header() -> None:
    with pytest.raises(AdmissionError) as caught:
        intake(hostile.image_bomb_pdf(), LIMITS)
    assert "40000×40000 pixels" in caught.value.message
    assert intake(hostile.image_bomb_pdf(), Limits(max_megapixels=2000)).page_count == 1


def test_active_content_is_found_also_behind_escaped_names() -> None:
    data = corpus()["pdf_javascript"].data
    assert active_content(data) == ("JavaScript", "ingesloten bestanden")
    hidden = data.replace(b"/S /JavaScript", b"/S /Java#53cript").replace(b"/JS (", b"/J#53 (")
    assert b"/JavaScript" not in hidden
    assert "JavaScript" in active_content(hidden)
    launch = hostile.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (calc.exe) >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )
    assert active_content(launch) == ("een startopdracht voor een programma",)
    assert active_content(factories.text_pdf()) == ()
    assert active_content(factories.image_pdf()) == ()
    assert intake(factories.text_pdf(), LIMITS).active_content == ()
    # the same names inside compressed data (a scan's JPEG held `/JS` by chance) do not count
    noise = hostile.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Length 24 >>\nstream\n\xff\xd8/JS /Launch\x00\x01\nendstream",
        ]
    )
    assert active_content(noise) == ()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../buiten.pdf", "leads outside"),
        ("docs/../../buiten.pdf", "leads outside"),
        ("..\\buiten.pdf", "leads outside"),
        ("docs\\..\\..\\buiten.pdf", "leads outside"),
        ("/etc/passwd", "absolute"),
        ("C:\\Windows\\win.ini", "absolute"),
        ("\\\\server\\share\\x.pdf", "absolute"),
        ("docs/a\x00b.pdf", "invalid"),
        ("a" * 5000 + ".pdf", "invalid"),
        (("a" * 250 + "/") * 20 + "x.pdf", "invalid"),
        ("docs/\u202efdp.exe", "does not exist"),
        ("~/x.pdf", "does not exist"),
        ("docs", "does not exist"),  # a folder
    ],
)
def test_hostile_manifest_names_are_refused_with_a_clean_dutch_message(
    tmp_path: Path, name: str, problem: str
) -> None:
    (tmp_path / "buiten.pdf").write_bytes(factories.text_pdf())
    inside = tmp_path / "in"
    (inside / "docs").mkdir(parents=True)
    manifest = inside / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [["registratie_id", "slot", "bestand"], ["R1", "kvk_uittreksel", name]]
        )
    [entry], errors = load_manifest(manifest)
    assert errors == [] and entry.path is None and problem in (entry.problem or "")
    [finding] = entry_problem_document(entry).findings
    assert finding.code is FindingCode.FILE_UNREADABLE
    assert "Upload het document opnieuw" in finding.message
    shown = finding.message.split("'")[1]
    assert len(shown) <= 80 and "\x00" not in shown and "\u202e" not in shown


def test_a_manifest_name_in_another_unicode_form_finds_the_file(tmp_path: Path) -> None:
    nfc = "docs/café-ß-Ångström.pdf"
    (tmp_path / "docs").mkdir()
    (tmp_path / nfc).write_bytes(factories.text_pdf())
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    manifest = tmp_path / "manifest.csv"
    rows = [f"R1,kvk_uittreksel,{nfc}", f"R1,kvk_uittreksel,{nfd}"]
    manifest.write_text("registratie_id,slot,bestand\n" + "\n".join(rows) + "\n", "utf-8")
    entries, _ = load_manifest(manifest)
    assert [e.path for e in entries] == [tmp_path / nfc] * 2


def test_shown_names_hide_control_and_direction_characters() -> None:
    assert shown_name("fac\u202efdp.exe") == "fac?fdp.exe"
    assert shown_name("a\x00b\r\n.pdf") == "a?b??.pdf"
    long = shown_name("x" * 1000 + ".pdf")
    assert len(long) <= 80 and long.endswith(".pdf") and "…" in long


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("/tmp/x.pdf", "x.pdf"),
        ("C:\\Users\\jan\\loonstrook.pdf", "loonstrook.pdf"),
        ("loon\x00strook.pdf", "loonstrook.pdf"),
        ("fac\u202efdp.exe", "facfdp.exe"),
        ("..", "upload"),
        ("", "upload"),
        ("cafe\u0301.pdf", "café.pdf"),
        ("x" * 1000 + ".pdf", "x" * (MAX_NAME_CHARS - 4) + ".pdf"),
    ],
)
def test_upload_names_are_cleaned(sent: str, kept: str) -> None:
    assert safe_name(sent) == kept


def test_the_upload_form_cleans_the_multipart_filename() -> None:
    """Through the real multipart parser: the name as the report and audit log get it."""
    app = FastAPI()

    @app.post("/u")
    async def upload(request: Request) -> dict[str, str]:
        form = await read_upload(request, 1024 * 1024)
        return {"filename": form.filename, "slot": form.slot.value}

    hostile_name = "..\\..\\\u202egepj.exe\x01.pdf"  # raw bytes: httpx would escape \x01
    body = (
        b'--grens\r\nContent-Disposition: form-data; name="slot"\r\n\r\nkvk_uittreksel\r\n'
        b'--grens\r\nContent-Disposition: form-data; name="bestand"; filename="'
        + hostile_name.encode()
        + b'"\r\nContent-Type: application/pdf\r\n\r\n'
        + factories.text_pdf()
        + b"\r\n--grens--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=grens"}
    with TestClient(app) as client:
        answer = client.post("/u", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"filename": "gepj.exe.pdf", "slot": "kvk_uittreksel"}


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_a_batch_over_the_corpus_checks_the_good_document_and_writes_only_its_folders(
    tmp_path: Path,
) -> None:
    """Each manifest entry through the batch's own per-document step (`check_entry_cached`,
    what every Prefect task runs), then the report files: the good document is checked, every
    hostile one has its finding, nothing is written outside data/ and out/."""
    inside = tmp_path / "in"
    docs = inside / "docs"
    docs.mkdir(parents=True)
    (tmp_path / "geheim.pdf").write_bytes(factories.text_pdf())  # outside the upload folder
    rows = ["R0000001,praktijkovereenkomst,docs/goed.pdf"]
    (docs / "goed.pdf").write_bytes(factories.text_pdf())
    for item in corpus().values():
        name = f"{item.kind}-{item.name}"
        (docs / name).write_bytes(item.data)
        rows.append(f"R0000002,praktijkovereenkomst,docs/{name}")
    with (docs / "groot.pdf").open("wb") as sparse:  # 10 GB on paper, never read
        sparse.truncate(10 * 1024**3)
    rows += [
        "R0000002,loonstrook_start,docs/groot.pdf",
        "R0000002,loonstrook_eind,../geheim.pdf",
        "R0000002,prestatiebewijs,/etc/passwd",
    ]
    (inside / "registrations.csv").write_text(
        "\n".join([HEADER, reg("R0000001"), reg("R0000002")]) + "\n"
    )
    (inside / "manifest.csv").write_text("registratie_id,slot,bestand\n" + "\n".join(rows) + "\n")
    before, parent_before = listing(tmp_path), set(os.listdir(tmp_path.parent))

    settings = Settings(data_dir=tmp_path / "data")
    storage = LocalStorage(settings.data_dir / "storage")
    registrations, _ = load_registrations(inside / "registrations.csv")
    entries, errors = load_manifest(inside / "manifest.csv")
    assert errors == []
    pairs = []
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for entry in entries:
        started = time.perf_counter()
        checked = check_entry_cached(entry, settings, storage)
        assert time.perf_counter() - started < MAX_SECONDS, entry.bestand
        pairs.append((entry, checked.processed))
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - peak_before
    assert grown < MAX_RSS_MB, f"peak memory grew by {grown:.0f} MB"
    report = assemble_report(registrations, pairs)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text(report.to_json(), encoding="utf-8")
    write_xlsx(report, out / "report.xlsx")
    write_html(report, out / "report.html")

    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    Report.model_validate(data)  # the CONTRACT shape still holds
    good, bad = data["registrations"]
    [good_doc] = good["documents"]  # checked: typed, read, its fields found
    assert good_doc["doc_type"] == "praktijkovereenkomst" and good_doc["pages"] == 1
    assert good_doc["fields"]["crebo"]["value"] == "25491"
    content_codes = {
        f["code"] for f in good["findings"] + good["to_review"] if f["file"] == "docs/goed.pdf"
    }
    assert content_codes <= {"FIELD_NOT_FOUND"}  # no signatures seen on a generated page: review
    codes: dict[str, list[tuple[str, str]]] = {}
    for finding in bad["findings"]:
        codes.setdefault(finding["file"], []).append((finding["code"], finding["message"]))
    for item in corpus().values():
        file = f"docs/{item.kind}-{item.name}"
        if item.code == FindingCode.ACTIVE_CONTENT:  # checked as usual, and the reviewer told
            [message] = [m for c, m in codes[file] if c == item.code]
            [doc] = [d for d in bad["documents"] if d["file"] == file]
            assert doc["doc_type"] == "praktijkovereenkomst" and doc["fields"]
        else:  # one finding per root cause
            [(code, message)] = codes[file]
            assert code == item.code, item.kind
        assert item.words in message, item.kind
    assert codes["docs/groot.pdf"] == [
        (
            "FILE_UNREADABLE",
            "Het bestand is groter dan 25 MB. Upload een kleinere versie, bijvoorbeeld gescand "
            "op 300 dpi of alleen de pagina's van dit document.",
        )
    ]
    assert "buiten de map" in codes["../geheim.pdf"][0][1]
    assert "buiten de map" in codes["/etc/passwd"][0][1]
    assert all(f["severity"] in ("error", "warning") for f in bad["findings"])
    assert bad["verdict"] == Verdict.REJECT.value

    after = listing(tmp_path)
    assert {p.split(os.sep)[0] for p in after - before} == {"data", "out"}
    assert before <= after  # nothing removed or moved either
    assert set(os.listdir(tmp_path.parent)) == parent_before
    stored = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert not any(b"not really a program" in p.read_bytes() for p in stored if "originals"
                   not in p.parts)  # the attachment was never extracted  # fmt: skip
    originals = {p.name for p in stored if "originals" in p.parts and "." not in p.name}
    assert len(originals) <= len(corpus()) + 1  # the sparse 10 GB file was not stored


@pytest.mark.slow
def test_each_hostile_file_is_bounded_in_time_and_memory(tmp_path: Path) -> None:
    """Every file in its own forked child of one interpreter (`python -m tests.hostile
    measure`): its finding, wall time and peak RSS (which includes the ~150 MB of the
    interpreter with the pipeline imported)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for item in corpus().values():
        (folder / f"{item.kind}-{item.name}").write_bytes(item.data)
    usage = hostile.measured(folder, ROOT)
    for item in corpus().values():
        name = f"{item.kind}-{item.name}"
        assert usage[name].get("codes") == [item.code], (name, usage[name])
        assert usage[name]["status"] == 0, name
        assert usage[name]["seconds"] < MAX_SECONDS, usage[name]
        assert usage[name]["max_rss_mb"] < MAX_RSS_MB, usage[name]
    worst = max(usage.values(), key=lambda u: u["max_rss_mb"])
    slowest = max(usage.values(), key=lambda u: u["seconds"])
    print(f"\nhostile corpus: slowest {slowest['file']} {slowest['seconds']} s, "
          f"most memory {worst['file']} {worst['max_rss_mb']} MB")  # fmt: skip
