"""The pipeline for one report: sections, regex numbers, model names, cross-check, grounding.

`extract_source` is the async core; the library entry points built on it
(`extract_text`, `aextract_text`, ...) are in `llmx.api`. The model is asked,
per section that holds quantities, to name the numbered figures; everything
else about a figure is decided here from the text (see `llmx.naming.rules.context`) and
checked (`llmx.naming.rules.check`).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from ..model.answers import Named, ask_model, ask_names
from ..naming.confidence import Confidence, weights_at
from ..naming.check import name_problems, shifted_name, ungrounded_name
from ..naming.gate import gate_names, name_faults, without_own_scope
from ..model.client import ModelClient
from ..naming.context import clause_before, expand_abbreviations, kind_and_rule, period_and_rule, ratio_start, sentence_of
from .meta import LEAD_CHARS, checked_meta, needs_model, regex_meta
from ..models import Indicator, Meta, Rejected, ReportResult, Uncovered, Usage
from .ledger import outside, uncovered_of
from ..naming.rules import immediate_lead, tidy_name
from .names import clause_of, closer_to_the_clause, finish_names, rule_name, rule_name_and_id, trust_rules
from ..finder.numbers import Mention, find_numbers
from ..model.prompts import load_prompt, render
from ..model.examples import ExampleStore
from ..model.schema import MetaAnswer
from ..config import Settings
from ..text.sections import Outline, split_sections
from ..text.source import Source
from .work import Work, asked_ids, framed, listed, section_work

__all__ = ["SectionObserver", "Plan", "plan_report", "finish_report", "extract_source", "baseline_extract", "build_messages", "assemble", "make_indicator", "refused_figure",
           "RULE_NAMES_FOR"]

# Figures the model did not name that are output all the same, named from their clause by
# rule (`named_by="rule"`): "failed" (every name the model gave failed the cross-check: the
# model did take it for a figure) and/or "declined" (an empty name, or none).
RULE_NAMES_FOR: frozenset[str] = frozenset({"failed", "declined"})


class SectionObserver(Protocol):
    """Told about sections as a report is extracted (a progress bar, say)."""

    def sections_planned(self, n: int) -> None: ...

    def section_done(self) -> None: ...


def _marked(source: Source, work: Work) -> str:
    """The section's text, sent once, with each asked figure written `【n:figure】`."""
    text, section = source.text, work.section
    parts, pos = [], section.start
    for n, m in listed(work).items():
        parts += [text[pos : m.start], f"【{n}:{m.text}】"]
        pos = m.end
    parts.append(text[pos : section.end])
    return "".join(parts)


def _examples(source: Source, work: Work, store: ExampleStore | None) -> str:
    """The worked examples for a section (`llmx.model.examples`), as the prompt's block: ""
    without a store, or when none reads like the section's clauses."""
    if store is None or not len(store):
        return ""
    chosen = store.similar([clause_of(source.text, work, m) for m in listed(work).values()], source.name)
    if not chosen:
        return ""
    # written as the system prompt's own example: marked figures, then the answer's JSON object
    marked = "；".join(e.marked.replace("【", f"【{n}:", 1) for n, e in enumerate(chosen, start=1))
    answer = json.dumps({str(n): e.name for n, e in enumerate(chosen, start=1)}, ensure_ascii=False, separators=(",", ":"))
    return render("extract.examples", text=marked, answer=answer) + "\n\n"


def build_messages(source: Source, work: Work, examples: ExampleStore | None = None) -> list[dict[str, str]]:
    """The chat messages for one section: the system prompt (a prefix shared by every call,
    which llama.cpp keeps cached), worked examples from other reports where a store is given
    (`_examples`), and the section's heading and marked text, every figure marked (the trusted
    ones too, `Work.trusted`: the model reads the section as it would with every figure asked)."""
    user = render("extract.user", examples=_examples(source, work, examples),
                  heading=work.section.heading or "（无标题）", text=_marked(source, work))
    return [{"role": "system", "content": load_prompt("extract.system")}, {"role": "user", "content": user}]


