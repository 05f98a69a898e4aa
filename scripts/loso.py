"""Leave-one-set-out: each labelled set extracted while nothing learned from it is used, scored
against its own gold, and the pooled figure over them.

    python scripts/loso.py [--sets seeds dev holdout ... real-dev] [--out DIR] [--no-examples]
                           [--shipped-weights] [endpoint options]

What is learned from the labelled sets, and so left out for the set scored:
- the rule-name confidence (`llmx/naming/confidence.py`): for each set, `scripts/train_confidence.py
  --out` trains weights on every other set and `llmx extract --confidence-weights` uses them (the
  seeds, never trained on, use the shipped weights). Needs scikit-learn (`pip install -e '.[train]'`);
  `--shipped-weights` uses the shipped weights for every set instead (not a leave-one-set-out reading);
- the worked examples (`llmx extract --examples`): the gold of every other set; `--no-examples`
  runs without any (llmx's default).
The rules were written with these sets in view and are the same for every set. `real-dev` is the
real corpus's dev part (`eval/real/`; its texts are rebuilt by `scripts/real_corpus.py`, and the
set is skipped where they are missing); its sealed part is never read.

Endpoint options (`--base-url`, `-m`, `--no-cache`, ...) are passed to `llmx extract`. Prints one
line per set and the pooled named F1 (micro: matched, predicted and gold figures summed over the
sets); writes each set's JSONL, eval JSON and weights under --out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
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
REAL_DEV = "real-dev"  # the real corpus's dev part: gold and texts under eval/real/, by the manifest


def real_dev_folders(into: Path) -> tuple[Path, Path] | None:
    """Folders of links to the real corpus's dev gold and texts (None where a text is missing)."""
    texts = json.loads((ROOT / "eval/real/manifest.json").read_text(encoding="utf-8"))["texts"]
    gold, docs = into / "gold", into / "docs"
    gold.mkdir(parents=True, exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    for t in texts:
        if t["split"] != "dev":
            continue
        text = ROOT / "eval/real/docs" / f"{t['id']}.txt"
        if not text.is_file():
            return None
        for link, target in ((gold / f"{t['id']}.json", ROOT / "eval/real/gold" / f"{t['id']}.json"), (docs / text.name, text)):
            if not link.exists():
                link.symlink_to(target)
    return gold, docs


def weights_without(name: str, out: Path) -> Path | None:
    """Confidence weights trained on every labelled set but `name` (None for the seeds, which the
    shipped weights never learned from)."""
    if name == "seeds":
        return None
    from train_confidence import DEFAULT_SETS  # noqa: PLC0415 (scripts/ is on the path when run)

    path = out / f"weights-without-{name}.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_confidence.py"), "--out", str(path),
                    "--sets", *[s for s in DEFAULT_SETS if s != name]], check=True, stdout=subprocess.DEVNULL)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=[*SETS, REAL_DEV], choices=[*SETS, REAL_DEV])
    parser.add_argument("--out", type=Path, default=ROOT / ".eval-out" / "loso")
    parser.add_argument("--no-examples", action="store_true", help="no worked examples (llmx's default)")
    parser.add_argument("--shipped-weights", action="store_true", help="the shipped confidence weights for every set")
    args, endpoint = parser.parse_known_args(argv)
    sys.path.insert(0, str(ROOT / "scripts"))
    llmx = str(Path(sys.executable).parent / "llmx")
    totals = {"n_matched": 0, "n_pred": 0, "n_gold": 0}
    args.out.mkdir(parents=True, exist_ok=True)
    # the real corpus's links stay under --out, so that the output's paths can be read again
    for name in args.sets:
        folders = real_dev_folders(args.out / REAL_DEV) if name == REAL_DEV else tuple(ROOT / p for p in SETS[name])
        if folders is None or not folders[1].is_dir():
            print(f"{name}: skipped (its texts are missing)")
            continue
        gold, docs = folders
        others = [] if args.no_examples else [str(ROOT / SETS[o][0]) for o in SETS if o != name]
        out = args.out / f"{name}.jsonl"
        out.unlink(missing_ok=True)
        cmd = [llmx, "extract", str(docs), "-o", str(out), *endpoint]
        for folder in others:
            cmd += ["--examples", folder]
        weights = None if args.shipped_weights else weights_without(name, args.out)
        if weights is not None:
            cmd += ["--confidence-weights", str(weights)]
        began = time.perf_counter()
        subprocess.run(cmd, check=True)
        seconds = time.perf_counter() - began
        report = args.out / f"{name}.json"
        subprocess.run([llmx, "eval", "--gold", str(gold), "--docs", str(docs), "--pred", str(out),
                        "--report", str(args.out / f"{name}.md"), "--json", str(report)],
                       check=True, stdout=subprocess.DEVNULL)
        overall = json.loads(report.read_text(encoding="utf-8"))["model"]["overall"]
        for key in totals:
            totals[key] += overall[key]
        print(f"{name}: named F1 {overall['f1']:.3f}, located {overall['located_f1']:.3f} "
              f"({overall['n_matched']} of {overall['n_gold']} gold, {overall['n_pred']} predicted; "
              f"extracted in {seconds:.1f} s)", flush=True)
    if totals["n_pred"] and totals["n_gold"]:
        p, r = totals["n_matched"] / totals["n_pred"], totals["n_matched"] / totals["n_gold"]
        print(f"pooled: named F1 {2 * p * r / (p + r):.3f} over {totals['n_gold']} gold figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
