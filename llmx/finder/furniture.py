"""What a page carries around a report, and numbers that name rather than measure: the number
finder's rules for text as people get it (a portal page, a document site, a news item).

Each rule is a recurring shape of real pages; a number there is excluded under the rule's
name (`Excluded.rule`), counted, never read as a figure:

    furniture     a line of page or site furniture: a breadcrumb (`首页 > 政府信息公开 > …`), a
                  portal's metadata field (`索引号`, `发布机构`, `生成日期`…), a view count, a page
                  marker (`第 2 页`, `13 页`), previous/next links, a document site's download
                  panel (`页数：7页`, `大小：20.15KB`), a preview's end (`预览结束`)
    identifier    a URL, an e-mail address, a postal address, an ID-card number, a number after a word that
                  makes it an identifier (`工号20240305`, `编号：`, `id=987654`), or a run of
                  eleven or more digits with no unit after it
    placeholder   a number written with a mask (`202x年`, `20XX年度`, `29XX6万元`, `XX.27%`)
    power         a power of ten (`10⁴`, `1.2×10^5`): read whole, it is no figure as written

`FurnitureMap(text)` finds the lines and spans once per text (linear in its length); the
finder asks it per number. Written by hand: no library knows Chinese portal chrome.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["FurnitureMap", "POWER", "placeholder_span", "short_date"]

# A metadata field of a portal page or a document site, at a line's start (several may share a
# line: `发布时间：2022-07-22 浏览次数：677次`).
_FIELD = (r"索引号|组配分类|主题分类|体裁分类|服务对象|发布机构|信息来源|来\s*源|生成日期|发布日期|发布时间|成文日期|"
          r"公开方式|公开范围|公开时限|有效性|浏览次数|访问次数|点击数|点击量|阅读数|阅读量|浏览量|字号|"
          r"页数|大小|格式|上传时间|上传人|文档编号|文档格式|文档大小|下载次数|收藏|分享到|分\s*享|ID|编辑|责任编辑|作者|记者")
# Fields that no sentence of a report opens with: furniture with or without their colon.
_SURE_FIELD = r"索引号|组配分类|主题分类|发布机构|生成日期|发布时间|成文日期|浏览次数|点击数|阅读量"
_FURNITURE_LINE = re.compile(
    rf"[ \t]*(?:(?:{_FIELD})[ \t]*[:：]|(?:{_SURE_FIELD})"                # a metadata field
    r"|(?:首页|网站首页|当前位置|现在位置|您的位置|您当前的位置|位置)[ \t]*[:：>»›/]"   # a breadcrumb
    r"|[^\n。，；]{0,20}(?:[ \t]*[>»›][ \t]*[^\n。，；>»›]{1,20}){2,}[ \t]*$"
    r"|(?:上一篇|下一篇|上一页|下一页|打印本页|打印|关闭窗口|关闭|返回顶部|【打印】|【关闭】)"
    r"|[-—–·•]*[ \t]*(?:上一篇|下一篇)"
    r"|第[ \t]*\d{1,4}[ \t]*页|共[ \t]*\d{1,4}[ \t]*页|\d{1,4}[ \t]*页[ \t]*$|\d{1,4}[ \t]*/[ \t]*\d{1,4}[ \t]*页"
    r"|[\d.]+[ \t]*(?:KB|MB|K|M)[ \t]*$|\d{1,5}\+[ \t]*$"
    r"|.{0,30}预览结束|下载文档|免费下载|立即下载|温馨提示|VIP|友情链接|版权所有|网站地图|联系我们)")


# A URL, an e-mail address or a path (`/art/2024/0305/12345.html`): its digits are an address.
_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+"
                  r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
                  r"|(?<![A-Za-z0-9])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|gov|edu)(?:\.cn)?"
                  r"(?::\d{2,5})?(?:/[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*)?"
                  r"|(?<![A-Za-z0-9])/(?=[A-Za-z0-9_.%/-]*[A-Za-z])(?:[A-Za-z0-9_.%-]+/)+[A-Za-z0-9_.%-]*")  # a path
# An ID-card number (17 digits and a check digit or X), or a number after a word that makes
# it an identifier, or eleven or more digits in a row (no count is written so).
_ID_WORDS = r"端口|工号|学号|证号|证件号码?|身份证号?码?|账号|帐号|卡号|订单号|流水号|ID|Id|id"
_ID_FIELDS = r"索引号|文号|编号|登记号|代码|注册号|备案号|No\.?|NO\.?"  # these need a separator: `编号：`, `No.`
_IDENTIFIER = re.compile(
    r"(?:联系地址|通讯地址|地址|住址)[ \t]*[:：][^，,。；;)）\n]*"  # an address: its floor and door numbers
    r"|(?<![0-9A-Za-z])[0-9A-Z]{9,18}/(?:19|20)\d{2}-\d{2,}"  # an index number of 政府信息公开 (…/2024-004211)
    r"|(?:该|本)?文档(?:总)?共[ \t]*\d+[ \t]*页"  # a document site's page count
    rf"|(?:(?:{_ID_WORDS})[ \t]*[:：=#]?|(?:{_ID_FIELDS})[ \t]*[:：=#])[ \t]*[A-Za-z0-9-]*\d[A-Za-z0-9-]*"
    r"|(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9])"
    r"|(?<![0-9.A-Za-z])\d{11,}(?![0-9.])")
# A mask in a number (`202x`, `20XX`, `29XX6`, `XX.27`): a document site's or a template's.
_MASK = re.compile(r"(?:\d+[xX×*＊]+[\dxX×*＊]*|[xX*＊]{2,}\d*)(?:[.．][\dxX*＊]+)?")
# A power of ten, with the mantissa before it (`1.2×10^5`, `10⁴`, `3x10^-2`).
POWER = re.compile(r"(?:\d+(?:\.\d+)?[ \t]*[×xX*][ \t]*)?10(?:\^[-−]?\d{1,3}|[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})")
# A date written with a two-digit year (`24年3月`, `24年3月5日`).
_SHORT_DATE = re.compile(r"\d{2}[ \t]*年[ \t]*(?:1[0-2]|0?[1-9])[ \t]*月(?:[ \t]*\d{1,2}[ \t]*[日号])?")


def short_date(text: str, s: int) -> int | None:
    """End of a date with a two-digit year starting at `s` (`24年3月`), or None."""
    if s and text[s - 1].isdigit():
        return None
    m = _SHORT_DATE.match(text, s)
    return m.end() if m else None


def placeholder_span(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The span of a masked number around the digits at [s, e) (`202x`, `29XX6`, `XX.27`), or None."""
    a = s
    while a > 0 and (text[a - 1] in "xX*＊.．" or text[a - 1].isdigit()):
        a -= 1
    m = _MASK.match(text, a)
    if m and m.start() <= s and m.end() >= e and re.search(r"[xX*＊]", m.group()):
        # a Latin word (`Max2`) is no mask: the letters stand alone, not in a word
        if a > 0 and text[a - 1].isascii() and text[a - 1].isalpha():
            return None
        if m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalpha():
            return None
        return m.start(), m.end()
    return None


