"""The head of a report as people get it: a portal page's metadata fields, a headline found
anywhere in the first lines, and the report's year read from its body when the head has none.

    page_fields(lead)   a portal page's or a news page's metadata: 发布机构/信息来源/来源 (issuer),
                        成文日期/生成日期/发布日期/发布时间 (the date), 文号/发文字号 (doc_number)
    headline(lead)      the first line that reads as a title: short, no sentence punctuation at
                        its end, not furniture (`llmx.finder.furniture`), not a greeting
    body_year(text)     the year the body speaks of most (`2023年，…`), dates and furniture lines left out
    body_region(lead)   the first district, county, city or zone the body names

Each is a shape that recurs across real pages of several kinds (portal report pages, news
items, speeches, document-site copies); `llmx.pipeline.meta` uses them where the report's own
head (title line, issuer, 文号, signature) says nothing.
"""

from __future__ import annotations

import re
from collections import Counter

from ..finder.furniture import FurnitureMap

__all__ = ["PageFields", "page_fields", "headline", "clean_title", "lead_issuer", "furniture_date", "body_year",
           "body_region", "is_place", "title_issuer", "self_named", "reported_document", "BYLINE", "LEAD_CHARS", "TITLE_HINT", "ISSUER_LINE"]

LEAD_CHARS = 1500  # how far into a text its head is looked for

_FIELD_NAMES = r"发布时间|发布日期|生成日期|成文日期|浏览次数|点击数|发布机构|信息来源|来源|文号|作者|编辑|字号|字体"
_FIELD_VALUE = rf"[ \t]*[:：][ \t]*(?P<v>[^\s:：|]{{2,40}}?)(?=\s|$|[|:：]|{_FIELD_NAMES})"
_ISSUER_FIELD = re.compile(r"(?:发布机构|发文机关|信息来源|来\s*源|发布单位)" + _FIELD_VALUE)
_NUMBER_FIELD = re.compile(r"(?:文\s*号|发文字号)" + _FIELD_VALUE)
_DATE_FIELD = re.compile(r"(?P<k>成文日期|生成日期|发布日期|发布时间|发表时间|日期|时间)[ \t]*[:：][ \t]*"
                         r"(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})")
_DATE_ORDER = {"成文日期": 0, "生成日期": 1, "发布日期": 2, "发布时间": 2, "发表时间": 2, "日期": 3, "时间": 4}


class PageFields:
    """The metadata fields of a page head: `issuer`, `issued_on` (YYYY-MM-DD) and `doc_number`, or None."""

    __slots__ = ("issuer", "issued_on", "doc_number")

    def __init__(self, issuer: str | None, issued_on: str | None, doc_number: str | None) -> None:
        self.issuer, self.issued_on, self.doc_number = issuer, issued_on, doc_number


# An issuer field whose value stands on the next line (`发布机构：⏎⏎  商务局`), as a portal lays it out.
_ISSUER_FIELD_ABOVE = re.compile(r"(?:发布机构|发文机关|信息来源|发布单位)[ \t]*[:：][ \t]*\n\s*(?P<v>[^\n]+)")
_THIS_SITE = re.compile(r"^(?:本网|本站|本网站)$")


