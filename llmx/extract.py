"""The pipeline for one report: sections, regex numbers, model names, cross-check, grounding.

`extract_source` is the async core; the library entry points built on it
(`extract_text`, `aextract_text`, ...) are in `llmx.api`. The model is asked,
per section that holds quantities, to name the numbered figures; everything
else about a figure is decided here from the text (see `llmx.context`) and
checked (`llmx.check`).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol

from .answers import NAME_MAX, Named, ask_names
from .check import grounded_share, name_problems, shifted_name, ungrounded_name
from .client import ModelClient
from .context import (
    COUNTS, SENTENCE_STOPS, Frame, baseline_name, clause_after, clause_before, expand_abbreviations, frame_for, kind_of,
    period_of, sentence_of,
)
from .errors import InvalidAnswerError
from .meta import checked_meta, needs_model, regex_meta
from .naming import (
    cell_name, counted_after, dependent_suffix, event_scope, heading_scope, immediate_lead, join_name, rank_suffix,
    rate_of_count, sentence_subject, streak, tidy_name, with_event, with_scope,
)
from .models import Indicator, Meta, Rejected, ReportResult, Uncovered, Usage
from .ledger import in_sections, outside, uncovered_of
from .numbers import RANK_VERBS, Mention, find_numbers
from .prompts import load_prompt, render
from .schema import MetaAnswer
from .sections import Section, split_sections
from .tables import Cell, cell_of
from .source import Source

__all__ = [
    "SectionObserver", "Work", "section_work", "extract_source", "build_messages", "assemble", "rule_name",
    "RULE_NAMES_FOR", "finish_names",
]

# Figures the model did not name that are output all the same, named from their clause by
# rule (`named_by="rule"`): "failed" (every name the model gave failed the cross-check: the
# model did take it for a figure) and/or "declined" (an empty name, or none).
RULE_NAMES_FOR: frozenset[str] = frozenset({"failed", "declined"})


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
    depends: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    cells: dict[int, Cell] = field(default_factory=dict)

    @property
    def asked(self) -> tuple[int, ...]:
        """Indexes into `mentions` of the figures the model is asked to name: neither a
        dependent figure nor a table cell, which rules name (`finish_names`)."""
        return tuple(i for i in range(len(self.mentions)) if i not in self.depends and i not in self.cells)


def _dependencies(text: str, mentions: tuple[Mention, ...], floor: int, ceiling: int) -> dict[int, tuple[int | None, str]]:
    """Each dependent figure's base (a figure before it in its sentence, or None where it names
    its own subject) and the suffix that names it from that base: a bare rate or rank
    (`naming.dependent_suffix`, on the figure just before), a streak (`naming.streak`, on the
    figure its change or rate is of: `研发投入强度3.85%，提高0.2个百分点，连续三年…`). What
    follows a streak hangs on the streak's base (`…连续三年排名全市首位`)."""
    depends: dict[int, tuple[int | None, str]] = {}
    for i, m in enumerate(mentions):
        same_sentence = i > 0 and not any(ch in SENTENCE_STOPS for ch in text[mentions[i - 1].end : m.start])
        if (run := streak(text, m, floor, ceiling)) is not None:
            subject, suffix = run
            if same_sentence and _restates(subject, text[clause_before(text, mentions[i - 1].start, floor) : mentions[i - 1].end]):
                base: int | None = i - 1
                while base in depends and depends[base][0] is not None:
                    base = depends[base][0]
                depends[i] = (base, suffix)
            else:
                depends[i] = (None, subject + suffix)
            continue
        if not same_sentence:
            continue
        before = depends.get(i - 1)
        if before is not None and "连续" in before[1]:  # after a streak: hangs on what the streak is of
            right_after = re.fullmatch(f"(?:{RANK_VERBS}|保持)*", text[mentions[i - 1].end : m.start])
            suffix = rank_suffix(text, m, floor) if m.category == "rank" and right_after else dependent_suffix(text, m, floor)
            if suffix:
                base = before[0]
                depends[i] = (base, suffix) if base is not None else (None, before[1].split("连续")[0] + suffix)
        elif suffix := dependent_suffix(text, m, floor):
            depends[i] = (i - 1, suffix)
    return depends


def _restates(subject: str, clause: str) -> bool:
    """Whether a streak's `subject` is none, or restates the figure whose `clause` is given
    (two characters running of it there: `认定数量` after `新认定高新技术企业213家`)."""
    return not subject or any(subject[k : k + 2] in clause for k in range(len(subject) - 1))


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
        frame = frame_for(section.path, meta.kind, meta.years, meta.title)
        cells = {i: c for i, m in enumerate(mentions) if (c := cell_of(source.text, m.start)) is not None}
        out.append(Work(section, mentions, frame, _dependencies(source.text, mentions, section.start, section.end), cells))
    return out


