"""Names decided by rule rather than by the model.

The 1.5B model reads subjects well but attaches growth rates and ranks to the
wrong indicator and copies fragments such as `占GDP达`. So:

- a *dependent* figure, one whose own clause says only `同比增长`, `增幅`,
  `提升…个百分点` or a bare rank (`全市第一`, `增速排名全市第4`), is not sent
  to the model; it is named from the figure it follows in the same sentence
  (`技术合同成交额同比增速`, `有效高企数同比增速全市排名`);
- a model name is tidied: leading verbs and trailing linking words dropped, a
  share fragment (`占GDP`) given the subject of the figure before it.
"""

from __future__ import annotations

import re
import unicodedata

from .context import CLAUSE_STOPS
from .numbers import RANK_SCOPE, Mention

__all__ = ["immediate_lead", "dependent_suffix", "tidy_name", "join_name", "rank_suffix"]

_RATE = re.compile(r"^(同比|比上年|较上年|环比)?(增长|增加|上升|提高|提升|下降|减少|降低)(了|达到|达)?$|^(增幅|增速|降幅)(达到|达|为)?$")
_RANK_LEAD = re.compile(r"^(?:(增速|增幅|提高率|总量|规模)?(?:排名|位列|位居|居|排在|列)?)*$")
_SCOPE = re.compile(f"({RANK_SCOPE})")
_COPIED = re.compile(r"[，,、（()）：:；;“”‘’\"【】]|(?<![A-Za-z])\d+(?:\.\d+)?(?![\dA-Za-z.])(?:年度|[^\d\sA-Za-z])?")
_LEADING = re.compile(r"^(?:全年|今年|当年|其中|共|已|并|实现|完成|达到|累计实现)+")
_TRAILING = re.compile(r"(?:达到|达|为|共|约为|约|超过|超|近|逾|突破|总计|合计|共计|实现)+$")


def immediate_lead(text: str, start: int, floor: int = 0) -> str:
    """The words between the last clause stop and the number (no reaching back)."""
    i = start - 1
    while i >= floor and text[i] not in CLAUSE_STOPS:
        i -= 1
    return text[i + 1 : start]


def rank_suffix(text: str, m: Mention, floor: int = 0) -> str:
    """`全市排名`, `中心城区排名`…: the scope the rank's own words give."""
    scopes = _SCOPE.findall(immediate_lead(text, m.end, floor))  # the rank's own: the last one
    return f"{scopes[-1] if scopes else '全市'}排名"


def dependent_suffix(text: str, m: Mention, floor: int = 0) -> str | None:
    """The suffix that names `m` from the figure before it, or None when `m` has a subject of its own."""
    lead = immediate_lead(text, m.start, floor)
    if m.category == "rank":
        words = _SCOPE.sub("", lead)
        if _RANK_LEAD.fullmatch(words):
            return ("增速" if re.search(r"增速|增幅", words) else "") + rank_suffix(text, m, floor)
        return None
    match = _RATE.match(lead.strip())
    if not match:
        return None
    if m.unit == "个百分点":
        return "提高幅度" if not re.search(r"下降|减少|降低", lead) else "下降幅度"
    if re.search(r"下降|减少|降低|降幅", lead):
        return "同比降幅" if "同比" in lead else "降幅"
    return "同比增速" if "同比" in lead or "增速" in lead else "增幅"


def join_name(base: str, suffix: str) -> str:
    """`base` + `suffix` without saying 增速 twice (`…同比增速` + `增速全市排名`)."""
    if suffix.startswith("增速") and re.search(r"(增速|增幅|降幅)$", base):
        suffix = suffix[2:]
    return base + suffix


def tidy_name(name: str, previous: str | None, mention: Mention | None = None, text: str = "", floor: int = 0) -> str:
    """Drop control, format and bidi characters and, at the ends, verbs and linking words;
    give a share fragment its subject; make a rank's name say 排名."""
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp"))
    name = name.strip().strip("，,。；;：:、")
    if _COPIED.search(name):
        # The model copied a stretch of the sentence: keep its longest plain phrase.
        name = max((p for p in _COPIED.split(name) if p), key=len, default=name)
    name = _TRAILING.sub("", _LEADING.sub("", name)) or name
    if previous and re.match(r"^(占|比重|比例|占比)", name):
        if not re.search(r"比重|比例|占比", name):
            name += "比重"
        name = previous + name
    if mention is not None and mention.category == "rank" and "排名" not in name:
        name += rank_suffix(text, mention, floor)
    return name