# A furniture line is short; a longer line that opens like one (`当前位置：…` run into the text of a
# page copied without line breaks) is prose, and its numbers are read.
FURNITURE_LINE_MAX = 160


class FurnitureMap:
    """The furniture lines and identifier spans of one text, found once; asked per number."""

    __slots__ = ("_line_starts", "_line_ends", "_id_starts", "_id_ends")

    def __init__(self, text: str) -> None:
        starts, ends = [], []
        pos = 0
        for line in text.split("\n"):
            if line.strip() and len(line) <= FURNITURE_LINE_MAX and _FURNITURE_LINE.match(line):
                starts.append(pos)
                ends.append(pos + len(line))
            pos += len(line) + 1
        self._line_starts, self._line_ends = starts, ends
        spans = sorted(m.span() for p in (_URL, _IDENTIFIER) for m in p.finditer(text))
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        self._id_starts = [a for a, _ in merged]
        self._id_ends = [b for _, b in merged]

    def furniture_line(self, i: int) -> tuple[int, int] | None:
        """The span of the furniture line holding offset `i`, or None."""
        k = bisect_right(self._line_starts, i) - 1
        if k >= 0 and i < self._line_ends[k]:
            return self._line_starts[k], self._line_ends[k]
        return None

    def identifier(self, i: int) -> tuple[int, int] | None:
        """The span of the URL, address or identifier holding offset `i`, or None."""
        k = bisect_right(self._id_starts, i) - 1
        if k >= 0 and i < self._id_ends[k]:
            return self._id_starts[k], self._id_ends[k]
        return None
