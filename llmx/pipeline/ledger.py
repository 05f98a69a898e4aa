"""Conservation of figures: every number the finder sees in a report is accounted for.

The pipeline reads numbers once, over the whole cleaned text (`find_numbers`), and
each one ends in exactly one place of the `ReportResult`:

    indicators  a quantity or rank, named and checked
    rejected    a quantity whose naming failed the cross-check (with why)
    uncovered   a quantity no accepted name covers (also one in the document head)
    excluded    a number that is not a figure, by the named rule of its category:
                year, date, doc_number, contact, ordinal, list_marker, name, other

so that `found == indicators + rejected + uncovered + excluded` (`Counts.balanced`).
`outside` gives the excluded numbers and the quantities that fall in no section;
the sections' own quantities are accounted for in `llmx.pipeline.extract.assemble`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ..models import Excluded, Uncovered
from ..finder.numbers import Mention
from ..text.sections import Section
from ..text.source import Source

__all__ = ["in_sections", "outside", "uncovered_of"]


def in_sections(found: Sequence[Mention], sections: Sequence[Section]) -> list[list[Mention]]:
    """The quantities of `found` (spans in `Source.text`) that start in each section."""
    starts = [s.start for s in sections]
    out: list[list[Mention]] = [[] for _ in sections]
    for m in found:
        i = bisect_right(starts, m.start) - 1
        if m.is_quantity and i >= 0 and m.start < sections[i].end:
            out[i].append(m)
    return out


def uncovered_of(source: Source, m: Mention, section: str, context: str) -> Uncovered:
    """An `Uncovered` record for mention `m`, its span mapped to the original file."""
    start, end = source.to_original(m.start, m.end)
    return Uncovered(text=source.original[start:end], value=m.value, unit=m.unit, start=start, end=end,
                     section=section, context=context)


def outside(
    source: Source, found: Sequence[Mention], sections: Sequence[Section]
) -> tuple[list[Excluded], list[Uncovered]]:
    """The excluded numbers (every non-quantity, wherever it stands) and the uncovered
    quantities outside every section (the document head: title, 文号, date lines)."""
    taken = {id(m) for group in in_sections(found, sections) for m in group}
    excluded: list[Excluded] = []
    stray: list[Uncovered] = []
    for m in found:
        if m.is_quantity:
            if id(m) not in taken:
                stray.append(uncovered_of(source, m, "（文件头）", ""))
            continue
        start, end = source.to_original(m.start, m.end)
        excluded.append(Excluded(text=source.original[start:end], value=m.value, start=start, end=end,
                                 rule=m.category))
    return excluded, stray
