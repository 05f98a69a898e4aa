"""The review page's and the panel's speed, without a model: `python bench/review.py [OUT.jsonl]`.

Prints, for a JSONL of `llmx extract` (default: the five seeds through the regex-only
pipeline, `--no-model`, which names every figure by rule, so its names are not the
model's; the timings still count every figure and every check), the time to build the
panel (linking and the four checks), to render the page, and the page's size.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from llmx.pipeline.extract import baseline_extract
from llmx.config import Settings
from llmx.outputs.output import read_results
from llmx.outputs.panel import build_panel
from llmx.outputs.review import render_review
from llmx.text.source import load_source

ROOT = Path(__file__).resolve().parent.parent


def _results(args: list[str]):
    if args:
        return read_results(Path(args[0]))
    return [baseline_extract(load_source(p)) for p in sorted((ROOT / "seeds").glob("*.txt"))]


def main(args: list[str]) -> None:
    results = _results(args)
    n = sum(len(r.indicators) for r in results)
    t = time.perf_counter()
    panel = build_panel(results, Settings())
    panel_s = time.perf_counter() - t
    t = time.perf_counter()
    html = render_review(results, settings=Settings())
    page_s = time.perf_counter() - t
    print(f"{len(results)} reports, {n} indicators")
    print(f"panel:  {panel_s:.2f} s ({len(panel.rows)} rows, {len(panel.findings)} checks, {len(panel.links)} names linked)")
    print(f"review: {page_s:.2f} s (panel included), {len(html.encode('utf-8')) / 1024:.0f} KiB of HTML")


if __name__ == "__main__":
    main(sys.argv[1:])
