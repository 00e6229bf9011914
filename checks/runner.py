"""Run every applicable rule over one registration and collect all findings (lazily: a
failing rule never stops the others). Rule modules are found by walking this package, like
OCRmyPDF's plugins; a rule that raises becomes a CHECK_FAILED warning, logged without any
personal data."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Sequence

import checks
from checks.base import RULES, Batch, Context, Rule
from core.enums import FindingCode
from core.model import Finding, ProcessedDocument
from core.registration import Registration

log = logging.getLogger(__name__)

NOT_RULES = frozenset({"base", "registry", "runner"})
RULE_FAILED_MESSAGE = (
    "Een controle ({rule}) kon door een technische storing niet automatisch worden uitgevoerd. "
    "U hoeft niets te doen: een medewerker van het SSC controleert dit onderdeel."
)


def rule_modules() -> list[str]:
    """Names of the rule modules in the `checks` package (helpers start with '_')."""
    return sorted(
        f"{checks.__name__}.{info.name}"
        for info in pkgutil.iter_modules(checks.__path__)
        if info.name not in NOT_RULES and not info.name.startswith("_")
    )


def load_rules() -> dict[str, Rule]:
    """Import every rule module (registering its rules) and return the registry."""
    for name in rule_modules():
        importlib.import_module(name)
    return RULES


def _run_one(rule: Rule, ctx: Context) -> list[Finding]:
    try:
        if not rule.applies(ctx):
            return []
        return list(rule.check(ctx))
    except Exception as exc:  # a broken rule must not sink the registration
        # the type only: exception texts may quote names or numbers from the documents
        log.error(
            "rule %s failed for %s: %s",
            rule.name,
            ctx.registration.registratie_id,
            type(exc).__name__,
        )
        return [Finding.of(FindingCode.CHECK_FAILED, RULE_FAILED_MESSAGE.format(rule=rule.code))]


def run_checks(
    registration: Registration,
    documents: Sequence[ProcessedDocument],
    batch: Batch | None = None,
    *,
    single_upload: bool = False,
) -> list[Finding]:
    """All findings of all applicable rules for one registration, in registry order."""
    ctx = Context(
        registration=registration,
        documents=tuple(documents),
        batch=batch if batch is not None else Batch.of([registration]),
        single_upload=single_upload,
    )
    findings: list[Finding] = []
    for rule in sorted(load_rules().values(), key=lambda r: r.name):
        findings.extend(_run_one(rule, ctx))
    return findings
