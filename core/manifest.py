"""The manifest: one row per uploaded file (`registratie_id, slot, bestand`).

Paths are resolved inside the manifest's folder only: absolute paths, `..` and symlinks that
lead outside are refused. A refused or missing file is kept as an entry with a `problem`, so it
becomes a finding instead of silently disappearing. A BSN in a listed name is masked in the
entry (`core.file_names`): the name travels into reports, findings and the review store."""

from __future__ import annotations

import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from pydantic import BaseModel

from core.enums import Slot
from core.file_names import mask_bsn
from core.registration import RowError, read_csv_rows

MANIFEST_COLUMNS = ("registratie_id", "slot", "bestand")


class ManifestEntry(BaseModel):
    """One uploaded file as listed in the manifest."""

    registratie_id: str
    slot: Slot
    bestand: str
    line: int
    path: Path | None = None
    problem: str | None = None


def resolve_inside(root: Path, name: str) -> Path:
    """Resolve `name` under `root`; ValueError if it is absolute or leads outside."""
    if not name or "\x00" in name:
        raise ValueError("empty or invalid file name")
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or PureWindowsPath(name).drive:
        raise ValueError(f"absolute path '{name}' is not allowed")
    if any(part == ".." for part in posix.parts):
        raise ValueError(f"path '{name}' leads outside the manifest's folder")
    base = root.resolve()
    target = (base / Path(*posix.parts)).resolve()
    if target != base and base not in target.parents:
        raise ValueError(f"path '{name}' leads outside the manifest's folder")
    return target


def find_file(root: Path, name: str) -> tuple[Path | None, str | None]:
    """The file `name` names under `root`, or None with the reason (a `problem`). A name
    written in another Unicode normal form than the file's (macOS writes NFD, Windows NFC)
    still finds it; a name the file system cannot take (too long) is a problem, not a crash."""
    try:
        target = resolve_inside(root, name)
    except ValueError as exc:
        return None, str(exc)
    variants = dict.fromkeys(
        [name, unicodedata.normalize("NFC", name), unicodedata.normalize("NFD", name)]
    )
    for variant in variants:
        try:
            candidate = target if variant == name else resolve_inside(root, variant)
            if candidate.is_file():
                return candidate, None
        except (OSError, ValueError) as exc:
            return None, f"invalid file name: {getattr(exc, 'strerror', None) or exc}"
    return None, f"file '{name}' does not exist"


def load_manifest(path: Path) -> tuple[list[ManifestEntry], list[RowError]]:
    """Load the manifest; rows with an unknown slot come back as `RowError`s."""
    entries: list[ManifestEntry] = []
    errors: list[RowError] = []
    root = path.parent
    for line, row in read_csv_rows(path, MANIFEST_COLUMNS):
        rid, slot_text, name = row["registratie_id"], row["slot"], row["bestand"]
        try:
            slot = Slot(slot_text)
        except ValueError:
            errors.append(
                RowError(
                    file=str(path),
                    line=line,
                    registratie_id=rid or None,
                    reason=f"unknown slot '{slot_text}'",
                )
            )
            continue
        # the file is found by its name as listed; what is kept and shown has a BSN masked
        entry = ManifestEntry(registratie_id=rid, slot=slot, bestand=mask_bsn(name), line=line)
        entry.path, problem = find_file(root, name)
        entry.problem = None if problem is None else mask_bsn(problem)
        entries.append(entry)
    return entries, errors
