"""Pydantic models at llmx's boundaries: what `extract_*` return and what the JSONL holds.

An `Indicator` carries the gold-format fields (name, value, unit, kind, period,
approx, quote) plus `start`/`end`, character offsets into the original file
such that `original[start:end] == quote`. For a .docx, .pdf or .html report the
original is the text llmx extracted from it (`ReportResult.original_text`), and an
indicator also says its `page` (PDF) or `block` (.docx); these fields are left out
of the JSON when they are None, so a .txt report's JSONL line is as it always was.

`ReportResult.to_records()` flattens a result into one plain dict per indicator
(the report's meta repeated), in the columns and types of `RECORD_COLUMNS`: what
`--format parquet` writes and `llmx.to_dataframe` builds a DataFrame from.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

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
    "RECORD_COLUMNS",
]

Kind = Literal["actual", "target"]
Approx = Literal["exact", "over", "about", "under"]
DocKind = Literal["summary", "plan", "summary_and_plan", "other"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _LeavesOutUnset(BaseModel):
    """Leaves the fields named in `_OPTIONAL` out of its JSON and dicts while they are None."""

    _OPTIONAL: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _leave_out_none(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        for key in self._OPTIONAL:
            if data.get(key, 0) is None:
                del data[key]
        return data


class Meta(_Frozen):
    """The report's own description of itself (the gold format's `meta`)."""

    issuer: str | None = None
    region: str | None = None
    doc_number: str | None = None
    title: str | None = None
    kind: DocKind = "other"
    years: list[int] = Field(default_factory=list)
    issued_on: str | None = Field(default=None, description="YYYY-MM-DD")


class Indicator(_Frozen, _LeavesOutUnset):
    """One checked figure: its value was found by regex inside `quote`."""

    _OPTIONAL: ClassVar[frozenset[str]] = frozenset({"page", "block"})

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
    page: int | None = Field(default=None, description="the PDF page of the figure, 1-based; None for other formats")
    block: int | None = Field(
        default=None, description="the .docx paragraph or table cell of the figure, 0-based in reading order; None for other formats"
    )
    trace: list[str] = Field(
        default_factory=list,
        description="how its name, kind and period were decided, in order: `rule id: what it gave` "
        "(`model: …` for the model's answer; `llmx explain` prints it)",
    )


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
    that says so: year, date, doc_number, contact (a telephone number, a postcode), ordinal,
    list_marker, name (a number inside a name or slogan), other (a page number, a vague 一批)."""

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


# The columns of `ReportResult.to_records()`, in order, with their types (Arrow's names):
# what `--format parquet` writes. Every column but the last four holds a value in every row.
RECORD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc", "string"), ("path", "string"), ("issuer", "string"), ("region", "string"),
    ("doc_number", "string"), ("title", "string"), ("doc_kind", "string"), ("years", "list<int64>"),
    ("issued_on", "string"), ("name", "string"), ("value", "float64"), ("unit", "string"), ("kind", "string"),
    ("period", "string"), ("approx", "string"), ("quote", "string"), ("start", "int64"), ("end", "int64"),
    ("section", "string"), ("named_by", "string"), ("figure_start", "int64"), ("figure_end", "int64"),
    ("page", "int64"), ("block", "int64"),
)


class ReportResult(_LeavesOutUnset):
    """Everything llmx knows about one report after extraction."""

    _OPTIONAL: ClassVar[frozenset[str]] = frozenset({"original_text", "page_starts", "block_starts"})

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
    original_text: str | None = Field(
        default=None, description="for a .docx, .pdf or .html report: the text llmx extracted, which the offsets index"
    )
    page_starts: list[int] | None = Field(default=None, description="PDF: the offset in original_text of each page")
    block_starts: list[int] | None = Field(
        default=None, description=".docx: the offset in original_text of each paragraph and table cell"
    )

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per indicator, the report's meta repeated, keys and types as in
        `RECORD_COLUMNS` (`unit`, `period` and the meta may be None; so are `page` and
        `block` where the format has none). A failed report has none."""
        m = self.meta
        head = {"doc": self.doc, "path": self.path, "issuer": m.issuer, "region": m.region,
                "doc_number": m.doc_number, "title": m.title, "doc_kind": m.kind, "years": list(m.years),
                "issued_on": m.issued_on}
        fields = [c for c, _ in RECORD_COLUMNS if c not in head]
        return [{**head, **{f: getattr(ind, f) for f in fields}} for ind in self.indicators]

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
