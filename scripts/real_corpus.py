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


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"] and len(argv) == 1:
        return check()
    if argv[:1] == ["import"] and len(argv) > 1:
        return import_answers(argv[1:])
    if argv[:1] == ["split"] and len(argv) == 2:
        return split(argv[1])
    print(__doc__.split("\n\n")[2], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
