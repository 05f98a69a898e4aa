"""A section's work: its figures, which of them the model is asked to name, and which rules
name from the figure they hang on (`Work.depends`) or from their table cell (`Work.cells`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..naming.context import Frame, clause_before, frame_for, one_sentence
from .ledger import in_sections
from ..models import Meta
from ..naming.dependents import AVERAGE, dependent_suffix, streak
from ..naming.rules import rank_suffix
from ..finder.numbers import RANK_VERBS, Mention, find_numbers
from ..text.sections import Section
from ..text.source import Source
from ..finder.tables import Cell, cell_of

__all__ = ["Work", "section_work", "framed", "listed", "asked_ids", "root_of"]


@dataclass(frozen=True)
class Work:
    """One section: its quantities (spans absolute in `Source.text`), its frame, for each
    dependent figure (a bare rate or rank) the figure it hangs on and its suffix, each table
    cell, and the figures whose rule names are trusted without asking."""

    section: Section
    mentions: tuple[Mention, ...]
    frame: Frame
    depends: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    cells: dict[int, Cell] = field(default_factory=dict)
    trusted: dict[int, tuple[str, str, float]] = field(default_factory=dict)
    wordless: frozenset[int] = frozenset()

    @property
    def marked(self) -> tuple[int, ...]:
        """Indexes into `mentions` of the figures marked in the text the model sees: neither a
        dependent figure nor a table cell, which rules name (`finish_names`)."""
        return tuple(i for i in range(len(self.mentions)) if i not in self.depends and i not in self.cells)

    @property
    def asked(self) -> tuple[int, ...]:
        """The marked figures the model is asked to name: all but those whose rule name is
        trusted (`trusted`: its name, the rule's id and the name's confidence,
        `llmx.pipeline.names.trust_rules`) and those with no words to be named from (`wordless`:
        a number among numbers, as a table copied without its headings leaves it). A figure not
        asked stays marked, so the model reads the section as it would with every figure asked."""
        return tuple(i for i in self.marked if i not in self.trusted and i not in self.wordless)


def _dependencies(text: str, mentions: tuple[Mention, ...], floor: int, ceiling: int) -> dict[int, tuple[int | None, str]]:
    """Each dependent figure's base (a figure before it in its sentence, or None where it names
    its own subject) and the suffix that names it from that base: a bare rate or rank
    (`dependents.dependent_suffix`, on the figure just before), a streak (`dependents.streak`, on the
    figure its change or rate is of: `研发投入强度3.85%，提高0.2个百分点，连续三年…`). What
    follows a streak hangs on the streak's base (`…连续三年排名全市首位`)."""
    depends: dict[int, tuple[int | None, str]] = {}
    for i, m in enumerate(mentions):
        same_sentence = i > 0 and one_sentence(text, mentions[i - 1].end, m.start)
        if (run := streak(text, m, floor, ceiling)) is not None:
            subject, suffix = run
            if same_sentence and _restates(subject, text[clause_before(text, mentions[i - 1].start, floor) : mentions[i - 1].end]):
                depends[i] = (root_of(depends, i - 1), suffix)
            else:
                depends[i] = (None, subject + suffix)
            continue
        if not same_sentence:
            # a bare rate or rank after `；` has no subject of its own either: the figures before it
            # in the sentence are its (`研发费用16.02亿元，完成率107%；全市排名第2；累计增速25%`)
            if i > 0 and _after_semicolon(text, mentions[i - 1].end, m.start) and (suffix := dependent_suffix(text, m, floor)):
                base = root_of(depends, i - 1) if mentions[i - 1].category == "rank" and m.category != "rank" else i - 1
                depends[i] = (base, suffix)
            continue
        before = depends.get(i - 1)
        if before is not None and ("连续" in before[1] or AVERAGE.match(before[1])):
            # after a streak or an average: hangs on what the streak or average is of
            right_after = re.fullmatch(f"(?:{RANK_VERBS}|保持)*", text[mentions[i - 1].end : m.start])
            suffix = rank_suffix(text, m, floor) if m.category == "rank" and right_after else dependent_suffix(text, m, floor)
            if suffix is not None:
                base = before[0]
                depends[i] = (base, suffix) if base is not None else (None, before[1].split("连续")[0] + suffix)
        elif (suffix := dependent_suffix(text, m, floor)) is not None:
            depends[i] = (root_of(depends, i - 1) if AVERAGE.match(suffix) else i - 1, suffix)
    return depends


def _after_semicolon(text: str, start: int, end: int) -> bool:
    """Whether the text between two figures ends no sentence but with a semicolon (`；`)."""
    between = text[start:end]
    return any(c in "；;" for c in between) and not any(c in "。！？!?\n" for c in between)


def root_of(depends: dict[int, tuple[int | None, str]], i: int) -> int:
    """The figure `i` hangs on at last, past rates, changes and comparisons (itself if none)."""
    while i in depends and (base := depends[i][0]) is not None:
        i = base
    return i


def _restates(subject: str, clause: str) -> bool:
    """Whether a streak's `subject` is none, or restates the figure whose `clause` is given
    (two characters running of it there: `认定数量` after `新认定高新技术企业213家`)."""
    return not subject or any(subject[k : k + 2] in clause for k in range(len(subject) - 1))


def section_work(
    source: Source, sections: tuple[Section, ...], meta: Meta, found: list[Mention] | None = None
) -> list[Work]:
    """Every section's quantities, in document order (sections without any are kept, empty).

    `found` is `find_numbers(source.text)`, the one reading of the report's numbers that
    the conservation count (`llmx.pipeline.ledger`) is made against; it is read here when not given.
    """
    found = find_numbers(source.text) if found is None else found
    out = []
    for section, quantities in zip(sections, in_sections(found, sections)):
        mentions = tuple(quantities)
        frame = frame_for(section.path, meta.kind, meta.years, meta.title)
        cells = {i: c for i, m in enumerate(mentions) if (c := cell_of(source.text, m.start)) is not None}
        out.append(Work(section, mentions, frame, _dependencies(source.text, mentions, section.start, section.end), cells))
    return out


def framed(work: Work, meta: Meta) -> Work:
    return replace(work, frame=frame_for(work.section.path, meta.kind, meta.years, meta.title))


def listed(work: Work) -> dict[int, Mention]:
    """The figures as numbered for the model: 1..k over the marked mentions."""
    return {n: work.mentions[i] for n, i in enumerate(work.marked, start=1)}


def asked_ids(work: Work) -> list[int]:
    """The numbers (`listed`) of the figures the model is asked to name."""
    asked = set(work.asked)
    return [n for n, i in enumerate(work.marked, start=1) if i in asked]


