"""The page image as Tesseract should see it: paper and tinted areas made even white.

Tesseract binarises a page with one global threshold. Scans and photos are not evenly lit, and
forms print labels and table headers on tinted cells; with one threshold for the whole page,
those words sink into their background and are lost (on a scanned payslip with tinted header
rows: 54 words read before, 110 after, the title and every column header among them). Dividing
the page by its background — the page with every stroke thinner than a few millimetres closed
over — makes paper and tint the same white and leaves the ink."""

from __future__ import annotations

import cv2
import numpy as np

# Strokes narrower than this (in mm) are ink; wider dark areas count as background.
BACKGROUND_MM = 2.5
MM_PER_INCH = 25.4
# A background darker than this is a band printed in a dark colour, its text light.
DARK_BAND = 110


def flatten_background(gray: np.ndarray, dpi: int | None) -> np.ndarray:
    """The grayscale page divided by its local background: white paper, tints gone, ink kept;
    a dark band with light text (a coloured section header) is left as it is."""
    size = max(3, round((dpi or 300) * BACKGROUND_MM / MM_PER_INCH)) | 1
    return divide_background(gray, size)


def divide_background(gray: np.ndarray, size: int, blur_sigma: float = 0.0) -> np.ndarray:
    """`gray` divided by its background (the image with every stroke narrower than `size`
    pixels closed over, blurred by `blur_sigma`), except where that background is a dark band:
    dividing a band by itself turns it white and its light text with it, so it stays as
    printed (Tesseract reads inverted text by itself)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel)
    if blur_sigma:
        background = cv2.GaussianBlur(background, (0, 0), blur_sigma)
    flat = cv2.divide(gray, background, scale=255)
    band = cv2.dilate((background < DARK_BAND).astype(np.uint8), kernel) > 0
    flat[band] = gray[band]
    return flat
