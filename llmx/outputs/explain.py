"""`llmx explain`: what llmx decided about the figure at an offset of a report, and why.

Every indicator carries its `trace`: the rules that decided its name, kind and period, in
order, each as `rule id: what it gave` (`model: …` is the model's answer; the ids are listed in
docs/architecture.md). A number that is no figure says which named rule excluded it; a figure
no name stood for says why it was rejected or left uncovered.
"""

from __future__ import annotations

from ..models import ReportResult

__all__ = ["explain_at", "rule_counts"]


def _covers(start: int | None, end: int | None, offset: int) -> bool:
    return start is not None and end is not None and start <= offset < end


def explain_at(result: ReportResult, offset: int) -> list[str] | None:
    """The lines that explain what became of the number at `offset` (an offset into the
    original file, as the output's), or None when no number the finder saw lies there."""
    for ind in result.indicators:
        if _covers(ind.figure_start, ind.figure_end, offset):
            unit = ind.unit or ""
            lines = [f"{result.doc} [{ind.figure_start}:{ind.figure_end}] {ind.value:g}{unit}: an indicator",
                     f"  name    {ind.name}  (named by {ind.named_by})", f"  kind    {ind.kind}",
                     f"  period  {ind.period}", f"  quote   {ind.quote}", "  trace"]
            return lines + [f"    {n}. {step}" for n, step in enumerate(ind.trace, start=1)]
    for rej in result.rejected:
        if _covers(rej.start, rej.end, offset):
            return [f"{result.doc} [{rej.start}:{rej.end}] {rej.text}: rejected", f"  why     {rej.reason}",
                    f"  section {rej.section}"]
    for unc in result.uncovered:
        if _covers(unc.start, unc.end, offset):
            return [f"{result.doc} [{unc.start}:{unc.end}] {unc.text}: uncovered (no name stood for it)",
                    f"  clause  {unc.context}"]
    for exc in result.excluded:
        if _covers(exc.start, exc.end, offset):
            return [f"{result.doc} [{exc.start}:{exc.end}] {exc.text}: not a figure of the report",
                    f"  rule    {exc.rule}"]
    return None


def rule_counts(results: list[ReportResult]) -> dict[str, tuple[int, int]]:
    """How often each rule id appears in the indicators' traces: (figures, reports)."""
    figures: dict[str, int] = {}
    reports: dict[str, set[str]] = {}
    for result in results:
        for ind in result.indicators:
            for rule in {step.split(":", 1)[0] for step in ind.trace}:
                figures[rule] = figures.get(rule, 0) + 1
                reports.setdefault(rule, set()).add(result.doc)
    return {rule: (figures[rule], len(reports[rule])) for rule in sorted(figures)}
