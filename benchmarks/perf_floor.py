"""The floor `benchmarks.performance` compares against: the `tesseract` CLI alone over the set's
scan pages and photos, rendered beforehand to grayscale PGM files (300 dpi), and OCRmyPDF over
the scanned PDFs; each run `parallel` commands at a time."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.perf_set import BenchSet

BIN = Path(sys.executable).parent
LANGUAGES = "nld+eng"
DPI = 300


def render_pages(bench: BenchSet, folder: Path) -> tuple[list[Path], list[Path], float]:
    """Scan pages at 300 dpi and photos, grayscale PGM; (scan pages, photo pages, seconds)."""
    import cv2
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageOps

    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    scans: list[Path] = []
    for i, path in enumerate(bench.files("scan")):
        pdf = pdfium.PdfDocument(str(path))
        for j in range(len(pdf)):
            array = pdf[j].render(scale=DPI / 72, grayscale=True).to_numpy()
            if array.ndim == 3:
                array = array[:, :, 0]
            target = folder / f"scan{i:03d}_{j:02d}.pgm"
            cv2.imwrite(str(target), np.ascontiguousarray(array))
            scans.append(target)
        pdf.close()
    photos: list[Path] = []
    for i, path in enumerate(bench.files("photo")):
        with Image.open(path) as image:
            gray = np.asarray(ImageOps.exif_transpose(image).convert("L"))
        target = folder / f"photo{i:03d}.pgm"
        cv2.imwrite(str(target), gray)
        photos.append(target)
    return scans, photos, time.perf_counter() - started


def run_parallel(commands: Sequence[list[str]], parallel: int, env: dict[str, str]) -> float:
    """Wall seconds to run every command, `parallel` at a time; fails on a non-zero exit."""

    def one(command: list[str]) -> None:
        subprocess.run(
            command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, commands))
    return time.perf_counter() - started


def tesseract_commands(pages: list[Path]) -> list[list[str]]:
    return [["tesseract", str(p), "-", "-l", LANGUAGES, "--dpi", str(DPI), "tsv"] for p in pages]


def ocrmypdf_commands(files: list[Path], out: Path) -> list[list[str]]:
    out.mkdir(parents=True, exist_ok=True)
    return [
        [
            str(BIN / "ocrmypdf"),
            "--skip-text",
            "--output-type",
            "pdf",
            "--optimize",
            "0",
            "--jobs",
            "1",
            "-l",
            LANGUAGES,
            "--quiet",
            str(f),
            str(out / f.name),
        ]
        for f in files
    ]