def _framed(work: Work, meta: Meta) -> Work:
    return replace(work, frame=frame_for(work.section.path, meta.kind, meta.years, meta.title))


def _listed(work: Work) -> dict[int, Mention]:
    """The figures as numbered for the model: 1..k over the asked mentions."""
    return {n: work.mentions[i] for n, i in enumerate(work.asked, start=1)}


def _marked(source: Source, work: Work) -> str:
    """The section's text, sent once, with each asked figure written `【n:figure】`."""
    text, section = source.text, work.section
    parts, pos = [], section.start
    for n, m in _listed(work).items():
        parts += [text[pos : m.start], f"【{n}:{m.text}】"]
        pos = m.end
    parts.append(text[pos : section.end])
    return "".join(parts)


def build_messages(source: Source, work: Work) -> list[dict[str, str]]:
    """The chat messages for one section: the system prompt (a prefix shared by every call,
    which llama.cpp keeps cached) and the section's heading and marked text."""
    user = render("extract.user", heading=work.section.heading or "（无标题）", text=_marked(source, work))
    return [{"role": "system", "content": load_prompt("extract.system")}, {"role": "user", "content": user}]


def _name_check(source: Source, work: Work) -> Callable[[int, str], list[str]]:
    """The cross-check of one named id: no number the text lacks, and no name that belongs
    to a neighbouring figure (`llmx.check.name_problems`, `shifted_name`)."""
    text, section = source.text, work.section
    listed = _listed(work)
    windows = {n: text[clause_before(text, m.start, section.start) : clause_after(text, m.end, section.end)]
               for n, m in listed.items()}

    def check(n: int, name: str) -> list[str]:
        problems = name_problems(name, section.text)
        own = windows[n] + section.heading
        neighbour = shifted_name(name, own, {k: w for k, w in windows.items() if k != n})
        if neighbour is not None:
            problems.append(f"名称“{name}”与编号 {n} 所在的句子无关，像是编号 {neighbour} 的名称")
        return problems

    return check


def rule_name(source: Source, work: Work, m: Mention, previous: str | None = None) -> str:
    """The name of mention `m` read from its clause by rule (`llmx.context.baseline_name`,
    `llmx.naming.counted_after`): the regex-only baseline's, and that of a figure the model
    left unnamed. A share fragment (`占GDP达8.87%`) takes the subject of the figure before it
    (`previous`, its name), as a model name does (`tidy_name`)."""
    name = _rule_name(source, work, m)
    if previous and re.match(r"^(占|比重|比例|占比)", name):
        return tidy_name(name, previous, m, source.text, work.section.start) or name
    return name


def _rule_name(source: Source, work: Work, m: Mention) -> str:
    text, section = source.text, work.section
    lead = text[clause_before(text, m.start, section.start) : m.start]
    if m.category == "rank":  # what is ranked, and where: never a count (`保持数`)
        ranked = re.sub(f"(?:{RANK_VERBS}|保持)+$", "", baseline_name(lead).strip())
        return tidy_name(ranked, None, m, text, section.start) or rank_suffix(text, m, section.start)
    own = immediate_lead(text, m.start, section.start)
    if counted := counted_after(text, m, own, section.end):
        return counted
    named = baseline_name(lead, text[m.end : clause_after(text, m.end, section.end)], m.unit)
    if not named and re.search(r"累计|总数|总量|合计|共计", own):  # `…，累计达到47家`: a total (`rate_of_count`)
        return "累计数"
    return named or m.text


def more_specific(name: str, clause_name: str) -> str:
    """The rule's name of a figure where it says what the model's says and more: the model's
    name stands whole inside it (`企业家次` in `科技政策资金惠及企业家次`), and it is a name,
    not a stretch of sentence (no digits, no clause punctuation, at most `NAME_MAX` long)."""
    if (name != clause_name and name in clause_name and len(clause_name) <= NAME_MAX
            and not re.search(r"[\d，,。；;：:、（(]", clause_name)):
        return clause_name
    return name


# A model name that shares less than this of its pieces with its own clause and heading gives
# way to a clean rule name that stands (CLAUSE_RULE_SHARE of it) in the clause itself.
CLAUSE_MODEL_SHARE = 0.7
CLAUSE_RULE_SHARE = 0.8


