"""DOC_UNREADABLE's measure: too few confident words, or OCR unsure of most of what it read (a
blurred scan read as many low-confidence fragments); a sharp page and a text layer pass."""

from __future__ import annotations

import pytest

from core.enums import WordSource
from core.geometry import BBox
from core.model import Page, Word
from pipeline.process import illegible


def _page(confidences: list[float], source: WordSource = WordSource.OCR) -> Page:
    box = BBox(x0=0.1, y0=0.1, x1=0.2, y1=0.11)
    words = [
        Word(text=f"woord{i}", bbox=box, confidence=c, source=source)
        for i, c in enumerate(confidences)
    ]
    return Page(number=1, width=2480, height=3508, source=source, words=words)


@pytest.mark.parametrize(
    ("confidences", "source", "expected"),
    [
        ([0.93] * 40, WordSource.OCR, False),  # a sharp scan
        ([0.93] * 5, WordSource.OCR, True),  # too few words
        ([0.7] * 14 + [0.15] * 30, WordSource.OCR, True),  # blurred: mean 0.33
        ([0.9] * 30 + [0.3] * 10, WordSource.OCR, False),  # a scan with a few bad words
        ([0.2] * 40, WordSource.TEXT_LAYER, True),  # nothing read with confidence
        ([1.0] * 40, WordSource.TEXT_LAYER, False),  # a text layer
    ],
)
def test_illegible(confidences: list[float], source: WordSource, expected: bool) -> None:
    assert illegible([_page(confidences, source)]) is expected
