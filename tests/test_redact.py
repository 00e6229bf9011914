"""BSN redaction (`pipeline.redact`): a page render kept for reviewers has every valid BSN
blacked out (pixels black in its box, OCR of the stored render no longer reads it), the cached
result and the words carry no BSN, `bsn_present` is still decided on the unmasked text, and a
9-digit number that fails the 11-test is left alone."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.enums import Slot, WordSource
from core.geometry import BBox
from core.manifest import ManifestEntry, load_manifest
from core.model import Hints, Word
from core.settings import OcrSettings, Settings
from pipeline.documents import check_entry_cached
from pipeline.process import process_document
from pipeline.redact import bsn_boxes, bsn_runs, mask_text, redact_image
from reading.ocr import ocr_image
from store.objects import LocalStorage, render_key
from tests import factories

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
BSN = "123456782"  # passes the 11-test
NOT_BSN = "123456789"  # 9 digits that fail it
FIXTURE_BSN = "890545443"  # the sample payslip with a BSN (fixtures/sample/truth.json)


@pytest.mark.parametrize(
    "text",
    [
        f"BSN: {BSN}",
        "Burgerservicenummer 1234.56.782",
        "sofinummer 123 456 782",
        "nummer 123-45-6782",
        "123-456-782 staat hier zonder label",
        "OCR splitst 12345 6782",
        f"({BSN}),",
    ],
)
def test_every_way_of_writing_a_bsn_is_masked(text: str) -> None:
    masked = mask_text(text)
    assert "•" in masked and not re.search(r"\d", masked), masked


@pytest.mark.parametrize(
    "text",
    [
        f"Ordernummer {NOT_BSN}",
        "123 456 789",
        "Salaris 3.004,23 en 24,00 uur",
        "IBAN NL26 SNSB 3948 4257 21",
        "KvK-nummer 15875845",
        "Telefoon 06-12345678",
    ],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


def test_runs_need_adjacent_number_words() -> None:
    assert bsn_runs(["123", "456", "782"], [True, True]) == [(0, 3)]
    assert bsn_runs(["123", "456", "782"], [True, False]) == []
    assert bsn_runs(["BSN", "1234.56.782"], [True]) == [(1, 2)]


def _word(text: str, x0: float, x1: float, line: int = 0) -> Word:
    y = 0.1 + 0.05 * line
    return Word(
        text=text,
        bbox=BBox(x0=x0, y0=y, x1=x1, y1=y + 0.02),
        confidence=0.9,
        source=WordSource.OCR,
        line=line,
    )


def test_boxes_cover_the_words_of_the_number_only() -> None:
    words = [
        _word("BSN:", 0.1, 0.15),
        _word("123", 0.16, 0.2),
        _word("456", 0.21, 0.25),
        _word("782", 0.26, 0.3),
        _word(NOT_BSN, 0.1, 0.3, line=1),
    ]
    [box] = bsn_boxes(words)
    assert (box.x0, box.x1, box.y0) == (0.16, 0.3, 0.1)
    image = np.full((1000, 1000), 255, np.uint8)
    out = redact_image(image, [box])
    assert out[110, 160:300].max() == 0 and out[160, 100:300].min() == 255
    assert image.min() == 255  # the input is left as it was


def _render(storage: LocalStorage, document_id: str, page: int = 1) -> np.ndarray:
    data = np.frombuffer(storage.get(render_key(document_id, page)), np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    assert image is not None
    return image


def _pixels(image: np.ndarray, box: BBox) -> np.ndarray:
    height, width = image.shape
    return image[
        int(box.y0 * height) : int(np.ceil(box.y1 * height)),
        int(box.x0 * width) : int(np.ceil(box.x1 * width)),
    ]


def _ocr_band(image: np.ndarray, box: BBox) -> str:
    """OCR of the full-width band of rows around `box` (fast: a crop, not the page)."""
    height = image.shape[0]
    top = max(0, int(box.y0 * height) - 25)
    bottom = min(height, int(box.y1 * height) + 25)
    words = ocr_image(image[top:bottom], languages="eng", timeout_s=60, dpi=150)
    return " ".join(w.text for w in words)


def _entry(path: Path, slot: Slot) -> ManifestEntry:
    return ManifestEntry(registratie_id="R1", slot=slot, bestand=path.name, line=1, path=path)


def test_text_layer_payslip_render_and_cache_hide_the_bsn(tmp_path: Path) -> None:
    lines = [
        "Salarisspecificatie augustus 2024",
        "Werkgever: Zorggroep Noorderlicht",
        "Naam: Jan de Vries",
        f"BSN: {BSN}",
        f"Ordernummer: {NOT_BSN}",
        "Salaris 3.004,23 Loonheffing 550,83",
        "Netto te betalen 2.348,26",
        "Periode: 08-2024 Datum in dienst 1 mei 2023",
    ]
    pdf = tmp_path / "loonstrook.pdf"
    pdf.write_bytes(factories.text_pdf(lines))
    settings = Settings(data_dir=tmp_path)
    storage = LocalStorage(tmp_path / "storage")
    checked = check_entry_cached(_entry(pdf, Slot.LOONSTROOK_START), settings, storage)
    processed = checked.processed
    assert processed.fields["bsn_present"].value is True  # decided before masking
    assert processed.document is not None and processed.document_id is not None
    [page] = processed.document.pages
    assert page.render_ref == render_key(processed.document_id, 1)
    masked = [w for w in page.words if "•" in w.text]
    [order] = [w for w in page.words if w.text == NOT_BSN]
    assert [w.text for w in masked] == ["•" * 9]

    render = _render(storage, processed.document_id)
    assert _pixels(render, masked[0].bbox).max() < 40  # black (JPEG noise aside)
    assert _pixels(render, order.bbox).min() < 100 < _pixels(render, order.bbox).max()
    assert BSN not in re.sub(r"\D", "", _ocr_band(render, masked[0].bbox))
    assert NOT_BSN in re.sub(r"\D", "", _ocr_band(render, order.bbox))  # OCR does read a crop

    cached = list((storage.root / "results").rglob("*.json"))
    assert len(cached) == 1
    text = cached[0].read_text()
    assert BSN not in text and "1234.56.782" not in text and NOT_BSN in text


def test_fixture_payslip_with_a_bsn(tmp_path: Path) -> None:
    entries, _ = load_manifest(SAMPLE / "manifest.csv")
    [entry] = [e for e in entries if e.bestand == "docs/r0210073_loonstrook_start.pdf"]
    settings = Settings(data_dir=tmp_path)
    storage = LocalStorage(tmp_path / "storage")
    checked = check_entry_cached(entry, settings, storage, Hints("Sem Wolters", None))
    processed = checked.processed
    field = processed.fields["bsn_present"]
    assert field.value is True and field.bbox is not None and processed.document_id
    assert FIXTURE_BSN not in processed.model_dump_json()

    render = _render(storage, processed.document_id)
    assert _pixels(render, field.bbox).max() < 40
    assert FIXTURE_BSN not in re.sub(r"\D", "", _ocr_band(render, field.bbox))
    for path in (storage.root / "results").rglob("*.json"):
        assert FIXTURE_BSN not in path.read_text()


def test_scanned_page_render_is_redacted_in_the_ocr_frame(tmp_path: Path) -> None:
    lines = [
        "Loonstrook september 2024",
        "Werknemer: Jan de Vries",
        "Burgerservicenummer: 578230859",
    ]
    data = factories.image_pdf(factories.text_image(lines, height=300), dpi=150)
    storage = LocalStorage(tmp_path / "storage")
    saved: dict[int, np.ndarray] = {}

    def save(page: int, image: np.ndarray, words: list[Word]) -> str:
        from pipeline.documents import render_saver

        key = render_saver(storage, "ab" * 32)(page, image, words)
        saved[page] = image
        return key

    settings = Settings(data_dir=tmp_path, ocr=OcrSettings(languages="eng", dpi=150))
    processed = process_document(
        data, file="scan.pdf", slot=Slot.LOONSTROOK_START, settings=settings, save_render=save
    )
    assert processed.document is not None
    [page] = processed.document.pages
    [masked] = [w for w in page.words if "•" in w.text]
    render = _render(storage, "ab" * 32)
    assert render.shape == saved[1].shape[:2]
    assert _pixels(render, masked.bbox).max() < 40
    assert _pixels(saved[1], masked.bbox).min() < 100  # the number was printed there
    assert "578230859" not in re.sub(r"\D", "", _ocr_band(render, masked.bbox))
    assert "578230859" not in processed.model_dump_json()
