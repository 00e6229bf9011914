"""Tesseract OCR into words: text, boxes, confidences, the thread limit the command runs with,
and the engine's failure paths (a crashing and a hanging fake tesseract)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytesseract
import pytest

from core.enums import MediaType, WordSource
from core.settings import OcrSettings, Settings
from reading.ocr import mean_confidence, ocr_image, words_from_data
from reading.text import OcrError, extract_pages
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
SMALL_LINES = ["Crebo 25491", "Jan de Vries"]


def _small_image() -> np.ndarray:
    image = factories.text_image(SMALL_LINES, width=520, height=180, size=44)
    return np.asarray(image.convert("L"))


# Run in a fresh interpreter whose environment has no OMP_THREAD_LIMIT (this process's has:
# the conftest sets it): the tesseract command records the limit it was started with.
OCR_IN_A_CLEAN_PROCESS = """
import sys
import numpy as np
import pytesseract
from core.errors import OcrError
from core.settings import OcrEngine, OcrSettings, Settings
from reading.ocr import ocr_image

if sys.argv[2] == "init":
    from pipeline.bootstrap import init_process

    init_process(Settings(ocr=OcrSettings(engine=OcrEngine.CLI)))
pytesseract.pytesseract.tesseract_cmd = sys.argv[1]
try:
    blank = np.full((40, 40), 255, np.uint8)
    ocr_image(blank, languages="eng", timeout_s=30, engine=OcrEngine.CLI)
except OcrError:
    pass
"""


@pytest.mark.parametrize(("initialised", "limit"), [(True, "1"), (False, "")])
def test_tesseract_runs_with_the_thread_limit_of_init_process(
    tmp_path: Path, initialised: bool, limit: str
) -> None:
    """The limit reaches the tesseract command because `init_process` set it; without the
    initialiser a clean process passes none (so the first case cannot pass by inheritance)."""
    seen = tmp_path / "omp.txt"
    fake = _fake_tesseract(tmp_path, f'printf %s "$OMP_THREAD_LIMIT" > "{seen}"; exit 1\n')
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    done = subprocess.run(
        [sys.executable, "-c", OCR_IN_A_CLEAN_PROCESS, fake, "init" if initialised else "-"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert seen.read_text() == limit


def test_ocr_small_image_words_and_boxes() -> None:
    image = _small_image()
    words = ocr_image(image, languages="nld+eng", timeout_s=30)
    assert [w.text for w in words] == ["Crebo", "25491", "Jan", "de", "Vries"]
    assert all(w.source is WordSource.OCR and w.confidence > 0.6 for w in words)
    crebo = words[0]
    # drawn at x=40, y=40 in a 520x180 image with a 44 px font
    assert crebo.bbox.x0 == pytest.approx(40 / 520, abs=0.02)
    assert crebo.bbox.y0 == pytest.approx(40 / 180, abs=0.06)
    assert crebo.bbox.x1 < words[1].bbox.x0
    assert words[0].line == words[1].line != words[2].line
    assert words[2].bbox.y0 > crebo.bbox.y1
    assert mean_confidence(words) == pytest.approx(
        sum(w.confidence for w in words) / len(words), abs=1e-3
    )


def test_jpeg_is_one_ocr_page() -> None:
    [page] = extract_pages(factories.jpeg(), MediaType.JPEG, settings=Settings())
    assert page.source is WordSource.OCR
    assert (page.width, page.height) == (1240, 700)
    assert page.dpi is None and page.rotation == 0.0
    assert "Zorggroep Noorderlicht" in page.text


def test_words_from_data_skips_empty_and_structural_rows() -> None:
    data = {
        "text": ["", "Hallo", " ", "wereld", "daar"],
        "conf": [-1, 91.5, 95, 80, 70],
        "block_num": [1, 1, 1, 1, 2],
        "par_num": [1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 1, 1],
        "left": [0, 10, 0, 60, 10],
        "top": [0, 20, 0, 20, 80],
        "width": [200, 40, 0, 50, 40],
        "height": [100, 10, 0, 10, 10],
    }
    words = words_from_data(data, 200, 100)
    assert [(w.text, w.line, w.block, w.confidence) for w in words] == [
        ("Hallo", 0, 1, 0.915),
        ("wereld", 0, 1, 0.8),
        ("daar", 1, 2, 0.7),
    ]
    assert words[0].bbox.x1 == pytest.approx(0.25)


def _fake_tesseract(tmp_path: Path, body: str) -> str:
    script = tmp_path / "tesseract"
    script.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "tesseract 5.3.0"; exit 0; fi\n' + body
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_crashing_tesseract_raises_ocr_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/bin/false")
    with pytest.raises(OcrError, match="tesseract"):
        ocr_image(_small_image(), languages="nld+eng", timeout_s=10)


def test_failing_tesseract_raises_ocr_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _fake_tesseract(tmp_path, 'echo "Error: segmentation fault" >&2; exit 139\n')
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", fake)
    with pytest.raises(OcrError, match="status 139"):
        ocr_image(_small_image(), languages="nld+eng", timeout_s=10)


def test_hanging_tesseract_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _fake_tesseract(tmp_path, "exec sleep 30\n")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", fake)
    settings = Settings(ocr=OcrSettings(page_timeout_s=0.5))
    with pytest.raises(OcrError, match="timeout"):
        extract_pages(factories.jpeg(), MediaType.JPEG, settings=settings)


def test_missing_tesseract_raises_ocr_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(OcrError, match="not found"):
        ocr_image(_small_image(), languages="nld+eng", timeout_s=10)
