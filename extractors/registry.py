"""Which extractor makes which fields of which document type, declared where the extractor
is: a per-type extractor registers itself with `@extracts(DocType..., produces=(FieldName...))`
(extractors/doctypes/), and the extractors that run on every document whatever its type (the
participant's name, the visual marks, the integrity signs) with `everywhere(...)`.

`extractors.fields.extract_fields` looks the type up here instead of an if-chain, and
`produced(doc_type)` is every field a document of that type can come out with: what the rules'
declared reads are checked against (tests/test_registry.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.enums import DocType
from core.errors import RegistryError
from core.fields import FieldName
from core.layout import DocumentText
from core.model import FieldValue, Hints

Extract = Callable[[DocumentText, Hints], dict[str, FieldValue]]


@dataclass(frozen=True)
class Extractor:
    """Fields made by one extractor: `extract` for a per-type one (looked up by type), None
    for one that runs on every document outside `extract_fields` (visual, integrity)."""

    name: str
    types: frozenset[DocType]
    produces: tuple[FieldName, ...]
    extract: Extract | None = None

    def covers(self, doc_type: DocType) -> bool:
        return doc_type in self.types


BY_TYPE: dict[DocType, Extractor] = {}
EVERYWHERE: dict[str, Extractor] = {}


def _fields(produces: Iterable[FieldName], name: str) -> tuple[FieldName, ...]:
    fields = tuple(produces)
    wrong = [f for f in fields if not isinstance(f, FieldName)]
    if wrong:
        raise RegistryError(f"{name}: {wrong} are no fields (core.fields.FieldName)")
    return fields


def extracts(*types: DocType, produces: Iterable[FieldName]) -> Callable[[Extract], Extract]:
    """Register `extract(text, hints)` as the extractor of `types`, producing `produces`."""

    def register(extract: Extract) -> Extract:
        name = f"{extract.__module__}.{extract.__name__}"
        entry = Extractor(name, frozenset(types), _fields(produces, name), extract)
        for doc_type in types:
            other = BY_TYPE.get(doc_type)
            if other is not None and other.name != name:
                raise RegistryError(f"{doc_type} already has extractor {other.name}")
        for doc_type in types:
            BY_TYPE[doc_type] = entry
        return extract

    return register


def everywhere(
    name: str, produces: Iterable[FieldName], *, except_types: Iterable[DocType] = ()
) -> Extractor:
    """Declare an extractor that runs on every document but those of `except_types`."""
    entry = Extractor(name, frozenset(DocType) - set(except_types), _fields(produces, name))
    EVERYWHERE[name] = entry
    return entry


def load_all() -> None:
    """Import every module that declares extractors: extractors.fields imports the per-type
    ones; the visual and integrity ones pull in OpenCV and the PDF signature code, so only
    what needs the whole picture loads them."""
    import extractors.fields
    import extractors.integrity
    import extractors.visual.collect  # noqa: F401


def produced(doc_type: DocType) -> frozenset[FieldName]:
    """Every field a document of `doc_type` can come out of the pipeline with."""
    load_all()
    found: set[FieldName] = set()
    per_type = BY_TYPE.get(doc_type)
    if per_type is not None:
        found.update(per_type.produces)
    for entry in EVERYWHERE.values():
        if entry.covers(doc_type):
            found.update(entry.produces)
    return frozenset(found)
