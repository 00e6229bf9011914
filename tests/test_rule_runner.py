"""The rule registry and runner: every rule module is found, every rule's code is declared
once, clean registrations pass, and a rule that raises becomes CHECK_FAILED (logged without
personal data) while the other rules still run."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

import checks
from checks import base, runner
from core.enums import ROOT_CAUSE_CODES, FindingCode, Severity, Slot
from tests import rulekit as k

F = FindingCode
# intake codes (and ACTIVE_CONTENT, found at intake) are made before the rules
# (DIGITAL_SIGNATURE_INVALID and TAMPERING_SUSPECTED are rules over the integrity fields:
# checks/integrity.py)
NOT_RULES = (ROOT_CAUSE_CODES - {F.DOC_WRONG_TYPE}) | {F.CHECK_FAILED, F.ACTIVE_CONTENT}


def test_runner_finds_every_rule_module() -> None:
    on_disk = {
        p.stem
        for p in Path(checks.__file__).parent.glob("*.py")
        if not p.stem.startswith("_") and p.stem not in runner.NOT_RULES
    }
    assert {m.rsplit(".", 1)[-1] for m in runner.rule_modules()} == on_disk
    rules = runner.load_rules()
    assert {r.check.__module__.rsplit(".", 1)[-1] for r in rules.values()} == on_disk


def test_every_rulebook_code_has_exactly_one_rule() -> None:
    declared = [r.code for r in runner.load_rules().values()]
    assert sorted(declared) == sorted(set(FindingCode) - NOT_RULES)


def test_clean_registrations_get_no_findings() -> None:
    assert k.findings(k.registration(), k.a_documents()) == []
    assert k.findings(k.c_registration(), k.c_documents()) == []


def test_a_raising_rule_becomes_check_failed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    runner.load_rules()

    def boom(ctx: base.Context) -> list[object]:
        raise ValueError(f"cannot parse {ctx.registration.deelnemer}")

    broken = base.Rule("test.boom", F.CREBO_MISMATCH, Severity.ERROR, boom)  # type: ignore[arg-type]
    monkeypatch.setitem(base.RULES, "test.boom", broken)
    caplog.set_level(logging.ERROR, logger="checks.runner")
    docs = k.replace(k.a_documents(), k.pok(bpv_omvang=k.ABSENT))
    found = k.findings(k.registration(), docs)
    codes = [f.code for f in found]
    assert F.CHECK_FAILED in codes and F.BPV_VOLUME_MISSING in codes  # the others still ran
    failed = next(f for f in found if f.code is F.CHECK_FAILED)
    assert failed.severity is Severity.WARNING
    assert "test.boom" in caplog.text and "ValueError" in caplog.text
    assert k.NAME not in caplog.text  # never log personal data


def test_every_finding_has_a_dutch_message_with_what_to_do() -> None:
    docs = [
        k.pok(crebo="25498", startdatum="2024-10-01", bpv_omvang=None, signature_count=2),
        k.payslip(loonstrook_maand="2024-12", bsn_present=True, werkgever="Ander B.V."),
        k.diploma(diploma_datum="2026-01-01", deelnemer="Piet Jansen"),
    ]
    found = k.findings(k.registration(datum_in_dienst=date(2010, 1, 1)), docs)
    assert len({f.code for f in found}) >= 9
    for finding in found:
        assert any(w in finding.message for w in ("Upload", "upload", "Pas ", "Kies", "Trek",
                                                   "Vul", "Controleer", "Neem"))  # fmt: skip


def test_run_checks_judges_a_whole_registration_unless_told() -> None:
    """Without `single_upload` the runner is not a pre-screen: an empty slot is missing."""
    docs = [d for d in k.a_documents() if d.slot is not Slot.LOONSTROOK_EIND]
    assert [f.code for f in runner.run_checks(k.registration(), docs)] == [F.DOCUMENT_MISSING]
