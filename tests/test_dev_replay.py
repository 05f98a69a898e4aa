"""The dev set (eval/dev: excerpts of other regions and years, written for this project)
through the whole pipeline, replaying real model traffic from cassettes/dev.yaml
(recorded from the embedded Qwen2.5-Coder-1.5B model), scored apart from the seeds.

Re-record: `pytest tests/test_dev_replay.py --record-mode=rewrite` (part of `make record`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import replay_extraction
from llmx.evaluation.harness import MODEL, check_baseline, evaluate
from llmx.models import ReportResult

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "eval" / "dev"
sys.path.insert(0, str(ROOT / "bench"))
from check_output import problems  # noqa: E402
from grounding import value_in_quote  # noqa: E402


@pytest.fixture(scope="module")
def dev_results(model_settings, replay) -> dict[str, ReportResult]:
    paths = sorted((DEV / "docs").glob("*.txt"))

    return replay_extraction(replay, "dev", paths, model_settings)


def test_every_dev_report_is_accounted_for_and_grounded(dev_results):
    assert len(dev_results) >= 6
    for stem, r in dev_results.items():
        assert r.ok, r.error
        original = (DEV / "docs" / f"{stem}.txt").read_bytes().decode("utf-8")
        assert r.counts.balanced, (stem, r.counts)
        for ind in r.indicators:
            assert original[ind.start : ind.end] == ind.quote
            assert value_in_quote(ind.value, ind.quote), (stem, ind.value, ind.quote)
        # the independent checker (bench/check_output.py): offsets, values, units, identifiers,
        # signs, names no analyst accepts, and every digit accounted for
        assert problems(json.loads(r.model_dump_json()), original) == [], stem


def test_dev_eval_report_holds_the_recorded_baseline(dev_results):
    outcome = evaluate(DEV / "gold", DEV / "docs", preds=dev_results)
    out_dir = Path(os.environ.get("LLMX_EVAL_OUT", ROOT / ".eval-out"))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report-dev.md").write_text(outcome.markdown, encoding="utf-8")
    (out_dir / "report-dev.json").write_text(json.dumps(outcome.figures, ensure_ascii=False, indent=2),
                                             encoding="utf-8")
    problem = check_baseline(outcome.figures, ROOT / "eval" / "baseline.json", "dev")
    assert problem is None, problem
    assert outcome.figures[MODEL]["overall"]["located_recall"] >= 0.99
