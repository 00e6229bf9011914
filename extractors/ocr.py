"""Tesseract OCR of one page image into `Word`s. The image is written once as PGM and the
file path handed to pytesseract (given an image object it would encode a temporary PNG, which
costs about a third extra); tesseract runs single-threaded (`OMP_THREAD_LIMIT=1`, pages are
parallelised by the caller) with a timeout per page. Failures raise `OcrError`."""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytesseract

from extractors.render import write_pnm
from pipeline.enums import WordSource
from pipeline.errors import OcrError
from pipeline.geometry import BBox
from pipeline.model import Word

# Tesseract's OpenMP threads fight with our process-level parallelism; one thread is fastest.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

log = logging.getLogger(__name__)

DEFAULT_PSM = 3  # fully automatic page segmentation, no OSD


def _config(dpi: int | None, psm: int) -> str:
    parts = [f"--psm {psm}"]
    if dpi:
        parts.append(f"--dpi {dpi}")  # PGM carries no resolution
    return " ".join(parts)


def run_tesseract(
    path: str | Path,
    *,
    languages: str,
    timeout_s: float,
    config: str,
    osd: bool = False,
) -> Any:
    """Run tesseract on an image file: a dict of TSV columns, or the OSD dict when `osd`.
    Raises `OcrError` when tesseract is missing, fails or exceeds `timeout_s`."""
    try:
        if osd:
            return pytesseract.image_to_osd(
                str(path), config=config, timeout=timeout_s, output_type=pytesseract.Output.DICT
            )
        return pytesseract.image_to_data(
            str(path),
            lang=languages,
            config=config,
            timeout=timeout_s,
            output_type=pytesseract.Output.DICT,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrError(f"tesseract not found: {exc}") from None
    except pytesseract.TesseractError as exc:
        raise OcrError(f"tesseract failed (status {exc.status}): {exc.message}") from None
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrError(f"tesseract: {exc} after {timeout_s:g} s") from None
    except (OSError, ValueError, subprocess.SubprocessError, SystemExit) as exc:
        # SystemExit: pytesseract's answer to an unparsable `tesseract --version`
        raise OcrError(f"tesseract could not run: {exc!r}") from None


def words_from_data(data: dict[str, list[Any]], width: int, height: int) -> list[Word]:
    """Tesseract's `image_to_data` columns → `Word`s with boxes as fractions of the
    `width` x `height` image, confidence 0..1, and a line number per (block, par, line)."""
    words: list[Word] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    for i, raw_text in enumerate(data.get("text", [])):
        text = str(raw_text).strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        block, par, line = (
            int(data["block_num"][i]),
            int(data["par_num"][i]),
            int(data["line_num"][i]),
        )
        line_no = line_ids.setdefault((block, par, line), len(line_ids))
        left, top = int(data["left"][i]), int(data["top"][i])
        right, bottom = left + int(data["width"][i]), top + int(data["height"][i])
        words.append(
            Word(
                text=text,
                bbox=BBox.from_pixels(left, top, right, bottom, width, height),
                confidence=round(min(1.0, max(0.0, conf / 100.0)), 4),
                source=WordSource.OCR,
                line=line_no,
                block=block,
            )
        )
    return words


def ocr_image(
    image: np.ndarray,
    *,
    languages: str,
    timeout_s: float,
    dpi: int | None = None,
    psm: int = DEFAULT_PSM,
) -> list[Word]:
    """OCR a grayscale image; boxes are fractions of this image's size."""
    height, width = image.shape[:2]
    with tempfile.TemporaryDirectory(prefix="bewijscheck-ocr-") as tmp:
        path = write_pnm(image, Path(tmp) / "page.pgm")
        data = run_tesseract(
            path, languages=languages, timeout_s=timeout_s, config=_config(dpi, psm)
        )
    return words_from_data(data, width, height)


def mean_confidence(words: list[Word]) -> float | None:
    """Mean word confidence, or None without words."""
    if not words:
        return None
    return round(sum(w.confidence for w in words) / len(words), 4)