def page_fields(lead: str) -> PageFields:
    """The metadata fields written in `lead` (the first lines of a text); a source field that
    names the site itself (`来源：本网`) names no issuer."""
    issuer = m.group("v") if (m := _ISSUER_FIELD.search(lead)) else None
    if issuer is None and (m := _ISSUER_FIELD_ABOVE.search(lead)) and ISSUER_LINE.fullmatch(m.group("v").strip()):
        issuer = m.group("v").strip()
    if issuer and _THIS_SITE.match(issuer):
        issuer = None
    number = m.group("v") if (m := _NUMBER_FIELD.search(lead)) else None
    dates = []
    for m in _DATE_FIELD.finditer(lead):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            dates.append((_DATE_ORDER[m.group("k")], m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    issued = min(dates)[2] if dates else None
    if number and not re.search(r"\d", number):
        number = None  # `文号：无`
    return PageFields(issuer, issued, number)


# A line that reads as a title: 6 to 60 characters, Chinese, no clause punctuation at its end.
_TITLE_SHAPE = re.compile(r"[^\n]{6,60}")
_NOT_HEADLINE = re.compile(r"^(?:同志们|各位|尊敬的|大家好|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
                           r"|(?:[^|｜]*[^|｜\s][^|｜]*[|｜]){2,}[^|｜]*[^|｜\s]|.{12,}[，,].{12,}"  # a site's menu (`…网|…网|…网`), a sentence
                           r"|附?表\d|图\d)|[。，；：、,;:]$|^[^\u4e00-\u9fff]*$|热门搜索|联系我们|会员中心|免费|试读|收听|朗读"
                           r"|编辑|记者|作者|出席|主持|摄[）)]$|^[（(]|(?:\S+\s+){3,}\S")
# A speaker's byline (`区人民政府区长 李平`): an office and a person's name, no title.
BYLINE = re.compile(r"(?:区长|市长|县长|书记|主任|局长|部长|主席|理事长|秘书长|委员)[ \t\u3000]*[\u4e00-\u9fff]{2,3}$")
# A line that is only an issuer's name (`龙沙区统计局`, `…区人民政府`) names the issuer, not the report.
ISSUER_LINE = re.compile(r"[\u4e00-\u9fff（）()]{3,30}?(?:委员会|管委会|科学技术协会|人民政府|办公室|调查队|统计局|局)")
# Words that make a line a report's or a page's title (preferred over another short line).
TITLE_HINT = re.compile(r"报告|总结|讲话|方案|计划|规划|公报|要点|述职|致辞|发言|纲要|意见|通报|情况")


def headline(lead: str, furniture: FurnitureMap | None = None) -> str | None:
    """The first line of `lead` that reads as a title (one with a title word before any other
    among the first lines), or None."""
    furniture = furniture or FurnitureMap(lead)
    candidates: list[str] = []
    pos = 0
    for line in lead.split("\n")[:16]:
        stripped = line.strip()
        start = pos + len(line) - len(line.lstrip())
        pos += len(line) + 1
        if not stripped or furniture.furniture_line(start) or not _TITLE_SHAPE.fullmatch(stripped):
            continue
        if (_NOT_HEADLINE.search(stripped) or furniture.identifier(start) or ISSUER_LINE.fullmatch(stripped) or BYLINE.search(stripped)
                or _COLUMN_LINE.fullmatch(stripped)):
            continue
        candidates.append(stripped)
    hinted = [c for c in candidates if TITLE_HINT.search(c)]
    return clean_title((hinted or candidates or [None])[0])


# A document that names itself in its first lines: a plan `特制定` (`…，特制定重庆市数字经济创新发展行动计划。`),
# or the notice that issues it (`《…实施方案(2023-2027年)》已经区政府常务会议审议通过，现印发给你们`).
_SELF_NAMED = (re.compile(r"特制定本?《?([^，。；《》\n]{4,40}?(?:计划|方案|规划|意见|办法|要点|细则|措施|纲要))》?[。，；]"),
               re.compile(r"《([^《》\n]{4,80})》[^。\n《》]{0,30}?[，,]?现(?:予以)?印发给你们"))


def self_named(lead: str) -> str | None:
    """The title a text gives itself in its first lines (see above), or None."""
    for pattern in _SELF_NAMED:
        if m := pattern.search(lead):
            return m.group(1).strip()
    return None


# A news item on a document, in its first sentence: `…区人民政府发布关于印发《…行动方案(2023—2027年)》的通知`,
# `近日，市科技局印发了《…实施方案》`. The item is not the document, but speaks of its plans and years.
_REPORTED = re.compile(r"^[^。\n]{0,60}?(?:发布|印发|出台|公布)了?[^《。\n]{0,12}《([^《》\n]{4,80})》")


def reported_document(lead: str) -> str | None:
    """The title of the document a news item's first sentence reports on (see above), or None."""
    for line in lead.split("\n")[:3]:
        if m := _REPORTED.search(line.strip()):
            return m.group(1).strip()
    return None


_TITLE_LABEL = re.compile(r"^(?:标\s*题|题\s*目)[ \t]*[:：][ \t]*")
_TITLE_TAIL = re.compile(r"(?:\.(?:docx?|pdf|txt|wps)\S*|[ \t|]+)$", re.IGNORECASE)


def clean_title(title: str | None) -> str | None:
    """A title without a page's wrapping: a `标题：` label, a breadcrumb before it (`…>…>title`),
    a file name's extension and what a site adds after it (`.doc_第1页`), trailing bars."""
    if not title:
        return title
    title = _TITLE_LABEL.sub("", title)
    title = re.split(r"[>»›]", title)[-1].strip()
    title = _TITLE_TAIL.sub("", title).strip()
    return title or None


def lead_issuer(lead: str) -> str | None:
    """An issuer written alone on one of the first lines (`龙沙区统计局`), or None."""
    for line in lead.split("\n")[:12]:
        if ISSUER_LINE.fullmatch(line.strip()):
            return line.strip()
    return None


# A report titled by its issuer and its year (`市科技局2017年政府信息公开工作年度报告`).
_ISSUER_OPENING = re.compile(r"^(?:中共)?([\u4e00-\u9fff（）()]{2,30}?(?:委员会|管委会|科学技术协会|人民政府|办公室|调查队|局))"
                             r"(?:19|20)\d{2}年")


def title_issuer(title: str | None) -> str | None:
    """The issuer that opens `title` before its year, or None."""
    return m.group(1) if title and (m := _ISSUER_OPENING.match(title)) else None


_ANY_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})(?!\d)")


