"""Which name each figure gets: the model's, tidied and checked against its clause, or the
rule's (`rule_name`, `closer_to_the_clause`); and the names rules finish whoever named the
rest (`finish_names`: scope from the heading, the sentence or an event, table cells, rates,
shares and totals of the count before, dependent figures)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..model.answers import NAME_MAX
from ..naming.check import grounded_share
from ..naming.confidence import Confidence, features, shipped
from ..naming.context import BARE_VERB, COUNTS, baseline_name, clause_after, clause_before, one_sentence, with_measure
from ..naming.dependents import join_name, level_of_total, level_only, part_of_total, rate_of_count, respective_name
from ..naming.rules import (
    cell_name, counted_after, evaluation_rank, event_scope, heading_scope, immediate_lead, rank_suffix, sentence_subject, tidy_name, without_examples,
    with_event, with_scope,
)
from ..finder.numbers import RANK_VERBS, Mention
from ..finder.units import family
from ..finder.readings import structure_part
from ..text.source import Source
from .work import Work, root_of

__all__ = ["rule_name", "rule_name_and_id", "planned_rule_names", "trust_rules", "more_specific", "clean_rule_name", "closer_to_the_clause", "finish_names", "clause_of",
           "CLAUSE_MODEL_SHARE", "CLAUSE_RULE_SHARE"]


def rule_name(source: Source, work: Work, m: Mention, previous: str | None = None) -> str:
    """The name of mention `m` read from its clause by rule (`rule_name_and_id` also says which rule)."""
    return rule_name_and_id(source, work, m, previous)[0]


def rule_name_and_id(source: Source, work: Work, m: Mention, previous: str | None = None) -> tuple[str, str]:
    """The name of mention `m` read from its clause by rule (`llmx.naming.context.baseline_name`,
    `llmx.naming.rules.counted_after`): the regex-only baseline's, and that of a figure the model
    left unnamed, with the id of the rule that read it. A share fragment (`占GDP达8.87%`) takes
    the subject of the figure before it (`previous`, its name; `name.share_of_previous`), as a
    model name does (`tidy_name`)."""
    name, rule = _rule_name(source, work, m)
    if previous and re.match(r"^(占|比重|比例|占比)", name):
        tidy = tidy_name(name, previous, m, source.text, work.section.start)
        return (tidy, "name.share_of_previous") if tidy else (name, rule)
    return name, rule


def planned_rule_names(source: Source, work: Work) -> dict[int, tuple[str, str]]:
    """Each asked figure's rule name and rule id, read in order as assembly reads them when no
    model answers (a share fragment takes the name of the asked figure just before it)."""
    names: dict[int, tuple[str, str]] = {}
    for i in work.asked:
        names[i] = rule_name_and_id(source, work, work.mentions[i], names[i - 1][0] if i - 1 in names else None)
    return names


def trust_rules(source: Source, work: Work, above: float, scorer: Confidence | None = None) -> Work:
    """`work` with the figures whose rule names score more than `above` (`llmx.naming.confidence`;
    `scorer`, else the shipped weights) kept out of the model's list: the rule names them
    (`Work.trusted`). `above` of 1 trusts none; so does a missing weights file. A figure whose
    rule finds no words to name it from (its rule name holds no letter) is asked of no one either
    (`Work.wordless`): the gate refuses its name, and it is rejected, in both paths."""
    if not work.asked:
        return work
    planned = planned_rule_names(source, work)
    # a figure with no words to name it from (a number among numbers) is asked of no one
    if wordless := frozenset(i for i, (name, _) in planned.items() if not re.search(r"[\u4e00-\u9fffA-Za-z]", name)):
        work = replace(work, wordless=wordless)
    scorer = scorer if scorer is not None else shipped()
    if scorer is None or above >= 1 or not work.asked:
        return work
    floor, ceiling = work.section.start, work.section.end
    trusted = {}
    for i, (name, rule) in planned.items():
        if i in work.wordless:
            continue
        p = scorer.score(features(source.text, work.mentions[i], name, rule, floor, ceiling))
        if p > above:
            trusted[i] = (name, rule, p)
    return replace(work, trusted=trusted)


def _rule_name(source: Source, work: Work, m: Mention) -> tuple[str, str]:
    text, section = source.text, work.section
    lead = text[clause_before(text, m.start, section.start) : m.start]
    if m.category == "rank":  # what is ranked, and where: never a count (`保持数`)
        ranked = re.sub(f"(?:{RANK_VERBS}|保持)+$", "", baseline_name(lead).strip())
        named = tidy_name(ranked, None, m, text, section.start)
        return (named, "name.rank") if named else (rank_suffix(text, m, section.start), "name.rank_suffix")
    own = immediate_lead(text, m.start, section.start)
    if counted := counted_after(text, m, own, section.end):
        return counted, "name.counted_after"
    if (parallel := _parallel_name(source, work, m, own)) is not None:
        return parallel, "name.parallel"
    named = baseline_name(lead, text[m.end : clause_after(text, m.end, section.end)], m.unit)
    if not named and re.search(r"累计|总数|总量|合计|共计", own):  # `…，累计达到47家`: a total (`rate_of_count`)
        return "累计数", "name.total"
    return (named, "name.clause") if named else (m.text, "name.figure_text")


_LINKING_ONLY = re.compile(r"(?:力争|争取|确保|计划|预计|再)+")


def _parallel_name(source: Source, work: Work, m: Mention, own: str) -> str | None:
    """The name of a count that its clause gives no object (`申报高新技术企业454家，认定359家`,
    `新认定高新技术企业45家，力争60家`): that of the count just before it in the sentence, in the
    same unit, with this clause's verb in place of that one's (`认定高新技术企业数`); None where
    the clause says more than a verb or a linking word, or the words after the count name it."""
    text, section = source.text, work.section
    own = own.strip()
    if m.unit not in COUNTS or not (_LINKING_ONLY.fullmatch(own) or BARE_VERB.fullmatch(own)
                                    or re.fullmatch(r"[\u4e00-\u9fff]{1,2}", own)) or re.search(r"总|累计|其中|达", own):
        return None
    if text[m.end : clause_after(text, m.end, section.end)].strip():
        return None
    k = work.mentions.index(m)
    if k == 0 or work.mentions[k - 1].unit != m.unit or not one_sentence(text, work.mentions[k - 1].end, m.start):
        return None
    before = work.mentions[k - 1]
    if not re.search(r"[，,]", text[before.end : m.start]):
        return None  # a list (`…3家、…10家`) gives each its own words
    previous = baseline_name(text[clause_before(text, before.start, section.start) : before.start], "", before.unit)
    if not previous or re.search(r"[\d，,。；;：:]", previous):
        return None
    if _LINKING_ONLY.fullmatch(own):
        return previous
    thing = re.sub(rf"^(?:{BARE_VERB.pattern}|新)+", "", previous)
    return with_measure(own + thing, m.unit) if len(thing) >= 2 and thing != previous else None


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


def clause_of(text: str, work: Work, m: Mention) -> str:
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


def _note(trace: dict[int, list[str]] | None, i: int, rule: str, name: str) -> None:
    if trace is not None:
        trace.setdefault(i, []).append(f"{rule}: {name}")


def _set(names: dict[int, str], by_rule: set[int], trace: dict[int, list[str]] | None, i: int, name: str,
         rule: str) -> None:
    """Give figure `i` the name a finishing rule decided, and note the rule where it changed it."""
    if names.get(i) != name:
        _note(trace, i, rule, name)
    names[i] = name
    by_rule.add(i)


def finish_names(source: Source, work: Work, names: dict[int, str], by_rule: set[int],
                 trace: dict[int, list[str]] | None = None) -> None:
    """The names rules decide, whoever named the rest (in place; `by_rule` gets their
    indexes, `trace` the id of each rule that changed a name, with the name it gave):
    figures given respectively are named by their items (`finish.respective`:
    `dependents.respective_name`); a name without a scope takes an event held earlier in its
    sentence or the body that opens it (`finish.event`), or the body its section's heading
    reports on (`finish.heading_scope`: `上海清华国际创新中心` + `落地企业数`); a category after an
    example list that names the figure on its own loses the list (`finish.example_list`:
    `“某某汇”路演等对接活动` -> `对接活动场次`); a table cell is
    named from its row and column (`finish.cell`, decision 17), which say more surely than any
    reading of the words what it measures; a rank in a published evaluation as that evaluation's
    rank (`finish.evaluation_rank`: `在国家高新区综合评价中，成都高新区位列第三`); a part of an industry structure (`三次产业结构为
    1.8:14.8:83.4`) as that industry's share of GDP (`finish.industry_structure`); a name of
    levels only as that level of the total before it (`finish.level_of_total`: `其中国家级2个`), a
    part after 其中 that says too little as a part of its total (`finish.part_of_total`); a bare
    rate, whole-scope share, total or amount after a count from what was counted
    (`finish.rate_of_count`); a dependent figure from the figure it
    hangs on (`finish.dependent`, or `finish.streak_subject` where it names its own subject); a
    share's fragment after a rate from what the rate is of (`finish.share_of_whole`)."""
    scope = heading_scope(work.section.path)
    spans = [(m.start, m.end) for m in work.mentions]
    for i in list(names):
        m = work.mentions[i]
        if (respective := respective_name(source.text, m.start, spans, work.section.start, m.unit)) is not None:
            _set(names, by_rule, trace, i, respective, "finish.respective")
        event = event_scope(source.text, m.start, work.section.start) or sentence_subject(source.text, m.start, work.section.start)
        evented = with_event(names[i], event)
        if evented != names[i]:
            _note(trace, i, "finish.event", evented)
        scoped = with_scope(evented, scope)
        if scoped != evented:
            _note(trace, i, "finish.heading_scope", scoped)
        names[i] = scoped
    for i in sorted(names):  # `“太湖科创汇”路演等对接活动210余场`: the category names it
        if (category := without_examples(names[i])) != names[i]:
            _set(names, by_rule, trace, i, category, "finish.example_list")
    for i, cell in work.cells.items():
        _set(names, by_rule, trace, i, cell_name(cell), "finish.cell")
    for i in sorted(names):  # `在国家高新区综合评价中，成都高新区位列第三`: the evaluation's rank
        m = work.mentions[i]
        if m.category == "rank" and (evaluated := evaluation_rank(source.text, m, work.section.start)):
            _set(names, by_rule, trace, i, evaluated, "finish.evaluation_rank")
    for i in sorted(names):  # `三次产业结构为1.8:14.8:83.4`: each part is an industry's share of GDP
        if work.mentions[i].unit == "%" and (part := structure_part(source.text, work.mentions[i].start)):
            _set(names, by_rule, trace, i, f"第{'一二三'[part - 1]}产业增加值占GDP比重", "finish.industry_structure")
    before = dict(names)
    for i in sorted(names):  # `其中国家级2个、省级9个`: each level of what the total before them counts
        if (level := level_only(names[i])) and (total := _total_before(source.text, work, before, i)) is not None:
            if (named := level_of_total(level, before[total], work.mentions[i].unit)) is not None:
                _set(names, by_rule, trace, i, named, "finish.level_of_total")
        elif (whole := _whole_of_part(source.text, work, i)) is not None and whole in before:
            if (named := part_of_total(names[i], before[whole], work.mentions[i].unit)) is not None:
                _set(names, by_rule, trace, i, named, "finish.part_of_total")
    for i in sorted(names):
        if (count := _count_before(source.text, work, i)) is not None and count in names:
            rated = rate_of_count(names[i], names[count])
            if rated != names[i]:
                _set(names, by_rule, trace, i, rated, "finish.rate_of_count")
    for i, (base, suffix) in sorted(work.depends.items()):
        if base is None:
            _set(names, by_rule, trace, i, with_scope(suffix, scope), "finish.streak_subject")
        elif base in names:
            _set(names, by_rule, trace, i, join_name(names[base], suffix), "finish.dependent")
    for i in sorted(names):  # a share's fragment (`占全省比重`) after a rate: the share of what the rate is of
        share = _RATE_WORDS.sub("", names[i])  # a rule name may reach back over the rate (`同比增长占全省比重`)
        if share.startswith("占") and work.mentions[i].unit == "%" and (whole := _whole_before(source.text, work, i)) in names:
            _set(names, by_rule, trace, i, join_name(names[whole], share + ("" if re.search(r"比重|比例|占比", share) else "比重")),
                 "finish.share_of_whole")


