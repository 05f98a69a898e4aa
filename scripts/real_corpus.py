#!/usr/bin/env python3
"""The real-text corpus (`eval/real/`): check its texts against the manifest, or import them.

The texts are excerpts of third-party public web pages; they are never committed. The
manifest (`eval/real/manifest.json`) names each one by the query that found it, its URL, its
rank, its SHA-256 and its length, and says which third is sealed. The texts live in the
git-ignored `eval/real/docs/`.

    python scripts/real_corpus.py check            # which texts are present and intact
    python scripts/real_corpus.py import ANSWER.json [...]
                                                   # write the texts found in saved answers
    python scripts/real_corpus.py split DIR        # gold of each split as links: DIR/dev, DIR/sealed
    python scripts/real_corpus.py score PRED.jsonl [dev|sealed|all]
                                                   # the figures of an `llmx extract` of eval/real/docs

`import` reads answers of the search service's `pages` corpus saved as JSON (the object it
returns: `{"query": ..., "results": [{"url": ..., "excerpt": ...}, ...]}`). A result whose
URL is in the manifest and whose excerpt has the manifest's SHA-256 is written as
`docs/<id>.txt`; any other is reported and skipped. Exit codes: 0 all present and intact
(check) or something written (import); 1 texts missing or altered; 2 usage errors.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "eval" / "real"


def manifest() -> list[dict]:
    return json.loads((REAL / "manifest.json").read_text(encoding="utf-8"))["texts"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check() -> int:
    texts = manifest()
    missing, altered = [], []
    for t in texts:
        path = REAL / "docs" / f"{t['id']}.txt"
        if not path.is_file():
            missing.append(t["id"])
        elif sha256(path.read_bytes()) != t["sha256"]:
            altered.append(t["id"])
    present = len(texts) - len(missing) - len(altered)
    print(f"{present} of {len(texts)} texts present and intact; {len(missing)} missing, {len(altered)} altered")
    for i in altered:
        print(f"altered: {i}")
    for i in missing:
        print(f"missing: {i}")
    return 0 if present == len(texts) else 1


def import_answers(files: list[str]) -> int:
    by_url = {t["url"]: t for t in manifest()}
    written = 0
    for f in files:
        answer = json.loads(Path(f).read_text(encoding="utf-8"))
        for r in answer.get("results", []):
            t = by_url.get(r.get("url"))
            if t is None:
                continue
            data = r.get("excerpt", "").encode("utf-8")
            if sha256(data) != t["sha256"]:
                print(f"{f}: {t['id']}: the stored excerpt has changed (sha256 differs); not written")
                continue
            (REAL / "docs").mkdir(exist_ok=True)
            (REAL / "docs" / f"{t['id']}.txt").write_bytes(data)
            written += 1
    print(f"{written} texts written")
    return 0 if written else 1


def split(out: str) -> int:
    for t in manifest():
        for part in (t["split"], "all"):
            d = Path(out) / part / "gold"
            d.mkdir(parents=True, exist_ok=True)
            link = d / f"{t['id']}.json"
            if not link.exists():
                link.symlink_to(REAL / "gold" / f"{t['id']}.json")
    print(f"gold linked under {out}/dev, {out}/sealed and {out}/all")
    return 0


def score(pred: str, part: str = "dev") -> int:
    """Score predictions on one split: named and located F1, kind, period (on every matched
    figure, and on those whose period two labellers agree on: eval/real/gold2), meta, false
    figures (predictions matching no gold value), and names the independent checker refuses."""
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from grounding import name_faults

    from llmx.evaluation.gold import load_gold_dir
    from llmx.evaluation.harness import find_sources, predictions_from_jsonl
    from llmx.evaluation.score import score_all

    ids = {t["id"] for t in manifest() if part == "all" or t["split"] == part}
    with tempfile.TemporaryDirectory() as tmp:
        for i in ids:
            (Path(tmp) / f"{i}.json").symlink_to(REAL / "gold" / f"{i}.json")
        gold = load_gold_dir(Path(tmp))
        sources = find_sources(sorted(gold), REAL / "docs")
    preds = {k: v for k, v in predictions_from_jsonl(Path(pred)).items() if k in ids}
    sc = score_all(gold, preds, {k: s.original for k, s in sources.items()})
    agreed = set()
    for g2 in (REAL / "gold2").glob("*.json"):
        if g2.stem not in ids:
            continue
        second = json.loads(g2.read_text(encoding="utf-8"))["indicators"]
        agreed |= {(g2.stem, x["quote"], float(x["value"]), x["period"]) for x in second}
    on_agreed = [p for d in sc.docs for p in d.matched
                 if (d.doc, p.gold.quote, float(p.gold.value), p.gold.period) in agreed]
    false = sum(1 for d in sc.docs for f in d.false
                if not any(abs(f.value - g.value) < 1e-9 for g in gold[d.doc].indicators))
    refused = sum(1 for r in preds.values() for i in r.indicators if name_faults(i.name))
    n_pred = sum(len(r.indicators) for r in preds.values())
    print(f"{part}: {len(ids)} texts, {sc.n_gold} gold figures, {n_pred} predicted")
    print(f"named F1 {sc.f1:.3f}  located F1 {sc.located[2]:.3f}  kind {sc.kind_acc:.3f}  period {sc.period_acc:.3f}")
    if on_agreed:
        right = sum(p.period_right for p in on_agreed)
        print(f"period on the {len(on_agreed)} matched figures two labellers agree on: {right / len(on_agreed):.3f}")
    print(f"meta {sc.meta_right} of {sc.meta_total} fields ({sc.meta_right / sc.meta_total:.0%})")
    print(f"false figures (a value no gold figure of the text has): {false} of {n_pred} ({false / max(n_pred, 1):.1%})")
    print(f"names the independent checker refuses: {refused}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"] and len(argv) == 1:
        return check()
    if argv[:1] == ["import"] and len(argv) > 1:
        return import_answers(argv[1:])
    if argv[:1] == ["split"] and len(argv) == 2:
        return split(argv[1])
    if argv[:1] == ["score"] and len(argv) in (2, 3):
        return score(*argv[1:])
    print(__doc__.split("\n\n")[2], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
