"""The learned signature verifier's parts: candidates grouped at several distances, the
features a candidate is judged by, keeping the best of overlapping candidates, the shipped
model and its card, and the training data's guards (held real pages and frozen test families
are never read)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.enums import WordSource
from core.geometry import BBox
from core.model import Word
from extractors.visual import sig_verifier, train_data
from extractors.visual.sig_candidates import (
    JOINS_MM,
    _labels,
    all_candidates,
    candidates,
    ink_pieces,
)
from extractors.visual.sig_features import NAMES, LevelView, PageView, _sobel_at, features
from extractors.visual.sig_verifier import CARD_FILE, MODEL_FILE, select, verified
from extractors.visual.train_data import Rows
from extractors.visual.train_signatures import target
from extractors.visual.trees import Forest, from_lightgbm

W, H = 1240, 1754  # A4 at 150 dpi
MM = H / 297.0


def page() -> np.ndarray:
    return np.full((H, W, 3), 255, np.uint8)


def stroke(img: np.ndarray, x_mm: float, y_mm: float, colour: tuple[int, int, int]) -> None:
    t = np.linspace(0, 1, 50)
    pts = np.column_stack(((x_mm + 12 * t) * MM, (y_mm + 3 * np.sin(t * 7)) * MM))
    cv2.polylines(img, [pts.astype(np.int32)], False, colour, 2, cv2.LINE_AA)


def mask(img: np.ndarray) -> np.ndarray:
    return cv2.threshold(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), 149, 255, cv2.THRESH_BINARY_INV)[1]


def none_mask() -> np.ndarray:
    return np.zeros((H, W), np.uint8)


def test_near_pieces_are_one_candidate_and_far_ones_join_only_at_large_distances() -> None:
    img = page()
    stroke(img, 30, 100, (0, 0, 0))
    stroke(img, 44, 100, (0, 0, 0))  # 2 mm after the first one
    stroke(img, 88, 100, (0, 0, 0))  # 32 mm after the second one
    pieces = ink_pieces(mask(img), MM, none_mask())
    assert len(pieces.pieces) == 3
    found = candidates(pieces, MM)
    sizes = sorted(len(c.members) for c in found)
    assert sizes == [1, 2, 3]  # the far stroke alone, the near two, all three at 36 mm
    everything = next(c for c in found if len(c.members) == 3)
    assert JOINS_MM[everything.join][0] >= 32


def test_printed_words_and_rules_are_no_candidates() -> None:
    img = page()
    cv2.line(img, (100, 500), (900, 500), (0, 0, 0), 2)  # a 135 mm rule
    stroke(img, 40, 150, (0, 0, 0))
    printed = none_mask()
    printed[int(145 * MM) : int(160 * MM), int(35 * MM) : int(60 * MM)] = 255
    levels, found = all_candidates(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), MM, printed, none_mask())
    assert found == [] and all(not lv.pieces for lv in levels)


def _features_of(img: np.ndarray, words: list[Word], printed: np.ndarray) -> dict[str, float]:
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    levels, found = all_candidates(gray, MM, none_mask(), none_mask())
    view = PageView.of(img, gray, mask(img), printed, words, MM)
    cand = found[0]
    row = features(view, LevelView.of(levels[cand.level]), cand)
    assert len(row) == len(NAMES)
    return dict(zip(NAMES, row, strict=True))


def test_features_see_ink_colour_label_and_print() -> None:
    blue, black = page(), page()
    stroke(blue, 40, 100, (160, 40, 10))
    stroke(black, 40, 100, (0, 0, 0))
    label = Word(
        text="Handtekening:",
        bbox=BBox.from_pixels(10 * MM, 99 * MM, 35 * MM, 103 * MM, width=W, height=H),
        confidence=0.95,
        source=WordSource.TEXT_LAYER,
    )
    f_blue = _features_of(blue, [label], none_mask())
    f_black = _features_of(black, [], none_mask())
    assert f_blue["blue"] > 0.5 and f_black["blue"] == 0.0
    assert f_blue["label_near"] == 1.0 and f_black["label_near"] == 0.0
    assert f_black["w_mm"] == pytest.approx(12, abs=1.5)
    covered = none_mask()
    covered[int(90 * MM) : int(110 * MM), int(30 * MM) : int(60 * MM)] = 255
    assert _features_of(black, [], covered)["printed_share"] == 1.0
    assert f_black["printed_share"] == 0.0


def test_select_keeps_the_best_of_overlapping_boxes() -> None:
    boxes = [(0, 0, 100, 40), (5, 2, 95, 38), (300, 0, 400, 40), (0, 0, 30, 20)]
    scores = np.array([0.6, 0.9, 0.5, 0.3])
    kept = select(boxes, scores, 0.4)
    assert [k.box for k in kept] == [(5, 2, 95, 38), (300, 0, 400, 40)]
    assert select(boxes, scores, 0.95) == []  # none good enough
    assert select([], np.zeros(0), 0.1) == []  # nothing to choose from


def test_shipped_model_matches_the_features_and_is_small() -> None:
    card = json.loads(CARD_FILE.read_text())
    assert card["features"] == NAMES
    assert 0.0 < card["threshold"] < 1.0
    assert MODEL_FILE.stat().st_size < 5_000_000
    forest, threshold = sig_verifier.model()
    assert forest.features == len(NAMES) and threshold == card["threshold"]


def test_sobel_at_some_pixels_is_opencvs_sobel() -> None:
    rng = np.random.default_rng(5)
    gray = rng.integers(0, 256, (37, 53), dtype=np.uint8)
    where = np.flatnonzero(rng.random(gray.size) < 0.3)
    where = np.union1d(where, [0, 52, gray.size - 1, gray.size - 53])  # corners: the border
    gx, gy = _sobel_at(gray, where)
    assert np.array_equal(gx, cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3).ravel()[where])
    assert np.array_equal(gy, cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3).ravel()[where])


def test_numpy_forest_scores_as_lightgbm_does() -> None:
    lightgbm = pytest.importorskip("lightgbm")
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 6))
    y = ((x[:, 0] + x[:, 1] * x[:, 2]) > 0).astype(float)
    params = {"objective": "cross_entropy", "num_leaves": 7, "verbose": -1, "num_threads": 1}
    booster = lightgbm.train(params, lightgbm.Dataset(x, y), num_boost_round=20)
    forest = Forest.from_dict(from_lightgbm(booster.dump_model()))
    test = rng.normal(size=(50, 6))
    assert forest.predict(test) == pytest.approx(booster.predict(test), abs=1e-9)
    with pytest.raises(ValueError):
        forest.predict(test[:, :5])  # rows of another model


def _components_by_search(edges: list[tuple[int, int]], count: int) -> list[set[int]]:
    near: dict[int, set[int]] = {i: set() for i in range(count)}
    for a, b in edges:
        near[a].add(b)
        near[b].add(a)
    seen: set[int] = set()
    out = []
    for start in range(count):
        if start in seen:
            continue
        todo, part = [start], set()
        while todo:
            node = todo.pop()
            if node not in part:
                part.add(node)
                todo.extend(near[node] - part)
        seen |= part
        out.append(part)
    return out


@pytest.mark.parametrize("count,share", [(1, 0.0), (6, 0.0), (40, 0.03), (120, 0.02), (60, 0.4)])
def test_piece_groups_are_the_connected_components(count: int, share: float) -> None:
    rng = np.random.default_rng(count)
    pairs = np.triu(rng.random((count, count)) < share, 1)
    first, second = np.nonzero(pairs)
    label = _labels(first, second, count)
    got = {frozenset(np.flatnonzero(label == v).tolist()) for v in set(label.tolist())}
    expected = _components_by_search(list(zip(first.tolist(), second.tolist(), strict=True)), count)
    assert got == {frozenset(p) for p in expected}


def test_verifier_finds_a_scribble_and_nothing_on_a_blank_page() -> None:
    img = page()
    for i, x in enumerate((40.0, 54.0, 66.0)):
        t = np.linspace(0, 1, 80)
        ys = 200 + 4 * np.sin(t * np.pi * (2 + i)) + 2 * t
        pts = np.column_stack(((x + 13 * t) * MM, ys * MM)).astype(np.int32)
        cv2.polylines(img, [pts], False, (120, 30, 20), 2, cv2.LINE_AA)
    found = verified(img, MM, [], none_mask(), none_mask())
    assert len(found) == 1
    x0, y0, x1, y1 = found[0].box
    assert x0 < 42 * MM < 77 * MM < x1 and y0 < 200 * MM < y1
    assert verified(page(), MM, [], none_mask(), none_mask()) == []


def test_target_rises_with_the_fit() -> None:
    assert target(0.2) == 0.0 and target(0.5) == pytest.approx(0.5) and target(0.9) == 1.0


def test_frozen_test_families_are_never_read(tmp_path: Path) -> None:
    folder, cache = tmp_path / "set", tmp_path / "cache"
    (folder / "docs").mkdir(parents=True)
    cache.mkdir()
    dev = folder / "docs" / "dev.pdf"
    dev.write_bytes(b"dev document")
    (folder / "docs" / "test.pdf").write_bytes(b"test document")  # never opened
    img = page()
    stroke(img, 40, 100, (0, 0, 0))
    key = cache / train_data.hashlib.sha256(dev.read_bytes()).hexdigest()
    cv2.imwrite(f"{key}-1.png", img)
    key.with_suffix(".pkl").write_bytes(pickle.dumps(([], [(1, [])])))
    truth = {
        "documents": {
            "docs/dev.pdf": {"split": "dev", "fields": {"signature_count": 0}},
            "docs/test.pdf": {"split": "test", "fields": {"signature_count": 1}},
        }
    }
    (folder / "truth.json").write_text(json.dumps(truth))
    rows = Rows()
    train_data.generated_rows(rows, folder, cache)  # extract_pages would fail on test.pdf
    groups = set(rows.group)
    assert groups <= {"set/docs/dev.pdf"} and len(rows.labels) in (0, 1)


def test_held_real_pages_are_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.sigreal_data as data
    import benchmarks.sigreal_page as real_page

    held = object()
    monkeypatch.setattr(data, "load_pages", lambda _dir: [])
    monkeypatch.setattr(data, "split", lambda _pages: {"tune": [], "held": [held]})

    def refuse(page: object) -> np.ndarray:
        raise AssertionError("a held page was read")

    monkeypatch.setattr(real_page, "load_page", refuse)
    rows = Rows()
    train_data.real_rows(rows, Path("/nonexistent"), Path("/nonexistent"))
    assert rows.labels == {}


def test_a_page_of_countless_pieces_keeps_the_largest() -> None:
    """A textured or halftone page: thousands of pieces are cut to the largest MAX_PIECES, so
    grouping (pairwise gaps) stays bounded in memory and time."""
    from extractors.visual.sig_candidates import MAX_PIECES

    img = page()
    for i in range(3600):  # short dashes 2 mm long on a 3.2 x 4.5 mm grid
        x, y = 10 + 3.2 * (i % 60), 20 + 4.5 * (i // 60)
        length = 2.0 if i % 7 else 3.0  # every seventh a larger one
        cv2.line(
            img, (int(x * MM), int(y * MM)), (int((x + length) * MM), int(y * MM)), (0, 0, 0), 2
        )
    pieces = ink_pieces(mask(img), MM, none_mask())
    assert len(pieces.pieces) == MAX_PIECES
    assert all(p.w >= 2.5 * MM for p in pieces.pieces[: 3600 // 7])  # the larger ones kept first
    assert isinstance(candidates(pieces, MM), list)  # grouped, within bounds


def test_colour_read_on_the_pieces_only_is_the_pages_colour_there() -> None:
    img = page()
    stroke(img, 40, 100, (160, 40, 10))  # blue ink
    stroke(img, 80, 100, (90, 90, 90))  # light gray pencil: only the lighter ink level
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    levels, _ = all_candidates(gray, MM, none_mask(), none_mask())
    pieces = levels[-1].ink
    part = PageView.of(img, gray, mask(img), none_mask(), [], MM, pieces)
    whole = PageView.of(img, gray, mask(img), none_mask(), [], MM)
    at = pieces > 0
    assert part.saturation is not None and whole.saturation is not None
    assert part.blue is not None and whole.blue is not None
    assert at.sum() > 100 and part.blue[at].any()
    assert np.array_equal(part.saturation[at], whole.saturation[at])
    assert np.array_equal(part.blue[at], whole.blue[at])
