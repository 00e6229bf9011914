"""Page-relative geometry: boxes as fractions of the page, origin top left."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_serializer, model_validator

# Where a letterhead sits: the top share of a page (logos, the sender's name) and the bottom
# share (a footer logo). The visual logo search and the letterhead rule read the same bands.
HEADER_BAND = 0.16
FOOTER_BAND = 0.10


class BBox(BaseModel):
    """A box `[x0, y0, x1, y1]` in fractions of the page's width and height (origin top left).

    Serialises to a plain list, as CONTRACT's `report.json` wants; refuses coordinates outside
    the page and boxes whose right edge is left of their left edge (or bottom above top)."""

    model_config = ConfigDict(frozen=True)

    x0: float
    y0: float
    x1: float
    y1: float

    @model_validator(mode="before")
    @classmethod
    def _from_sequence(cls, data: Any) -> Any:
        if isinstance(data, (list, tuple)):
            if len(data) != 4:
                raise ValueError(f"bbox needs 4 numbers [x0, y0, x1, y1], got {len(data)}")
            return dict(zip(("x0", "y0", "x1", "y1"), data, strict=True))
        return data

    @model_validator(mode="after")
    def _check(self) -> BBox:
        for name in ("x0", "y0", "x1", "y1"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"bbox {name}={value} lies outside the page (0..1)")
        if self.x1 < self.x0:
            raise ValueError(f"bbox right edge {self.x1} is left of its left edge {self.x0}")
        if self.y1 < self.y0:
            raise ValueError(f"bbox bottom edge {self.y1} is above its top edge {self.y0}")
        return self

    @model_serializer
    def _to_list(self) -> list[float]:
        return [round(v, 4) for v in (self.x0, self.y0, self.x1, self.y1)]

    @classmethod
    def from_pixels(
        cls, left: float, top: float, right: float, bottom: float, width: float, height: float
    ) -> BBox:
        """Build from absolute coordinates on a page of `width` x `height`, clamped to it."""
        if width <= 0 or height <= 0:
            raise ValueError(f"page size must be positive, got {width}x{height}")

        def clamp(v: float) -> float:
            return min(1.0, max(0.0, v))

        return cls(
            x0=clamp(left / width),
            y0=clamp(top / height),
            x1=clamp(right / width),
            y1=clamp(bottom / height),
        )

    def union(self, other: BBox) -> BBox:
        return BBox(
            x0=min(self.x0, other.x0),
            y0=min(self.y0, other.y0),
            x1=max(self.x1, other.x1),
            y1=max(self.y1, other.y1),
        )

    @property
    def center_y(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def union_all(boxes: list[BBox]) -> BBox | None:
    """The smallest box around all `boxes`, or None for none."""
    if not boxes:
        return None
    out = boxes[0]
    for box in boxes[1:]:
        out = out.union(box)
    return out
