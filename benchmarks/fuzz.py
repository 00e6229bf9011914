"""Fuzzing the parsers and loaders that see untrusted input: the date, crebo and BSN parsers
over OCR-like text, the registrations and manifest CSV loaders over random bytes (encodings,
BOMs, quotes, NULs, huge fields), and intake over random and mutated PDF and JPEG bytes.

Each target takes bytes and may only fail with its documented validation error (InputError,
AdmissionError, ValueError for `parse_csv_date`); any other exception, or an answer that breaks the
target's invariants, is a bug. tests/test_fuzz.py runs the targets briefly with Hypothesis;
this script runs them for longer:

    .venv/bin/python -m benchmarks.fuzz --seconds 60              # Hypothesis, every target
    .venv/bin/python -m benchmarks.fuzz --seconds 60 --engine atheris   # coverage-guided

and prints, per target, the iterations run and the failures found (exit 1 on any failure).
Atheris (libFuzzer for Python) is optional: `pip install atheris`."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

from core.errors import AdmissionError, InputError

# -- targets ---------------------------------------------------------------------------------


def target_text_parsers(data: bytes) -> None:
    """Dates, months, crebo numbers and BSNs found in any text are where they say they are
    and are valid values."""
    from extractors.parsers.bsn import bsn_present, find_bsns
    from extractors.parsers.crebo import find_crebos
    from extractors.parsers.dates import find_dates, find_months, parse_date

    text = data.decode("utf-8", errors="replace")
    for date in find_dates(text):
        assert 0 <= date.start < date.end <= len(text) and text[date.start : date.end] == date.text
    parse_date(text)
    for month in find_months(text):
        assert 1 <= month.month <= 12 and text[month.start : month.end] == month.text
    for crebo in find_crebos(text):
        assert re.fullmatch(r"[0-9]{5}", crebo.value), crebo
        assert text[crebo.start : crebo.end] == crebo.text
    for bsn in find_bsns(text):
        assert re.fullmatch(r"[0-9]{9}", bsn.digits), bsn
        weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
        assert sum(int(d) * w for d, w in zip(bsn.digits, weights, strict=True)) % 11 == 0
        assert text[bsn.start : bsn.end] == bsn.text
    bsn_present(text)


def target_csv_date(data: bytes) -> None:
    from core.csv_dates import parse_csv_date

    with contextlib.suppress(ValueError):
        parse_csv_date(data.decode("utf-8", errors="replace"))


def _write(data: bytes, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bewijscheck-fuzz-"))
    path = folder / name
    path.write_bytes(data)
    return path


def _cleanup(path: Path) -> None:
    for child in path.parent.iterdir():
        child.unlink()
    path.parent.rmdir()


def target_registrations(data: bytes) -> None:
    """Only InputError; every loaded row is valid and has its line."""
    from core.registration import load_registrations

    path = _write(data, "registrations.csv")
    try:
        registrations, errors = load_registrations(path)
    except InputError:
        return
    finally:
        _cleanup(path)
    assert all(r.line >= 2 for r in registrations)
    assert all(e.line >= 2 and e.reason for e in errors)
    ids = [r.registratie_id for r in registrations]
    assert len(ids) == len(set(ids))


def target_manifest(data: bytes) -> None:
    """Only InputError; a file an entry points at is always inside the manifest's folder."""
    from core.manifest import load_manifest

    path = _write(data, "manifest.csv")
    (path.parent / "a.pdf").write_bytes(b"%PDF-")
    try:
        entries, _ = load_manifest(path)
    except InputError:
        return
    finally:
        folder = path.parent.resolve()
        _cleanup(path)
    for entry in entries:
        assert (entry.path is None) != (entry.problem is None), entry
        if entry.path is not None:
            assert folder in entry.path.parents, entry


def target_intake(data: bytes) -> None:
    """`sniff` never raises; `intake` accepts within the limits or raises AdmissionError."""
    from core.settings import Limits
    from reading.admission import intake, sniff

    sniff(data)
    limits = Limits(max_bytes=4 * 1024 * 1024)
    try:
        accepted = intake(data, limits)
    except AdmissionError as exc:
        assert exc.message and exc.code in ("FILE_UNREADABLE", "FILE_TYPE_NOT_ALLOWED")
        return
    assert 1 <= accepted.page_count <= limits.max_pages


