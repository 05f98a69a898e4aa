"""The cross-check: nothing the model says about a number is taken on trust.

A model item names a mention by id and echoes its value. It is accepted only
when the id is one of the section's regex-found quantities and the echoed value
equals that mention's number (as written, or numerically, with the magnitude
applied either way). The indicator's value, unit and quote then come from the
source text, never from the model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from .numbers import Mention, parse_chinese_number
from .units import split_magnitude

__all__ = ["item_problems", "value_matches"]

_NUMERIC = re.compile(r"-?\d+(?:\.\d+)?")


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


def item_problems(
    item_id: int, value: str, name: str, mentions: Mapping[int, Mention] | Sequence[Mention]
) -> list[str]:
    """Why one model item fails the cross-check (empty when it passes). Messages
    are in Chinese because they go back to the model in the re-ask. An empty name
    is no failure: the model declines to name that figure, which stays uncovered."""
    lookup = mentions if isinstance(mentions, Mapping) else dict(enumerate(mentions, start=1))
    mention = lookup.get(item_id)
    if mention is None:
        return [f"id {item_id} 不在数字清单中，只能使用清单里的编号"]
    problems = []
    if not value_matches(value, mention):
        problems.append(f"id {item_id} 的 value 应照抄“{mention.number}”（原文“{mention.text}”），而不是“{value}”")
    return problems
