"""How many XObjects drawing a page costs once its forms are expanded: a form that draws a
form ten times, which draws a form ten times, … is a few KB that pdfium renders for minutes (a
"billion laughs": ten draws a level, seven levels of full-page fills took 96 s at 300 dpi).
The count follows every form, tiling pattern and page content of the file through the names
its `Do` operators use and its resources; a cycle counts once (pdfium stops there)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]{1,127})\s+Do(?![A-Za-z])")
_MAX_DEPTH = 64


def resolved(value: Any) -> Any:
    """A pypdf value with an indirect reference followed (other values as they are)."""
    return value.get_object() if hasattr(value, "get_object") else value


def _targets(resources: Any, content: bytes) -> list[tuple[int, int]]:
    """(object number, times drawn) of each XObject the content draws by name."""
    named: Any = resolved(resources.get("/XObject")) if hasattr(resources, "get") else None
    if named is None or not hasattr(named, "get"):
        return []
    found = []
    for name, times in Counter(_DO.findall(content)).items():
        ref = named.get("/" + name.decode("latin-1"))
        if ref is not None and hasattr(ref, "idnum"):
            found.append((int(ref.idnum), times))
    return found


def most_draws(reader: Any, drawers: dict[int, Any], limit: int) -> int:
    """The largest expanded draw count of any page or drawing stream (`drawers`: object
    number to form or tiling-pattern stream), counted up to `limit + 1`."""
    graph = {
        number: _targets(resolved(stream.get("/Resources")) or {}, stream.get_data())
        for number, stream in drawers.items()
    }
    memo: dict[int, int] = {}

    def cost(number: int, depth: int, path: set[int]) -> int:
        if number in memo:
            return memo[number]
        if number in path or depth > _MAX_DEPTH:
            return 1
        path.add(number)
        total = 1
        for child, times in graph.get(number, []):
            total = min(limit + 1, total + times * cost(child, depth + 1, path))
        path.discard(number)
        memo[number] = total
        return total

    worst = max((cost(number, 0, set()) for number in graph), default=0)
    for page in reader.pages:
        contents = page.get_contents()
        content = contents.get_data() if contents is not None else b""
        resources = resolved(page.get("/Resources")) or {}
        total = 0
        for child, times in _targets(resources, content):
            total = min(limit + 1, total + times * cost(child, 0, set()))
        worst = max(worst, total)
    return worst