TARGETS: dict[str, Callable[[bytes], None]] = {
    "text_parsers": target_text_parsers,
    "csv_date": target_csv_date,
    "registrations": target_registrations,
    "manifest": target_manifest,
    "intake": target_intake,
}

# -- inputs ----------------------------------------------------------------------------------

WORDS = [
    "Crebo", "crebonummer", "25491", "BSN", "Burgerservicenummer", "111222333", "123456782",
    "1 september 2024", "31-12-2025", "2024-09-01", "sept.", "mrt", "januari", "'24", "1e",
    "Datum", "Periode", "loonstrook", "O", "l", "I", "S", "B", "*", ".", "-", "/", ":", " ",
    "\n", "\t", "\u00a0", "٣", "²", "\u202e", "\x00",
]  # fmt: skip
REGISTRATION_HEADER = (
    "registratie_id,organisatie,deelnemer,geboortedatum,activiteit,variant,doelgroep,"
    "opleiding,crebo,startdatum,einddatum,datum_in_dienst,extern,opleider,tekenbevoegde"
)
GOOD_ROW = (
    "R0001234,Zorggroep Noord,Jan de Vries,12-03-1990,A,V4,nieuwe_instroom,Verzorgende-IG,"
    "25491,01-09-2024,31-12-2025,15-08-2024,,,P. Bakker"
)
MANIFEST_HEADER = "registratie_id,slot,bestand"
MANIFEST_NAMES = [
    "a.pdf", "../a.pdf", "/etc/passwd", "..\\a.pdf", "C:\\a.pdf", "a\x00.pdf", "\u202efdp.a",
    "a" * 300, "docs/", ".", "", "é.pdf", "e\u0301.pdf", "~/a.pdf", "//h/s/a.pdf",
]  # fmt: skip


def ocr_text() -> st.SearchStrategy[str]:
    """Text made of the parsers' own words and digits, and any characters at all."""
    piece = st.one_of(
        st.sampled_from(WORDS),
        st.integers(0, 10**12).map(str),
        st.text(max_size=12),
        st.text(alphabet="0123456789 .-/", max_size=16),
    )
    return st.lists(piece, max_size=40).map(" ".join)


def _cell(extra: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(extra),
        st.text(max_size=20),
        st.text(alphabet='",\r\n\x00 ;\\', max_size=6),
        st.integers(0, 300_000).map(lambda n: "x" * n),  # huge fields (over csv's limit)
    )


def csv_bytes(header: str, good: str, extra: list[str]) -> st.SearchStrategy[bytes]:
    """CSV files near the real format: the header, good rows, rows of odd cells, in several
    encodings, with or without a BOM, and sometimes plain random bytes."""
    row = st.one_of(
        st.just(good),
        st.lists(_cell(extra), max_size=18).map(
            lambda cells: ",".join(f'"{c}"' if c.startswith("q") else c for c in cells)
        ),
    )
    document = st.tuples(
        st.sampled_from([header, header.upper(), header.replace(",", ";"), ""]),
        st.lists(row, max_size=6),
        st.sampled_from(["\n", "\r\n", "\r"]),
    ).map(lambda t: t[2].join([t[0], *t[1]]))
    encoded = st.tuples(
        document, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
    ).map(lambda t: t[0].encode(t[1], errors="replace"))
    return st.one_of(encoded, st.binary(max_size=512))


def _seeds() -> list[bytes]:
    from tests import factories, hostile

    return [factories.text_pdf(), factories.jpeg(), *(h.data for h in hostile.corpus())]


SPLICES = [b"%%EOF", b"/Count 99999", b"\xff\xd8\xff", b"%PDF-1.7", b"/Width 99999", b"obj", b"R"]


@st.composite
def mutated_file(draw: st.DrawFn) -> bytes:
    """A PDF or JPEG (good or hostile) with bit flips, cuts, insertions or splices."""
    data = bytearray(draw(st.sampled_from(_seeds())))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            data += draw(st.binary(min_size=1, max_size=64))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "splice", "number"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 4096))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=64))
        elif kind == "splice":
            data[at:at] = draw(st.sampled_from(SPLICES))
        else:  # a number in a PDF dictionary replaced by a huge or negative one
            data[at:at] = draw(st.sampled_from([b"999999999999", b"-1", b"0", b"4294967296"]))
    return bytes(data)


