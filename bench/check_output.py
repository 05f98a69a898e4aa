"""Check and sum up an `llmx extract` JSONL file: `python bench/check_output.py out/seeds.jsonl`.

For every report: each accepted indicator's `[start, end)` must slice the original
file to exactly its quote, and its value must be a quantity the number finder sees
in that quote. Prints one row per report (indicators, rejected, uncovered, calls,
tokens) and the totals; exits 1 when any indicator fails the check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from llmx.models import ReportResult, Usage
from llmx.numbers import find_quantities
from llmx.source import clean_text, load_source


def problems(result: ReportResult) -> list[str]:
    original = load_source(result.path).original
    out = []
    for ind in result.indicators:
        if original[ind.start : ind.end] != ind.quote:
            out.append(f"{result.doc}: offsets {ind.start}-{ind.end} do not slice to {ind.quote!r}")
        elif ind.value not in [m.value for m in find_quantities(clean_text(ind.quote).text)]:
            out.append(f"{result.doc}: {ind.value} is not a quantity in {ind.quote!r}")
    return out


def main(path: str) -> int:
    results = [ReportResult.model_validate_json(x) for x in Path(path).read_text(encoding="utf-8").splitlines()]
    total, bad = Usage(), []
    print(f"{'report':<34} {'ok':>3} {'ind':>4} {'rej':>4} {'unc':>4} {'calls':>5} {'tok in':>7} {'tok out':>7} {'s':>7}")
    for r in results:
        bad += problems(r) if r.ok else []
        total.add(r.usage)
        u = r.usage
        print(f"{r.doc:<34} {'y' if r.ok else 'n':>3} {len(r.indicators):>4} {len(r.rejected):>4} "
              f"{len(r.uncovered):>4} {u.calls:>5} {u.prompt_tokens:>7} {u.completion_tokens:>7} {r.seconds:>7.1f}")
    print(f"{'total':<34} {sum(r.ok for r in results):>3} {sum(len(r.indicators) for r in results):>4} "
          f"{sum(len(r.rejected) for r in results):>4} {sum(len(r.uncovered) for r in results):>4} {total.calls:>5} "
          f"{total.prompt_tokens:>7} {total.completion_tokens:>7}")
    print(f"re-asks {total.reasks}, retries {total.retries}, cache hits {total.cache_hits}")
    for line in bad:
        print("FAIL", line)
    print(f"{len(bad)} indicators fail the offset/value check")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out/seeds.jsonl"))
