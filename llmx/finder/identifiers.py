"""Numbers that identify or label something rather than measure it: the number finder's
rules for contact numbers, versions, programme spans and table captions.

Each is a recurring shape of report text that a reader never takes for a figure, and that a
digit pattern alone reads as one (`联系电话：0731-88665000` as the range up to 88,665,000):

    contact_end     a telephone or fax number, a mobile number, a postcode or a hotline
                    number (`0756-2123456`, `（0551）65380000`, `邮编：710016`, `热线12345`)
    is_version      a version written onto a name (`平台2.0`, `工业4.0`, `3.0版`)
    is_programme    the span that names a programme (`三年行动计划`, `五年规划`)
    is_caption      the number of a table or figure caption (`表1`, `附表2`, `图3`)

Written by hand (no library reads these in Chinese report text); used by `llmx.finder.numbers`,
whose mentions they classify as `contact` (excluded by that rule) or `name`/`list_marker`.
"""

from __future__ import annotations

import re

from .units import UNIT_PATTERN

__all__ = ["contact_end", "is_version", "is_programme", "is_caption"]

_SP = r"[ \t\u3000\xa0]*"
# An area code and a local number (`0731-88665000`, `（0551）65380000`, `010 6521 1234`), with an
# extension (`-801`); a mobile number (`13912345678`). Not followed by more digits or a unit.
_PHONE = re.compile(
    rf"(?:[(（]0[0-9]{{2,3}}[)）]{_SP}|0[0-9]{{2,3}}{_SP}[-－—–]?{_SP})[0-9]{{3,4}}{_SP}[-－]?[0-9]{{3,4}}"
    rf"(?:(?:[-－—–]|{_SP}转{_SP})[0-9]{{1,5}})?(?![0-9])"
    r"|1[3-9][0-9]{9}(?![0-9])"
)
# The words that introduce a contact number, with the colon or space after them.
_CUE = re.compile(
    rf"(?:电话|传真|热线|手机|座机|邮编|邮政编码|QQ群?|微信|联系方式){_SP}(?:号码|号)?{_SP}[：:]?{_SP}$"
)
# The number after a contact word: digits (with dashes); one with a unit after it is a figure.
_DIGIT_RUN = re.compile(r"[0-9]{3,}(?:[-－][0-9]{2,})*(?![0-9.])")
_UNIT_AFTER = re.compile(rf"{_SP}(?:万|亿)?(?:{UNIT_PATTERN})")


def contact_end(text: str, s: int) -> int | None:
    """End of the contact number whose digits start at `s` (or at a bracket right before
    it), or None. A phone-shaped number counts anywhere; any run of three or more digits
    counts right after a contact word (`邮编：`, `热线`, `传真：`)."""
    start = s - 1 if s and text[s - 1] in "(（" else s
    m = _PHONE.match(text, start)
    if m:
        return m.end()
    if _CUE.search(text, max(0, start - 10), start):
        m = _DIGIT_RUN.match(text, s)
        if m and not _UNIT_AFTER.match(text, m.end()):
            return m.end()
    return None


# Characters that lead to a measured figure (`增长2.0`, `达到4.0`, `比重2.0`): no version follows them.
_FIGURE_LEAD = frozenset("达到为至超约近比长降低高于是有计和及共增减占余率速重数值额量均提升下上")


def is_version(text: str, s: int, e: int) -> bool:
    """Whether the unit-less number at [s, e) is a version (`3.0版`, `平台2.0`, `工业4.0`): an
    `N.0` written right onto a word that does not lead to a figure, or any number before 版."""
    if text.startswith("版", e):
        return True
    if not re.fullmatch(r"[0-9]{1,2}\.0", text[s:e]) or s == 0:
        return False
    prev = text[s - 1]
    return (("\u4e00" <= prev <= "\u9fff") or (prev.isascii() and prev.isalpha())) and prev not in _FIGURE_LEAD


_PROGRAMME = re.compile(_SP + r"(?:行动|规划|攻坚|专项行动|计划)")


def is_programme(text: str, end: int, unit: str | None) -> bool:
    """Whether a count of years ending at `end` names a programme's span (`三年行动计划`)."""
    return unit in ("年", "年度") and bool(_PROGRAMME.match(text, end))


def is_caption(text: str, b: int) -> bool:
    """Whether the number after `text[b - 1]` is a caption's (`表1`, `附表2`, `图3`): 表 or 图 at
    the start of a line (after 附, 续 or spaces)."""
    if b < 1 or text[b - 1] not in "表图":
        return False
    a = b - 1
    if a and text[a - 1] in "附续":
        a -= 1
    while a and text[a - 1] in " \t\u3000\xa0":
        a -= 1
    return a == 0 or text[a - 1] in "\n\r"
