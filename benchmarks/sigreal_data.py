"""The real signature pages of `benchmarks.signatures_real`: where they are, their documents,
the fixed tune/held split and the labelled boxes, un-stretched to US-letter proportions.

The upstream export stretched every page to 640 x 640; a page is turned back into a US-letter
page at about 150 dpi (`PAGE_SIZE`, 1275 x 1650) before anything else. YOLO boxes are fractions
of the image, so the same fractions times the new size are the boxes on the un-stretched page.

The held part is fixed in `HELD_FILE` (committed): the documents of a third of each stratum,
those with an unsigned page and the others, each taken first by the sha256 of the document id
(`choose_held`). The file also records a fingerprint of the data's file names, so a changed
data set is refused instead of silently giving another split."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the un-stretched page

PAGE_SIZE = (1275, 1650)  # width, height: US letter (8.5 x 11 in) at 150 dpi
PAGE_DPI = 150
DOC_CHARS = 8  # the first characters of a file name name its source document
HELD_FILE = Path(__file__).parent / "data" / "signatures_real_held.txt"
HELD_SHARE = 3  # one document in this many is held back
DATA_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "signatures_real",
    Path("/work/shared/data/signatures_real"),
)
PARTS = ("tune", "held")


class SplitError(RuntimeError):
    """The data's documents do not match the committed split."""


@dataclass(frozen=True)
class PageRef:
    """One page of the data set: its image, its document and its labelled boxes."""

    stem: str
    image: Path
    boxes: tuple[Box, ...]

    @property
    def document(self) -> str:
        return document_of(self.stem)

    @property
    def signed(self) -> bool:
        return bool(self.boxes)


def document_of(name: str) -> str:
    return name[:DOC_CHARS]


def default_data_dir() -> Path:
    """The data directory: `BEWIJSCHECK_SIGNATURES_REAL`, else the first place it is found."""
    env = os.environ.get("BEWIJSCHECK_SIGNATURES_REAL")
    if env:
        return Path(env)
    return next((p for p in DATA_CANDIDATES if p.is_dir()), DATA_CANDIDATES[-1])


def yolo_to_box(line: str, size: tuple[int, int] = PAGE_SIZE) -> Box:
    """`0 xc yc w h` (fractions of the stretched image) -> pixel box on the un-stretched page
    of `size` (width, height), clipped to the page."""
    parts = line.split()
    if len(parts) != 5:
        raise ValueError(f"a YOLO box has 5 fields, got {len(parts)}")
    xc, yc, w, h = (float(p) for p in parts[1:])
    width, height = size
    x0, x1 = max(0.0, xc - w / 2) * width, min(1.0, xc + w / 2) * width
    y0, y1 = max(0.0, yc - h / 2) * height, min(1.0, yc + h / 2) * height
    return (x0, y0, x1, y1)


def read_labels(path: Path, size: tuple[int, int] = PAGE_SIZE) -> tuple[Box, ...]:
    return tuple(yolo_to_box(ln, size) for ln in path.read_text().splitlines() if ln.strip())


def unstretch(image: np.ndarray, size: tuple[int, int] = PAGE_SIZE) -> np.ndarray:
    """The square export turned back into a page of `size` (width, height)."""
    return cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)


def load_pages(data_dir: Path) -> list[PageRef]:
    """Every page with its labels, sorted by file name."""
    images = sorted((data_dir / "images").glob("*.jpg"))
    if not images:
        raise SplitError(f"no images under {data_dir / 'images'}")
    return [PageRef(p.stem, p, read_labels(data_dir / "labels" / f"{p.stem}.txt")) for p in images]


def fingerprint(names: Iterable[str]) -> str:
    """sha256 of the sorted file names (their roboflow hash changes with the content)."""
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()


def _order(doc: str) -> str:
    return hashlib.sha256(doc.encode()).hexdigest()


def choose_held(pages: list[PageRef]) -> list[str]:
    """The rule the committed split was made by: a third (rounded) of the documents with an
    unsigned page and a third of the others, each the first in the order of sha256(id)."""
    docs: dict[str, bool] = {}
    for page in pages:
        docs[page.document] = docs.get(page.document, False) or not page.signed
    held: list[str] = []
    for unsigned in (True, False):
        stratum = sorted((d for d, u in docs.items() if u is unsigned), key=_order)
        held += stratum[: round(len(stratum) / HELD_SHARE)]
    return sorted(held)


def write_held(pages: list[PageRef], path: Path = HELD_FILE) -> None:
    held = choose_held(pages)
    lines = [
        "# Held-back documents of benchmarks/signatures_real.py: never tune on these pages.",
        "# Rule: benchmarks.sigreal_data.choose_held (a third of the documents with an",
        "# unsigned page and a third of the others, first by sha256 of the document id).",
        f"# fingerprint {fingerprint(p.stem for p in pages)}",
        *held,
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def read_held(path: Path = HELD_FILE) -> tuple[str, list[str]]:
    """(fingerprint, held document ids) of the committed split file."""
    recorded = ""
    held: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("# fingerprint "):
            recorded = line.split()[-1]
        elif line.strip() and not line.startswith("#"):
            held.append(line.strip())
    return recorded, held


def split(pages: list[PageRef], path: Path = HELD_FILE) -> dict[str, list[PageRef]]:
    """The pages of each part; raises `SplitError` when the data is not the data the split
    file was made for."""
    recorded, held = read_held(path)
    if fingerprint(p.stem for p in pages) != recorded:
        raise SplitError(f"the data's files differ from those {path.name} was made for")
    documents = {p.document for p in pages}
    missing = sorted(set(held) - documents)
    if missing:
        raise SplitError(f"{len(missing)} held documents are not in the data")
    held_set = set(held)
    return {
        "tune": [p for p in pages if p.document not in held_set],
        "held": [p for p in pages if p.document in held_set],
    }