# A rule name that is a stretch of the clause rather than a name: a share's fragment (`占全市比重`),
# a verb of reaching before the measure (`企业数增至数`), a bracket cut open (`众创空间)数`).
_FRAGMENT = re.compile(r"^(?:占|比)|(?:增至|达到|达|为|至|有)数$")


def clean_rule_name(name: str) -> bool:
    """Whether a rule's name is a name: 4 to `NAME_MAX` characters, no digits or clause
    punctuation, brackets paired, no fragment (`_FRAGMENT`)."""
    pairs = all(name.count(a) == name.count(b) for a, b in ("（）", "()", "“”"))
    return (4 <= len(name) <= NAME_MAX and pairs and not re.search(r"[\d，,。；;：:]", name)
            and not _FRAGMENT.search(name))


def _clause_of(text: str, work: Work, m: Mention) -> str:
    return text[clause_before(text, m.start, work.section.start) : clause_after(text, m.end, work.section.end)]


def closer_to_the_clause(name: str, clause_name: str, clause: str) -> str:
    """The name of a figure, the model's (`name`) or the rule's (`clause_name`): the rule's where it
    says the model's and more (`more_specific`), or where the model's is read from elsewhere (less
    than `CLAUSE_MODEL_SHARE` of its pieces in the figure's clause and heading, `clause`) and the
    rule's is a name read from the clause itself (`clean_rule_name`, at least `CLAUSE_RULE_SHARE`
    of its pieces in the clause). The model's stays where it holds the rule's."""
    chosen = more_specific(name, clause_name)
    if chosen != name or clause_name in name:
        return chosen
    if clean_rule_name(clause_name) and grounded_share(name, clause) < CLAUSE_MODEL_SHARE \
            and grounded_share(clause_name, clause) >= CLAUSE_RULE_SHARE:
        return clause_name
    return name


def finish_names(source: Source, work: Work, names: dict[int, str], by_rule: set[int]) -> None:
    """The names rules decide, whoever named the rest (in place; `by_rule` gets their
    indexes): a name without a scope takes the body its section's heading reports on
    (`naming.heading_scope`: `上海清华国际创新中心` + `落地企业数`); a table cell is named from
    its row and column (decision 17), which say more surely than any reading of the words
    what it measures; a dependent rate or rank from the figure it hangs on (`Work.depends`)."""
    scope = heading_scope(work.section.path)
    for i in names:
        m = work.mentions[i]
        event = event_scope(source.text, m.start, work.section.start) or sentence_subject(source.text, m.start, work.section.start)
        names[i] = with_scope(with_event(names[i], event), scope)
    for i, cell in work.cells.items():
        names[i] = cell_name(cell)
        by_rule.add(i)
    for i in sorted(names):
        if (count := _count_before(source.text, work, i)) is not None and count in names:
            rated = rate_of_count(names[i], names[count])
            if rated != names[i]:
                names[i] = rated
                by_rule.add(i)
    for i, (base, suffix) in sorted(work.depends.items()):
        if base is None:
            names[i] = with_scope(suffix, scope)
            by_rule.add(i)
        elif base in names:
            names[i] = join_name(names[base], suffix)
            by_rule.add(i)


def _count_before(text: str, work: Work, i: int) -> int | None:
    """The index of the count nearest before mention `i` in its sentence, when `i` is a share
    or rate (%) or itself a count (a total after what was added: the same unit), or None."""
    m = work.mentions[i]
    if m.unit != "%" and m.unit not in COUNTS:
        return None
    for j in range(i - 1, -1, -1):
        before = work.mentions[j]
        if any(ch in SENTENCE_STOPS for ch in text[before.end : m.start]):
            return None
        if before.unit in COUNTS and (m.unit == "%" or before.unit == m.unit):
            return j
    return None


def _quote_start(text: str, m: Mention, floor: int) -> int:
    """Where a figure's quote begins: its clause, or one clause further back when its own is
    too short to say what is measured (`clause_before`), but never back over another
    figure's number (`关停9个…系统,完成9个…`: the second quote is `完成9个`)."""
    start = clause_before(text, m.start, floor)
    own = m.start - len(immediate_lead(text, m.start, floor))
    if start < own and re.search(r"\d", text[start:own]):
        return own
    return start