def strategies() -> dict[str, st.SearchStrategy[bytes]]:
    return {
        "text_parsers": ocr_text().map(lambda t: t.encode("utf-8", errors="surrogatepass")),
        "csv_date": st.one_of(
            st.text(alphabet="0123456789-./ ", max_size=14), st.text(max_size=14)
        ).map(lambda t: t.encode("utf-8", errors="replace")),
        "registrations": csv_bytes(REGISTRATION_HEADER, GOOD_ROW, ["R1", "A", "V4", "25491"]),
        "manifest": csv_bytes(MANIFEST_HEADER, "R1,kvk_uittreksel,a.pdf", MANIFEST_NAMES),
        "intake": st.one_of(st.binary(max_size=2048), mutated_file()),
    }


# -- runners ---------------------------------------------------------------------------------


def run_hypothesis(name: str, seconds: float) -> tuple[int, list[str]]:
    """Examples run for `seconds` against one target (fresh seeds each round); failures."""
    from hypothesis import HealthCheck, given, settings

    target, strategy = TARGETS[name], strategies()[name]
    count, failures = 0, []
    deadline = time.monotonic() + seconds

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def round_(data: bytes) -> None:
        nonlocal count
        count += 1
        target(data)

    while time.monotonic() < deadline:
        try:
            round_()
        except Exception as exc:
            failures.append("".join(traceback.format_exception_only(exc)).strip())
            if len(failures) >= 5:
                break
    return count, failures


def run_atheris(name: str, seconds: float) -> tuple[int, list[str]]:
    """libFuzzer over one target in a child process (it exits when done)."""
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.fuzz", "--atheris-child", name, "--seconds",
         str(seconds)],
        capture_output=True, text=True, timeout=seconds + 120,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    runs = re.findall(r"number_of_executed_units:\s*(\d+)", child.stderr)
    count = int(runs[-1]) if runs else 0
    failures = [] if child.returncode == 0 else [child.stderr.strip().splitlines()[-1][:300]]
    if child.returncode != 0:
        crash = re.search(r"(Uncaught Python exception:.*?)(?:\n\n|$)", child.stderr, re.S)
        failures = [crash.group(1)[:1500] if crash else child.stderr[-1500:]]
    return count, failures


def _atheris_child(name: str, seconds: float) -> None:
    import atheris

    with atheris.instrument_imports(include=["core", "reading", "extractors"]):  # coverage guidance
        import core.csv_dates
        import core.manifest
        import core.registration  # noqa: F401
        import reading.admission  # noqa: F401
    target = TARGETS[name]
    seeds = Path(tempfile.mkdtemp(prefix="bewijscheck-fuzz-corpus-"))
    if name == "intake":
        for i, seed in enumerate(_seeds()):
            (seeds / f"seed{i}").write_bytes(seed[: 64 * 1024])
    elif name in ("registrations", "manifest"):
        header = REGISTRATION_HEADER if name == "registrations" else MANIFEST_HEADER
        good = GOOD_ROW if name == "registrations" else "R1,kvk_uittreksel,a.pdf"
        (seeds / "seed0").write_text(f"{header}\n{good}\n")
    else:
        (seeds / "seed0").write_text(" ".join(WORDS))
    args = [sys.argv[0], f"-max_total_time={int(seconds)}", "-print_final_stats=1",
            "-max_len=65536", "-rss_limit_mb=2048", str(seeds)]  # fmt: skip
    atheris.Setup(args, target)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="time per target")
    parser.add_argument("--engine", choices=["hypothesis", "atheris"], default="hypothesis")
    parser.add_argument("--target", choices=sorted(TARGETS), action="append")
    parser.add_argument("--atheris-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if args.atheris_child:
        _atheris_child(args.atheris_child, args.seconds)
        return 0
    if args.engine == "atheris":
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris is not installed (pip install atheris); use --engine hypothesis")
            return 2
    run = run_atheris if args.engine == "atheris" else run_hypothesis
    total_failures = 0
    for name in args.target or list(TARGETS):
        started = time.monotonic()
        count, failures = run(name, args.seconds)
        total_failures += len(failures)
        took = time.monotonic() - started
        print(f"{name}: {count} iterations in {took:.0f} s, {len(failures)} failure(s)")
        for failure in failures:
            print(f"  {failure}")
    print(f"total failures: {total_failures}")
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
