"""Strict date parsing for input CSVs: `DD-MM-YYYY`, ISO `YYYY-MM-DD` also accepted."""

from __future__ import annotations

import re
from datetime import date

_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_csv_date(text: str) -> date:
    """Parse a registration date; raise ValueError with a Dutch-free, precise reason."""
    value = text.strip()
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(value)
        if not match:
            raise ValueError(f"'{value}' is not a date (expected DD-MM-YYYY or YYYY-MM-DD)")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a valid date: {exc}") from None
