"""The pipeline for one report: sections, regex numbers, model names, cross-check, grounding.

`extract_source` is the async core; the library entry points built on it
(`extract_text`, `aextract_text`, ...) are in `llmx.api`. The model is asked,
per section that holds quantities, to name the numbered figures; everything
else about a figure is decided here from the text (see `llmx.context`) and
checked (`llmx.check`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from typing import Protocol

from .check import item_problems
from .client import ModelClient
from .context import Frame, clause_after, clause_before, frame_for, kind_of, period_of
from .errors import InvalidAnswerError
from .meta import checked_meta
from .naming import dependent_suffix, join_name, tidy_name
from .models import Indicator, Meta, Rejected, ReportResult, Uncovered, Usage
from .ledger import in_sections, outside, uncovered_of
from .numbers import Mention, find_numbers
from .prompts import load_prompt, render
from .schema import MetaAnswer, SectionAnswer
from .sections import Section, split_sections
from .tables import cell_of
from .source import Source

__all__ = ["SectionObserver", "Work", "section_work", "extract_source", "build_messages"]


class SectionObserver(Protocol):
    """Told about sections as a report is extracted (a progress bar, say)."""

    def sections_planned(self, n: int) -> None: ...

    def section_done(self) -> None: ...


@dataclass(frozen=True)
class Work:
    """One section: its quantities (spans absolute in `Source.text`), its frame, and
    for each dependent figure (a bare rate or rank) the figure it hangs on and its suffix."""

    section: Section
    mentions: tuple[Mention, ...]
    frame: Frame
    depends: dict[int, tuple[int, str]] = field(default_factory=dict)

    @property
    def asked(self) -> tuple[int, ...]:
        """Indexes into `mentions` of the figures the model is asked to name."""
        return tuple(i for i in range(len(self.mentions)) if i not in self.depends)


def _dependencies(text: str, mentions: tuple[Mention, ...], floor: int) -> dict[int, tuple[int, str]]:
    depends: dict[int, tuple[int, str]] = {}
    for i, m in enumerate(mentions):
        if i == 0:
            continue
        prev = mentions[i - 1]
        same_sentence = not any(ch in "。；;！？!?\n" for ch in text[prev.end : m.start])
        suffix = dependent_suffix(text, m, floor)
        if suffix and same_sentence:
            depends[i] = (i - 1, suffix)
    return depends


def section_work(
    source: Source, sections: tuple[Section, ...], meta: Meta, found: list[Mention] | None = None
) -> list[Work]:
    """Every section's quantities, in document order (sections without any are kept, empty).

    `found` is `find_numbers(source.text)`, the one reading of the report's numbers that
    the conservation count (`llmx.ledger`) is made against; it is read here when not given.
    """
    found = find_numbers(source.text) if found is None else found
    out = []
    for section, quantities in zip(sections, in_sections(found, sections)):
        mentions = tuple(quantities)
        frame = frame_for(section.path, meta.kind, meta.years)
        out.append(Work(section, mentions, frame, _dependencies(source.text, mentions, section.start)))
    return out


def _framed(work: Work, meta: Meta) -> Work:
    return replace(work, frame=frame_for(work.section.path, meta.kind, meta.years))


def _listed(work: Work) -> dict[int, Mention]:
    """The figures as numbered for the model: 1..k over the asked mentions."""
    return {n: work.mentions[i] for n, i in enumerate(work.asked, start=1)}


def _mention_lines(source: Source, work: Work) -> str:
    lines = []
    text, section = source.text, work.section
    for n, m in _listed(work).items():
        lead = text[clause_before(text, m.start, section.start) : m.start]
        after = text[m.end : clause_after(text, m.end, section.end)]
        lines.append(f"[{n}] {lead}【{m.text}】{after}")
    return "\n".join(lines)


def build_messages(source: Source, work: Work) -> list[dict[str, str]]:
    """The chat messages for one section (prompt files + section text + numbered figures)."""
    user = render(
        "extract.user",
        heading=work.section.heading or "（无标题）",
        text=work.section.text,
        mentions=_mention_lines(source, work),
    )
    return [{"role": "system", "content": load_prompt("extract.system")}, {"role": "user", "content": user}]


def make_indicator(source: Source, work: Work, m: Mention, name: str, named_by: str = "model") -> Indicator:
    """A grounded indicator for mention `m`: value and unit from the regex, quote and
    offsets from the original file, kind and period from the surrounding words."""
    text, floor = source.text, work.section.start
    cell = cell_of(text, m.start)  # a table cell's quote holds its row's name and unit
    lead = max(cell[0], floor) if cell else clause_before(text, m.start, floor)
    q_start, q_end = source.to_original(lead, m.end)
    f_start, f_end = source.to_original(m.start, m.end)
    return Indicator(
        name=name,
        value=m.value,
        unit=m.unit,
        kind=kind_of(text, m.start, work.frame, floor),  # type: ignore[arg-type]
        period=period_of(text, m.start, work.frame, floor),
        approx=m.approx,  # type: ignore[arg-type]
        quote=source.original[q_start:q_end],
        start=q_start,
        end=q_end,
        section=work.section.heading,
        named_by=named_by,  # type: ignore[arg-type]
        figure_start=f_start,
        figure_end=f_end,
    )


def assemble(
    source: Source, work: Work, answer: SectionAnswer | None, failure: str | None = None
) -> tuple[list[Indicator], list[Rejected], list[Uncovered]]:
    """Turn one section's answer into checked indicators, rejected figures and uncovered ones.

    Each of the section's mentions ends in exactly one of the three lists: named, or
    rejected (its claim failed the cross-check, or the section got no valid answer),
    or uncovered (nobody named it). Claims on no figure of the list are kept in
    `rejected` without a span."""
    listed = _listed(work)
    index_of = {n: work.asked[n - 1] for n in listed}
    text, floor, heading = source.text, work.section.start, work.section.heading
    names: dict[int, str] = {}
    failed: dict[int, list[tuple[str, dict]]] = {}
    stray: list[Rejected] = []
    for item in answer.items if answer else []:
        i = index_of.get(item.id)
        problems = item_problems(item.id, item.value, item.name, listed, work.section.text)
        if not problems and i in names:
            problems = [f"id {item.id} named twice; the first name is kept"]
        if problems and (i is None or i in names):
            stray.append(Rejected(reason="; ".join(problems), section=heading, claim=item.model_dump()))
        elif problems:
            failed.setdefault(i, []).append(("; ".join(problems), item.model_dump()))
        elif item.name.strip():
            names[i] = tidy_name(item.name, names.get(i - 1), work.mentions[i], text, floor)
    by_rule: set[int] = set()
    for i, (base, suffix) in sorted(work.depends.items()):
        if base in names:
            names[i] = join_name(names[base], suffix)
            by_rule.add(i)
    indicators = [
        make_indicator(source, work, work.mentions[i], names[i], "rule" if i in by_rule else "model")
        for i in sorted(names)
    ]
    rejected, uncovered = [], []
    for i, m in enumerate(work.mentions):
        if i in names:
            continue
        reasons = failed.get(i) or ([(failure, {})] if failure and i in index_of.values() else [])
        if reasons:
            o_start, o_end = source.to_original(m.start, m.end)
            rejected.append(Rejected(reason=" | ".join(r for r, _ in reasons), section=heading, claim=reasons[-1][1],
                                     text=source.original[o_start:o_end], value=m.value, unit=m.unit,
                                     start=o_start, end=o_end))
        else:
            uncovered.append(uncovered_of(source, m, heading, text[clause_before(text, m.start, floor) : m.start]))
    return indicators, rejected + stray, uncovered


async def _read_meta(source: Source, head: str, tail: str, client: ModelClient, usage: Usage) -> Meta:
    if not head.strip():
        return checked_meta(None, head, tail)
    messages = [
        {"role": "system", "content": load_prompt("meta.system")},
        {"role": "user", "content": render("meta.user", head=head)},
    ]
    try:
        answer = await client.ask(MetaAnswer, messages)
    except InvalidAnswerError:
        return checked_meta(None, head, tail)
    usage.add(answer.usage)
    return checked_meta(answer.parsed, head, tail)  # type: ignore[arg-type]


async def _answer_section(
    source: Source, work: Work, client: ModelClient, usage: Usage, observer
) -> tuple[SectionAnswer | None, str | None]:
    """The model's answer for one section, or why there is none."""
    try:
        answer = await client.ask(SectionAnswer, build_messages(source, work), {"mentions": _listed(work)})
    except InvalidAnswerError as exc:
        return None, str(exc)
    finally:
        if observer is not None:
            observer.section_done()
    usage.add(answer.usage)
    return answer.parsed, None  # type: ignore[return-value]


