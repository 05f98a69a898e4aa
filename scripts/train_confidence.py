#!/usr/bin/env python3
"""Train the rule-name confidence (`llmx/naming/confidence.py`) from labelled reports.

Every figure the model would be asked about is named by rule, as in a run with no model, and
labelled right when that run's indicator for it matches the gold (`llmx.evaluation.labels`). A
logistic regression
(scikit-learn) learns the chance of "right" from `features`; its weights go to
`llmx/naming/confidence.json` with the sets it learned from and, for each set, the
leave-one-set-out figures: trained without that set, the share of its figures trusted at
`Settings.rule_confidence` and how many of those rule names were right.

    pip install 'scikit-learn>=1.3'
    python scripts/train_confidence.py [--sets dev holdout ...] [--out FILE] [--check]

The seeds are left out by default, so that the main job's figures stay a reading of reports
the weights never saw; the real corpus's sealed part is never read. A set whose documents
are missing (the real corpus's texts are not in the repository) is skipped, said so.
`--check` trains and compares with the shipped file instead of writing (exit 1 when they differ).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from llmx.config import Settings  # noqa: E402
from llmx.evaluation.gold import load_gold_dir  # noqa: E402
from llmx.evaluation.labels import rule_name_examples  # noqa: E402
from llmx.naming.confidence import WEIGHTS, Confidence  # noqa: E402
from llmx.text.source import load_source  # noqa: E402
from loso import SETS as LABELLED  # noqa: E402

# the labelled sets of scripts/loso.py, and the real corpus's dev part
SETS = {**LABELLED, "real-dev": ("eval/real/gold", "eval/real/docs")}
DEFAULT_SETS = [s for s in SETS if s != "seeds"]
C = 1.0  # the regression's inverse regularisation (scikit-learn's default)


def _real_dev() -> set[str]:
    texts = json.loads((ROOT / "eval/real/manifest.json").read_text(encoding="utf-8"))["texts"]
    return {t["id"] for t in texts if t["split"] == "dev"}


def examples(name: str) -> list[tuple[dict[str, float], int]] | None:
    """(features, right) for every figure of a set the model would be asked about; None when
    the set's documents are missing."""
    gold_dir, docs_dir = (ROOT / p for p in SETS[name])
    gold = load_gold_dir(gold_dir)
    if name == "real-dev":
        keep = _real_dev()
        gold = {k: g for k, g in gold.items() if Path(g.doc).stem in keep}
    out = []
    for g in gold.values():
        path = docs_dir / Path(g.doc).name
        if not path.is_file():
            return None
        out += rule_name_examples(g, load_source(path), Settings.section_chars)
    return out


def fit(rows: list[tuple[dict[str, float], int]]) -> Confidence:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    X = vec.fit_transform([f for f, _ in rows])
    model = LogisticRegression(C=C, max_iter=5000).fit(X, [y for _, y in rows])
    weights = {k: float(w) for k, w in zip(vec.get_feature_names_out(), model.coef_[0]) if abs(w) >= 1e-4}
    return Confidence(weights=weights, intercept=float(model.intercept_[0]), about={})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="+", default=DEFAULT_SETS, choices=list(SETS))
    ap.add_argument("--out", type=Path, default=WEIGHTS)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    data = {}
    for name in args.sets:
        rows = examples(name)
        if rows is None:
            print(f"{name}: documents missing, skipped")
            continue
        data[name] = rows
        print(f"{name}: {len(rows)} figures, rule name right on {sum(y for _, y in rows)}")
    if not data:
        print("no set to learn from", file=sys.stderr)
        return 2
    above = Settings.rule_confidence
    loso = {}
    for held in data if len(data) > 1 else ():
        scorer = fit([r for n, rows in data.items() if n != held for r in rows])
        sure = [y for f, y in data[held] if scorer.score(f) > above]
        loso[held] = {"figures": len(data[held]), "trusted": len(sure), "trusted_right": sum(sure)}
        share = len(sure) / len(data[held])
        print(f"left out {held}: trusted {len(sure)} of {len(data[held])} ({share:.0%}), "
              f"right {sum(sure)} ({sum(sure) / len(sure) if sure else 0:.3f})")
    scorer = fit([r for rows in data.values() for r in rows])
    about = {"sets": {n: len(rows) for n, rows in data.items()}, "C": C, "threshold": above,
             "leave_one_set_out": loso}
    scorer = Confidence(weights=scorer.weights, intercept=scorer.intercept, about=about)
    if args.check:
        shipped = Confidence.load(args.out)
        same = shipped.about.get("sets") == about["sets"] and all(
            abs(shipped.weights.get(k, 0.0) - w) < 1e-3 for k, w in scorer.weights.items())
        print("the shipped weights are what this training gives" if same else "the shipped weights differ")
        return 0 if same else 1
    scorer.dump(args.out)
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
          f"{len(scorer.weights)} weights from {sum(about['sets'].values())} figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
