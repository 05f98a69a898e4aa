"""What the panel reads and finds, shared by `llmx.outputs.panel` and its checks
(`llmx.outputs.panel_checks`): one report's indicator as a `Fact`, one check's `Finding`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..finder.units import family, split_magnitude

__all__ = ["RATE_SUFFIXES", "Fact", "Finding"]

# The suffixes llmx's naming convention gives a figure named from the one it follows.
RATE_SUFFIXES = ("同比增速", "增幅", "同比降幅", "降幅")


@dataclass(frozen=True)
class Fact:
    """One indicator of one report as the panel sees it: `ref` is (doc, index in `indicators`)."""

    region: str
    doc: str
    doc_kind: str
    doc_years: tuple[int, ...]
    name: str
    indicator: str
    value: float
    unit: str | None
    kind: str
    period: str
    approx: str
    quote: str
    start: int
    figure_start: int
    figure_end: int
    index: int

    @cached_property
    def family(self) -> str:
        return family(self.unit)

    @cached_property
    def base(self) -> float:
        """The value in the unit's base (亿元 -> 元), comparable across reports."""
        return self.value * split_magnitude(self.unit)[0]

    @property
    def ref(self) -> tuple[str, int]:
        return (self.doc, self.index)

    def shown(self) -> str:
        sign = {"over": "超", "about": "约", "under": "不足"}.get(self.approx, "")
        return f"{sign}{self.value:g}{self.unit or ''}"


@dataclass(frozen=True)
class Finding:
    """What one check found: `status` is `flag` (a contradiction), `ok`, or for targets
    `met`, `missed`, `not reported`, `no summary`, `not comparable`."""

    rule: str
    region: str
    indicator: str
    period: str
    status: str
    detail: str
    refs: tuple[tuple[str, int], ...] = ()
