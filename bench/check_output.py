"""Check and sum up an `llmx extract` JSONL file: `python bench/check_output.py out/seeds.jsonl`.

Independent of llmx on purpose (plain `json`, the file's bytes, and `grounding.py`,
which uses no llmx code). For every report:

- each indicator's `[start, end)` must slice the original to exactly its quote, and
  its value must be a number the quote states (`grounding.value_in_quote`), and its unit
  one the text states (`grounding.unit_stated`). The
  original is the file's text, or, for a .docx, .pdf or .html report, the text llmx
  extracted from it, which the line carries as `original_text`;
- its figure (`figure_start`/`figure_end`) must not be a piece of a number that a line
  break cuts (`grounding.piece_of_a_number`: `7.5亿元` of `19⏎7.5亿元`), nor lie in an
  identifier (`grounding.in_an_identifier`: a URL, a path, an ID-card or staff number), nor
  drop a minus sign written before it (`grounding.sign_dropped`);
- its name must be one an analyst accepts (`grounding.name_faults`: no figure, clause
  punctuation, list marker, page furniture, unpaired bracket, or particle at an end);
- conservation: `found == indicators + rejected figures + uncovered + excluded`, and, read
  independently of the finder's count, every digit of the original lies in the span of one of
  them (`grounding.unaccounted_digits`): no number vanished without a count.

Prints one row per report (indicators, rejected, uncovered, excluded, found, calls,
tokens) and the totals; exits 1 when any indicator or any report fails a check.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grounding import (  # noqa: E402
    in_an_identifier, name_faults, piece_of_a_number, sign_dropped, unaccounted_digits, unit_stated, value_in_quote,
)


def original_text(path: str) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _figure(original: str, ind: dict) -> str:
    return original[ind["figure_start"] : ind["figure_end"]] if ind.get("figure_start") is not None else ""


_ROW = re.compile(r"\d[\d.,%]*[ \t\u3000|]+-?\d")  # cells apart by spaces or `|`


def _header(original: str, ind: dict) -> str:
    """For a quote on a table row (cells apart by spaces or `|`), the table's lines above it up to its
    header line: the columns' units stand there."""
    line_start = original.rfind("\n", 0, ind["start"]) + 1
    line_end = original.find("\n", ind["end"])
    if not _ROW.search(original[line_start : len(original) if line_end < 0 else line_end]):
        return ""
    lines = original[:line_start].split("\n")[:-1]
    above = []
    while lines and len(above) < 40:
        line = lines.pop()
        above.insert(0, line)
        if not _ROW.search(line):  # the header (or a blank line before the table)
            break
    return "\n".join(above)


def _after(original: str, ind: dict) -> str:
    end = ind["figure_end"] if ind.get("figure_end") is not None else ind["end"]
    return original[end : end + 24]  # a unit word right after it, or the rest of a ratio it opens


def problems(result: dict, original: str | None = None) -> list[str]:
    """What fails the offset, value and conservation checks in one result line."""
    if original is None:
        original = result["original_text"] if "original_text" in result else original_text(result["path"])
    doc, out = result["doc"], []
    for ind in result["indicators"]:
        if original[ind["start"] : ind["end"]] != ind["quote"]:
            out.append(f"{doc}: offsets {ind['start']}-{ind['end']} do not slice to {ind['quote']!r}")
        elif not value_in_quote(ind["value"], ind["quote"]):
            out.append(f"{doc}: {ind['value']} is not a number stated in {ind['quote']!r}")
        elif not unit_stated(ind.get("unit"), ind["quote"], _figure(original, ind), _header(original, ind),
                             _after(original, ind)):
            out.append(f"{doc}: unit {ind['unit']!r} is not stated by {ind['quote']!r}")
        elif ind.get("figure_start") is not None and piece_of_a_number(original, ind["figure_start"], ind["figure_end"]):
            out.append(f"{doc}: {original[ind['figure_start']:ind['figure_end']]!r} is a piece of a number cut by a line break")
        elif ind.get("figure_start") is not None and in_an_identifier(original, ind["figure_start"], ind["figure_end"]):
            out.append(f"{doc}: {original[ind['figure_start']:ind['figure_end']]!r} is part of an identifier, not a figure")
        elif ind.get("figure_start") is not None and sign_dropped(ind["value"], original, ind["figure_start"]):
            out.append(f"{doc}: {ind['value']} drops the minus sign written before it in {ind['quote']!r}")
        elif ind.get("name") is not None and (faults := name_faults(ind["name"])):
            out.append(f"{doc}: the name {ind['name']!r} {'; '.join(faults)}")
    rejected = sum(1 for r in result["rejected"] if r.get("start") is not None)
    outcomes = len(result["indicators"]) + rejected + len(result["uncovered"]) + len(result.get("excluded", []))
    if result.get("found", 0) != outcomes:
        out.append(f"{doc}: {result.get('found', 0)} numbers found but {outcomes} accounted for")
    spans = [(i["figure_start"], i["figure_end"]) if i.get("figure_start") is not None else (i["start"], i["end"])
             for i in result["indicators"]]
    spans += [(x["start"], x["end"]) for x in (*result["uncovered"], *result.get("excluded", []))]
    spans += [(x["start"], x["end"]) for x in result["rejected"] if x.get("start") is not None]
    for i in unaccounted_digits(original, spans)[:5]:
        out.append(f"{doc}: {original[i]!r} at {i} ({original[max(0, i - 8):i + 4]!r}) is in no figure, rejected, "
                   f"uncovered or excluded number")
    return out


def main(path: str) -> int:
    try:
        results = [json.loads(x) for x in Path(path).read_text(encoding="utf-8").split("\n") if x.strip()]
    except (OSError, ValueError) as exc:
        print(f"check_output: {path}: cannot read an llmx JSONL file: {getattr(exc, 'strerror', None) or exc}",
              file=sys.stderr)
        return 2
    keys = ("prompt_tokens", "completion_tokens", "calls", "reasks", "retries", "cache_hits")
    total, bad = dict.fromkeys(keys, 0), []
    print(f"{'report':<34} {'ok':>3} {'ind':>4} {'rej':>4} {'unc':>4} {'exc':>5} {'found':>5} {'calls':>5} "
          f"{'tok in':>7} {'tok out':>7} {'s':>7}")
    sums = [0] * 5
    for r in results:
        ok = r.get("error") is None
        bad += problems(r) if ok else []
        u = r["usage"]
        for k in keys:
            total[k] += u.get(k, 0)
        row = [len(r["indicators"]), sum(1 for x in r["rejected"] if x.get("start") is not None),
               len(r["uncovered"]), len(r.get("excluded", [])), r.get("found", 0)]
        sums = [a + b for a, b in zip(sums, row)]
        print(f"{r['doc']:<34} {'y' if ok else 'n':>3} {row[0]:>4} {row[1]:>4} {row[2]:>4} {row[3]:>5} {row[4]:>5} "
              f"{u['calls']:>5} {u['prompt_tokens']:>7} {u['completion_tokens']:>7} {r.get('seconds', 0):>7.1f}")
    print(f"{'total':<34} {sum(r.get('error') is None for r in results):>3} {sums[0]:>4} {sums[1]:>4} {sums[2]:>4} "
          f"{sums[3]:>5} {sums[4]:>5} {total['calls']:>5} {total['prompt_tokens']:>7} {total['completion_tokens']:>7}")
    print(f"re-asks {total['reasks']}, retries {total['retries']}, cache hits {total['cache_hits']}")
    for line in bad:
        print("FAIL", line)
    print(f"{len(bad)} failures of the offset, value, unit and conservation checks")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out/seeds.jsonl"))
