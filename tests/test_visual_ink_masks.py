"""The ink masks select exactly the pixels their definitions name (they run on every page, so
they are written with OpenCV's range functions rather than numpy comparisons)."""

from __future__ import annotations

import cv2
import numpy as np

from extractors.visual.ink import DARK, MAX_COLOUR_VALUE, MIN_SATURATION, colour_mask, dark_mask


def test_dark_mask_is_every_pixel_below_dark_and_nothing_else() -> None:
    gray = np.arange(256, dtype=np.uint8).reshape(16, 16)
    mask = dark_mask(gray)
    assert mask.dtype == np.uint8
    assert set(np.unique(mask)) == {0, 255}
    assert ((mask == 255) == (gray < DARK)).all()
    assert mask.reshape(-1)[DARK - 1] == 255 and mask.reshape(-1)[DARK] == 0


def test_colour_mask_keeps_saturated_not_too_bright_or_dark_pixels() -> None:
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (120, 90, 3), dtype=np.uint8)
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    sat, val = hsv[:, :, 1], hsv[:, :, 2]
    chosen = (sat >= MIN_SATURATION) & (val <= MAX_COLOUR_VALUE) & (val >= 40)
    expected = cv2.morphologyEx(
        chosen.astype(np.uint8) * 255, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)
    )
    assert (colour_mask(image) == expected).all()
    assert colour_mask(image).any() and not colour_mask(image).all()
    assert not colour_mask(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)).any()
