#!/usr/bin/env python3
"""Agreement of two independent labellings of the same real texts (`gold/` and `gold2/`).

Two labels are the same figure when their values are equal and their quotes overlap in the
text (each label pairs with at most one). Prints, over the texts labelled twice: how many
figures each labeller found and how many pair up, and among the pairs the share that agree on
period, kind, unit and approx, and the names' mean character-bigram Dice.

`--agreed FILE` writes the pairs whose period both labellers gave alike, as JSON lines
`{"doc", "value", "quote", "period"}` (first labeller's quote): the figures on which period
accuracy is scored apart (`llmx eval` of the real corpus reads it).

Run: python3 eval/real/agreement.py [--agreed FILE]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def spans(text: str, labels: list[dict]) -> list[tuple[int, int]]:
    out, last = [], 0
    for lab in labels:
        q = lab["quote"]
        i = text.find(q, last)
        if i < 0:
            i = text.find(q)
        out.append((i, i + len(q)))
        last = max(last, i) if i >= 0 else last
    return out


def dice(a: str, b: str) -> float:
    ga = {a[i:i + 2] for i in range(len(a) - 1)}
    gb = {b[i:i + 2] for i in range(len(b) - 1)}
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else float(a == b)


def pairs(text: str, first: list[dict], second: list[dict]) -> list[tuple[dict, dict]]:
    s1, s2 = spans(text, first), spans(text, second)
    used: set[int] = set()
    out = []
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            if j in used or float(a["value"]) != float(b["value"]):
                continue
            (x1, y1), (x2, y2) = s1[i], s2[j]
            if x1 < y2 and x2 < y1:
                used.add(j)
                out.append((a, b))
                break
    return out


def main(argv: list[str]) -> int:
    agreed_out = Path(argv[argv.index("--agreed") + 1]) if "--agreed" in argv else None
    n1 = n2 = 0
    matched: list[tuple[str, dict, dict]] = []
    for g2 in sorted((HERE / "gold2").glob("*.json")):
        second = json.loads(g2.read_text(encoding="utf-8"))
        first = json.loads((HERE / "gold" / g2.name).read_text(encoding="utf-8"))
        text = (HERE / "docs" / first["doc"]).read_text(encoding="utf-8")
        n1 += len(first["indicators"])
        n2 += len(second["indicators"])
        matched += [(first["doc"], a, b) for a, b in pairs(text, first["indicators"], second["indicators"])]
    if not matched:
        print("no texts labelled twice (or their texts are missing: scripts/real_corpus.py check)")
        return 1
    def share(field: str) -> float:
        return sum(a[field] == b[field] for _, a, b in matched) / len(matched)
    print(f"texts labelled twice: {len(list((HERE / 'gold2').glob('*.json')))}")
    print(f"figures: first {n1}, second {n2}, paired {len(matched)} "
          f"(F1 of the two labellings, located: {2 * len(matched) / (n1 + n2):.3f})")
    for field in ("period", "kind", "unit", "approx"):
        print(f"{field:7} agreement: {share(field):.3f}")
    print(f"name    mean Dice: {sum(dice(a['name'], b['name']) for _, a, b in matched) / len(matched):.3f}, "
          f"identical {share('name'):.3f}")
    if agreed_out:
        with agreed_out.open("w", encoding="utf-8") as fh:
            for doc, a, b in matched:
                if a["period"] == b["period"]:
                    fh.write(json.dumps({"doc": doc, "value": a["value"], "quote": a["quote"], "period": a["period"]},
                                        ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
