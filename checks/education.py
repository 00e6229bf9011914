"""CREBO_MISSING, CREBO_MISMATCH and EDUCATION_MISMATCH: the education on the agreement (and on
a diploma or proof of participation when it shows one) must be the registered one. Only the
practice agreement must show a crebo; the others are compared when they show one."""

from __future__ import annotations

from checks._format import the_doc, type_name
from checks._match import similar
from checks.absence import absent
from checks.base import Context, evidence, finding, read_surely, rule
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.model import Finding
from core.qualifications import known_crebo

POK = DocType.PRAKTIJKOVEREENKOMST
EDUCATION_TYPES = (POK, DocType.OPLEIDINGSOVEREENKOMST, DocType.DIPLOMA,
                   DocType.BEWIJS_VAN_DEELNAME)  # fmt: skip

MISSING = (
    "Op de praktijkovereenkomst staat geen crebonummer. Upload een praktijkovereenkomst waarop "
    "de opleiding met het crebonummer{expected} vermeld staat."
)
MISMATCH = (
    "Crebonummer {found} op {the_doc} wijkt af van {expected} in de registratie. Upload "
    "{the_doc} van de geregistreerde opleiding, of pas het crebonummer in de registratie aan."
)
EDUCATION = (
    "De opleiding op {the_doc} ('{found}') lijkt niet op de geregistreerde opleiding "
    "('{expected}'). Controleer of dit {art} juiste {doc} is; upload anders {the_doc} van de "
    "geregistreerde opleiding of pas de opleiding in de registratie aan."
)


CREBO = FieldName.CREBO


@rule(
    code=FindingCode.CREBO_MISSING,
    severity=Severity.ERROR,
    types=(POK,),
    reads=(CREBO,),
    columns=("crebo",),
)
def crebo_missing(ctx: Context) -> list[Finding]:
    expected = f" {ctx.registration.crebo}" if ctx.registration.crebo else ""
    return [
        finding(
            FindingCode.CREBO_MISSING,
            MISSING.format(expected=expected),
            **evidence(doc, expected=ctx.registration.crebo),
        )
        for doc in ctx.usable(POK)
        if absent(doc, CREBO)  # not found at all: FIELD_NOT_FOUND, a reviewer looks
    ]


@rule(
    code=FindingCode.CREBO_MISMATCH,
    severity=Severity.ERROR,
    types=EDUCATION_TYPES,
    reads=(CREBO,),
    columns=("crebo",),
    applies=lambda ctx: bool(ctx.registration.crebo),
)
def crebo_mismatch(ctx: Context) -> list[Finding]:
    expected = ctx.registration.crebo
    out = []
    for doc in ctx.usable(*EDUCATION_TYPES):
        fv = doc.fields.get(CREBO)
        if fv is None or not fv.value or str(fv.value).strip() == expected or not read_surely(fv):
            continue
        message = MISMATCH.format(found=fv.value, the_doc=the_doc(doc), expected=expected)
        ev = evidence(doc, fv, expected=expected, found=fv.value)
        out.append(finding(FindingCode.CREBO_MISMATCH, message, **ev))
    return out


@rule(
    code=FindingCode.EDUCATION_MISMATCH,
    severity=Severity.WARNING,
    types=EDUCATION_TYPES,
    reads=(FieldName.OPLEIDING,),
    columns=("opleiding",),
    applies=lambda ctx: bool(ctx.registration.opleiding),
)
def education_mismatch(ctx: Context) -> list[Finding]:
    expected = ctx.registration.opleiding or ""
    out = []
    for doc in ctx.usable(*EDUCATION_TYPES):
        fv = doc.fields.get(FieldName.OPLEIDING)
        if fv is None or not fv.value:
            continue
        if similar(expected, str(fv.value)) and not _other_qualification(expected, str(fv.value)):
            continue
        if not read_surely(fv):
            continue  # no known education's name: the uncertain field sends it to review
        art = the_doc(doc).split(" ")[0]
        message = EDUCATION.format(
            the_doc=the_doc(doc), art=art, doc=type_name(doc), found=fv.value, expected=expected
        )
        ev = evidence(doc, fv, expected=expected, found=fv.value)
        out.append(finding(FindingCode.EDUCATION_MISMATCH, message, **ev))
    return out


def _other_qualification(expected: str, found: str) -> bool:
    """Both name known qualifications, of different crebos."""
    a, b = known_crebo(expected), known_crebo(found)
    return a is not None and b is not None and a != b
