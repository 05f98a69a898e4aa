#!/usr/bin/env python3
"""Self-check of a folder of gold files (`DIR/gold/*.json` against `DIR/docs/`; not part of llmx).

Checks: every gold file parses; doc exists; meta and indicator fields are present and legal
(per shared/spec/gold-format.md); values are numbers; each quote occurs exactly once in the raw
doc; indicators are in quote order; the value's digits appear in the quote (after removing line
breaks), else the quote is listed for a manual look (Chinese numerals, 成, fractions).
Run: python3 scripts/validate_gold.py DIR [STEM ...]   (only the given stems, else every gold file)
"""
import json, re, sys, datetime
from pathlib import Path

HERE = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path.cwd()
sys.argv[1:] = sys.argv[2:]  # the stems
META = {"issuer", "region", "doc_number", "title", "kind", "years", "issued_on"}
IND = {"name", "value", "unit", "kind", "period", "approx", "quote"}
errors, manual, total = [], [], 0

def err(msg):
    errors.append(msg)

def digits_in_quote(value, quote):
    q = re.sub(r"\s", "", quote).replace(",", "").replace("，", "")
    v = float(value)
    forms = {repr(value), str(value)}
    if v == int(v):
        forms.add(str(int(v)))
    return any(f in q for f in forms)

golds = sorted((HERE / "gold").glob("*.json"))
if sys.argv[1:]:
    golds = [g for g in golds if g.stem in set(sys.argv[1:])]

for g in golds:
    try:
        data = json.loads(g.read_text(encoding="utf-8"))
    except Exception as e:
        err(f"{g.name}: does not parse: {e}"); continue
    if set(data) != {"doc", "meta", "indicators"}:
        err(f"{g.name}: top-level keys {sorted(data)}")
    if data.get("doc") != g.stem + ".txt":
        err(f"{g.name}: doc field {data.get('doc')!r}")
    src = HERE / "docs" / data.get("doc", "")
    if not src.exists():
        err(f"{g.name}: missing source {src}"); continue
    text = src.read_bytes().decode("utf-8")
    m = data.get("meta", {})
    if set(m) != META:
        err(f"{g.name}: meta keys {sorted(m)}")
    for k in ("issuer", "region", "title"):
        if m.get(k) is not None and (not isinstance(m.get(k), str) or not m.get(k)):
            err(f"{g.name}: meta.{k} neither null nor a non-empty string")
    if m.get("kind") not in {"summary", "plan", "summary_and_plan", "other"}:
        err(f"{g.name}: meta.kind {m.get('kind')!r}")
    if not (isinstance(m.get("years"), list) and all(isinstance(y, int) for y in m["years"])):
        err(f"{g.name}: meta.years {m.get('years')!r}")
    if m.get("doc_number") is not None and m["doc_number"] not in text:
        err(f"{g.name}: doc_number not in text")
    if m.get("issued_on") is not None:
        try:
            datetime.date.fromisoformat(m["issued_on"])
        except Exception:
            err(f"{g.name}: issued_on {m['issued_on']!r}")
    if m.get("title") and m["title"] not in text.replace("\n", ""):
        manual.append(f"{g.name}: title not verbatim in the text (fine if the text has none and you composed it)")
    last = -1
    for i, ind in enumerate(data.get("indicators", [])):
        total += 1
        tag = f"{g.name}#{i} {ind.get('quote')!r}"
        if set(ind) != IND:
            err(f"{tag}: keys {sorted(ind)}"); continue
        if isinstance(ind["value"], bool) or not isinstance(ind["value"], (int, float)):
            err(f"{tag}: value not a number")
        for k in ("name", "unit", "quote"):
            if not isinstance(ind[k], str) or not ind[k]:
                err(f"{tag}: {k} empty")
        if ind["kind"] not in {"actual", "target"}:
            err(f"{tag}: kind {ind['kind']!r}")
        if ind["approx"] not in {"exact", "over", "about", "under"}:
            err(f"{tag}: approx {ind['approx']!r}")
        if not (ind["period"] is None or isinstance(ind["period"], str)):
            err(f"{tag}: period type")
        n = text.count(ind["quote"])
        if n == 0:
            err(f"{tag}: quote not in the text")
            continue
        pos = text.find(ind["quote"], last if n > 1 else 0)
        if pos < 0 or pos < last:
            err(f"{tag}: out of quote order")
            continue
        last = pos
        if not digits_in_quote(ind["value"], ind["quote"]):
            manual.append(f"{g.name}: {ind['value']} {ind['unit']} <- {ind['quote']!r}")

print(f"{len(golds)} gold files, {total} indicators")
if manual:
    print("values not written as digits in their quote (check by eye):")
    for x in manual:
        print("  " + x)
if errors:
    print("ERRORS:")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
