"""Gold files: load them (`eval/gold/<stem>.json`) and guard them against their source.

    GoldIndicator   one hand-labelled figure (the gold format's `indicators[]`)
    GoldDoc         one gold file: `doc`, `meta`, `indicators`
    load_gold       one file -> GoldDoc, or GoldFormatError naming the file and the problem
    load_gold_dir   every `*.json` in a folder -> {stem: GoldDoc}
    gold_problems   what is wrong with a GoldDoc given its source text (empty when nothing)

The format is /work/shared/spec/gold-format.md; the labelling decisions are
eval/README.md.  Every field of the format must be written (``null`` where
the guide says so); unknown fields are errors.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import GoldFormatError
from ..models import Meta
from ..finder.numbers import find_numbers, parse_chinese_number

__all__ = ["GoldIndicator", "GoldDoc", "load_gold", "load_gold_dir", "gold_problems"]

META_FIELDS: tuple[str, ...] = ("issuer", "region", "doc_number", "title", "kind", "years", "issued_on")


class GoldIndicator(BaseModel):
    """One hand-labelled figure: the number as written, its unit as written, and its quote."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(min_length=1)]
    value: Annotated[float, Field(strict=True)]
    unit: str | None
    kind: Literal["actual", "target"]
    period: str | None
    approx: Literal["exact", "over", "about", "under"]
    quote: Annotated[str, Field(min_length=1)]


class GoldDoc(BaseModel):
    """One gold file: the source file's name, its meta, and its indicators in document order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    doc: Annotated[str, Field(min_length=1)]
    meta: Meta
    indicators: list[GoldIndicator]


def _first_error(exc: ValidationError) -> str:
    """pydantic's first error as `where: what`, e.g. `indicators[3].value: Input should be a valid number`."""
    errors = exc.errors()
    err = errors[0]
    where = ""
    for part in err.get("loc", ()):
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    msg = err.get("msg", "invalid")
    if err.get("type") == "missing":
        msg = "missing (write null where the guide allows it)"
    elif err.get("type") == "extra_forbidden":
        msg = "not a field of the gold format"
    elif "input" in err and err.get("type") != "missing":
        msg += f" (got {err['input']!r})"[:200]
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{where or 'top level'}: {msg}{more}"


def load_gold(path: str | Path) -> GoldDoc:
    """Read and validate one gold file.

    Raises `GoldFormatError(path, problem)` when the file cannot be read, is not
    UTF-8 JSON, misses a field (meta fields included), has an illegal value or
    an unknown field, or names a source (`doc`) of another stem than its own.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GoldFormatError(path, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise GoldFormatError(path, f"not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise GoldFormatError(path, f"bad JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise GoldFormatError(path, f"top level: expected a JSON object, got {type(data).__name__}")
    try:
        doc = GoldDoc.model_validate(data)
    except ValidationError as exc:
        raise GoldFormatError(path, _first_error(exc)) from None
    missing = [f for f in META_FIELDS if f not in doc.meta.model_fields_set]
    if missing:
        raise GoldFormatError(path, f"meta.{missing[0]}: missing (write null where the guide allows it)")
    if Path(doc.doc).stem != path.stem:
        raise GoldFormatError(path, f"doc: {doc.doc!r} is not the source of {path.name} (stems differ)")
    return doc


def load_gold_dir(directory: str | Path) -> dict[str, GoldDoc]:
    """Every `*.json` gold file in `directory`, keyed by stem, in name order.

    Raises `GoldFormatError` for a missing folder, a folder without gold files,
    or the first file that breaks the format.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise GoldFormatError(directory, "no such gold folder")
    files = sorted(p for p in directory.glob("*.json") if p.is_file())
    if not files:
        raise GoldFormatError(directory, "the gold folder holds no *.json file")
    return {p.stem: load_gold(p) for p in files}


# --- guards -------------------------------------------------------------------------------------

_ARABIC = re.compile(r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")
_CHINESE = re.compile(r"[零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WIDE = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def _numbers_in(quote: str) -> list[float]:
    """Every number a quote may hold: Arabic numerals as written, Chinese numerals read
    (every sub-run of a Chinese numeral run, so that `千余名` gives 1000 and `第一` gives 1).
    A Chinese magnitude right after Arabic digits (`1.5万`) is part of the unit, not a number."""
    found: list[float] = []
    for m in _ARABIC.finditer(quote):
        text = m.group().translate(_WIDE).replace(",", "")
        try:
            found.append(float(text))
        except ValueError:
            continue
    for m in _CHINESE.finditer(quote):
        run = m.group()
        if m.start() > 0 and _ARABIC.fullmatch(quote[m.start() - 1]):
            run = run.lstrip("十百千万亿拾佰仟")
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                try:
                    found.append(parse_chinese_number(run[i:j]))
                except ValueError:
                    continue
    # What the number finder reads as a quantity counts too (a fraction `1/4` is 25 %).
    found.extend(m.value for m in find_numbers(quote))
    return found


def _valid_date(s: str) -> bool:
    if not _DATE.fullmatch(s):
        return False
    try:
        _dt.date.fromisoformat(s)
    except ValueError:
        return False
    return True


def gold_problems(doc: GoldDoc, source_text: str) -> list[str]:
    """What is wrong with `doc` given the raw text of its source; empty when nothing.

    Checks: every quote occurs verbatim in `source_text`; every value is a number
    written in its quote (Arabic as written, or a Chinese numeral read: 三 -> 3,
    千 -> 1000, 第一 -> 1); `meta.issued_on` is a real `YYYY-MM-DD` date or null.
    """
    problems: list[str] = []
    if doc.meta.issued_on is not None and not _valid_date(doc.meta.issued_on):
        problems.append(f"meta.issued_on: {doc.meta.issued_on!r} is not a YYYY-MM-DD date")
    for i, ind in enumerate(doc.indicators):
        where = f"indicators[{i}] ({ind.name})"
        if ind.quote not in source_text:
            problems.append(f"{where}: quote not found verbatim in the source: {ind.quote!r}")
        if not any(math.isclose(ind.value, n, rel_tol=1e-9, abs_tol=1e-12) for n in _numbers_in(ind.quote)):
            problems.append(f"{where}: value {ind.value:g} is not a number written in the quote {ind.quote!r}")
    return problems