def _name_check(source: Source, work: Work) -> Callable[[int, str], list[str]]:
    """The cross-check of one named id: no number the text lacks, and no name that belongs
    to a neighbouring figure (`llmx.naming.rules.check.name_problems`, `shifted_name`)."""
    section = work.section
    windows = {n: clause_of(source.text, work, m) for n, m in listed(work).items()}

    def check(n: int, name: str) -> list[str]:
        problems = name_problems(name, section.text) + name_faults(name)
        own = windows[n] + section.heading
        neighbour = shifted_name(name, own, {k: w for k, w in windows.items() if k != n})
        if neighbour is not None:
            problems.append(f"名称“{name}”与编号 {n} 所在的句子无关，像是编号 {neighbour} 的名称")
        return problems

    return check


def _quote_start(text: str, m: Mention, floor: int) -> int:
    """Where a figure's quote begins: its clause, or one clause further back when its own is
    too short to say what is measured (`clause_before`), but never back over another
    figure's number (`关停9个…系统,完成9个…`: the second quote is `完成9个`). A later part of a
    ratio quotes the ratio from where its first part's quote begins (`三次产业结构为1.8:14.8`)."""
    if (first := ratio_start(text, m.start, floor)) < m.start:
        return clause_before(text, first, floor)
    start = clause_before(text, m.start, floor)
    own = m.start - len(immediate_lead(text, m.start, floor))
    if start < own and re.search(r"\d", text[start:own]):
        return own
    return start


def refused_figure(source: Source, m: Mention, why: str, heading: str, claim: dict) -> Rejected:
    """A figure whose last name failed the check or the gate: rejected with why, at its span."""
    o_start, o_end = source.to_original(m.start, m.end)
    return Rejected(reason=why, section=heading, claim=claim, text=source.original[o_start:o_end],
                    value=m.value, unit=m.unit, start=o_start, end=o_end)


def make_indicator(source: Source, work: Work, i: int, name: str, named_by: str = "model",
                   trace: list[str] | None = None) -> Indicator:
    """A grounded indicator for the section's mention `i`: value and unit from the regex, quote
    and offsets from the original file, kind and period from the surrounding words (or its table
    cell), each with the rule that decided it added to `trace` (how its name was decided)."""
    text, floor, m = source.text, work.section.start, work.mentions[i]
    cell = work.cells.get(i)  # a table cell's quote holds its row's name and unit
    lead = max(cell.row_start, floor) if cell else _quote_start(text, m, floor)
    q_start, q_end = source.to_original(lead, m.end)
    f_start, f_end = source.to_original(m.start, m.end)
    kind, kind_rule = (cell.kind, "kind.table_cell") if cell and cell.kind else kind_and_rule(text, m.start, work.frame, floor)
    if cell and cell.period and (year := work.frame.year) and (
            int(cell.period) > year or (work.frame.planning and int(cell.period) == year)):
        kind, kind_rule = "target", "kind.table_future_year"  # a column of a year to come (a plan's own): a goal
    period, period_rule = ((cell.period, "period.table_cell") if cell and cell.period
                           else period_and_rule(text, m.start, work.frame, floor))
    return Indicator(
        name=name,
        value=m.value,
        unit=m.unit,
        kind=kind,  # type: ignore[arg-type]
        period=period,
        approx=m.approx,  # type: ignore[arg-type]
        quote=source.original[q_start:q_end],
        start=q_start,
        end=q_end,
        section=work.section.heading,
        named_by=named_by,  # type: ignore[arg-type]
        figure_start=f_start,
        figure_end=f_end,
        trace=[*(trace or []), f"{kind_rule}: {kind}", f"{period_rule}: {period}"],
    )


