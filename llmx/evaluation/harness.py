"""`llmx eval`: load gold and sources, get predictions (a JSONL file or a fresh
extraction), score them and the regex-only baseline, and render the report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..baseline import baseline_extract
from ..config import Settings
from ..errors import ConfigError, GoldFormatError
from ..models import ReportResult
from ..source import Source, load_source
from .gold import load_gold_dir
from .report import render_markdown, to_json
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
        sources[stem] = load_source(matches[0])
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

    from ..extract import extract_source
    from ..runtime import run_with_client

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
    return Outcome(render_markdown(scores), to_json(scores))


def check_baseline(figures: dict, baseline_file: Path) -> str | None:
    """A message when the model's overall F1 fell below the recorded figure minus its tolerance."""
    recorded = json.loads(Path(baseline_file).read_text(encoding="utf-8"))
    floor = float(recorded["f1"]) - float(recorded.get("tolerance", 0.02))
    f1 = float(figures[MODEL]["overall"]["f1"])
    if f1 < floor:
        return f"F1 {f1:.3f} is below the recorded {recorded['f1']:.3f} minus tolerance ({floor:.3f})"
    return None
