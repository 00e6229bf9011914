"""Fields, extractors and rules are declared once and hold together at load time: every field a
rule reads is produced for every document type it looks at (else the rule would silently find
nothing), every field has its spec, every code exactly one severity, the same as before the
severities moved onto the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

import extractors.doctypes
from checks import base
from checks.registry import severities, severity_of
from checks.runner import load_rules
from core.enums import SEVERITY_OUTSIDE_RULES, DocType, FindingCode, Severity
from core.fields import FIELD_SPECS, FieldName, ValueKind, carried_by, label
from core.model import Finding
from extractors import registry
from tests import rulekit as k

F = FieldName
# The severities before they moved onto the rules (core/enums.py `_WARNINGS`): these seven
# were warnings, every other code an error.
WARNINGS_BEFORE = {
    "DOC_TYPE_UNCERTAIN", "EDUCATION_MISMATCH", "TARGET_GROUP_MISMATCH",
    "PAYSLIP_EMPLOYER_MISMATCH", "TAMPERING_SUSPECTED", "CHECK_FAILED", "ACTIVE_CONTENT",
    "FIELD_NOT_FOUND",
}  # fmt: skip


def unproduced_reads(rule: base.Rule) -> list[str]:
    """`type: field` for every field the rule reads that no extractor produces for the type."""
    return [
        f"{doc_type}: {name}"
        for doc_type in rule.types
        for name in rule.fields_read(doc_type)
        if name not in registry.produced(doc_type)
    ]


def test_every_field_a_rule_reads_is_produced_for_its_types() -> None:
    rules = load_rules().values()
    assert {r.name: unproduced_reads(r) for r in rules} == {r.name: [] for r in rules}


def test_a_rule_reading_a_field_nothing_produces_is_caught() -> None:
    fake = base.Rule(
        "fake.kvk_crebo",
        FindingCode.KVK_EXTRACT_TOO_OLD,
        Severity.ERROR,
        lambda ctx: [],
        types=(DocType.KVK_UITTREKSEL, DocType.DIPLOMA),
        reads=(F.CREBO,),
    )
    assert unproduced_reads(fake) == ["kvk_uittreksel: crebo"]


@pytest.fixture
def free_code(monkeypatch: pytest.MonkeyPatch) -> FindingCode:
    """A code whose rule is taken out of a copy of the registry (restored afterwards)."""
    rules = {n: r for n, r in load_rules().items() if n != "kvk.kvk_extract_too_old"}
    monkeypatch.setattr(base, "RULES", rules)
    return FindingCode.KVK_EXTRACT_TOO_OLD


def _fake_rule(ctx: base.Context) -> list[Finding]:
    return []


def test_a_right_rule_declaration_registers(free_code: FindingCode) -> None:
    kvk = (DocType.KVK_UITTREKSEL,)
    base.rule(code=free_code, severity=Severity.ERROR, types=kvk, reads=(F.KVK_DATUM,))(_fake_rule)
    assert base.RULES["test_registry._fake_rule"].fields_read(kvk[0]) == (F.KVK_DATUM,)


@pytest.mark.parametrize(
    ("declaration", "problem"),
    [
        ({"types": (DocType.KVK_UITTREKSEL,), "reads": ("kvk_datm",)}, "'kvk_datm' is no field"),
        ({"types": (DocType.KVK_UITTREKSEL,), "reads": (F.CREBO,)}, "carries no field 'crebo'"),
        ({"types": (DocType.LOONSTROOK,), "reads_on": {DocType.DIPLOMA: (F.CREBO,)}}, "reads_on"),
        ({"columns": ("geboorte_datum",)}, "'geboorte_datum' is no registration column"),
        ({"code": FindingCode.CREBO_MISMATCH}, "already the code of education.crebo_mismatch"),
        ({"code": FindingCode.CHECK_FAILED}, "raised outside the rules"),
    ],
)
def test_a_wrong_rule_declaration_fails_when_the_rule_loads(
    free_code: FindingCode, declaration: dict[str, object], problem: str
) -> None:
    before = dict(base.RULES)
    kwargs: dict[str, object] = {"code": free_code, **declaration}
    with pytest.raises(base.RuleDeclarationError, match=problem):
        base.rule(severity=Severity.ERROR, **kwargs)(_fake_rule)  # type: ignore[arg-type]
    assert before == base.RULES  # nothing half-registered


def test_the_field_specs_and_the_extractors_agree_on_every_type() -> None:
    assert set(FIELD_SPECS) == set(FieldName)
    for doc_type in DocType:
        assert registry.produced(doc_type) == carried_by(doc_type), doc_type


def test_every_field_has_a_dutch_label_and_a_kind() -> None:
    for name, spec in FIELD_SPECS.items():
        assert spec.label and spec.label[0].isupper() and isinstance(spec.kind, ValueKind), name
        assert spec.types, name  # carried by some type
    assert label(F.SIGNATURE_COUNT) == "Aantal handtekeningen"
    assert label("oud_veld") == "Oud veld"  # a stored name that is no field any more


def test_every_type_but_onbekend_has_one_extractor_module() -> None:
    registry.load_all()
    assert set(registry.BY_TYPE) == set(DocType) - {DocType.ONBEKEND}
    folder = Path(extractors.doctypes.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "common"}
    owners = {e.name.rsplit(".", 2)[-2] for e in registry.BY_TYPE.values()}
    assert owners == modules


def test_every_extractor_module_is_in_the_result_cache_key() -> None:
    from pipeline.cache import ROOT, stage_files

    files = {p.relative_to(ROOT).as_posix() for p in stage_files()}
    folder = Path(extractors.doctypes.__file__).parent
    assert {f"extractors/doctypes/{p.name}" for p in folder.glob("*.py")} <= files


def test_a_second_extractor_for_a_type_is_refused() -> None:
    registry.load_all()
    before = dict(registry.BY_TYPE)

    def other_kvk(text: object, hints: object) -> dict[str, object]:
        return {}

    register = registry.extracts(DocType.ONBEKEND, DocType.KVK_UITTREKSEL, produces=())
    with pytest.raises(registry.RegistryError, match="already has"):
        register(other_kvk)  # type: ignore[arg-type]
    assert before == registry.BY_TYPE  # not even the free type (onbekend) was taken
    with pytest.raises(registry.RegistryError, match="no fields"):
        registry.everywhere("fake", produces=("logo",))  # type: ignore[arg-type]


def test_every_code_has_exactly_one_severity() -> None:
    by_rule = [r.code for r in load_rules().values()]
    assert len(by_rule) == len(set(by_rule))  # one rule per code
    assert not set(by_rule) & set(SEVERITY_OUTSIDE_RULES)  # declared in one place only
    assert set(by_rule) | set(SEVERITY_OUTSIDE_RULES) == set(FindingCode)


def test_severities_are_the_same_as_before() -> None:
    expected = {
        code: Severity.WARNING if code.value in WARNINGS_BEFORE else Severity.ERROR
        for code in FindingCode
    }
    assert severities() == expected
    assert severity_of(FindingCode.EDUCATION_MISMATCH) is Severity.WARNING


def test_a_rules_finding_carries_its_rules_severity() -> None:
    docs = k.replace(k.a_documents(), k.pok(opleiding="Kok", crebo="25498"))
    found = {f.code: f.severity for f in k.findings(k.registration(), docs)}
    assert found == {
        FindingCode.EDUCATION_MISMATCH: Severity.WARNING,
        FindingCode.CREBO_MISMATCH: Severity.ERROR,
    }
    with pytest.raises(LookupError):
        base.finding(FindingCode.CHECK_FAILED, "geen regel")
