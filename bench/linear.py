"""Work linear in the length of a line: `python bench/linear.py` (or `make bench-linear`).

Times the regex-only pipeline (`llmx.pipeline.extract.baseline_extract`: clean, find, section,
name, ground) on texts built to stress it, and prints one row each:

  1. 1,000 / 10,000 / 100,000 numbers on one line (`新增企业1家，新增企业2家，…`), with the
     ratio of each time to the 1,000's: linear work gives about 10 and 100;
  2. the five seeds run together on one line (470 KB), as a page copied without line breaks;
  3. a 30 MB file of report text (the seeds repeated), with its throughput.

Goals (checked here, never in a test): 10,000 numbers within about 10x the time of 1,000,
the 470 KB line in seconds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from llmx.pipeline.extract import baseline_extract
from llmx.text.source import clean_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))


def timed(text: str) -> tuple[float, int]:
    began = time.perf_counter()
    result = baseline_extract(clean_text(text, path="bench.txt"))
    assert result.counts.balanced
    return time.perf_counter() - began, result.counts.found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10,000 numbers at most and a 3 MB file")
    args = ap.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    base = None
    for n in sizes:
        line = "全区" + "，".join(f"新增企业{i}家" for i in range(1, n + 1)) + "。"
        seconds, found = timed(line)
        base = base or seconds
        print(f"{n:>7,} numbers on one line: {seconds:7.2f} s ({found:,} found), {seconds / base:5.1f}x the 1,000's")
    flat = (SEEDS.replace("\n", "") * 20)[:470_000]
    seconds, found = timed(flat)
    print(f"the seeds on one 470 KB line:  {seconds:7.2f} s ({found:,} numbers)")
    size = 3_000_000 if args.quick else 30_000_000
    big = (SEEDS * (size // len(SEEDS.encode("utf-8")) + 1))
    mb = len(big.encode("utf-8")) / 1e6
    seconds, found = timed(big)
    print(f"a {mb:.0f} MB file:                {seconds:7.2f} s ({found:,} numbers, {mb / seconds:.1f} MB/s)")


if __name__ == "__main__":
    main()
