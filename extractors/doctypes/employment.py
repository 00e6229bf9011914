"""Fields of an employment contract (arbeidsovereenkomst): only when it starts, the employment
date a payslip may also show. It is no practice agreement (checks/doc_type.py says so)."""

from __future__ import annotations

import re

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText
from core.model import FieldValue, Hints
from extractors.doctypes.common import labelled_date
from extractors.registry import extracts

# Report data (the evidence's `extractor`): the name of the module this came from before
# the per-type registry, kept so report.json does not change.
EXTRACTOR = "extractors.fields"
# An employment contract's start: "De arbeidsovereenkomst gaat in op 1 september 2024".
EMPLOYMENT_START = re.compile(
    r"gaat in op|treedt (?:per|op) |in dienst (?:per|op|vanaf)|datum (?:in dienst|indiensttreding)"
    r"|ingangsdatum",
    re.IGNORECASE,
)


@extracts(DocType.ARBEIDSOVEREENKOMST, produces=(FieldName.DATUM_IN_DIENST,))
def employment_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    found = labelled_date(text, EMPLOYMENT_START, EXTRACTOR)
    return {FieldName.DATUM_IN_DIENST: found} if found else {}
