"""Exceptions of bewijscheck. Each class says in one line what went wrong; the CLI turns them
into exit codes in exactly one place (`bewijscheck.cli`)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    BAD_ARGS = 2
    INPUT_ERROR = 3
    RUN_FAILED = 4


class BewijscheckError(Exception):
    """Base of every error bewijscheck raises on purpose."""

    exit_code = ExitCode.RUN_FAILED


class InputError(BewijscheckError):
    """An input file (CSV, truth, report) cannot be read as what it should be."""

    exit_code = ExitCode.INPUT_ERROR


class IntakeError(BewijscheckError):
    """An uploaded file cannot be accepted; carries the finding code and Dutch message."""

    def __init__(self, code: str, message: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.message = message
        self.reason = reason


class ExtractionError(BewijscheckError):
    """A page cannot be read because the file is at fault (corrupt page, undecodable image)."""

    exit_code = ExitCode.INPUT_ERROR


class PageTooLargeError(ExtractionError):
    """A page or image would render to more pixels than `Limits.max_megapixels`."""


class OcrError(BewijscheckError):
    """The OCR engine failed or timed out on a page (a fault on our side, not the file's)."""
