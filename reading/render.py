"""Page images for OCR: a PDF page rendered to grayscale with pypdfium2, a JPEG decoded to
grayscale with its EXIF orientation applied, both refused when they would exceed
`Limits.max_megapixels`; and writing an image as PGM (PNM) for tesseract — never PNG, whose
encoding of a noisy 300 dpi scan costs about a second a page."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from core.errors import ExtractionError, PageTooLargeError
from core.settings import Limits

log = logging.getLogger(__name__)

POINTS_PER_INCH = 72.0
EXIF_ORIENTATION = 0x0112


def render_size(width_pt: float, height_pt: float, dpi: int) -> tuple[int, int]:
    """Pixel size of a page of `width_pt` x `height_pt` points rendered at `dpi`."""
    scale = dpi / POINTS_PER_INCH
    return round(width_pt * scale), round(height_pt * scale)


def _check_pixels(width: int, height: int, limits: Limits, what: str) -> None:
    megapixels = width * height / 1e6
    if megapixels > limits.max_megapixels:
        raise PageTooLargeError(
            f"{what} of {width}x{height} px ({megapixels:.0f} MP) exceeds the limit of "
            f"{limits.max_megapixels:g} MP"
        )


def render_pdf_page(page: pdfium.PdfPage, dpi: int, limits: Limits) -> np.ndarray:
    """Render `page` (its /Rotate applied) to a grayscale uint8 array at `dpi`."""
    width_pt, height_pt = page.get_size()
    width, height = render_size(width_pt, height_pt, dpi)
    _check_pixels(width, height, limits, "page render")
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True, may_draw_forms=True)
        array = bitmap.to_numpy()
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"page cannot be rendered: {exc}") from None
    if array.ndim == 3:  # some pdfium builds return a 1-channel 3-D array, or BGR(A)
        array = (
            array[:, :, 0]
            if array.shape[2] == 1
            else cv2.cvtColor(array[:, :, :3], cv2.COLOR_BGR2GRAY)
        )
    return np.ascontiguousarray(array, dtype=np.uint8)


def render_pdf_page_colour(page: pdfium.PdfPage, dpi: int, limits: Limits) -> np.ndarray:
    """Render `page` (its /Rotate applied) to a BGR uint8 array at `dpi`."""
    width_pt, height_pt = page.get_size()
    width, height = render_size(width_pt, height_pt, dpi)
    _check_pixels(width, height, limits, "page render")
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, may_draw_forms=True)
        array = bitmap.to_numpy()
        mode = bitmap.mode
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"page cannot be rendered: {exc}") from None
    if array.ndim == 2:
        array = cv2.cvtColor(array, cv2.COLOR_GRAY2BGR)
    elif array.shape[2] == 4:
        array = array[:, :, :3]
    if mode in ("RGB", "RGBA", "RGBX"):  # pdfium's default byte order is BGR; some builds differ
        array = array[:, :, ::-1]
    return np.ascontiguousarray(array, dtype=np.uint8)


@contextmanager
def _open_jpeg(data: bytes, limits: Limits) -> Iterator[Image.Image]:
    """The JPEG opened lazily, its pixel count checked from the header before anything is
    decoded; decoding failures become `ExtractionError`, bombs `PageTooLargeError`."""
    # Pillow's own decompression-bomb guard, from the limits (it errors at twice this).
    Image.MAX_IMAGE_PIXELS = int(limits.max_megapixels * 1e6)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                _check_pixels(image.width, image.height, limits, "image")
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PageTooLargeError(f"image exceeds the pixel limit: {exc}") from None
    except PageTooLargeError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError(f"image cannot be decoded: {exc}") from None


def _upright(image: Image.Image) -> Image.Image:
    """The image turned by its EXIF orientation; the image itself (no copy of its pixels)
    when it has none to apply, as for nearly every photo."""
    if image.getexif().get(EXIF_ORIENTATION, 1) in (0, 1):
        image.load()
        return image
    return ImageOps.exif_transpose(image)


def load_jpeg_colour(data: bytes, limits: Limits, max_side: int) -> np.ndarray:
    """Decode a JPEG to a BGR uint8 array no longer than about `max_side` pixels (the JPEG
    decoder scales while decoding, so a 12 MP photo never lands in memory full size), turned
    by its EXIF orientation like `load_jpeg`."""
    with _open_jpeg(data, limits) as image:
        factor = max(image.width, image.height) / max_side
        if factor > 1:
            image.draft("RGB", (int(image.width / factor), int(image.height / factor)))
        upright = _upright(image)
        rgb = np.asarray(upright if upright.mode == "RGB" else upright.convert("RGB"))
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def load_jpeg(data: bytes, limits: Limits) -> np.ndarray:
    """Decode a JPEG to a grayscale uint8 array, turned by its EXIF orientation. The pixel
    count is checked from the header before anything is decoded."""
    with _open_jpeg(data, limits) as image:
        image.draft("L", image.size)  # JPEG: decode straight to grayscale
        upright = _upright(image)
        gray = upright if upright.mode == "L" else upright.convert("L")
        return np.array(gray, dtype=np.uint8)


def write_pnm(image: np.ndarray, path: str | Path) -> Path:
    """Write a grayscale (or BGR) array as PGM/PPM to `path` (its suffix is forced to .pgm or
    .ppm); returns the path written."""
    target = Path(path).with_suffix(".pgm" if image.ndim == 2 else ".ppm")
    if not cv2.imwrite(str(target), image):
        raise OSError(f"could not write {target}")
    return target
