"""The panel's checks: what no single report allows, one named rule each.

    growth_vs_values   a stated growth rate (`…同比增速` 9.06%) against the two years'
                       values of its subject, when both are known (from any report)
    target_vs_actual   a plan's target against the actual of the same period in another
                       report: met, missed, not reported (a summary of the period says
                       nothing of it) or no summary (none of the period was given)
    part_vs_whole      a `其中` part against the whole before it in the same sentence, and a
                       share (`占…比重`, `占比`) against 100% and against part / whole
    one_value          one indicator given two different values for one period and kind

Each takes the facts (every indicator, linked), the originals by doc and the settings,
and returns `Finding`s; `run_checks` runs them all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from ..config import Settings
from .facts import RATE_SUFFIXES, Fact, Finding

__all__ = ["RULES", "run_checks", "growth_vs_values", "target_vs_actual", "part_vs_whole", "one_value"]

_SENTENCE_STOPS = "。；;！？!?\n"
_SHARE = re.compile(r"占|比重|占比|比例")


def _by(facts: list[Fact], *keys: str) -> dict[tuple, list[Fact]]:
    out: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        out[tuple(getattr(f, k) for k in keys)].append(f)
    return out


def _prev_year(period: str) -> str | None:
    return str(int(period) - 1) if re.fullmatch(r"\d{4}", period) else None


def _stem(doc: str) -> str:
    return doc.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def growth_vs_values(facts: list[Fact], texts: dict[str, str], settings: Settings) -> list[Finding]:
    """A growth rate named by the convention, against (value this period / value last period - 1)."""
    actual = _by([f for f in facts if f.kind == "actual" and f.family not in ("%", "个百分点")], "region", "indicator", "period")
    out = []
    for g in facts:
        suffix = next((s for s in RATE_SUFFIXES if g.indicator.endswith(s)), None)
        if g.kind != "actual" or g.unit != "%" or suffix is None:
            continue
        subject, last = g.indicator[: -len(suffix)], _prev_year(g.period)
        now = actual.get((g.region, subject, g.period), [])
        before = actual.get((g.region, subject, last), []) if last else []
        pairs = [(a, b) for a in now for b in before if a.family == b.family and b.base]
        if not pairs:
            continue
        a, b = pairs[0]
        stated = -g.value if "降" in suffix else g.value
        computed = (a.base / b.base - 1) * 100
        approx = " (a value is approximate)" if a.approx != "exact" or b.approx != "exact" else ""
        diff = stated - computed
        status = "flag" if abs(diff) > settings.growth_tolerance else "ok"
        detail = (f"stated {stated:+.2f}% but {a.shown()} ({g.period}, {_stem(a.doc)}) over {b.shown()} "
                  f"({last}, {_stem(b.doc)}) is {computed:+.2f}% (off by {diff:+.2f} points, tolerance "
                  f"{settings.growth_tolerance:g}){approx}")
        out.append(Finding("growth_vs_values", g.region, g.indicator, g.period, status, detail, (g.ref, a.ref, b.ref)))
    return out


def target_vs_actual(facts: list[Fact], texts: dict[str, str], settings: Settings) -> list[Finding]:
    """Each target against the actual of its region, indicator and period in another report."""
    actual = _by([f for f in facts if f.kind == "actual"], "region", "indicator", "period")
    # the periods each report sums up: a summary's years; a summary-and-plan's all but the plan's (the last)
    summaries: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in facts:
        years = sorted(f.doc_years)
        summed = years if f.doc_kind == "summary" else years[:-1] if f.doc_kind == "summary_and_plan" else []
        for y in summed:
            summaries[(f.region, str(y))].add(f.doc)
    out = []
    for t in facts:
        if t.kind != "target" or not t.period:
            continue
        found = [a for a in actual.get((t.region, t.indicator, t.period), []) if a.doc != t.doc]
        key = (t.region, t.indicator, t.period)
        if not found:
            status = "not reported" if summaries.get((t.region, t.period), set()) - {t.doc} else "no summary"
            where = f"a summary of {t.period} is given" if status == "not reported" else f"no summary of {t.period} is given"
            out.append(Finding("target_vs_actual", *key, status, f"target {t.shown()} ({_stem(t.doc)}): {where}", (t.ref,)))
            continue
        a = max(found, key=lambda f: (max(f.doc_years, default=0), f.doc))
        if a.family != t.family:
            out.append(Finding("target_vs_actual", *key, "not comparable",
                               f"target {t.shown()} vs actual {a.shown()}: units differ", (t.ref, a.ref)))
            continue
        # a ceiling (`控制在…以内`, approx under) is met from below; every other target from above
        met = a.base <= t.base if t.approx == "under" else a.base >= t.base
        out.append(Finding("target_vs_actual", *key, "met" if met else "missed",
                           f"target {t.shown()} ({_stem(t.doc)}), actual {a.shown()} ({_stem(a.doc)})", (t.ref, a.ref)))
    return out


def _sentence(text: str, at: int) -> int:
    """The start of the sentence holding offset `at`."""
    i = at - 1
    while i >= 0 and text[i] not in _SENTENCE_STOPS:
        i -= 1
    return i + 1


def part_vs_whole(facts: list[Fact], texts: dict[str, str], settings: Settings) -> list[Finding]:
    """A `其中` part against the whole before it, a share against 100% and against part / whole."""
    out = []
    for doc, fs in _by(facts, "doc").items():
        text = texts.get(doc[0], "")
        fs = sorted(fs, key=lambda f: f.figure_start)
        parts: dict[tuple[str, int], tuple[Fact, Fact]] = {}
        for f in fs:
            if not text:
                break
            begin = _sentence(text, f.figure_start)
            k = text.rfind("其中", begin, f.figure_start)
            if k < 0:
                continue
            wholes = [w for w in fs if w.family == f.family and begin <= w.figure_start and w.figure_end <= k and w.kind == f.kind]
            if not wholes or f.family in ("%", "个百分点", "名"):
                continue
            w = wholes[-1]
            parts[f.ref] = (f, w)
            status = "flag" if f.base > w.base else "ok"
            out.append(Finding("part_vs_whole", f.region, f.indicator, f.period, status,
                               f"其中 {f.shown()} of the whole {w.indicator} {w.shown()}"
                               + (": the part exceeds the whole" if status == "flag" else ""), (f.ref, w.ref)))
        for s in fs:
            if s.unit != "%" or not _SHARE.search(s.indicator) or re.search(r"增速|增幅|降幅|增长", s.indicator):
                continue
            if s.value > 100:
                out.append(Finding("part_vs_whole", s.region, s.indicator, s.period, "flag",
                                   f"a share of {s.shown()} exceeds 100%", (s.ref,)))
                continue
            # the share of a `其中` part just before it in the same sentence: part / whole
            before = [p for p in fs if p.ref in parts and p.figure_end <= s.figure_start
                      and text and _sentence(text, s.figure_start) <= p.figure_start]
            if not before:
                continue
            p, w = parts[before[-1].ref]
            computed = p.base / w.base * 100 if w.base else float("inf")
            status = "flag" if abs(computed - s.value) > settings.growth_tolerance else "ok"
            out.append(Finding("part_vs_whole", s.region, s.indicator, s.period, status,
                               f"share stated {s.value:g}%, part {p.shown()} / whole {w.shown()} is {computed:.2f}%",
                               (s.ref, p.ref, w.ref)))
    return out


def one_value(facts: list[Fact], texts: dict[str, str], settings: Settings) -> list[Finding]:
    """One indicator, one period, one kind, one region: one value (in base units)."""
    out = []
    for (region, indicator, period, kind, _), fs in sorted(_by(facts, "region", "indicator", "period", "kind", "family").items()):
        if not period:
            continue
        values: dict[tuple[str, float], list[Fact]] = defaultdict(list)
        for f in fs:
            values[(f.family, round(f.base, 6))].append(f)
        if len(values) < 2:
            continue
        said = "; ".join(f"{v[0].shown()} ({', '.join(dict.fromkeys(_stem(f.doc) for f in v))})" for v in values.values())
        out.append(Finding("one_value", region, indicator, period, "flag", f"{len(values)} {kind} values: {said}",
                           tuple(f.ref for v in values.values() for f in v)))
    return out


RULES: dict[str, Callable[[list[Fact], dict[str, str], Settings], list[Finding]]] = {
    "growth_vs_values": growth_vs_values,
    "target_vs_actual": target_vs_actual,
    "part_vs_whole": part_vs_whole,
    "one_value": one_value,
}


def run_checks(facts: list[Fact], texts: dict[str, str], settings: Settings) -> list[Finding]:
    """Every rule's findings, rule by rule."""
    return [x for rule in RULES.values() for x in rule(list(facts), texts, settings)]
