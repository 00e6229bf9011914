"""Registration-guided reading of a KvK extract: the registered signatory named on a page that
names a director's role is among the directors, where OCR lost the "Bestuurders" heading and
the "Naam" labels of a scan; a name not on the extract, or named where no director's role is,
is not added (SIGNATORY_NOT_ON_KVK still stands)."""

from __future__ import annotations

from core.enums import FindingCode
from core.fields import FieldName
from core.model import Hints
from extractors.doctypes.kvk import kvk_fields
from tests import rulekit as k
from tests.test_kv_reading import page

SIGNATORY = "Aaron in 't Kloppert"


def _directors(rows: list[tuple[float, float, str]], signatory: str | None) -> list[str]:
    text = page((20, 20, "Uittreksel Handelsregister"), *rows)
    found = kvk_fields(text, Hints(signatory=signatory)).get(FieldName.BESTUURDERS)
    return [] if found is None or not found.value else [str(n) for n in found.value]


# page 1 of a scan: heading and labels lost, the names and titles read
LOST_LABELS = [(20, 60, SIGNATORY), (20, 66, "28 mrt. 1982, Leiden"), (20, 72, "Voorzitter"),
               (20, 80, "Sem van de Dirksen"), (20, 86, "Bestuurder")]  # fmt: skip


def test_the_signatory_named_among_directors_is_found() -> None:
    assert _directors(LOST_LABELS, None) == []  # the layout alone reads no director here
    assert _directors(LOST_LABELS, SIGNATORY) == [SIGNATORY]
    assert _directors(LOST_LABELS, "Piet Jansen") == []  # not on the extract: not added
    proxy = [(20, 60, "Gevolmachtigde"), (20, 66, SIGNATORY)]
    assert _directors(proxy, SIGNATORY) == []  # named, but in no director's role


def test_registration_hints_carry_the_signatory_and_the_rule_reads_it() -> None:
    reg = k.registration(tekenbevoegde=SIGNATORY)
    assert reg.hints().signatory == SIGNATORY
    extract = k.kvk(bestuurders=["Ben ter Glasses", SIGNATORY])
    assert FindingCode.SIGNATORY_NOT_ON_KVK not in k.codes(reg, k.replace(k.a_documents(), extract))
    missing = k.kvk(bestuurders=["Ben ter Glasses"])
    assert FindingCode.SIGNATORY_NOT_ON_KVK in k.codes(reg, k.replace(k.a_documents(), missing))