def furniture_date(lead: str, furniture: FurnitureMap | None = None) -> str | None:
    """The first full date on a furniture line or alone on a line of `lead` (a page's date), or None."""
    furniture = furniture or FurnitureMap(lead)
    pos = 0
    for line in lead.split("\n"):
        m = _ANY_DATE.search(line)
        if m and (furniture.furniture_line(pos) or len(line.strip()) <= 22):
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
        pos += len(line) + 1
    return None


_YEAR = re.compile(r"(?<![\d.\-/])((?:19|20)\d{2})[ \t]*年(?![ \t]*\d{1,2}[ \t]*月[ \t]*\d{1,2}[ \t]*日)")


# A table's header or row (three or more cells apart, no clause punctuation): its years are columns.
_COLUMN_LINE = re.compile(r"(?m)^[ \t]*[^\s，。；：、]+(?:[ \t]+[^\s，。；：、]+){2,}[ \t]*$")


def body_year(text: str, furniture: FurnitureMap | None = None) -> int | None:
    """The year the body of `text` speaks of most often (`2023年，…`, `2023年全区…`): a full
    date (`2024年1月30日`), the years on furniture lines (`发布时间：2024-01-30`) and a table's
    column years do not count; a tie goes to the earlier year. None when no year is written."""
    furniture = furniture or FurnitureMap(text)
    columns = [m.span() for m in _COLUMN_LINE.finditer(text)]
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(text)
                    if not furniture.furniture_line(m.start()) and not any(a <= m.start() < b for a, b in columns))
    if not years:
        return None
    top = max(years.values())
    return min(y for y, n in years.items() if n == top)


# A place the body names: a zone (`平顶山高新区`), a district or county (`龙沙区`, `中江县`), a city.
_PROVINCES = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|"
              "四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆")
_PLACE = re.compile(rf"(?:省|市|{_PROVINCES}|^|(?<=[^\u4e00-\u9fff]))([\u4e00-\u9fff]{{2,4}}?(?:高新区|经开区|开发区|新区)|"
                    r"[\u4e00-\u9fff]{2,3}?(?:区|县)|[\u4e00-\u9fff]{2,3}?市)(?![级域场镇])", re.M)  # 市级, 区域, 市场, 区镇两级: no place
# Words before 区/县/市 that make no place: `全区`, `我县`, `城区`, `园区`…
_NOT_PLACE = re.compile(r"^(?:全|本|我|该|各|辖|城|园|社|景|郊|小|市|省|县|区|街|片|校|厂|矿|库|港|站|商|城市|"
                        r"示范|试验|重点|功能|高新|经开|开发|新)|^[^\u4e00-\u9fff]"
                        r"|(?:城|园|社|景|郊|小|山|街|片|厂|矿|商|校|营|宿)区$|(?:都|城)市$")


# Characters a place name does not hold (particles, verbs, pronouns): `记者从区`, `格按照区` are none.
_NOT_IN_PLACE = set("的了在是从按照者志围绕度年居位获聚焦定于和与及对为将把被向由以全本我该各其这那受到记说据会上下中技术政府创业个")


# Particles, pronouns and words of prose that no place name holds where one is expected.
_PROSE = set("的了在是从把被将对向由以于和与及年该全本我各其这那政府")


def is_place(place: str, *, named: bool = False) -> bool:
    """Whether `place` (`龙华区`, `平阳县`) names a district, county, city or zone: no piece of
    prose cut before 区 (`年全区`, `了该区`, `政府区`) and, unless it is `named` where a place
    is expected (after 市 or 省, opening an issuer or a title), no word such as `全区`, `城区`."""
    name = re.sub(r"(?:高新区|经开区|开发区|新区|区|县|市)$", "", place)
    if named:
        return not set(name) & _PROSE and len(name) >= 2
    return not _NOT_PLACE.search(place) and not set(name) & _NOT_IN_PLACE and len(name) >= 2


# A zone's full name read as its short one (`福州高新技术产业开发区` -> `福州高新区`).
_ZONE_NAMES = ((re.compile(r"(?<=[\u4e00-\u9fff]{2})高新技术产业开发区"), "高新区"), (re.compile(r"(?<=[\u4e00-\u9fff]{2})经济技术开发区"), "经开区"))


def body_region(lead: str) -> str | None:
    """The first district, county, city or zone that `lead` names, or None."""
    for long, short in _ZONE_NAMES:
        lead = long.sub(short, lead)
    return next((m.group(1) for m in _PLACE.finditer(lead) if is_place(m.group(1))), None)
