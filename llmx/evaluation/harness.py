"""`llmx eval`: load gold and sources, get predictions (a JSONL file or a fresh
extraction), score them and the regex-only baseline, and render the report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..pipeline.extract import baseline_extract
from ..config import Settings
from ..errors import ConfigError, GoldFormatError
from ..models import ReportResult
from ..text.readers import load_report
from ..text.source import Source
from .gold import load_gold_dir
from ..outputs.explain import rule_counts
from .report import render_markdown, render_rules, to_json
from .score import score_all

__all__ = ["Outcome", "evaluate", "check_baseline", "find_sources", "predictions_from_jsonl"]

MODEL, BASELINE = "model", "regex baseline"


@dataclass(frozen=True)
class Outcome:
    markdown: str
    figures: dict


def find_sources(gold_stems: list[str], docs_dir: Path) -> dict[str, Source]:
    """The source report of each gold stem in `docs_dir` (`<stem>.<any suffix>`)."""
    sources = {}
    for stem in gold_stems:
        matches = sorted(p for p in docs_dir.glob(f"{stem}.*") if p.is_file())
        if not matches:
            raise GoldFormatError(docs_dir / f"{stem}.txt", "the gold file has no source report of that stem")
        sources[stem] = load_report(matches[0]).source
    return sources


def predictions_from_jsonl(path: Path) -> dict[str, ReportResult]:
    """Predictions keyed by stem from an `llmx extract` JSONL file."""
    preds = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = ReportResult.model_validate_json(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{n}: not an llmx result line ({str(exc).splitlines()[0]})") from None
        preds[Path(r.doc).stem] = r
    return preds


def _extract_all(sources: dict[str, Source], settings: Settings) -> dict[str, ReportResult]:
    import asyncio

    from ..pipeline.extract import extract_source
    from ..model.runtime import run_with_client

    async def go(client):
        results = await asyncio.gather(*(extract_source(s, client) for s in sources.values()))
        return dict(zip(sources, results))

    return run_with_client(settings, go)


def evaluate(
    gold_dir: Path, docs_dir: Path, *, pred_file: Path | None = None, settings: Settings | None = None,
    preds: dict[str, ReportResult] | None = None,
) -> Outcome:
    """Score the model's predictions and the regex baseline against the gold in `gold_dir`."""
    gold = load_gold_dir(gold_dir)
    sources = find_sources(sorted(gold), docs_dir)
    if preds is None:
        preds = predictions_from_jsonl(pred_file) if pred_file else _extract_all(sources, settings or Settings.from_env())
    texts = {stem: s.original for stem, s in sources.items()}
    baseline = {stem: baseline_extract(s) for stem, s in sources.items()}
    scores = {MODEL: score_all(gold, preds, texts), BASELINE: score_all(gold, baseline, texts)}
    rules = {MODEL: rule_counts([preds[s] for s in sources if s in preds]),
             BASELINE: rule_counts(list(baseline.values()))}
    figures = to_json(scores)
    figures["rules"] = {label: {rule: {"figures": n, "reports": r} for rule, (n, r) in counts.items()}
                        for label, counts in rules.items()}
    return Outcome(render_markdown(scores) + render_rules(rules), figures)


def check_baseline(figures: dict, baseline_file: Path, set_name: str = "seeds") -> str | None:
    """A message when the model's figures moved away from the recorded ones for `set_name`.

    `baseline.json` holds, per set (`seeds`, `dev`), the model's overall named `f1`,
    `located_f1` and field accuracies (`kind_acc`, `period_acc`, `approx_acc`) and a
    `tolerance`: a figure below its record minus the tolerance fails;
    so does one above its record plus the tolerance, so that a change that moves the
    figures must update the record on purpose. A file with a bare `f1` (the old format)
    is read as the seeds' record, checked from below only.
    """
    recorded = json.loads(Path(baseline_file).read_text(encoding="utf-8"))
    both_ways = set_name in recorded
    record = recorded.get(set_name, recorded if set_name == "seeds" else None)
    if record is None:
        return f"{baseline_file} has no record for the {set_name} set"
    tolerance = float(record.get("tolerance", recorded.get("tolerance", 0.02)))
    overall = figures[MODEL]["overall"]
    for key in ("f1", "located_f1", "kind_acc", "period_acc", "approx_acc"):
        if key not in record:
            continue
        got, want = float(overall[key]), float(record[key])
        if got < want - tolerance:
            return f"{set_name}: {key} {got:.3f} is below the recorded {want:.3f} minus tolerance ({want - tolerance:.3f})"
        if both_ways and got > want + tolerance:
            return (f"{set_name}: {key} {got:.3f} is above the recorded {want:.3f} plus tolerance: "
                    f"update {baseline_file} on purpose")
    return None
