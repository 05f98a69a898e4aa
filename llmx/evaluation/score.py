"""Score predictions against gold, per the guide's scoring rules.

A predicted indicator matches a gold one when

* their values agree once the magnitude is applied (`to_base`, relative tolerance 1e-6):
  ``1.5 万人次`` = ``15000 人次``, ``7100 万元`` = ``0.71 亿元``;
* their units are of one family (`family`): ``%`` never matches ``个百分点``;
* their names are alike: character-bigram Dice coefficient >= 0.5.

Each gold indicator matches at most one prediction and vice versa.  Pairs are
assigned greedily, highest Dice first; ties go to the pair whose quotes lie
closer together in the source (when both quotes are found there), then to
document order (gold index, then prediction index).

*Located* (names ignored, `locate`): a prediction locates a gold indicator when
their values agree as above and the prediction's quote span overlaps an
occurrence of the gold quote in the source.  One to one, greedy by the distance
between the spans, then document order.  Located P/R/F1 measure whether the
pipeline finds the figures at all; named P/R/F1 also need the name.

    dice          character-bigram Dice coefficient of two names
    same_quantity do two (value, unit) pairs agree after the magnitude, within one family
    match         the one-to-one assignment: [(gold index, prediction index, dice)]
    locate        the one-to-one located assignment, names ignored: [(gold index, prediction index)]
    score_doc     one document -> DocScore
    score_all     every gold document -> Score (per-doc and micro-averaged overall)
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Sequence

from ..models import Indicator, Meta, ReportResult
from ..finder.units import family, to_base
from .gold import META_FIELDS, GoldDoc, GoldIndicator

__all__ = [
    "DICE_MIN", "REL_TOL", "dice", "same_quantity", "match", "locate",
    "MetaCheck", "Pair", "DocScore", "Score", "score_doc", "score_all",
]

DICE_MIN = 0.5
REL_TOL = 1e-6


_DASHES = str.maketrans({c: "-" for c in "—–－−~～"})


def _squash(s: str | None) -> str:
    """A string with every white-space character removed, read in NFKC (full- and half-width
    forms alike: `（` is `(`, `１` is `1`) and with every dash of a span as `-` (`1—7月` is
    `1-7月`); None becomes ""."""
    return "".join(unicodedata.normalize("NFKC", s).translate(_DASHES).split()) if s else ""


def dice(a: str, b: str) -> float:
    """Character-bigram Dice coefficient of two names (white space ignored), 0..1.

    Bigrams are counted as a multiset.  A name too short for a bigram matches
    only an identical name (1.0), anything else scores 0.0.
    """
    a, b = _squash(a), _squash(b)
    if a == b:
        return 1.0
    ba = Counter(a[i:i + 2] for i in range(len(a) - 1))
    bb = Counter(b[i:i + 2] for i in range(len(b) - 1))
    total = sum(ba.values()) + sum(bb.values())
    if not ba or not bb:
        return 0.0
    return 2 * sum((ba & bb).values()) / total


def same_quantity(v1: float, u1: str | None, v2: float, u2: str | None) -> bool:
    """True when `v1 u1` and `v2 u2` are one quantity: same unit family, equal base values."""
    if family(u1) != family(u2):
        return False
    return math.isclose(to_base(v1, u1), to_base(v2, u2), rel_tol=REL_TOL, abs_tol=1e-12)


def _position(quote: str, source_text: str, start: int | None = None, end: int | None = None) -> int | None:
    """Where a quote lies in the source: the prediction's own offset when it holds, else the first occurrence."""
    if start is not None and end is not None and 0 <= start <= end and source_text[start:end] == quote:
        return start
    if not quote:
        return None
    pos = source_text.find(quote)
    return pos if pos >= 0 else None


