"""Tesseract OCR of one page image into `Word`s, with a timeout per page; tesseract should run
single-threaded (`OMP_THREAD_LIMIT=1`, set by `pipeline.bootstrap.init_process`: pages are
parallelised by the caller). Failures raise `OcrError`.

Two ways to run the same engine, with the same words out (the TSV of `image_to_data`):
- in process, through `tesserocr` built against the system's libtesseract: the language models
  are loaded once per process (and thread) instead of once per page, which saves about 0.2 s
  of CPU a page (a fifth of a scan page's OCR) and the PGM round trip. Used when `tesserocr`
  is installed and links the same Tesseract version as the `tesseract` command pytesseract
  would run, that command is the engine's binary itself (a wrapper script is run as it is) and
  the engine chosen is not `OcrEngine.CLI` (`Settings.ocr.engine`, `BEWIJSCHECK_OCR_ENGINE`:
  per call, else the process's choice made by `use_engine`). Timeouts cancel the recognition
  (`OcrError`); unlike the command, a crash inside the engine would take its worker process
  down;
- otherwise the `tesseract` command through pytesseract: the image is written once as PGM
  and its path handed over (given an image object pytesseract would encode a temporary PNG,
  which costs about a third extra)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytesseract

from core.enums import WordSource
from core.errors import OcrError
from core.geometry import BBox
from core.model import Word
from core.settings import OcrEngine
from reading.render import write_pnm

log = logging.getLogger(__name__)

DEFAULT_PSM = 3  # fully automatic page segmentation, no OSD
_TSV_COLUMNS = (
    "level", "page_num", "block_num", "par_num", "line_num", "word_num",
    "left", "top", "width", "height", "conf", "text",
)  # fmt: skip
_local = threading.local()  # one tesserocr API per thread and language set
_chosen = {"engine": OcrEngine.AUTO}  # this process's engine, set by `use_engine`


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
    engine: OcrEngine | None = None,
) -> list[Word]:
    """OCR a grayscale image; boxes are fractions of this image's size. `engine`: None for
    this process's choice (`use_engine`)."""
    height, width = image.shape[:2]
    if in_process(engine):
        data = _run_in_process(image, languages=languages, timeout_s=timeout_s, dpi=dpi, psm=psm)
        return words_from_data(data, width, height)
    with tempfile.TemporaryDirectory(prefix="bewijscheck-ocr-") as tmp:
        path = write_pnm(image, Path(tmp) / "page.pgm")
        data = run_tesseract(
            path, languages=languages, timeout_s=timeout_s, config=_config(dpi, psm)
        )
    return words_from_data(data, width, height)


@cache
def _library_matches_command(command: str, search_path: str) -> bool:
    """Whether tesserocr is installed and links the Tesseract of `command` as found on
    `search_path`, and that command is the engine's own binary: a wrapper script (one that
    counts calls, sets limits or options) is run as it is, and a wheel with its own Tesseract
    would read differently from the command."""
    try:
        import tesserocr
    except ImportError:
        return False
    found = shutil.which(command, path=search_path)
    if found is None:
        return False
    try:
        with open(os.path.realpath(found), "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                return False
        answer = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False

    def version(text: str) -> str:
        lines = text.strip().splitlines()
        return lines[0].strip() if lines else ""

    same = version(tesserocr.tesseract_version()) == version(answer.stdout) != ""
    if not same:
        log.info("tesserocr links another Tesseract than the command; using the command")
    return same


def use_engine(engine: OcrEngine) -> None:
    """Choose the engine of this process's `ocr_image` calls that name none (`Settings.ocr.
    engine`); called by the process initialiser, `pipeline.bootstrap.init_process`."""
    _chosen["engine"] = OcrEngine(engine)


def in_process(engine: OcrEngine | None = None) -> bool:
    """Whether `ocr_image` runs tesseract in this process (see the module docstring) with
    `engine`, None for this process's choice."""
    chosen = _chosen["engine"] if engine is None else engine
    return chosen is not OcrEngine.CLI and _library_matches_command(
        pytesseract.pytesseract.tesseract_cmd, os.environ.get("PATH", os.defpath)
    )


def _api(languages: str) -> Any:
    """This thread's tesserocr API for `languages`, created (models loaded) on first use."""
    import tesserocr

    apis: dict[str, Any] = _local.__dict__.setdefault("apis", {})
    api = apis.get(languages)
    if api is None:
        try:
            api = tesserocr.PyTessBaseAPI(lang=languages)
        except RuntimeError as exc:
            raise OcrError(f"tesseract could not load {languages!r}: {exc}") from None
        apis[languages] = api
    return api


def _run_in_process(
    image: np.ndarray, *, languages: str, timeout_s: float, dpi: int | None, psm: int
) -> dict[str, list[Any]]:
    """`image_to_data`'s columns from the in-process engine (same TSV as the command)."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    height, width = gray.shape
    api = _api(languages)
    try:
        api.SetPageSegMode(psm)
        api.SetImageBytes(gray.tobytes(), width, height, 1, width)
        if dpi:
            api.SetSourceResolution(dpi)
        if not api.Recognize(timeout=max(1, int(timeout_s * 1000))):
            raise OcrError(f"tesseract: timeout after {timeout_s:g} s")
        tsv = api.GetTSVText(0)
    except RuntimeError as exc:
        raise OcrError(f"tesseract failed: {exc}") from None
    finally:
        api.Clear()
    data: dict[str, list[Any]] = {name: [] for name in _TSV_COLUMNS}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(_TSV_COLUMNS):
            cells += [""] * (len(_TSV_COLUMNS) - len(cells))
        for name, cell in zip(_TSV_COLUMNS, cells, strict=False):
            # the command writes whole-number confidences (truncated): so do we
            data[name].append(cell if name == "text" else int(float(cell)))
    return data


def mean_confidence(words: list[Word]) -> float | None:
    """Mean word confidence, or None without words."""
    if not words:
        return None
    return round(sum(w.confidence for w in words) / len(words), 4)
