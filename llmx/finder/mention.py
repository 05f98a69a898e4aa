"""What the number finder returns, and what its scan and its second readings share.

    Mention      one number found in a text, with its span, value, unit, approx and category
    RANK_SCOPE   the field a rank is taken in (`全市`, `全省县（市）`, `中心城区`…)
    RANK_VERBS   the verbs that lead to a rank (`位居`, `排名`, `进入`…)

`llmx.finder.numbers` scans a text for numerals (`find_numbers`); `llmx.finder.readings` reads again what a
scan alone cannot (ranks without a numeral, doublings, units before a number). Both build
mentions here and read a rank's field the same way (`rank_scope`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Mention", "RANK_SCOPE", "RANK_FIELD", "RANK_VERBS", "SPACES", "make_mention", "rank_scope"]

SPACES = r"[ \t\u3000\xa0]*"


@dataclass(frozen=True, slots=True)
class Mention:
    """One number found in a text; `text == source[start:end]`."""

    start: int
    end: int
    text: str
    number: str
    value: float
    unit: str | None
    approx: str
    category: str

    @property
    def is_quantity(self) -> bool:
        return self.category in ("quantity", "rank")


# The field a rank is taken in: 全市, 全国区县, 全省县市区, 同类园区…
# A rank's field: `全市`, `全省县市区`, and the bracketed forms of county-level fields
# (`全市县（市、区）`, `各区县（市）`, `全省县（市）`).
# A rank's scope: the whole (`全市`, `全省县区`), a part (`郊区`, `中心城区`), or, right after
# 居 or 位列, a named province or city and its parts (`浙江省县（市、区）`, `绍兴市各区、县（市）`).
RANK_SCOPE = (r"(?:全(?:市|区|国|省|球)|郊区|中心城区|城区|委办局|各区|各县|同类"
              r"|(?<=[居列])(?:(?![全各])[\u4e00-\u9fff]){2,3}(?:省|市)(?:各区、县)?)"  # right after 居/位列
              r"(?:区县|县市区|县区|县市|县|城区|地级市|副省级城市|城市|国家高新区|高新区|开发区|园区|各区)?"
              r"(?:[（(][市区县、]{1,5}[）)])?")
# The field a rank states, found in a name or in the words before a rank (`全市`, `全省县区`).
RANK_FIELD = re.compile(f"({RANK_SCOPE})")
# The verbs that lead to a rank (`位居全市第一`); `保持` and `稳居` hold one (`保持全市第一`).
RANK_VERBS = "排名|排位|位列|位居|名列|并列|稳居|跃居|排在|进入|跻身|列|居"
_RANK_CTX = re.compile(
    rf"(?:{RANK_SCOPE}{SPACES})?"
    rf"(?:(?:{RANK_VERBS}){SPACES})*"
    rf"(?:{RANK_SCOPE}{SPACES})?$")
_HOLD = re.compile(f"(?:保持|稳居){SPACES}$")


def make_mention(text, a, b, number, value, unit, approx, category) -> Mention:
    return Mention(a, b, text[a:b], number, float(value), unit, approx, category)


def rank_scope(text: str, a: int, floor: int) -> int | None:
    """Start of the words before `a` (the offset of 第/前) that make it a rank, or None."""
    window = text[max(floor, a - 14):a]
    m = _RANK_CTX.search(window)
    if not m or not m.group().strip():
        hold = _HOLD.search(window)  # 保持第一: a place held, with no field named
        return a - len(window) + hold.start() if hold else None
    return a - len(window) + m.start()
