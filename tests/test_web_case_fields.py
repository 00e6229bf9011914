"""The document page's fields (issue 19, items 3 and 4): every field of the document's type is
listed, the ones the reader did not find too, each as registration value | read value |
corrected value | confidence | page with a padded crop of the page around it; a missed value
can be entered (typed as its field's kind) and the rules re-run; a document's type can be
corrected (an `onbekend` one given its type): the rules re-run and the new type's fields are
listed to enter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.enums import DocType, FindingCode, Slot
from core.errors import CorrectionError
from core.fields import FieldName, carried_by
from core.geometry import BBox
from core.manifest import ManifestEntry
from core.model import FieldValue, Page, WordSource
from pipeline.assemble import assemble_report
from review import repository
from review.cases import coerce_field
from review.importer import import_case
from review.retype import correct_type
from store.review_tables import AuditRow, CaseRow
from tests import rulekit
from tests.webkit import client_for, login, make_app
from web.field_table import MIN_W, PAD_X, crop, field_rows

OTHER = "R0005678"


def case_with(app: FastAPI, slot: Slot, changed: object) -> None:
    """Case OTHER: the rulekit documents with the one in `slot` replaced by `changed`."""
    reg = rulekit.registration(registratie_id=OTHER)
    docs = [changed if d.slot is slot else d for d in rulekit.a_documents()]
    pairs = [
        (ManifestEntry(registratie_id=OTHER, slot=d.slot, bestand=d.file, line=i), d)  # type: ignore[union-attr]
        for i, d in enumerate(docs, start=2)
    ]
    entry = assemble_report([reg], pairs).registrations[0]  # type: ignore[arg-type]
    import_case(app.state.engine, reg, pairs, entry, "batch:test")  # type: ignore[arg-type]


def codes(app: FastAPI, *, every: bool = False) -> set[FindingCode]:
    """The codes of case OTHER's findings that count (`every`: also points to review)."""
    with Session(app.state.engine) as session:
        row = session.get(CaseRow, OTHER)
        assert row is not None
        effective = repository.evaluate(session, row)
    return {f.code for f in (effective.entry.all_findings if every else effective.active)}


def doc_id(app: FastAPI, slot: Slot) -> int:
    with Session(app.state.engine) as session:
        return next(d.id for d in repository.documents(session, OTHER) if d.entry.slot is slot)


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def test_every_field_of_the_type_has_a_row_also_the_missed_ones() -> None:
    payslip = rulekit.payslip()
    del payslip.fields["loonstrook_maand"]
    rows = field_rows(payslip, {}, rulekit.registration())
    names = [row.name for row in rows]
    assert set(carried_by(DocType.LOONSTROOK)) - {FieldName.SIGNATURE_COUNT} <= set(names)
    assert names[:3] == ["deelnemer", "werkgever", "loonstrook_maand"]  # the type's own first
    month = next(row for row in rows if row.name == "loonstrook_maand")
    assert month.machine is None and not month.found and month.editable
    assert month.registered == "09-2024"  # the start payslip's month: the education's start
    by_name = {row.name: row for row in rows}
    assert by_name["werkgever"].registered == rulekit.registration().organisatie
    assert by_name["bsn_present"].current == "nee"
    assert not by_name["signatures"].editable


def test_the_crop_is_padded_and_shows_enough_of_the_line() -> None:
    page = Page(number=1, width=600, height=800, source=WordSource.TEXT_LAYER)
    field = FieldValue(
        value="25491",
        page=1,
        bbox=BBox(x0=0.4, y0=0.5, x1=0.45, y1=0.52),
        extractor="t",
        confidence=1,
    )
    shown = crop(field, page)
    assert shown is not None
    width = 100 / shown.scale  # the share of the page's width in the crop
    assert width == pytest.approx(MIN_W, abs=1e-4)
    left = shown.left / 100 * width
    assert left < 0.4 - PAD_X / 2 and left + width > 0.45 + PAD_X / 2  # padding on both sides
    corner = FieldValue(
        value="x", page=1, bbox=BBox(x0=0.0, y0=0.0, x1=0.05, y1=0.02), extractor="t", confidence=1
    )
    at_edge = crop(corner, page)
    assert at_edge is not None and at_edge.left == 0 and at_edge.top == 0  # moved, not cut
    assert crop(FieldValue(value="x", extractor="t", confidence=0.9), page) is None


