"""Labelled rule names: what the rule-name confidence (`llmx.naming.confidence`) learns from.

For one labelled report, every figure the model would be asked about is named by rule
(`llmx.pipeline.names.planned_rule_names`), as in a run with no model, and labelled right when
that run's indicator for it matches the gold (`llmx.evaluation.score`: the same quantity, name
Dice at least 0.5). `scripts/train_confidence.py` trains on these; the tests check the shipped
weights against them.
"""

from __future__ import annotations

from ..naming.confidence import features
from ..pipeline.extract import baseline_extract, plan_report
from ..pipeline.names import planned_rule_names
from ..text.source import Source
from .gold import GoldDoc
from .score import score_doc

__all__ = ["rule_name_examples"]


def rule_name_examples(gold: GoldDoc, source: Source, section_chars: int) -> list[tuple[dict[str, float], int]]:
    """(features, 1 when the rule's name is right else 0) for each figure of `source` the model
    would be asked about, in document order."""
    result = baseline_extract(source, section_chars)
    right = [p.pred.figure_start for p in score_doc(gold, result, source.text).matched]
    out = []
    for work in plan_report(source, section_chars).works:
        floor, ceiling = work.section.start, work.section.end
        for i, (name, rule) in planned_rule_names(source, work).items():
            m = work.mentions[i]
            lo, hi = source.to_original(m.start, m.end)  # results index the original text
            hit = any(lo <= start < hi for start in right)  # the figure lies inside its mention
            out.append((features(source.text, m, name, rule, floor, ceiling), int(hit)))
    return out