def assemble(
    source: Source, work: Work, named: Named | None, region: str | None = None
) -> tuple[list[Indicator], list[Rejected], list[Uncovered]]:
    """Turn one section's named figures into checked indicators, rejected figures and uncovered ones.

    Each of the section's mentions ends in exactly one of the three lists: named (by the
    model, or by rule: a dependent rate or rank, or a figure whose model names all failed
    the cross-check when `RULE_NAMES_FOR` says so), rejected (its last name failed the
    check), or uncovered (nobody named it). A failed name that a rule name replaced, and
    a claim on no figure of the list, are kept in `rejected` without a span.

    A model name is tidied (`tidy_name`), checked to be grounded in its own sentence or
    heading (`check.ungrounded_name`: a name from another sentence fails, and the rule
    names the figure), and gives way to the rule's name where that holds it and says more
    (`more_specific`; the figure is then `named_by="rule"`)."""
    numbered = listed(work)
    index_of = {n: work.marked[n - 1] for n in numbered}
    text, floor, heading = source.text, work.section.start, work.section.heading
    names: dict[int, str] = {}
    by_rule: set[int] = set()
    trace: dict[int, list[str]] = {}
    failed = {index_of[n]: why for n, why in (named.failed if named else {}).items()}
    for i in failed:
        trace[i] = [f"model.failed: {failed[i]}"]
    for n, name in sorted((named.names if named else {}).items()):
        i, m = index_of[n], work.mentions[index_of[n]]
        trace[i] = [f"model: {name}"]
        tidy = tidy_name(name, names.get(i - 1), m, text, floor) if name else ""
        if not tidy:  # a name that was nothing but the copied figure counts as declined
            trace[i].append("model.declined")
            continue
        if tidy != name:
            trace[i].append(f"name.tidy: {tidy}")
        own = sentence_of(text, m.start, m.end, floor, work.section.end) + heading
        if why := ungrounded_name(tidy, own, expand_abbreviations):
            failed[i] = why
            trace[i].append(f"check.ungrounded: {why}")
            continue
        names[i] = closer_to_the_clause(tidy, rule_name(source, work, m), clause_of(text, work, m) + heading)
        if names[i] != tidy:
            by_rule.add(i)
            trace[i].append(f"name.closer_to_the_clause: {names[i]}")
    for i in sorted((set(index_of.values()) | set(work.trusted) | work.wordless) - set(names)):
        if i in work.trusted:  # the rule's name, trusted without asking (`names.trust_rules`)
            names[i], rule, p = work.trusted[i]
            by_rule.add(i)
            trace[i] = [f"name.confident: {p:.2f}", f"{rule}: {names[i]}"]
        elif i in work.wordless:  # not asked: its rule's name (its own figure) goes to the gate, which refuses it
            names[i], rule = rule_name_and_id(source, work, work.mentions[i], names.get(i - 1))
            by_rule.add(i)
            trace[i] = ["name.wordless", f"{rule}: {names[i]}"]
        elif ("failed" if i in failed else "declined") in RULE_NAMES_FOR:
            names[i], rule = rule_name_and_id(source, work, work.mentions[i], names.get(i - 1))
            by_rule.add(i)
            trace.setdefault(i, []).append(f"{rule}: {names[i]}")
    finish_names(source, work, names, by_rule, trace)
    for i, name in names.items():  # convention N1: never the district itself
        if (cut := without_own_scope(name, region)) != name:
            names[i] = cut
            trace.setdefault(i, []).append(f"name.own_scope: {cut}")
    names, gated, refused = gate_names(names, lambda i: rule_name(source, work, work.mentions[i], names.get(i - 1)), trace)
    by_rule |= gated
    failed |= refused
    indicators = [
        make_indicator(source, work, i, names[i], "rule" if i in by_rule else "model", trace.get(i))
        for i in sorted(names)
    ]
    rejected, uncovered = [], []
    for i, m in enumerate(work.mentions):
        if i in failed and i in names:  # named by rule: the failed name's why is kept, without a span
            rejected.append(Rejected(reason=failed[i], section=heading, claim={"answer": named.answer, "figure": m.text}))
        elif i in failed:
            rejected.append(refused_figure(source, m, failed[i], heading, {"answer": named.answer if named else ""}))
        elif i not in names:
            uncovered.append(uncovered_of(source, m, heading, text[clause_before(text, m.start, floor) : m.start]))
    stray = [Rejected(reason="编号不在数字清单中", section=heading, claim={"claim": c}) for c in (named.stray if named else ())]
    return indicators, rejected + stray, uncovered


async def _read_meta(source: Source, head: str, tail: str, client: ModelClient, usage: Usage) -> Meta:
    """The rules' meta; the model is asked only for a title, issuer or region they lack (`llmx.pipeline.meta`)."""
    lead = source.text[:LEAD_CHARS]
    ruled = regex_meta(head, tail, lead)
    if not head.strip() or not needs_model(ruled):
        return ruled
    messages = [
        {"role": "system", "content": load_prompt("meta.system")},
        {"role": "user", "content": render("meta.user", head=head)},
    ]
    answer = await ask_model(client, messages, MetaAnswer)  # an answer that never validates: the rules' meta
    usage.add(answer.usage)
    return checked_meta(answer.parsed, head, tail, lead)


