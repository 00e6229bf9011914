"""The severity of any finding code: a rule's code has the severity its rule declares
(checks/base.py `@rule`), a code no rule raises (intake, our own faults) the one core gives it
(core.enums.SEVERITY_OUTSIDE_RULES). Used wherever a verdict is derived from codes alone: the
fixture generator's truth and `eval`'s expected verdicts."""

from __future__ import annotations

from checks.runner import load_rules
from core.enums import SEVERITY_OUTSIDE_RULES, FindingCode, Severity


def severities() -> dict[FindingCode, Severity]:
    """Every code's severity (the rule modules are loaded first)."""
    table = dict(SEVERITY_OUTSIDE_RULES)
    for declared in load_rules().values():
        table[declared.code] = declared.severity
    return table


def severity_of(code: FindingCode) -> Severity:
    """The severity of one code; KeyError for a code nobody declares a severity for."""
    return severities()[code]
