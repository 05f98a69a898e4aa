#!/usr/bin/env python3
"""How much hand-written phrase knowledge llmx holds: the CJK characters inside the string
literals of `llmx/` (regexes, word lists, messages) and in its data files (`prompts/`, word lists
kept as files), by module, largest first. What is learned from labelled figures does not count:
the gold of the eval sets, and the confidence weights trained from it
(`llmx/naming/confidence.json`, `scripts/train_confidence.py`).

Run: python scripts/phrase_knowledge.py [CHECKOUT]   (default: this one)
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff]")


def in_literals(path: Path) -> int:
    count = 0
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type == tokenize.STRING:
            count += len(CJK.findall(tok.string))
    return count


def docstring_chars(path: Path) -> int:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    total = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                total += len(CJK.findall(doc))
    return total


def main() -> int:
    rows = []
    for path in sorted((ROOT / "llmx").rglob("*.py")):
        rows.append((in_literals(path) - docstring_chars(path), path.relative_to(ROOT)))
    learned = {ROOT / "llmx" / "naming" / "confidence.json"}
    data = [p for p in (ROOT / "llmx").rglob("*")
            if p.suffix in (".txt", ".tsv", ".json") and p.is_file() and p not in learned]
    rows += [(len(CJK.findall(p.read_text(encoding="utf-8"))), p.relative_to(ROOT)) for p in data]
    rows += [(len(CJK.findall(p.read_text(encoding="utf-8"))), p.relative_to(ROOT)) for p in (ROOT / "prompts").glob("*")]
    rows.sort(reverse=True)
    for n, p in rows:
        if n:
            print(f"{n:>6}  {p}")
    print(f"{sum(n for n, _ in rows):>6}  in all (string literals of llmx/ other than docstrings, and data files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