@pytest.mark.parametrize(
    ("field", "typed", "value"),
    [
        ("loonstrook_maand", "09-2024", "2024-09"),
        ("loonstrook_maand", "september 2024", "2024-09"),
        ("startdatum", "1 september 2024", "2024-09-01"),
        ("bsn_present", "nee", False),
        ("signature_count", "3", 3),
        ("bestuurders", "A. de Vries, B. Bakker", ["A. de Vries", "B. Bakker"]),
        ("crebo", " 25491 ", "25491"),
    ],
)
def test_a_missed_value_is_typed_as_its_field(field: str, typed: str, value: object) -> None:
    assert coerce_field(field, None, typed) == value


@pytest.mark.parametrize(
    ("field", "typed"),
    [("loonstrook_maand", "01-09-2024"), ("signatures", "2"), ("startdatum", "")],
)
def test_a_value_that_does_not_fit_is_refused(field: str, typed: str) -> None:
    with pytest.raises(CorrectionError):
        coerce_field(field, None, typed)


def test_entering_a_missed_month_reruns_the_rules(app: FastAPI) -> None:
    payslip = rulekit.payslip()
    del payslip.fields["loonstrook_maand"]
    case_with(app, Slot.LOONSTROOK_START, payslip)
    client = client_for(app)
    token = login(client)
    client.post(f"/registraties/{OTHER}/claim", data={"csrf_token": token})
    url = f"/registraties/{OTHER}/documenten/{doc_id(app, Slot.LOONSTROOK_START)}"
    page = client.get(url).text
    row = page[page.index('id="veld-loonstrook_maand"') :]
    assert "niet gevonden" in row[: row.index("</tr>")]
    assert FindingCode.FIELD_NOT_FOUND in codes(app, every=True)
    data = {"csrf_token": token, "waarde": "09-2024", "reden": "staat bovenaan"}
    client.post(f"{url}/velden/loonstrook_maand", data=data)
    assert FindingCode.FIELD_NOT_FOUND not in codes(app, every=True)
    row = client.get(url).text
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[row.index('id="veld-loonstrook_maand"') :])
    assert cells[:3] == [
        "09-2024",
        '<span class="missing">niet gevonden</span>',
        "<strong>09-2024</strong>",
    ]


def test_an_unknown_document_is_given_its_type(app: FastAPI) -> None:
    unknown = rulekit.diploma(doc_type=DocType.ONBEKEND)
    case_with(app, Slot.PRESTATIEBEWIJS, unknown)
    engine = app.state.engine
    repository.claim(engine, OTHER, "bram")
    document = doc_id(app, Slot.PRESTATIEBEWIJS)
    assert FindingCode.DOC_TYPE_UNCERTAIN in codes(app)
    with pytest.raises(repository.ReviewError, match="reden"):
        correct_type(engine, OTHER, document, DocType.DIPLOMA, "bram", " ")
    effective = correct_type(engine, OTHER, document, DocType.DIPLOMA, "bram", "is een diploma")
    assert FindingCode.DOC_TYPE_UNCERTAIN not in {f.code for f in effective.active}
    with Session(engine) as session:
        last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert last is not None and last.action == "correct_type"
    assert last.target == "docs/prestatiebewijs.pdf / Documenttype"
    assert (last.before["type"], last.after["type"]) == ("onbekend", "diploma")

    client = client_for(app)
    login(client)
    page = client.get(f"/registraties/{OTHER}/documenten/{document}").text
    for name in carried_by(DocType.DIPLOMA) - {FieldName.SIGNATURE_COUNT}:
        assert f'id="veld-{name}"' in page, name
    assert "diploma</strong> (gecorrigeerd; herkend als onbekend)" in page

    back = correct_type(engine, OTHER, document, None, "bram", "toch niet")
    assert FindingCode.DOC_TYPE_UNCERTAIN in {f.code for f in back.active}
