"""Registrations and manifest CSVs: validation with line numbers, safe path resolution."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.csv_dates import parse_csv_date
from core.enums import Activity, Slot
from core.errors import InputError
from core.manifest import load_manifest, resolve_inside
from core.registration import REGISTRATION_COLUMNS, load_registrations

HEADER = ",".join(REGISTRATION_COLUMNS) + ",tekenbevoegde"
GOOD = (
    "R0001234,Zorggroep Noord,Jan de Vries,12-03-1990,A,V4,nieuwe_instroom,"
    "Verzorgende-IG,25491,01-09-2024,31-12-2025,15-08-2024,,,P. Bakker"
)


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_row_loads_with_parsed_values(tmp_path: Path) -> None:
    regs, errors = load_registrations(write(tmp_path, "r.csv", HEADER, GOOD))
    assert errors == []
    reg = regs[0]
    assert reg.activiteit is Activity.A
    assert reg.startdatum == date(2024, 9, 1)
    assert reg.crebo == "25491"
    assert reg.extern is None  # empty optional value is not an error
    assert reg.tekenbevoegde == "P. Bakker"
    assert reg.line == 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("25491", "2549"), "crebo '2549' must be exactly 5 digits"),
        (("25491", "25491a"), "must be exactly 5 digits"),
        (("01-09-2024", "31-02-2024"), "not a valid date"),
        (("01-09-2024", "2024/09/01"), "expected DD-MM-YYYY"),
        ((",A,", ",F,"), "activiteit"),
        (("V4", "V5"), "variant"),
        (("nieuwe_instroom", "nieuw"), "doelgroep"),
        (("R0001234", "X12"), "R-number"),
    ],
)
def test_bad_row_reported_with_line_and_rest_loads(
    tmp_path: Path, change: tuple[str, str], reason: str
) -> None:
    bad = GOOD.replace(*change, 1)
    other = GOOD.replace("R0001234", "R0001235")
    regs, errors = load_registrations(write(tmp_path, "r.csv", HEADER, bad, other))
    assert [r.registratie_id for r in regs] == ["R0001235"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert reason in errors[0].reason


def test_iso_dates_accepted() -> None:
    assert parse_csv_date("2024-09-01") == date(2024, 9, 1)
    assert parse_csv_date(" 1-9-2024 ") == date(2024, 9, 1)


def test_duplicate_id_reported(tmp_path: Path) -> None:
    regs, errors = load_registrations(write(tmp_path, "r.csv", HEADER, GOOD, GOOD))
    assert len(regs) == 1
    assert "more than once" in errors[0].reason and errors[0].line == 3


def test_unreadable_csv_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing column"):
        load_registrations(write(tmp_path, "r.csv", "registratie_id,organisatie", "R1,x"))
    with pytest.raises(InputError, match="cannot read"):
        load_registrations(tmp_path / "nope.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\n" + GOOD.replace("Jan", "J\xe9n")).encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_registrations(latin)


def test_manifest_resolves_inside_folder_only(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path.parent / "secret.pdf").write_bytes(b"x")
    manifest = write(
        tmp_path,
        "m.csv",
        "registratie_id,slot,bestand",
        "R1,praktijkovereenkomst,docs/a.pdf",
        "R1,loonstrook_start,../secret.pdf",
        "R1,loonstrook_eind,/etc/passwd",
        "R1,prestatiebewijs,docs/missing.pdf",
        "R1,vakje_x,docs/a.pdf",
        "R1,kvk_uittreksel,docs\\..\\..\\secret.pdf",
    )
    entries, errors = load_manifest(manifest)
    assert [e.slot for e in entries] == [
        Slot.PRAKTIJKOVEREENKOMST,
        Slot.LOONSTROOK_START,
        Slot.LOONSTROOK_EIND,
        Slot.PRESTATIEBEWIJS,
        Slot.KVK_UITTREKSEL,
    ]
    assert entries[0].path == (tmp_path / "docs" / "a.pdf").resolve()
    assert entries[0].problem is None
    for entry in entries[1:3]:
        assert entry.path is None and entry.problem
    assert entries[3].problem and "does not exist" in entries[3].problem
    assert entries[4].path is None and entries[4].problem
    assert errors[0].line == 6 and "unknown slot" in errors[0].reason


def test_symlink_out_of_folder_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.pdf").write_bytes(b"x")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(ValueError, match="outside"):
        resolve_inside(root, "link/x.pdf")
    assert (
        resolve_inside(root, "sub/../x.pdf".replace("../", ""))
        == (root / "sub" / "x.pdf").resolve()
    )