async def _answer_section(source: Source, work: Work, client: ModelClient, usage: Usage, observer) -> Named:
    """The checked names of one section's figures (`llmx.model.answers`)."""
    try:
        messages = build_messages(source, work, getattr(client, "examples", None))
        asked = asked_ids(work)  # the answer runs to the last figure asked; trusted ones before it are read past
        ids = range(1, asked[-1] + 1)
        named = await ask_names(client, messages, ids, _name_check(source, work), skip=set(ids) - set(asked))
    finally:
        if observer is not None:
            observer.section_done()
    usage.add(named.usage)
    return named


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


@dataclass(frozen=True)
class Plan:
    """What a report's extraction works on, read from its text alone before anyone is asked:
    its outline, the head and tail the meta is read from, the regex figures, each section's work."""

    outline: Outline
    head: str
    tail: str
    found: tuple[Mention, ...]
    works: tuple[Work, ...]

    @property
    def asked(self) -> list[Work]:
        """The sections the model is asked about: a section of table rows, dependent figures or
        trusted rule names only (`Work.asked` empty) is named by rules alone."""
        return [w for w in self.works if w.asked]


def plan_report(source: Source, section_chars: int, rule_confidence: float = 1.0,
                scorer: Confidence | None = None) -> Plan:
    """The sections, head, tail and figures of `source`, and each section's work (no meta yet:
    the section requests do not depend on it; only the frames used in assembly do). A figure
    whose rule name scores more than `rule_confidence` (by `scorer`, else the weights that ship
    with llmx) is not asked (`names.trust_rules`)."""
    outline = split_sections(source, section_chars)
    found = find_numbers(source.text)
    works = [trust_rules(source, w, rule_confidence, scorer)
             for w in section_work(source, outline.sections, Meta(), found) if w.mentions]
    return Plan(outline=outline, head=source.text[outline.meta_start : outline.meta_end],
                tail="\n".join(source.text.strip().split("\n")[-3:]), found=tuple(found), works=tuple(works))


def finish_report(source: Source, plan: Plan, meta: Meta, answered: list[Named], usage: Usage) -> ReportResult:
    """The report's result from its plan, its meta and the model's answers to `plan.asked`, in
    order (none when no model is used: every figure is then named by rule, `RULE_NAMES_FOR`)."""
    replies = iter(answered)
    excluded, head_quantities = outside(source, list(plan.found), plan.outline.sections)
    result = ReportResult(doc=source.name, path=source.path, sha256=source.sha256, meta=meta, usage=usage,
                          found=len(plan.found), excluded=excluded, uncovered=head_quantities)
    for work in plan.works:
        named = next(replies, None) if work.asked else None
        indicators, rejected, uncovered = assemble(source, framed(work, meta), named, meta.region)
        result.indicators.extend(indicators)
        result.rejected.extend(rejected)
        result.uncovered.extend(uncovered)
    return result


async def extract_source(source: Source, client: ModelClient, observer: SectionObserver | None = None) -> ReportResult:
    """Extract one loaded report. Endpoint failures propagate; invalid answers become `rejected`.

    `observer`, when given, hears how many sections go to the model and when each is answered.
    """
    began = time.perf_counter()
    settings = client.settings
    plan = plan_report(source, settings.section_chars, settings.rule_confidence, weights_at(settings.confidence_weights))
    usage = Usage()
    asked = plan.asked
    if observer is not None:
        observer.sections_planned(len(asked))
    # The meta call goes out alongside the section requests instead of ahead of them.
    meta, *answered = await _all_or_none(
        _read_meta(source, plan.head, plan.tail, client, usage),
        *(_answer_section(source, w, client, usage, observer) for w in asked),
    )
    result = finish_report(source, plan, meta, answered, usage)
    result.seconds = round(time.perf_counter() - began, 3)
    return result


def baseline_extract(source: Source, section_chars: int = Settings.section_chars) -> ReportResult:
    """The regex-only baseline: the same pipeline with no model asked. The meta is the rules'
    (`regex_meta`) and every figure is named by rule; the eval report shows what the model adds."""
    plan = plan_report(source, section_chars)
    return finish_report(source, plan, regex_meta(plan.head, plan.tail, source.text[:LEAD_CHARS]), [], Usage())
