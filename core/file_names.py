"""A citizen service number (BSN) in a file name (`loonstrook 111222333.pdf`) is masked where
the name enters: the upload API, the manifest of a batch, the import into the review store
(and what the reviewer pages and the API show of older rows). Only the name is changed, never
the path a file is read from.

A number is masked when its 9 digits pass the 11-test (`stdnum.nl.bsn`, as
`pipeline.redact.mask_text` and `extractors.parsers.bsn` decide for text), written as one run
(`111222333`) or in groups (`111.222.333`, `111-222-333`, `111 222 333`, `111_222_333`,
`1112.22.333`). Unlike in text, letters may touch it (`bsn111222333.pdf`): a file name has no
spaces to rely on. A run of more than 9 digits is not a BSN; a 9-digit number that fails the
11-test is kept. Pure functions: nothing here logs."""

from __future__ import annotations

import re
from typing import Any

from stdnum.nl import bsn as stdnum_bsn

MASK = "•"
# keys of a processed document, a report entry or a finding (as JSON) that hold a file name,
# or a message that may quote one
NAME_KEYS = frozenset({"file", "bestand", "message"})

_NUMBER = re.compile(
    r"(?<![0-9])(?:[0-9]{9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3}|[0-9]{3}(?P<sep>[ ._-])[0-9]{3}"
    r"(?P=sep)[0-9]{3})(?![0-9])"
)


def _masked(match: re.Match[str]) -> str:
    number = match.group()
    digits = re.sub(r"[^0-9]", "", number)
    return re.sub(r"[0-9]", MASK, number) if stdnum_bsn.is_valid(digits) else number


def mask_bsn(name: str) -> str:
    """`name` with the digits of every BSN in it replaced by `•`."""
    return _NUMBER.sub(_masked, name) if name else name


def mask_name_fields(value: Any) -> Any:
    """A copy of a JSON value (a processed document or report entry dumped to JSON) with a
    BSN masked in every file name and message (`NAME_KEYS`); other strings stay as they are
    (a document id is hex and may hold 9 digits in a row)."""
    if isinstance(value, dict):
        return {
            key: mask_bsn(item)
            if key in NAME_KEYS and isinstance(item, str)
            else mask_name_fields(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_name_fields(item) for item in value]
    return value