async def _all_or_none(*coros):
    """`asyncio.gather`, except that the first failure cancels the rest: once one call of
    a report has failed for good, its other calls stop spending retries and tokens."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def extract_source(source: Source, client: ModelClient, observer: SectionObserver | None = None) -> ReportResult:
    """Extract one loaded report. Endpoint failures propagate; invalid answers become `rejected`.

    `observer`, when given, hears how many sections go to the model and when each is answered.
    """
    began = time.perf_counter()
    outline = split_sections(source, client.settings.section_chars)
    head = source.text[outline.meta_start : outline.meta_end]
    tail = "\n".join(source.text.strip().split("\n")[-3:])
    usage = Usage()
    # The section requests do not depend on the meta (only the frames used in assembly
    # do), so the meta call goes out alongside them instead of ahead of them.
    found = find_numbers(source.text)
    works = [w for w in section_work(source, outline.sections, Meta(), found) if w.mentions]
    if observer is not None:
        observer.sections_planned(len(works))
    meta, *answers = await _all_or_none(
        _read_meta(source, head, tail, client, usage),
        *(_answer_section(source, w, client, usage, observer) for w in works),
    )
    excluded, head_quantities = outside(source, found, outline.sections)
    result = ReportResult(doc=source.name, path=source.path, sha256=source.sha256, meta=meta, usage=usage,
                          found=len(found), excluded=excluded, uncovered=head_quantities)
    for work, (answer, failure) in zip(works, answers):
        indicators, rejected, uncovered = assemble(source, _framed(work, meta), answer, failure)
        result.indicators.extend(indicators)
        result.rejected.extend(rejected)
        result.uncovered.extend(uncovered)
    result.seconds = round(time.perf_counter() - began, 3)
    return result

