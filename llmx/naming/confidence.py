"""How far a rule's name for a figure can be trusted, learned from labelled reports.

Before a section goes to the model, every figure it would be asked about is named by rule
(`llmx.pipeline.names.rule_name_and_id`), and that name is scored here: the probability that
it matches the hand-labelled name, by a logistic regression over what the rule saw (`features`:
the rule's id, the figure's unit and kind of number, the name's and the clause's character pairs,
the characters around the figure). A figure scoring above `Settings.rule_confidence` keeps the
rule's name and is not asked; its trace says so (`name.confident: p`). The model is asked about
the rest, where it can change the answer.

The weights are data (`confidence.json`, beside this module), written by
`scripts/train_confidence.py` from the gold of the labelled sets, with the sets it learned
from and its leave-one-set-out figures; nothing here is tuned by hand. Scoring a figure is
one sparse dot product and a logistic function, written here (`Confidence.score`) so that the
library needs no scikit-learn at run time; the training script uses scikit-learn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..finder.numbers import Mention
from .context import clause_after, clause_before

__all__ = ["FEATURES_VERSION", "features", "Confidence", "shipped", "weights_at"]

# Bumped whenever `features` changes, so that weights trained on other features are refused.
FEATURES_VERSION = 1

WEIGHTS = Path(__file__).with_name("confidence.json")


def _pairs(prefix: str, s: str) -> dict[str, float]:
    return {f"{prefix}{s[k:k + 2]}": 1.0 for k in range(len(s) - 1)}


def features(text: str, m: Mention, name: str, rule: str, floor: int, ceiling: int) -> dict[str, float]:
    """What the rule saw when it named figure `m` `name` (`rule`: its id), as sparse features.

    `floor` and `ceiling` bound the figure's section. The clause before the figure (`lead`) and
    after it (`tail`) are cut as naming cuts them (`clause_before`, `clause_after`)."""
    clause = clause_before(text, m.start, floor)
    lead, before = text[clause : m.start], text[max(floor, clause - 1) : clause]
    tail = text[m.end : clause_after(text, m.end, ceiling)]
    out = {
        f"rule={rule}": 1.0, f"unit={m.unit}": 1.0, f"category={m.category}": 1.0,
        f"first={name[:1]}": 1.0, f"first2={name[:2]}": 1.0, f"last={name[-1:]}": 1.0,
        f"lead_last={lead[-1:]}": 1.0, f"lead_last2={lead[-2:]}": 1.0, f"lead_after={before}": 1.0,
        f"tail1={tail[:1]}": 1.0, f"tail2={tail[:2]}": 1.0,
        "name_len": min(len(name), 20) / 20, "lead_len": min(len(lead), 40) / 40, "tail_len": min(len(tail), 40) / 40,
        "name_in_lead": float(name in lead), "lead_starts_name": float(lead.startswith(name)),
        "digit_in_lead": float(any(c.isdigit() for c in lead)),
    }
    out.update(_pairs("lead:", lead))
    out.update(_pairs("name:", name))
    return out


@dataclass(frozen=True)
class Confidence:
    """A trained scorer: `weights` by feature, `intercept`, and what it was trained on (`about`)."""

    weights: dict[str, float]
    intercept: float
    about: dict

    def score(self, feats: dict[str, float]) -> float:
        """The probability that the rule's name is right, 0..1."""
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    @classmethod
    def load(cls, path: Path) -> "Confidence":
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("features_version") != FEATURES_VERSION:
            raise ValueError(f"{path}: weights for features version {data.get('features_version')}, "
                             f"not {FEATURES_VERSION}: run scripts/train_confidence.py")
        return cls(weights=data["weights"], intercept=data["intercept"], about=data.get("about", {}))

    def dump(self, path: Path) -> None:
        data = {"features_version": FEATURES_VERSION, "about": self.about, "intercept": round(self.intercept, 6),
                "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())}}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def shipped() -> Confidence | None:
    """The weights that ship with llmx (None where the file is missing: every figure is asked)."""
    return Confidence.load(WEIGHTS) if WEIGHTS.is_file() else None


@lru_cache(maxsize=4)
def weights_at(path: Path | None) -> Confidence | None:
    """The weights in `path` (`Settings.confidence_weights`: a file `scripts/train_confidence.py
    --out` wrote from a user's own labelled sets), else those that ship with llmx."""
    return shipped() if path is None else Confidence.load(Path(path))
