"""Render scores for people (Markdown) and for machines (plain JSON).

    render_markdown  {system label: Score} -> a P/R/F1 table per document and overall,
                     a table of the overall shares, then the first system's worst
                     misses and false predictions
    to_json          the same figures as plain JSON types
"""

from __future__ import annotations

from typing import Any, Iterable

from ..models import Indicator
from .gold import GoldIndicator
from .score import DocScore, Score, dice, same_quantity

__all__ = ["render_rules", "render_markdown", "to_json", "why_missed", "why_false"]


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _cell(s: Any) -> str:
    """Text safe inside a Markdown table cell: no line breaks, `|` escaped."""
    text = "" if s is None else str(s)
    return " ".join(text.replace("|", "\\|").split("\n")).replace("\r", " ") or "–"


def _amount(x: GoldIndicator | Indicator) -> str:
    return f"{x.value:g} {x.unit}" if x.unit else f"{x.value:g}"


def _table(header: list[str], rows: Iterable[list[str]], right_from: int = 1) -> list[str]:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(":--" if i < right_from else "--:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def _round_robin(docs: list[DocScore], attr: str, limit: int) -> list[tuple[DocScore, Any]]:
    """Up to `limit` items of `attr` taken in turn from each document, lowest F1 first."""
    queues = [(d, list(getattr(d, attr))) for d in sorted(docs, key=lambda d: (d.f1, d.doc))]
    out: list[tuple[DocScore, Any]] = []
    depth = 0
    while len(out) < limit and any(depth < len(q) for _, q in queues):
        for d, q in queues:
            if depth < len(q) and len(out) < limit:
                out.append((d, q[depth]))
        depth += 1
    return out


def _closest(x: GoldIndicator | Indicator, taken: list, free: list, words: tuple[str, str, str]) -> str:
    """The same-valued item closest to `x` by name among those a match `taken` and those left
    `free`, worded by `words` (none at all, taken, free)."""
    near = [o for o in taken + free if same_quantity(x.value, x.unit, o.value, o.unit)]
    if not near:
        return words[0]
    best = max(near, key=lambda o: dice(x.name, o.name))
    took = any(o is best for o in taken)
    return f"{words[1] if took else words[2]} {best.name} (Dice {dice(x.name, best.name):.2f})"


def _why_missed(d: DocScore, g: GoldIndicator) -> str:
    """Why no prediction matched: the closest same-valued prediction by name, or none at all."""
    return _closest(g, [m.pred for m in d.matched], list(d.false), ("no prediction of this value", "taken by", "named"))


def _why_false(d: DocScore, p: Indicator) -> str:
    """Why it matched no gold: the closest same-valued gold indicator by name, or none at all."""
    return _closest(p, [m.gold for m in d.matched], list(d.missed), ("value not in gold", "gold taken:", "gold is"))


def why_missed(d: DocScore, g: GoldIndicator) -> str:
    """The report's `closest` for a missed gold indicator (what `llmx review` shows too)."""
    return _why_missed(d, g)


def why_false(d: DocScore, p: Indicator) -> str:
    """The report's `closest` for a false prediction (what `llmx review` shows too)."""
    return _why_false(d, p)


def render_markdown(scores: dict[str, Score], worst: int = 15) -> str:
    """A report a person reads at a glance.

    `scores` maps a system label ("model", "regex baseline") to its Score.  First a
    table of P/R/F1 per document and overall, one column group per system; then the
    overall shares (kind, period, approx among matched pairs; quotes found among
    predictions; meta fields right); then, for the first system, at most `worst`
    missed gold indicators and at most `worst` false predictions, taken in turn from
    each document, the lowest-F1 document first.
    """
    if not scores:
        return "# Evaluation\n\nNo scores.\n"
    labels = list(scores)
    first = scores[labels[0]]
    stems = [d.doc for d in first.docs]
    for label in labels[1:]:
        stems += [d.doc for d in scores[label].docs if d.doc not in stems]
    by_doc = {label: {d.doc: d for d in s.docs} for label, s in scores.items()}

    header = ["doc", "gold"] + [f"{label} {x}" for label in labels for x in ("P", "R", "F1")]
    rows = []
    for stem in stems:
        n_gold = next(by_doc[label][stem].n_gold for label in labels if stem in by_doc[label])
        row = [stem, str(n_gold)]
        for label in labels:
            d = by_doc[label].get(stem)
            row += [_f(d.precision), _f(d.recall), _f(d.f1)] if d else ["–"] * 3
        rows.append(row)
    rows.append(["**overall**", str(first.n_gold)]
                + [f"**{_f(getattr(scores[label], x))}**" for label in labels for x in ("precision", "recall", "f1")])
    lines = ["# Evaluation", "", *_table(header, rows, right_from=1), ""]

    header2 = ["system", "matched", "pred", "located P", "located R", "located F1", "kind", "period", "approx",
               "quotes found", "meta right"]
    rows2 = [[label, str(s.n_matched), str(s.n_pred), *(_f(x) for x in s.located), _f(s.kind_acc), _f(s.period_acc),
              _f(s.approx_acc), _f(s.quote_found), f"{s.meta_right}/{s.meta_total}"] for label, s in scores.items()]
    lines += ["Overall: located = right value and an overlapping quote, names ignored; kind/period/approx among "
              "matched pairs; quotes found among predictions.", "", *_table(header2, rows2), ""]

    docs = list(first.docs)
    missed = _round_robin(docs, "missed", worst)
    false = _round_robin(docs, "false", worst)
    n_missed = sum(len(d.missed) for d in docs)
    n_false = sum(len(d.false) for d in docs)
    lines += [f"## {labels[0]}: missed gold ({len(missed)} of {n_missed})", ""]
    if missed:
        lines += _table(["doc", "name", "value", "quote", "closest"],
                        ([d.doc, _cell(g.name), _cell(_amount(g)), _cell(g.quote), _cell(_why_missed(d, g))]
                         for d, g in missed), right_from=99)
    else:
        lines.append("None.")
    lines += ["", f"## {labels[0]}: false predictions ({len(false)} of {n_false})", ""]
    if false:
        lines += _table(["doc", "name", "value", "quote", "closest"],
                        ([d.doc, _cell(p.name), _cell(_amount(p)), _cell(p.quote), _cell(_why_false(d, p))]
                         for d, p in false), right_from=99)
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def render_rules(rules: dict[str, dict[str, tuple[int, int]]]) -> str:
    """The table of how often each rule decided something of a figure (its id in the figures'
    traces: `llmx explain`), per system: figures and reports it acted on."""
    labels = list(rules)
    ids = sorted({rule for counts in rules.values() for rule in counts})
    if not ids:
        return ""
    header = ["rule"] + [f"{label} {x}" for label in labels for x in ("figures", "reports")]
    rows = [[f"`{rule}`"] + [str(rules[label].get(rule, (0, 0))[k]) for label in labels for k in (0, 1)] for rule in ids]
    return "\n".join(["", "## Rules that decided the figures", "",
                      "How many figures (and reports) each rule's id appears in the trace of: `llmx explain` shows one figure's.",
                      "", *_table(header, rows, right_from=1)]) + "\n"


def _item(x: GoldIndicator | Indicator) -> dict[str, Any]:
    return {"name": x.name, "value": x.value, "unit": x.unit, "kind": x.kind, "period": x.period,
            "approx": x.approx, "quote": x.quote}


def _figures(s: Score | DocScore) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n_gold": s.n_gold, "n_pred": s.n_pred, "n_matched": s.n_matched,
        "precision": s.precision, "recall": s.recall, "f1": s.f1,
        "kind_acc": s.kind_acc, "period_acc": s.period_acc, "approx_acc": s.approx_acc,
        "quote_found": s.quote_found, "meta_right": s.meta_right,
        "n_located": s.n_located, "located_precision": s.located[0], "located_recall": s.located[1],
        "located_f1": s.located[2],
    }
    if isinstance(s, Score):
        out["meta_total"] = s.meta_total
    else:
        out["meta_total"] = 7
        out["meta"] = s.meta.as_dict()
        out["predicted"] = s.predicted
        out["missed"] = [_item(g) for g in s.missed]
        out["false"] = [_item(p) for p in s.false]
    return out


def to_json(scores: dict[str, Score]) -> dict[str, Any]:
    """The figures as plain JSON types: ``{label: {"overall": {...}, "docs": {stem: {...}}}}``.

    Every figure block holds n_gold, n_pred, n_matched, precision, recall, f1,
    n_located, located_precision, located_recall, located_f1,
    kind_acc, period_acc, approx_acc, quote_found (None -> null), meta_right and
    meta_total; a document block adds the per-field `meta` booleans, `predicted`,
    and its `missed` gold indicators and `false` predictions.
    """
    return {label: {"overall": _figures(s), "docs": {d.doc: _figures(d) for d in s.docs}}
            for label, s in scores.items()}
