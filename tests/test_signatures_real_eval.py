"""The pure parts of benchmarks/signatures_real.py: YOLO boxes on the un-stretched page, IoU
matching, page-level counts, mapping found boxes back through the page's rotation, and the
committed tune/held split."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from benchmarks.sigreal_data import (
    HELD_FILE,
    PAGE_SIZE,
    PageRef,
    SplitError,
    choose_held,
    default_data_dir,
    fingerprint,
    load_pages,
    read_held,
    split,
    unstretch,
    write_held,
    yolo_to_box,
)
from benchmarks.sigreal_metrics import PageResult, iou, match, score
from benchmarks.sigreal_page import to_page_frame
from core.geometry import BBox
from reading.frame import rotate


def _dark_box(image: np.ndarray) -> tuple[float, float, float, float]:
    ys, xs = np.nonzero(image.min(axis=2) < 128)
    return (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))


def test_yolo_box_lands_on_the_unstretched_page() -> None:
    assert yolo_to_box("0 0.5 0.5 0.2 0.1") == pytest.approx((510, 742.5, 765, 907.5))
    assert yolo_to_box("0 0.05 0.98 0.2 0.1") == pytest.approx((0, 1534.5, 191.25, 1650))
    # the same box drawn on the stretched square image is where the label says after un-stretch
    square = np.full((640, 640, 3), 255, np.uint8)
    square[320:384, 128:256] = 0  # xc 0.3, yc 0.55, w 0.2, h 0.1
    page = unstretch(square)
    assert page.shape[:2] == (PAGE_SIZE[1], PAGE_SIZE[0])
    assert iou(_dark_box(page), yolo_to_box("0 0.3 0.55 0.2 0.1")) > 0.97
    with pytest.raises(ValueError):
        yolo_to_box("0 0.5 0.5 0.2")


def test_iou() -> None:
    a = (0.0, 0.0, 10.0, 10.0)
    assert iou(a, a) == 1.0
    assert iou(a, (10.0, 0.0, 20.0, 10.0)) == 0.0
    assert iou(a, (5.0, 0.0, 15.0, 10.0)) == pytest.approx(50 / 150)
    assert iou(a, (0.0, 0.0, 0.0, 0.0)) == 0.0


def test_match_is_one_to_one_and_greedy_by_iou() -> None:
    label = (0.0, 0.0, 100.0, 40.0)
    twins = [(0.0, 0.0, 100.0, 40.0), (2.0, 0.0, 100.0, 40.0)]
    assert match(twins, [label]) == 1  # two found boxes on one signature: one match
    assert match([label], [label, label]) == 1
    assert match([(0.0, 0.0, 100.0, 80.0)], [label]) == 1  # IoU exactly 0.5 counts
    assert match([(0.0, 0.0, 100.0, 81.0)], [label]) == 0
    # greedy from the highest IoU: A-G1 (1.0) first, then B-G2 (0.6); taking B's best (G1,
    # 0.8) first would leave A alone and match one pair only
    g1, g2 = (0.0, 0.0, 100.0, 40.0), (0.0, 20.0, 100.0, 50.0)
    a, b = (0.0, 0.0, 100.0, 40.0), (0.0, 0.0, 100.0, 50.0)
    assert (iou(b, g1), iou(b, g2), iou(a, g2)) == pytest.approx((0.8, 0.6, 0.4))
    assert match([b, a], [g1, g2]) == 2
    assert match([], [g1]) == 0 and match([a], []) == 0


def _page(found: int, labelled: int) -> PageResult:
    """`found` boxes (the first on the label's place, the others apart) and `labelled` ones."""
    box = (0.0, 0.0, 100.0, 40.0)
    far = (500.0, 500.0, 600.0, 540.0)
    boxes = ((box,) + (far,) * (found - 1)) if found else ()
    return PageResult("p", boxes, (box,) * labelled, ocr_seconds=2.0, visual_seconds=0.1)


def test_page_level_and_box_counts() -> None:
    # signed+found (1 extra box), signed+missed, unsigned+2 false, unsigned+nothing
    numbers = score([_page(2, 1), _page(0, 1), _page(2, 0), _page(0, 0)]).numbers()
    assert numbers["pages"] == 4 and numbers["unsigned_pages"] == 2
    assert numbers["page_accuracy"] == 0.5
    assert numbers["page_precision"] == 0.5  # 1 of the 2 pages said signed is
    assert numbers["page_recall"] == 0.5
    # box level: only the signed page's first box matches a label
    counts = (numbers["boxes_found"], numbers["boxes_labelled"], numbers["boxes_matched"])
    assert counts == (4, 2, 1)
    assert numbers["box_precision"] == 0.25 and numbers["box_recall"] == 0.5
    assert numbers["box_f1"] == pytest.approx(1 / 3)
    assert numbers["false_per_unsigned_page"] == 1.0
    assert numbers["visual_to_ocr"] == pytest.approx(0.05)
    assert score([]).numbers()["page_accuracy"] == 0.0


@pytest.mark.parametrize("rotation", [0.0, 1.5, -2.3, 90.0, 90.7, 180.0, 269.2])
def test_found_boxes_map_back_through_the_rotation(rotation: float) -> None:
    page = np.full((PAGE_SIZE[1], PAGE_SIZE[0], 3), 255, np.uint8)
    page[1200:1300, 300:700] = 0
    turned = rotate(page, rotation)
    x0, y0, x1, y1 = _dark_box(turned)
    h, w = turned.shape[:2]
    found = BBox(x0=x0 / w, y0=y0 / h, x1=x1 / w, y1=y1 / h)
    assert iou(to_page_frame(found, rotation), (300.0, 1200.0, 700.0, 1300.0)) > 0.93


def _fake_data(root: Path, names: dict[str, str]) -> Path:
    (root / "images").mkdir(parents=True)
    (root / "labels").mkdir()
    for stem, label in names.items():
        cv2.imwrite(str(root / "images" / f"{stem}.jpg"), np.full((8, 8, 3), 255, np.uint8))
        (root / "labels" / f"{stem}.txt").write_text(label)
    return root


def test_split_refuses_changed_data(tmp_path: Path) -> None:
    sig = "0 0.5 0.5 0.2 0.1\n"
    names = {f"doc{i:05d}-page{j}": (sig if i % 4 else "") for i in range(12) for j in (1, 2)}
    data = _fake_data(tmp_path / "d", names)
    held_file = tmp_path / "held.txt"
    write_held(load_pages(data), held_file)
    parts = split(load_pages(data), held_file)
    held_docs = {p.document for p in parts["held"]}
    assert len(held_docs) == 4 and not held_docs & {p.document for p in parts["tune"]}
    assert sum(not p.signed for p in parts["held"]) == 2  # one of the three unsigned docs
    (data / "images" / "doc00000-page1.jpg").rename(data / "images" / "doc00099-page1.jpg")
    (data / "labels" / "doc00000-page1.txt").rename(data / "labels" / "doc00099-page1.txt")
    with pytest.raises(SplitError):
        split(load_pages(data), held_file)


@pytest.fixture(scope="module")
def real_pages() -> list[PageRef]:
    data = default_data_dir()
    if not (data / "images").is_dir():
        pytest.skip(f"no real signature pages at {data}")
    return load_pages(data)


def test_committed_split_is_consistent(real_pages: list[PageRef]) -> None:
    recorded, held = read_held(HELD_FILE)
    assert recorded == fingerprint(p.stem for p in real_pages)
    assert held == choose_held(real_pages)  # the file is what the stated rule gives
    parts = split(real_pages)
    tune_docs = {p.document for p in parts["tune"]}
    held_docs = {p.document for p in parts["held"]}
    assert not tune_docs & held_docs
    assert tune_docs | held_docs == {p.document for p in real_pages}
    assert len(parts["held"]) >= 100
    unsigned = sum(not p.signed for p in real_pages)
    assert sum(not p.signed for p in parts["held"]) >= unsigned // 3
    assert abs(len(held_docs) - len(tune_docs | held_docs) / 3) <= 2