def make_indicator(source: Source, work: Work, m: Mention, name: str, named_by: str = "model") -> Indicator:
    """A grounded indicator for mention `m`: value and unit from the regex, quote and
    offsets from the original file, kind and period from the surrounding words."""
    text, floor = source.text, work.section.start
    cell = cell_of(text, m.start)  # a table cell's quote holds its row's name and unit
    lead = max(cell.row_start, floor) if cell else _quote_start(text, m, floor)
    q_start, q_end = source.to_original(lead, m.end)
    f_start, f_end = source.to_original(m.start, m.end)
    return Indicator(
        name=name,
        value=m.value,
        unit=m.unit,
        kind=(cell and cell.kind) or kind_of(text, m.start, work.frame, floor),  # type: ignore[arg-type]
        period=(cell and cell.period) or period_of(text, m.start, work.frame, floor),
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
    source: Source, work: Work, named: Named | None
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
    listed = _listed(work)
    index_of = {n: work.asked[n - 1] for n in listed}
    text, floor, heading = source.text, work.section.start, work.section.heading
    names: dict[int, str] = {}
    by_rule: set[int] = set()
    failed = {index_of[n]: why for n, why in (named.failed if named else {}).items()}
    for n, name in sorted((named.names if named else {}).items()):
        i, m = index_of[n], work.mentions[index_of[n]]
        tidy = tidy_name(name, names.get(i - 1), m, text, floor) if name else ""
        if not tidy:  # a name that was nothing but the copied figure counts as declined
            continue
        own = sentence_of(text, m.start, m.end, floor, work.section.end) + heading
        if why := ungrounded_name(tidy, own, expand_abbreviations):
            failed[i] = why
            continue
        names[i] = closer_to_the_clause(tidy, rule_name(source, work, m), _clause_of(text, work, m) + heading)
        if names[i] != tidy:
            by_rule.add(i)
    for i in sorted(set(index_of.values()) - set(names)):
        if ("failed" if i in failed else "declined") in RULE_NAMES_FOR:
            names[i] = rule_name(source, work, work.mentions[i], names.get(i - 1))
            by_rule.add(i)
    finish_names(source, work, names, by_rule)
    indicators = [
        make_indicator(source, work, work.mentions[i], names[i], "rule" if i in by_rule else "model")
        for i in sorted(names)
    ]
    rejected, uncovered = [], []
    for i, m in enumerate(work.mentions):
        if i in failed and i in names:  # named by rule: the failed name's why is kept, without a span
            rejected.append(Rejected(reason=failed[i], section=heading, claim={"answer": named.answer, "figure": m.text}))
        elif i in failed:
            o_start, o_end = source.to_original(m.start, m.end)
            rejected.append(Rejected(reason=failed[i], section=heading, claim={"answer": named.answer},
                                     text=source.original[o_start:o_end], value=m.value, unit=m.unit,
                                     start=o_start, end=o_end))
        elif i not in names:
            uncovered.append(uncovered_of(source, m, heading, text[clause_before(text, m.start, floor) : m.start]))
    stray = [Rejected(reason="编号不在数字清单中", section=heading, claim={"claim": c}) for c in (named.stray if named else ())]
    return indicators, rejected + stray, uncovered


async def _read_meta(source: Source, head: str, tail: str, client: ModelClient, usage: Usage) -> Meta:
    """The rules' meta; the model is asked only for a title, issuer or region they lack (`llmx.meta`)."""
    ruled = regex_meta(head, tail)
    if not head.strip() or not needs_model(ruled):
        return ruled
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


async def _answer_section(source: Source, work: Work, client: ModelClient, usage: Usage, observer) -> Named:
    """The checked names of one section's figures (`llmx.answers`)."""
    try:
        named = await ask_names(client, build_messages(source, work), list(_listed(work)), _name_check(source, work))
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
    asked = [w for w in works if w.asked]  # a section of table rows or dependent figures only: rules name it all
    if observer is not None:
        observer.sections_planned(len(asked))
    meta, *answered = await _all_or_none(
        _read_meta(source, head, tail, client, usage),
        *(_answer_section(source, w, client, usage, observer) for w in asked),
    )
    replies = iter(answered)
    answers = [next(replies) if w.asked else None for w in works]
    excluded, head_quantities = outside(source, found, outline.sections)
    result = ReportResult(doc=source.name, path=source.path, sha256=source.sha256, meta=meta, usage=usage,
                          found=len(found), excluded=excluded, uncovered=head_quantities)
    for work, named in zip(works, answers):
        indicators, rejected, uncovered = assemble(source, _framed(work, meta), named)
        result.indicators.extend(indicators)
        result.rejected.extend(rejected)
        result.uncovered.extend(uncovered)
    result.seconds = round(time.perf_counter() - began, 3)
    return result

