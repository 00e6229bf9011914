"""The in-process Tesseract (tesserocr, models loaded once) reads exactly as the `tesseract`
command: same words, boxes, confidences, lines and blocks; a wrapper script on PATH or the
`cli` engine (`Settings.ocr.engine`, per call or per process) selects the command; a timeout
is an `OcrError`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.errors import OcrError
from core.settings import OcrEngine
from reading import ocr
from reading.ocr import in_process, ocr_image, use_engine
from tests import factories

pytestmark = pytest.mark.skipif(not in_process(), reason="tesserocr not usable here")


def _page() -> np.ndarray:
    lines = ["Praktijkovereenkomst BBL", "Crebo 25491  Jan de Vries", "Ingangsdatum 01-09-2024"]
    image = factories.text_image(lines, width=1400, height=420, size=40)
    return np.asarray(image.convert("L"))


def test_in_process_reads_exactly_as_the_command() -> None:
    image = _page()
    fast = ocr_image(image, languages="nld+eng", timeout_s=60, dpi=300)
    assert not in_process(OcrEngine.CLI)
    command = ocr_image(image, languages="nld+eng", timeout_s=60, dpi=300, engine=OcrEngine.CLI)
    assert fast == command
    assert [w.text for w in fast][:2] == ["Praktijkovereenkomst", "BBL"]


def test_the_process_choice_applies_to_calls_that_name_no_engine() -> None:
    try:
        use_engine(OcrEngine.CLI)
        assert not in_process() and in_process(OcrEngine.AUTO)
    finally:
        use_engine(OcrEngine.AUTO)
    assert in_process()


def test_a_wrapper_script_on_path_is_run_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shim = tmp_path / "tesseract"
    shim.write_text('#!/bin/sh\nexec /usr/bin/env -u PATH tesseract "$@"\n')
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert not in_process()


def test_in_process_timeout_raises_ocr_error() -> None:
    image = np.tile(_page(), (6, 1))
    with pytest.raises(OcrError, match="timeout"):
        ocr._run_in_process(image, languages="nld+eng", timeout_s=0.001, dpi=300, psm=3)
