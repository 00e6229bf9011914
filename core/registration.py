"""Registrations: validated rows of the registrations CSV (CONTRACT, "Inputs").

A bad row is reported with its line number and reason and skipped; the other rows still
load. A file that cannot be read as such a CSV at all raises `InputError`."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.csv_dates import parse_csv_date
from core.enums import Activity, Doelgroep, Variant
from core.errors import InputError
from core.model import Hints

REGISTRATION_COLUMNS = (
    "registratie_id",
    "organisatie",
    "deelnemer",
    "geboortedatum",
    "activiteit",
    "variant",
    "doelgroep",
    "opleiding",
    "crebo",
    "startdatum",
    "einddatum",
    "datum_in_dienst",
    "extern",
    "opleider",
)
OPTIONAL_COLUMNS = ("tekenbevoegde",)
_CREBO = re.compile(r"^\d{5}$")
_R_NUMBER = re.compile(r"^R\d+$")


class Registration(BaseModel):
    """One participant's registration as entered in the portal."""

    model_config = ConfigDict(frozen=True)

    registratie_id: str
    organisatie: str = Field(min_length=1)
    deelnemer: str = Field(min_length=1)
    geboortedatum: date | None = None
    activiteit: Activity
    variant: Variant
    doelgroep: Doelgroep
    opleiding: str | None = None
    crebo: str | None = None
    startdatum: date
    einddatum: date
    datum_in_dienst: date | None = None
    extern: bool | None = None
    opleider: str | None = None
    tekenbevoegde: str | None = None
    line: int = Field(default=0, ge=0, description="line in the CSV, header = 1")

    @field_validator("registratie_id")
    @classmethod
    def _r_number(cls, value: str) -> str:
        value = value.strip()
        if not _R_NUMBER.match(value):
            raise ValueError(f"'{value}' is not an R-number (R followed by digits)")
        return value

    @field_validator("crebo")
    @classmethod
    def _crebo(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _CREBO.match(value):
            raise ValueError(f"crebo '{value}' must be exactly 5 digits")
        return value

    @field_validator("geboortedatum", "startdatum", "einddatum", "datum_in_dienst", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_csv_date(value)
        return value

    @field_validator("extern", mode="before")
    @classmethod
    def _ja_nee(cls, value: Any) -> Any:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in {"ja", "j", "yes", "true", "1"}:
                return True
            if lowered in {"nee", "n", "no", "false", "0"}:
                return False
            raise ValueError(f"extern '{value}' must be 'ja' or 'nee'")
        return value

    def hints(self) -> Hints:
        """What to look for on this registration's documents."""
        return Hints(
            participant=self.deelnemer,
            education=self.opleiding,
            crebo=self.crebo,
            organisation=self.organisatie,
            signatory=self.tekenbevoegde,
            dates=tuple(
                (name, value.isoformat())
                for name, value in (
                    ("startdatum", self.startdatum),
                    ("einddatum", self.einddatum),
                    ("datum_in_dienst", self.datum_in_dienst),
                )
                if value is not None
            ),
        )


class RowError(BaseModel):
    """A CSV row that was skipped, with where and why."""

    file: str
    line: int
    registratie_id: str | None = None
    reason: str


def _field_errors(exc: ValidationError) -> str:
    """Every field's complaint, `field: message; ...` (not `core.errors.reason`: one row can
    be wrong in several columns, and the reader needs them all)."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "row"
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def read_csv_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV with a header as (line number, row); `InputError` if unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [col for col in required if col not in header]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
        reader.fieldnames = header
        rows = []
        for row in reader:
            cleaned = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
            if any(cleaned.values()):
                rows.append((reader.line_num, cleaned))
    except csv.Error as exc:  # e.g. a field over the csv module's limit (128 KiB)
        raise InputError(f"{path}: not a readable CSV at line {reader.line_num}: {exc}") from None
    return rows


def load_registrations(path: Path) -> tuple[list[Registration], list[RowError]]:
    """Load and validate a registrations CSV; bad rows come back as `RowError`s."""
    registrations: list[Registration] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for line, row in read_csv_rows(path, REGISTRATION_COLUMNS):
        values: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
        values["line"] = line
        rid = row.get("registratie_id") or None
        try:
            registration = Registration.model_validate(values)
        except ValidationError as exc:
            errors.append(
                RowError(file=str(path), line=line, registratie_id=rid, reason=_field_errors(exc))
            )
            continue
        if registration.registratie_id in seen:
            errors.append(
                RowError(
                    file=str(path),
                    line=line,
                    registratie_id=rid,
                    reason=f"registratie_id {rid} appears more than once",
                )
            )
            continue
        seen.add(registration.registratie_id)
        registrations.append(registration)
    return registrations, errors
