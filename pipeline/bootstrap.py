"""The one initialiser of a process that checks documents: the command line, each worker of
the upload API's pre-screen pool (`web.prescreen_pool`), each Prefect task that checks
documents (`flows.batch`, in whatever worker process or Dask worker runs it) and the Prefect
pre-screen and intake flows. No module changes the process when it is imported; this does,
explicitly, and may run again (the same settings give the same state).

- `OMP_THREAD_LIMIT=1` unless set: Tesseract's OpenMP threads fight with our process-level
  parallelism, and one thread is fastest. Set before libtesseract is loaded (tesserocr is
  imported on first use) and inherited by the `tesseract` commands and worker processes.
- OpenCV's own threads: the cores shared out over the worker processes (`cpu_count //
  workers`, at least 1). Left at OpenCV's default (every core), two workers on two cores each
  ran every resize, warp and morphology on two threads: 4 threads fighting for 2 cores.
- the OCR engine of the process (`Settings.ocr.engine`, `reading.ocr.use_engine`).
- loggers that would quote personal data capped (`extractors.esign`: signers' names), and
  with `log_level` the root logger's level and format (the command line's stderr).
- with `warm`, the models and lazily imported stages loaded now, so that a long-running
  process answers its first upload quickly."""

from __future__ import annotations

import importlib
import logging
import os
import sys

from core.settings import Settings
from extractors.esign import quiet_signature_loggers
from reading.ocr import use_engine

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What the first check would otherwise import: the page reader, the visual marks, integrity.
WARM_MODULES = ("reading.text", "extractors.visual.collect", "extractors.integrity")


def init_process(settings: Settings, *, log_level: int | None = None, warm: bool = False) -> None:
    """Make this process ready to check documents under `settings` (see the module
    docstring). `log_level`: configure the root logger to stderr (None: leave logging as the
    host set it up, e.g. Prefect's); `warm`: load the models now."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if log_level is not None:
        logging.basicConfig(level=log_level, format=LOG_FORMAT, stream=sys.stderr)
    quiet_signature_loggers()
    cv_threads(settings.workers)
    use_engine(settings.ocr.engine)
    if warm:
        warm_up()


def cv_threads(workers: int) -> int:
    """Give OpenCV this process's share of the cores; returns the number of threads set."""
    import cv2

    threads = max(1, (os.cpu_count() or 1) // max(1, workers))
    cv2.setNumThreads(threads)
    return threads


def warm_up() -> None:
    """Load what the first check would otherwise load (the document-type model, the lazily
    imported extractors), so a long-running process answers its first upload quickly."""
    from extractors.classify.classifier import load_model

    for module in WARM_MODULES:
        importlib.import_module(module)
    load_model()
