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


class Rejected(_Frozen):
    """Something the model claimed that failed the cross-check, with why."""

    reason: str
    section: str = ""
    claim: dict = Field(default_factory=dict)


class Uncovered(_Frozen):
    """A quantity in the source that no accepted indicator covers (the recall check)."""

    text: str
    value: float
    unit: str | None
    start: int
    end: int
    section: str = ""
    context: str = ""


class Usage(BaseModel):
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

    def add(self, other: "Usage") -> None:
        for field in type(self).model_fields:
            setattr(self, field, getattr(self, field) + getattr(other, field))


class ReportResult(BaseModel):
    """Everything llmx knows about one report after extraction."""

    doc: str
    path: str
    sha256: str | None = None
    meta: Meta = Field(default_factory=Meta)
    indicators: list[Indicator] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    uncovered: list[Uncovered] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
