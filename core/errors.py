"""Every exception class of bewijscheck, in this one module: each says in one line what went
wrong. Those of the command line's concern derive from `BewijscheckError` and carry their exit
code, which the CLI turns into its exit status in exactly one place (`bewijscheck.exits`). The
others keep the bases their callers catch them by (`ValueError`, `Exception`, and
`BaseException` for a document's timeout)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    BAD_ARGS = 2
    INPUT_ERROR = 3
    RUN_FAILED = 4
    AUDIT_BROKEN = 5  # `bewijscheck audit verify` found a broken link in the audit log


class BewijscheckError(Exception):
    """Base of every error bewijscheck raises on purpose."""

    exit_code = ExitCode.RUN_FAILED


class InputError(BewijscheckError):
    """An input file (CSV, truth, report) cannot be read as what it should be."""

    exit_code = ExitCode.INPUT_ERROR


class UsageError(BewijscheckError):
    """A command was asked for something it cannot do (an unknown token, a user that exists)."""

    exit_code = ExitCode.BAD_ARGS


class ConfigError(BewijscheckError, ValueError):
    """A `BEWIJSCHECK_*` environment variable holds a value the settings cannot take."""

    exit_code = ExitCode.BAD_ARGS


class AdmissionError(BewijscheckError):
    """An uploaded file cannot be accepted (`reading.admission`); carries the finding code and
    Dutch message."""

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


class RegistryError(ValueError):
    """Two extractors for one type, or a declared field that is no FieldName
    (`extractors.registry`, at import: a programming error)."""


class RuleDeclarationError(ValueError):
    """A rule declares a field, type, column or code it cannot have (`checks.base`, at import:
    a programming error)."""


class StorageError(BewijscheckError):
    """The object store cannot be reached or refused an operation (after retries)."""


class ResultsStoreError(BewijscheckError):
    """The results database cannot be reached, migrated or written."""


class DocumentTimeout(BaseException):
    """A document ran past `Settings.document_timeout_s()` (`pipeline.guard`). A BaseException,
    like KeyboardInterrupt: the stages' own `except Exception` (a fallback to the Tesseract
    command, say) must not take it for a fault of theirs."""


class BadKey(ValueError):
    """An incoming object's key does not follow `<registratie_id>/<slot>/<filename>`
    (`pipeline.upload_keys`); carries a Dutch message."""


class IntakeFailed(Exception):
    """An incoming object cannot be checked, whatever we try (`pipeline.bucket_intake`):
    record `failed` with this Dutch message; `upload` is its parsed key, when it had one."""

    def __init__(self, message: str, upload: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.upload = upload


class AuditChainBroken(BewijscheckError):
    """The audit log's hash chain does not hold (`store.audit_chain`): a row was changed,
    removed or added behind the application's back."""

    exit_code = ExitCode.AUDIT_BROKEN


class CorrectionError(ValueError):
    """A reviewer's corrected value does not fit the field (`review.cases`); the message is
    Dutch, for the form."""


class ReviewError(Exception):
    """A review action that cannot be done (`review.repository`); `str()` is a Dutch message
    for the reviewer."""


class CaseDecided(ReviewError):
    """The case has a final decision, so it takes no documents (`review.decided`); `str()` is
    the Dutch message for the employer."""

    def __init__(self, registratie_id: str, decision: str) -> None:
        self.registratie_id = registratie_id
        self.decision = decision
        super().__init__(
            f"Over registratie {registratie_id} is al besloten ({decision}); er kunnen geen "
            "documenten meer worden toegevoegd of vervangen. Moet er toch een document bij? "
            "Neem contact op met het SSC: een beoordelaar moet de registratie eerst heropenen."
        )


class AuthError(ValueError):
    """A user of the web app cannot be created as asked (`web.auth`)."""


class LoginRequired(Exception):
    """No (valid) session: HTML pages redirect to the login page, the rest answer 401."""


class AdminRequired(Exception):
    """A reviewer asked for an admin page (answered with 403)."""


class CsrfError(Exception):
    """A form post without the session's CSRF token (answered with 403)."""


class ChecksBusy(Exception):
    """No password check became free in time (`web.throttle`; answered with 503)."""


class TooLarge(Exception):
    """An upload's request body grew past the limit while it was read (answered with 413)."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text, "" when it has none: enough to say why, never a
    multi-line dump (a database error's SQL statement and parameters, a traceback)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def reason(exc: BaseException) -> str:
    """A one-line reason for a log line or message: `<class>: <first line>`, or the class name
    alone when the exception says nothing."""
    line = first_line(exc)
    return f"{type(exc).__name__}: {line}" if line else type(exc).__name__
