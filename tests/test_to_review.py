"""What the reader could not read is no finding about the upload: it is reported in the
registration's `to_review`, and the registration goes to review (never approve, never reject)."""

from __future__ import annotations

import json

from core.enums import FindingCode, Slot, Verdict
from core.manifest import ManifestEntry
from core.model import ProcessedDocument
from core.report import Report
from pipeline.assemble import assemble_report
from tests import rulekit as k


def entry_of(docs: list[ProcessedDocument]) -> dict:  # type: ignore[type-arg]
    reg = k.registration()
    rows = [
        (ManifestEntry(registratie_id=reg.registratie_id, slot=d.slot, bestand=d.file, line=n), d)
        for n, d in enumerate(docs, start=2)
    ]
    report = assemble_report([reg], rows)
    data = json.loads(report.to_json())
    Report.model_validate(data)  # the CONTRACT shape holds, with the added key
    return data["registrations"][0]  # type: ignore[no-any-return]


def codes(items: list[dict]) -> set[str]:  # type: ignore[type-arg]
    return {f["code"] for f in items}


def test_a_field_not_read_is_to_review_not_a_finding() -> None:
    entry = entry_of(k.replace(k.a_documents(), k.pok(startdatum=None)))
    assert FindingCode.FIELD_NOT_FOUND.value not in codes(entry["findings"])
    [item] = entry["to_review"]
    assert item["code"] == FindingCode.FIELD_NOT_FOUND.value
    assert "startdatum" in item["message"]  # Dutch, naming what was not read
    assert item["document_id"] is not None  # the reviewer is taken to the document
    assert entry["verdict"] == Verdict.REVIEW.value


def test_everything_read_leaves_nothing_to_review() -> None:
    entry = entry_of(k.a_documents())
    assert entry["to_review"] == []
    assert entry["findings"] == []
    assert entry["verdict"] == Verdict.APPROVE.value


def test_an_error_beside_a_point_to_review_still_rejects() -> None:
    docs = k.replace(k.a_documents(), k.pok(startdatum=None, crebo="25498"))
    entry = entry_of(docs)
    assert codes(entry["findings"]) == {FindingCode.CREBO_MISMATCH.value}
    assert codes(entry["to_review"]) == {FindingCode.FIELD_NOT_FOUND.value}
    assert entry["verdict"] == Verdict.REJECT.value


def test_a_missing_slot_is_a_finding_not_a_point_to_review() -> None:
    docs = [d for d in k.a_documents() if d.slot is not Slot.LOONSTROOK_EIND]
    entry = entry_of(docs)
    assert FindingCode.DOCUMENT_MISSING.value in codes(entry["findings"])
    assert entry["to_review"] == []
