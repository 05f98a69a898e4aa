"""The finder on eval/stress (excerpts in shapes the seeds lack; see its README): every listed
figure found at its place with its value, no other figure output, every number accounted for,
and every value in its quote by the independent checker (bench/check_output.py)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from llmx.pipeline.extract import baseline_extract
from llmx.text.source import load_source

ROOT = Path(__file__).resolve().parent.parent
STRESS = ROOT / "eval" / "stress"
sys.path.insert(0, str(ROOT / "bench"))
from check_output import problems  # noqa: E402

DOCS = sorted(STRESS.glob("*.txt"))


def listed(doc: Path) -> list[tuple[int, int, float]]:
    """The listed figures of `doc` as (start, end, value) of their quote in the file."""
    text = doc.read_text(encoding="utf-8")
    out = []
    for line in doc.with_suffix(".figures.tsv").read_text(encoding="utf-8").splitlines():
        quote, value, _unit = line.split("\t")
        quote = quote.replace("\\n", "\n")
        start = text.index(quote)
        out.append((start, start + len(quote), float(value)))
    return out


def test_the_stress_set_is_there():
    assert len(DOCS) == 8 and all(d.with_suffix(".figures.tsv").exists() for d in DOCS)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.stem)
def test_every_listed_figure_is_found_and_nothing_else(doc):
    result = baseline_extract(load_source(doc))
    figures = listed(doc)
    # a figure whose name the gate refused is found all the same: it is rejected at its span, with why
    preds = [(i.start, i.end, i.value) for i in result.indicators]
    preds += [(r.start, r.end, r.value) for r in result.rejected if r.start is not None]

    def same(p, f):
        return p[0] < f[1] and f[0] < p[1] and math.isclose(p[2], f[2], rel_tol=0.01)

    missed = [f for f in figures if not any(same(p, f) for p in preds)]
    extra = [p for p in preds if not any(same(p, f) for f in figures)]
    assert not missed and not extra, (missed, extra)
    assert problems(result.model_dump(mode="json"), doc.read_text(encoding="utf-8")) == []