def match(
    gold: Sequence[GoldIndicator], preds: Sequence[Indicator], source_text: str = ""
) -> list[tuple[int, int, float]]:
    """The one-to-one assignment of predictions to gold, as (gold index, pred index, dice),
    in gold order.  Greedy: highest Dice first, then closer quotes, then document order."""
    gpos = [_position(g.quote, source_text) for g in gold]
    ppos = [_position(p.quote, source_text, p.start, p.end) for p in preds]
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if not same_quantity(g.value, g.unit, p.value, p.unit):
                continue
            d = dice(g.name, p.name)
            if d < DICE_MIN:
                continue
            gap = abs(gpos[gi] - ppos[pi]) if gpos[gi] is not None and ppos[pi] is not None else math.inf
            candidates.append((-d, gap, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for neg_d, _gap, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi, -neg_d))
    return sorted(pairs)


def _occurrences(quote: str, text: str) -> list[int]:
    out, i = [], text.find(quote) if quote else -1
    while i >= 0:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def locate(gold: Sequence[GoldIndicator], preds: Sequence[Indicator], source_text: str) -> list[tuple[int, int]]:
    """The one-to-one located assignment (names ignored), as (gold index, pred index) in gold order."""
    spans = [[(a, a + len(g.quote)) for a in _occurrences(g.quote, source_text)] for g in gold]
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if not same_quantity(g.value, g.unit, p.value, p.unit):
                continue
            gaps = [abs(a - p.start) for a, b in spans[gi] if a < p.end and p.start < b]
            if gaps:
                candidates.append((min(gaps), gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _gap, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


@dataclass(frozen=True)
class MetaCheck:
    """Which of the seven meta fields the prediction got right."""

    issuer: bool = False
    region: bool = False
    doc_number: bool = False
    title: bool = False
    kind: bool = False
    years: bool = False
    issued_on: bool = False

    @property
    def right(self) -> int:
        """How many of the seven are right."""
        return sum(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, bool]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def compare(cls, gold: Meta, pred: Meta | None) -> "MetaCheck":
        """Compare field by field: strings equal once white space is removed (None == ""),
        `years` as sets, `kind` exactly."""
        if pred is None:
            return cls()
        out = {}
        for name in META_FIELDS:
            g, p = getattr(gold, name), getattr(pred, name)
            if name == "years":
                out[name] = set(g) == set(p)
            elif name == "kind":
                out[name] = g == p
            else:
                out[name] = _squash(g) == _squash(p)
        return cls(**out)


@dataclass(frozen=True)
class Pair:
    """A matched gold indicator and prediction, with what the prediction got right beyond the match."""

    gold: GoldIndicator
    pred: Indicator
    dice: float

    @property
    def kind_right(self) -> bool:
        return self.gold.kind == self.pred.kind

    @property
    def period_right(self) -> bool:
        return _squash(self.gold.period) == _squash(self.pred.period)

    @property
    def approx_right(self) -> bool:
        return self.gold.approx == self.pred.approx


def _ratio(n: int, d: int) -> float | None:
    return n / d if d else None


def _prf(n_matched: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty side scores 1.0 only when the other side is empty too."""
    p = n_matched / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = n_matched / n_gold if n_gold else (1.0 if n_pred == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass(frozen=True)
class Figures:
    """The figures a document's score and the overall score share."""

    n_gold: int
    n_pred: int
    n_matched: int
    precision: float
    recall: float
    f1: float
    kind_acc: float | None
    period_acc: float | None
    approx_acc: float | None
    quote_found: float | None
    meta_right: int

    @property
    def located(self) -> tuple[float, float, float]:
        """Located precision, recall and F1 (value and overlapping quote, names ignored)."""
        return _prf(self.n_located, self.n_gold, self.n_pred)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DocScore(Figures):
    """One document's score (`doc` is the source's stem).  The accuracies are shares among matched pairs (None without a
    match); `quote_found` is the share of predictions whose quote is in the source (None
    without a prediction); `meta_right` counts the right meta fields out of seven."""

    doc: str
    meta: MetaCheck
    matched: tuple[Pair, ...]
    missed: tuple[GoldIndicator, ...]
    false: tuple[Indicator, ...]
    n_quotes_found: int = 0
    predicted: bool = True
    n_located: int = 0


@dataclass(frozen=True)
class Score(Figures):
    """Every document's score and the overall figures: P/R/F1 micro-averaged over all
    indicators, accuracies over all matched pairs, quotes over all predictions, and
    `meta_right` out of `meta_total` (seven per document)."""

    docs: tuple[DocScore, ...]
    meta_total: int
    n_located: int = 0


def _accuracies(pairs: list[Pair], n_matched: int) -> dict[str, float | None]:
    return {
        "kind_acc": _ratio(sum(p.kind_right for p in pairs), n_matched),
        "period_acc": _ratio(sum(p.period_right for p in pairs), n_matched),
        "approx_acc": _ratio(sum(p.approx_right for p in pairs), n_matched),
    }


def score_doc(gold: GoldDoc, pred: ReportResult | None, source_text: str) -> DocScore:
    """Score one document.  A missing prediction (None) scores zero on everything."""
    preds = list(pred.indicators) if pred is not None else []
    assignment = match(gold.indicators, preds, source_text)
    pairs = [Pair(gold.indicators[gi], preds[pi], d) for gi, pi, d in assignment]
    got_g = {gi for gi, _, _ in assignment}
    got_p = {pi for _, pi, _ in assignment}
    n_gold, n_pred, n_matched = len(gold.indicators), len(preds), len(pairs)
    if pred is None:
        precision = recall = f1 = 0.0
    else:
        precision, recall, f1 = _prf(n_matched, n_gold, n_pred)
    n_quotes = sum(1 for p in preds if p.quote and p.quote in source_text)
    meta = MetaCheck.compare(gold.meta, pred.meta if pred is not None else None)
    return DocScore(
        doc=Path(gold.doc).stem, n_gold=n_gold, n_pred=n_pred, n_matched=n_matched,
        precision=precision, recall=recall, f1=f1, **_accuracies(pairs, n_matched),
        quote_found=_ratio(n_quotes, n_pred),
        meta_right=meta.right, meta=meta, matched=tuple(pairs),
        missed=tuple(g for i, g in enumerate(gold.indicators) if i not in got_g),
        false=tuple(p for i, p in enumerate(preds) if i not in got_p),
        n_quotes_found=n_quotes, predicted=pred is not None,
        n_located=len(locate(gold.indicators, preds, source_text)),
    )


def score_all(gold: dict[str, GoldDoc], preds: dict[str, ReportResult], sources: dict[str, str]) -> Score:
    """Score every gold document (keyed by stem) against its prediction (a missing one scores
    zero) and its source text.  Predictions without gold are ignored.  Raises ValueError
    when a gold stem has no source text."""
    missing = sorted(set(gold) - set(sources))
    if missing:
        raise ValueError(f"no source text for gold document(s): {', '.join(missing)}")
    docs = tuple(score_doc(gold[stem], preds.get(stem), sources[stem]) for stem in sorted(gold))
    n_gold = sum(d.n_gold for d in docs)
    n_pred = sum(d.n_pred for d in docs)
    n_matched = sum(d.n_matched for d in docs)
    pairs = [p for d in docs for p in d.matched]
    if n_gold == n_pred == 0 and not all(d.predicted for d in docs):
        precision = recall = f1 = 0.0
    else:
        precision, recall, f1 = _prf(n_matched, n_gold, n_pred)
    return Score(
        docs=docs, n_gold=n_gold, n_pred=n_pred, n_matched=n_matched,
        precision=precision, recall=recall, f1=f1, **_accuracies(pairs, n_matched),
        quote_found=_ratio(sum(d.n_quotes_found for d in docs), n_pred),
        meta_right=sum(d.meta_right for d in docs), meta_total=7 * len(docs),
        n_located=sum(d.n_located for d in docs),
    )