_RATE_WORDS = re.compile(r"^(?:同比|比上年|较上年)?(?:增长|增加|增速|增幅|下降|提高)(?=占)")


def _whole_before(text: str, work: Work, i: int) -> int | None:
    """The figure mention `i` is a share of: the nearest before it in its sentence that is no
    rate or share itself, past what hangs on it (`进出口总额X亿元，增长Y%，占全省比重Z%`: the
    总额), or None."""
    j = i
    while j > 0 and one_sentence(text, work.mentions[j - 1].end, work.mentions[j].start):
        j = root_of(work.depends, j - 1)
        if work.mentions[j].unit != "%":
            return j
    return None


def _total_before(text: str, work: Work, names: dict[int, str], i: int) -> int | None:
    """The total that figure `i`, a level of it, breaks down: the nearest figure before it in its
    sentence, in the same unit, whose name says more than a level."""
    m = work.mentions[i]
    for j in _earlier_in_sentence(text, work, i):
        before = work.mentions[j]
        if before.unit == m.unit and j in names and level_only(names[j]) is None:
            return j
    return None


def _whole_of_part(text: str, work: Work, i: int) -> int | None:
    """The total whose parts figure `i` lists after 其中 in its sentence (`政务信息114条，其中组织机构2条、
    规划计划10条`: the 114), in the same unit, or None."""
    m = work.mentions[i]
    for j in _earlier_in_sentence(text, work, i):
        before = work.mentions[j]
        if "其中" in text[before.end : work.mentions[j + 1].start]:
            return j if before.unit == m.unit else None
    return None


def _count_before(text: str, work: Work, i: int) -> int | None:
    """The index of the count nearest before mention `i` in its sentence, when `i` is a share
    or rate (%), an amount of money (what the counted projects invest), or itself a count (a
    total after what was added: the same unit), or None."""
    m = work.mentions[i]
    money = family(m.unit) == "元"
    if m.unit != "%" and m.unit not in COUNTS and not money:
        return None
    for j in _earlier_in_sentence(text, work, i):
        before = work.mentions[j]
        if before.unit in COUNTS and (m.unit == "%" or money or before.unit == m.unit):
            return j
    return None


def _earlier_in_sentence(text: str, work: Work, i: int) -> Iterator[int]:
    """The figures before mention `i` in its sentence, nearest first."""
    m = work.mentions[i]
    for j in range(i - 1, -1, -1):
        if not one_sentence(text, work.mentions[j].end, m.start):
            return
        yield j


