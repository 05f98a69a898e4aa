"""The cross-check: nothing the model says about a number is taken on trust.

A model item names a mention by id and echoes its value. It is accepted only
when the id is one of the section's regex-found quantities and the echoed value
equals that mention's number (as written, or numerically, with the magnitude
applied either way). The indicator's value, unit and quote then come from the
source text, never from the model.

A name must not carry a figure the text lacks: every run of digits (with the
letters and signs glued to it, `1e9`, `GDP9`) and every run of two or more
Chinese numerals (`九十九万`) in a name must stand verbatim in the section's text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence

from .numbers import Mention, parse_chinese_number
from .units import split_magnitude

__all__ = ["item_problems", "name_problems", "value_matches"]

_NUMERIC = re.compile(r"-?\d+(?:\.\d+)?")
_NAME_DIGITS = re.compile(r"[0-9A-Za-z.+%&\-]*[0-9][0-9A-Za-z.+%&\-]*")
_NAME_NUMERALS = re.compile(r"[零〇○一二两三四五六七八九十百千万亿]{2,}")


def _as_number(text: str) -> float | None:
    text = text.strip().replace(",", "").replace("，", "")
    m = _NUMERIC.search(text)
    if m:
        value = float(m.group())
        for suffix, factor in (("亿", 1e8), ("万", 1e4), ("千", 1e3)):
            if text[m.end() : m.end() + 1] == suffix:
                return value * factor
        return value
    try:
        return parse_chinese_number(text)
    except (ValueError, KeyError):
        return None


def value_matches(claimed: str, mention: Mention) -> bool:
    """Whether the model's echoed value is the mention's number."""
    claimed = claimed.strip()
    if not claimed:
        return False
    if claimed in (mention.number, mention.text):
        return True
    number = _as_number(claimed)
    if number is None:
        return False
    magnitude, _ = split_magnitude(mention.unit)
    return any(math.isclose(number, v, rel_tol=1e-9, abs_tol=1e-9) for v in (mention.value, mention.value * magnitude))


def name_problems(name: str, text: str) -> list[str]:
    """Why a name fails: it holds a number (digits, or a run of Chinese numerals) that
    does not stand in `text`, the words it was asked to name."""
    name = unicodedata.normalize("NFKC", name)
    text = unicodedata.normalize("NFKC", text)
    alien = [run for pattern in (_NAME_DIGITS, _NAME_NUMERALS) for run in pattern.findall(name)
             if run.strip(".+-&") and run.strip(".+-&") not in text]
    return [f"名称“{name}”含有原文没有的数字“{run}”" for run in alien]


def item_problems(
    item_id: int, value: str, name: str, mentions: Mapping[int, Mention] | Sequence[Mention], text: str | None = None
) -> list[str]:
    """Why one model item fails the cross-check (empty when it passes). Messages
    are in Chinese because they go back to the model in the re-ask. An empty name
    is no failure: the model declines to name that figure, which stays uncovered.
    With `text` (the section's text), the name must carry no number the text lacks."""
    lookup = mentions if isinstance(mentions, Mapping) else dict(enumerate(mentions, start=1))
    mention = lookup.get(item_id)
    if mention is None:
        return [f"id {item_id} 不在数字清单中，只能使用清单里的编号"]
    problems = []
    if not value_matches(value, mention):
        problems.append(f"id {item_id} 的 value 应照抄“{mention.number}”（原文“{mention.text}”），而不是“{value}”")
    if text is not None and name:
        problems.extend(name_problems(name, text))
    return problems
