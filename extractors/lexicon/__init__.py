"""The reading code's vocabulary as data: titles per document type (`titles.toml`) and label
phrases per field (`labels.toml`), shared by the classifier and every field reader. Extending
what bewijscheck understands is an edit of these files, not of the code."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@lru_cache(maxsize=4)
def load(name: str) -> dict[str, Any]:
    """One lexicon file (`titles`, `labels`) as parsed TOML."""
    with (HERE / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def alternation(phrases: list[str]) -> str:
    """Phrases as one regular-expression alternative, longest first."""
    return "|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True))


def compile_phrases(phrases: list[str]) -> re.Pattern[str]:
    """Phrases as one case-insensitive pattern of whole words."""
    return re.compile(rf"(?<![\w])(?:{alternation(phrases)})(?![\w])", re.IGNORECASE)
