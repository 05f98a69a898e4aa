"""The five seeds through the whole pipeline, replaying real model traffic from
cassettes/seeds.yaml (recorded from the embedded Qwen2.5-Coder-1.5B model).

Re-record: `pytest tests/test_seeds_replay.py --record-mode=rewrite` (starts the
local model; or set LLMX_RECORD_BASE_URL to another endpoint).
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
from llmx.finder.numbers import find_quantities
from llmx.text.source import load_source

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_results(seed_paths, model_settings, replay) -> dict[str, ReportResult]:
    return replay_extraction(replay, "seeds", seed_paths, model_settings)


def test_every_seed_yields_indicators(seed_results):
    assert len(seed_results) == 5
    for stem, r in seed_results.items():
        assert r.ok, r.error
        assert len(r.indicators) >= 10, stem


def test_offsets_slice_the_original_to_the_quote_and_the_value_is_in_it(seed_results, seed_paths):
    for p in seed_paths:
        original = p.read_bytes().decode("utf-8")
        for ind in seed_results[p.stem].indicators:
            assert original[ind.start : ind.end] == ind.quote
            found = [m.value for m in find_quantities(load_source_text(ind.quote))]
            assert ind.value in found, (ind.name, ind.value, ind.quote)


def load_source_text(quote: str) -> str:
    from llmx.text.source import clean_text

    return clean_text(quote).text


def test_every_number_is_accounted_for_and_every_value_stands_in_its_quote(seed_results, seed_paths):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from grounding import value_in_quote
    from llmx.finder.numbers import find_numbers

    for p in seed_paths:
        r = seed_results[p.stem]
        source = load_source(p)
        assert r.counts.found == len(find_numbers(source.text)), p.stem
        assert r.counts.balanced, (p.stem, r.counts)
        for ind in r.indicators:
            assert value_in_quote(ind.value, ind.quote), (p.stem, ind.value, ind.quote)
        for u in r.uncovered:
            assert source.original[u.start : u.end] == u.text


def test_meta_is_read_and_checked(seed_results):
    r = seed_results["putuo-2024-summary"]
    assert r.meta.doc_number == "普科委〔2025〕4号"
    assert r.meta.region == "普陀区"
    assert r.meta.kind == "summary" and r.meta.years == [2024]


def test_usage_is_counted(seed_results):
    for r in seed_results.values():
        assert r.usage.calls >= 1
        assert r.usage.prompt_tokens > 0 and r.usage.completion_tokens > 0


def test_eval_report_holds_the_recorded_baseline(seed_results, capsys):
    outcome = evaluate(ROOT / "eval" / "gold", ROOT / "seeds", preds=seed_results)
    out_dir = Path(os.environ.get("LLMX_EVAL_OUT", ROOT / ".eval-out"))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.md").write_text(outcome.markdown, encoding="utf-8")
    (out_dir / "report.json").write_text(json.dumps(outcome.figures, ensure_ascii=False, indent=2), encoding="utf-8")
    model = outcome.figures[MODEL]["overall"]
    assert 0.0 <= model["f1"] <= 1.0
    problem = check_baseline(outcome.figures, ROOT / "eval" / "baseline.json")
    assert problem is None, problem


def test_the_replayed_seeds_account_for_every_digit(seeds_jsonl):
    """bench/check_output.py on the JSONL: offsets, values, and every digit of each original in
    the span of an indicator, a rejected, uncovered or excluded number (read without llmx)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from check_output import problems

    for line in seeds_jsonl.read_text(encoding="utf-8").splitlines():
        assert problems(json.loads(line)) == []
