"""Leave-one-set-out: each labelled set extracted with the examples of every other set only
(`llmx extract --examples`), scored against its own gold, and the pooled figure over them.

    python scripts/loso.py [--sets seeds dev holdout ...] [--out DIR] [--no-examples] [endpoint options]

Nothing learned from a set is used while it is scored: its gold never goes into its prompts
(the rules were written before these measures and are the same for every set). Endpoint options
(`--base-url`, `-m`, ...) are passed to `llmx extract`. Prints one line per set and the pooled
named F1 (micro: matched, predicted and gold figures summed over the sets); writes each set's
JSONL and eval JSON under --out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# name: (gold folder, documents folder); a set whose documents are missing is skipped, said so
SETS = {
    "seeds": ("eval/gold", "seeds"),
    "dev": ("eval/dev/gold", "eval/dev/docs"),
    "holdout": ("eval/holdout/gold", "eval/holdout/docs"),
    "holdout2": ("eval/holdout2/gold", "eval/holdout2/docs"),
    "holdout3": ("eval/holdout3/gold", "eval/holdout3/docs"),
    "holdout4": ("eval/holdout4/gold", "eval/holdout4/docs"),
    "holdout5": ("eval/holdout5/gold", "eval/holdout5/docs"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--out", type=Path, default=ROOT / ".eval-out" / "loso")
    parser.add_argument("--no-examples", action="store_true", help="the same runs without any example (the control)")
    args, endpoint = parser.parse_known_args(argv)
    llmx = str(Path(sys.executable).parent / "llmx")
    totals = {"n_matched": 0, "n_pred": 0, "n_gold": 0}
    for name in args.sets:
        gold, docs = (ROOT / p for p in SETS[name])
        if not docs.is_dir():
            print(f"{name}: skipped ({docs} is missing)")
            continue
        others = [] if args.no_examples else [str(ROOT / SETS[o][0]) for o in SETS if o != name]
        out = args.out / f"{name}.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.unlink(missing_ok=True)
        cmd = [llmx, "extract", str(docs), "-o", str(out), *endpoint]
        for folder in others:
            cmd += ["--examples", folder]
        subprocess.run(cmd, check=True)
        report = args.out / f"{name}.json"
        subprocess.run([llmx, "eval", "--gold", str(gold), "--docs", str(docs), "--pred", str(out),
                        "--report", str(args.out / f"{name}.md"), "--json", str(report)],
                       check=True, stdout=subprocess.DEVNULL)
        overall = json.loads(report.read_text(encoding="utf-8"))["model"]["overall"]
        for key in totals:
            totals[key] += overall[key]
        print(f"{name}: named F1 {overall['f1']:.3f}, located {overall['located_f1']:.3f} "
              f"({overall['n_matched']} of {overall['n_gold']} gold, {overall['n_pred']} predicted)", flush=True)
    if totals["n_pred"] and totals["n_gold"]:
        p, r = totals["n_matched"] / totals["n_pred"], totals["n_matched"] / totals["n_gold"]
        print(f"pooled: named F1 {2 * p * r / (p + r):.3f} over {totals['n_gold']} gold figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
