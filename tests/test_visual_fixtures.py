"""The visual extractors over a few committed fixture documents (born-digital, scan, photo):
signature_count, logo_present and stamp_present as in the fixture truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.enums import MediaType
from core.settings import Settings
from extractors.visual.collect import VisualCollector
from reading.text import extract_pages

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
FIELDS = ("signature_count", "logo_present", "stamp_present")


def _pick(kind: str, count: int) -> list[str]:
    truth = json.loads((SAMPLE / "truth.json").read_text())["documents"]
    docs = [
        f
        for f, d in sorted(truth.items())
        if d["kind"] == kind and d["fields"].get("signature_count")
    ]
    return docs[:count]


@pytest.mark.slow
@pytest.mark.parametrize("file", _pick("born_digital", 2) + _pick("scan", 2) + _pick("photo", 1))
def test_fixture_marks_match_truth(file: str) -> None:
    truth = json.loads((SAMPLE / "truth.json").read_text())["documents"][file]["fields"]
    media = MediaType.JPEG if file.endswith(".jpg") else MediaType.PDF
    collector = VisualCollector()
    extract_pages((SAMPLE / file).read_bytes(), media, settings=Settings(), on_page=collector)
    fields = collector.fields()
    for name in FIELDS:
        assert fields[name].value == truth[name], name
