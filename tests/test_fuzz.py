"""Short fuzz runs of the targets in benchmarks/fuzz.py (long runs: `python -m benchmarks.fuzz
--seconds N`): the text parsers, the CSV loaders and intake only ever fail with their
documented validation errors. Plus the bugs fuzzing found, kept as plain regression tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks import fuzz
from core.errors import AdmissionError, InputError
from core.manifest import load_manifest
from core.registration import REGISTRATION_COLUMNS, load_registrations
from core.settings import Limits
from reading.admission import intake
from tests import hostile

STRATEGIES = fuzz.strategies()
# Derandomized: the same examples on every run, so the suite (and CI) passes or fails the same
# way; `python -m benchmarks.fuzz --seconds N` explores new inputs. (A random run of the intake
# target on 2026-12-07 was killed by the kernel at 22 GB: that input is not found yet.)
QUICK = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@QUICK
@given(STRATEGIES["text_parsers"])
def test_text_parsers_find_only_valid_values_where_they_say(data: bytes) -> None:
    fuzz.target_text_parsers(data)


@QUICK
@given(STRATEGIES["csv_date"])
def test_csv_dates_parse_or_raise_value_error(data: bytes) -> None:
    fuzz.target_csv_date(data)


@QUICK
@given(STRATEGIES["registrations"])
def test_registrations_csv_loads_or_raises_input_error(data: bytes) -> None:
    fuzz.target_registrations(data)


@QUICK
@given(STRATEGIES["manifest"])
def test_manifest_csv_loads_or_raises_input_error_and_stays_inside(data: bytes) -> None:
    fuzz.target_manifest(data)


@settings(QUICK, max_examples=60)
@given(STRATEGIES["intake"])
def test_intake_accepts_or_raises_intake_error(data: bytes) -> None:
    fuzz.target_intake(data)


@pytest.mark.slow
@settings(QUICK, max_examples=1000)
@given(STRATEGIES["intake"])
def test_intake_accepts_or_raises_intake_error_long(data: bytes) -> None:
    fuzz.target_intake(data)


# -- what fuzzing found ----------------------------------------------------------------------


def test_a_page_in_the_count_but_not_in_the_file_is_unreadable_not_a_crash() -> None:
    """Found by the intake target: pdfium counts the page, then cannot find its size
    (PdfiumError escaped intake)."""
    data = hostile.raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>"]
    )
    with pytest.raises(AdmissionError) as caught:
        intake(data, Limits())
    assert caught.value.code == "FILE_UNREADABLE" and "beschadigd" in caught.value.message


@pytest.mark.parametrize("loader", [load_registrations, load_manifest])
def test_a_field_over_the_csv_limit_is_an_input_error(tmp_path: Path, loader: object) -> None:
    """Found by the CSV targets: a field over 128 KiB raised csv.Error (a traceback)."""
    header = ",".join(REGISTRATION_COLUMNS) + ",slot,bestand"
    path = tmp_path / "in.csv"
    path.write_text(f'{header}\nR1,"{"x" * 200_000}"\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a readable CSV at line"):
        loader(path)  # type: ignore[operator]
