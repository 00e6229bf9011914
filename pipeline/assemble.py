"""Assemble the report: group processed documents by registration, add the findings about
manifest entries that could not be read at all, run the rules (`checks`) over each
registration, and compute each verdict. Pure."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum

from checks.base import Batch
from checks.runner import run_checks
from core.enums import FindingCode
from core.errors import AdmissionError
from core.manifest import ManifestEntry
from core.model import Finding, ProcessedDocument
from core.registration import Registration, RowError
from core.report import (
    InputProblem,
    Report,
    ReportRegistration,
    report_document,
    split_review,
    verdict,
)
from core.settings import Limits
from pipeline.process import CHECK_FAILED_MESSAGE
from reading.admission import check_size

MISSING_FILE_MESSAGE = (
    "Het bestand '{name}' voor het vakje {slot} is niet gevonden bij de aangeleverde bestanden. "
    "Upload het document opnieuw."
)
OUTSIDE_MESSAGE = (
    "De bestandsnaam '{name}' voor het vakje {slot} verwijst buiten de map met uploads en is "
    "geweigerd. Upload het document opnieuw met een gewone bestandsnaam."
)
STORAGE_DOWN_MESSAGE = (
    "De opslag was niet bereikbaar; dit document is daardoor niet gecontroleerd. Er gaat niets "
    "verloren: start de controle opnieuw zodra de opslag weer werkt, dan wordt dit document "
    "alsnog gecontroleerd."
)
INVALID_NAME_MESSAGE = (
    "De bestandsnaam '{name}' voor het vakje {slot} is ongeldig (leeg, te lang of met tekens "
    "die niet in een bestandsnaam horen) en is geweigerd. Upload het document opnieuw met een "
    "gewone bestandsnaam."
)
SHOWN_NAME_CHARS = 80
TIMEOUT_MESSAGE = (
    "De controle van dit document duurde te lang en is afgebroken; het document is niet "
    "gecontroleerd. U hoeft niets te doen: een medewerker van het SSC controleert het."
)


def shown_name(name: str) -> str:
    """A file name as a message may quote it: control and format characters (NUL, the
    right-to-left override that makes 'fdp.exe' look like 'exe.pdf') become '?', and a very
    long name is shortened in the middle."""
    name = unicodedata.normalize("NFC", name)
    name = "".join("?" if unicodedata.category(c)[0] == "C" else c for c in name)
    if len(name) > SHOWN_NAME_CHARS:
        half = SHOWN_NAME_CHARS // 2 - 1
        name = f"{name[:half]}…{name[-half:]}"
    return name


def entry_problem_document(entry: ManifestEntry) -> ProcessedDocument:
    """A manifest entry whose file could not be opened at all, as a processed document."""
    problem = entry.problem or ""
    if "does not exist" in problem:
        template = MISSING_FILE_MESSAGE
    elif "invalid" in problem:
        template = INVALID_NAME_MESSAGE
    else:
        template = OUTSIDE_MESSAGE
    message = template.format(name=shown_name(entry.bestand), slot=entry.slot.value)
    finding = Finding.of(FindingCode.FILE_UNREADABLE, message, file=entry.bestand, slot=entry.slot)
    return ProcessedDocument(file=entry.bestand, slot=entry.slot, findings=[finding])


def size_refused_document(entry: ManifestEntry, limits: Limits) -> ProcessedDocument | None:
    """The FILE_UNREADABLE document for a listed file that is empty or over the size limit,
    found from its size on disk so it is never read into memory (a 10 GB file in the upload
    folder); None when its size is fine (or cannot be stat'ed: reading it reports that)."""
    if entry.path is None:
        return None
    try:
        size = entry.path.stat().st_size
    except OSError:
        return None
    if 0 < size <= limits.max_bytes:
        return None
    try:
        check_size(size, limits)
    except AdmissionError as exc:
        finding = Finding.of(
            FindingCode(exc.code), exc.message, file=entry.bestand, slot=entry.slot
        )
        return ProcessedDocument(file=entry.bestand, slot=entry.slot, findings=[finding])
    return None


class Unchecked(StrEnum):
    """Why a document could not be checked (a fault on our side, never the file's)."""

    FAULT = "fault"  # the stages or the worker failed
    STORAGE = "storage"  # the object store was unreachable
    TIMEOUT = "timeout"  # the document took longer than its task may run


UNCHECKED_MESSAGES = {
    Unchecked.FAULT: CHECK_FAILED_MESSAGE,
    Unchecked.STORAGE: STORAGE_DOWN_MESSAGE,
    Unchecked.TIMEOUT: TIMEOUT_MESSAGE,
}


def check_failed_document(
    entry: ManifestEntry, reason: Unchecked = Unchecked.FAULT
) -> ProcessedDocument:
    """A manifest entry whose processing failed on our side, so it was not checked: one
    CHECK_FAILED finding that says why, and nothing else about the document."""
    finding = Finding.of(
        FindingCode.CHECK_FAILED, UNCHECKED_MESSAGES[reason], file=entry.bestand, slot=entry.slot
    )
    return ProcessedDocument(file=entry.bestand, slot=entry.slot, findings=[finding])


def input_problems(errors: Iterable[RowError]) -> list[InputProblem]:
    return [InputProblem.model_validate(e.model_dump()) for e in errors]


def assemble_report(
    registrations: Sequence[Registration],
    processed: Sequence[tuple[ManifestEntry, ProcessedDocument]],
    row_errors: Iterable[RowError] = (),
    extra_findings: dict[str, list[Finding]] | None = None,
    *,
    single_upload: bool = False,
) -> Report:
    """One report entry per registration, in CSV order; manifest rows of unknown
    registrations are reported as input problems, never dropped silently. `single_upload`
    is a pre-screen of one file: completeness and duplicates are not judged."""
    by_id: dict[str, list[ProcessedDocument]] = {r.registratie_id: [] for r in registrations}
    problems = input_problems(row_errors)
    for entry, doc in processed:
        if entry.registratie_id in by_id:
            by_id[entry.registratie_id].append(doc)
        else:
            problems.append(
                InputProblem(
                    file="manifest",
                    line=entry.line,
                    registratie_id=entry.registratie_id or None,
                    reason=(
                        f"no valid registration {entry.registratie_id!r} for file {entry.bestand!r}"
                    ),
                )
            )
    batch = Batch.of(registrations)
    entries = []
    for registration in registrations:
        docs = by_id[registration.registratie_id]
        findings = [f for doc in docs for f in doc.findings]
        findings.extend(run_checks(registration, docs, batch, single_upload=single_upload))
        findings.extend((extra_findings or {}).get(registration.registratie_id, []))
        documents = [report_document(doc) for doc in docs]
        about_upload, to_review = split_review(findings)
        entries.append(
            ReportRegistration(
                registratie_id=registration.registratie_id,
                verdict=verdict(findings, documents),
                findings=about_upload,
                documents=documents,
                to_review=to_review,
                organisatie=registration.organisatie,
                deelnemer=registration.deelnemer,
            )
        )
    return Report(registrations=entries, input_problems=problems)
