"""Pydantic models at llmx's boundaries: what `extract_*` return and what the JSONL holds.

An `Indicator` carries the gold-format fields (name, value, unit, kind, period,
approx, quote) plus `start`/`end`, character offsets into the original file
such that `original[start:end] == quote`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Kind",
    "Approx",
    "DocKind",
    "Meta",
    "Indicator",
    "Rejected",
    "Uncovered",
    "Excluded",
    "Counts",
    "Usage",
    "ReportResult",
]

Kind = Literal["actual", "target"]
Approx = Literal["exact", "over", "about", "under"]
DocKind = Literal["summary", "plan", "summary_and_plan", "other"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Meta(_Frozen):
    """The report's own description of itself (the gold format's `meta`)."""

    issuer: str | None = None
    region: str | None = None
    doc_number: str | None = None
    title: str | None = None
    kind: DocKind = "other"
    years: list[int] = Field(default_factory=list)
    issued_on: str | None = Field(default=None, description="YYYY-MM-DD")


class Indicator(_Frozen):
    """One checked figure: its value was found by regex inside `quote`."""

    name: str
    value: float
    unit: str | None
    kind: Kind
    period: str | None
    approx: Approx
    quote: str
    start: int = Field(description="offset of quote in the original file")
    end: int = Field(description="end offset (exclusive) of quote in the original file")
    section: str = Field(default="", description="heading path of the section")
    named_by: Literal["model", "rule"] = Field(
        default="model", description="model: named by the model; rule: a rate or rank named from the figure it follows"
    )
    figure_start: int | None = Field(default=None, description="offset of the figure itself (number and unit) in the original")
    figure_end: int | None = Field(default=None, description="end offset of the figure itself in the original")


class Rejected(_Frozen):
    """A figure whose naming failed (the model's claim failed the cross-check, or the
    section got no valid answer), with why. A claim that points at no figure of the
    list (an unknown or repeated id) is kept too, with no span: `start is None`."""

    reason: str
    section: str = ""
    claim: dict = Field(default_factory=dict)
    text: str | None = Field(default=None, description="the figure as in the original; None for a claim on no figure")
    value: float | None = None
    unit: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def is_figure(self) -> bool:
        return self.start is not None


class Uncovered(_Frozen):
    """A quantity in the source that no accepted indicator covers (the recall check)."""

    text: str
    value: float
    unit: str | None
    start: int
    end: int
    section: str = ""
    context: str = ""


class Excluded(_Frozen):
    """A number the finder saw that is not a figure of the report, and the named rule
    that says so: year, date, doc_number, ordinal, list_marker, name (a number inside
    a name or slogan), other (a page number, a vague 一批)."""

    text: str
    value: float
    start: int
    end: int
    rule: str


class _Tally(BaseModel):
    """Whole-number counters that add up field by field."""

    def add(self, other: "_Tally") -> None:
        for field in type(self).model_fields:
            setattr(self, field, getattr(self, field) + getattr(other, field))


class Counts(_Tally):
    """Conservation of figures: every number the finder sees in a report ends in
    exactly one of the four outcomes, so `found == indicators + rejected + uncovered + excluded`."""

    found: int = 0
    indicators: int = 0
    rejected: int = 0
    uncovered: int = 0
    excluded: int = 0

    @property
    def balanced(self) -> bool:
        return self.found == self.indicators + self.rejected + self.uncovered + self.excluded


class Usage(_Tally):
    """Token and call accounting for one report (or a whole batch)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cache_hits: int = 0
    retries: int = 0
    reasks: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens



class ReportResult(BaseModel):
    """Everything llmx knows about one report after extraction."""

    doc: str
    path: str
    sha256: str | None = None
    meta: Meta = Field(default_factory=Meta)
    indicators: list[Indicator] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    uncovered: list[Uncovered] = Field(default_factory=list)
    excluded: list[Excluded] = Field(default_factory=list)
    found: int = Field(default=0, description="numbers the finder saw in the report's text")
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def counts(self) -> Counts:
        """The four outcomes of the report's numbers and the finder's count (see `Counts`)."""
        return Counts(
            found=self.found,
            indicators=len(self.indicators),
            rejected=sum(1 for r in self.rejected if r.is_figure),
            uncovered=len(self.uncovered),
            excluded=len(self.excluded),
        )
