"""The report's meta block: read by rules; the model is asked only for what they leave empty.

`regex_meta` reads title, issuer, region, 文号 and date from the report's head (and its
signature lines); where the head says nothing — a portal page, a news item, a speech — it reads
the page's metadata fields, a headline in the first lines, the year and the place the body
speaks of (`llmx.text.head`, given the text's first lines as `lead`). Measured on the seeds, the dev set and two held-out sets (27 reports), the
rules alone got 175 of 189 fields right and the model's answer, preferred where the text bore it
out, 170: so the rules come first, and the model is asked (`needs_model`) only when they find
no title, issuer or region. Every string the model returns must occur in the head of the
report (spaces ignored) and a date must be one the text states; `kind` and `years` follow
from the title.
"""

from __future__ import annotations

import re
from datetime import date

from ..models import Meta
from ..model.schema import MetaAnswer
from ..finder.furniture import FurnitureMap
from ..text.head import (
    LEAD_CHARS, body_region, body_year, clean_title, furniture_date, headline, is_place, lead_issuer, page_fields,
    self_named, reported_document, title_issuer, BYLINE,
)
from ..text.sections import TITLE_WORDS

__all__ = ["regex_meta", "needs_model", "checked_meta", "doc_kind", "doc_years", "LEAD_CHARS"]

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")
_EXCERPT = re.compile(r"[（(](?:节选|摘要|摘编)[）)]$")
_NOT_TITLE = re.compile(r"通知|附件|现将|^关于|当前位置")
_ISSUER = re.compile(r"([\u4e00-\u9fff（）()]{4,40}?(?:委员会|管委会|科学技术协会|人民政府|办公室|调查队|局))(?:文件)?$")
# A zone the report is about opens its title or issuer under its short name (`成都高新区…`,
# `苏州工业园区…`): read whole, before the district patterns cut it (`都高新区`).
_ZONE = re.compile(r"^(?:中共)?([\u4e00-\u9fff]{2,4}?(?:高新区|工业园区|经开区|新区))")
_REGION = (_ZONE, re.compile(r"(?:省|市)([\u4e00-\u9fff]{2,3}?区)"), re.compile(r"([\u4e00-\u9fff]{2}(?:新区|区|县))"),
           re.compile(r"^(?:中共)?([\u4e00-\u9fff]{2,3}?市)"))  # a city's own report: its name opens issuer or title
_DATES = (
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d)"),
)
_ISSUE_CUE = re.compile(r"印发|发布|成文|签发")
_REPORT_ON = re.compile(r"^关于.{2,40}的报告$")
_SENTENCE = re.compile(r"^.{4,}[，,].{20,}$")  # a sentence of the body that names a report, no title


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def doc_kind(title: str | None) -> str:
    """summary / plan / summary_and_plan / other, from the title's words: a report on a year's
    work (its 总结, 述职, 年度报告, 工作报告) is a summary; 要点, 计划, 实施方案, 行动方案, 规划 are plans."""
    title = title or ""
    summary = bool(re.search(r"总结|工作(?:开展)?情况的?报告|述职|年度报告|政府工作报告|工作回顾|完成情况", title))
    plan = bool(re.search(r"要点|计划|安排|思路|打算|设想|实施方案|行动方案|工作方案|规划(?!编制)", title))
    if summary and plan:
        return "summary_and_plan"
    return "summary" if summary else "plan" if plan else "other"


_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})(?!\d)")


def doc_years(title: str | None) -> list[int]:
    """The years `title` names, every year of a span (`（2023—2027年）`) included."""
    years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", title or "")}
    for m in _YEAR_RANGE.finditer(title or ""):
        a, b = int(m.group(1)), int(m.group(2))
        if 0 < b - a <= 10:
            years.update(range(a, b + 1))
    return sorted(years)


def _dates(text: str) -> list[tuple[int, str]]:
    found = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            try:
                d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            found.append((m.start(), d.isoformat()))
    return sorted(found)


def regex_meta(head: str, tail: str = "", lead: str = "") -> Meta:
    """Meta found by rules alone, from the report's head (and last lines, for the signature date),
    and from the text's first lines (`lead`) for what the head does not give."""
    meta = _head_meta(head, tail)
    if not lead.strip():
        return meta
    lead = lead[:LEAD_CHARS]
    furniture = FurnitureMap(lead)
    fields = page_fields(lead)
    named = self_named(lead)
    title = named or (clean_title(meta.title) if meta.title else headline(lead, furniture))
    reported = reported_document(lead)
    years = doc_years(title) or doc_years(reported) or ([y] if (y := body_year(lead, furniture)) else [])
    issuer = (meta.issuer or (fields.issuer if fields.issuer and not re.search(r"\d", fields.issuer) else None)
              or lead_issuer(lead) or title_issuer(title))
    region = meta.region or _region_of(issuer or "", title or "") or body_region(_body(lead, furniture))
    kind = meta.kind if meta.title and not named else doc_kind(title)
    if kind == "other" and reported:  # a news item on a plan is read as the plan (its targets, its years)
        kind = doc_kind(reported)
    if kind == "other":  # no title word: a part's heading among the first lines says it (`一、上半年工作总结`)
        kind = next((k for line in lead.split("\n")[:30] if len(line.strip()) <= 30
                     and (k := doc_kind(line)) != "other"), "other")
    issued_on = fields.issued_on or meta.issued_on or furniture_date(lead, furniture)
    return Meta(issuer=issuer, region=region, doc_number=meta.doc_number or fields.doc_number, title=title,
                kind=kind, years=meta.years or years or dateline_years(issued_on, lead),
                issued_on=issued_on)


# A year is reported on in the first months of the next (work reports, summaries, the news of
# them): an item whose title and first lines name no year, dated January to March, speaks of the
# year before and plans its own; dated later, it speaks of its own year. The date must be the
# item's own: its body names the day (a news item's `1月24日讯`, a meeting's `1月24日上午`), where a
# copy's posting date on a document site is named nowhere else.
REPORTING_MONTHS = 3


def dateline_years(issued_on: str | None, body: str) -> list[int]:
    """The years of a report that names none, from its date (`issued_on`, YYYY-MM-DD) when
    `body` names that day."""
    if not issued_on:
        return []
    year, month, day = (int(part) for part in issued_on.split("-"))
    if not re.search(rf"(?<!\d){month}\s*月\s*{day}\s*日", body):
        return []
    return [year - 1, year] if month <= REPORTING_MONTHS else [year]


def _body(lead: str, furniture: FurnitureMap) -> str:
    """`lead` without its furniture lines."""
    out, pos = [], 0
    for line in lead.split("\n"):
        if not furniture.furniture_line(pos) or not line.strip():
            out.append(line)
        pos += len(line) + 1
    return "\n".join(out)


def _region_of(*sources: str) -> str | None:
    for pattern in _REGION:
        for source in sources:
            for m in pattern.finditer(source):
                if is_place(m.group(1), named=True):
                    return m.group(1)
    return None


def _head_meta(head: str, tail: str) -> Meta:
    lines = [line.strip() for line in head.split("\n") if line.strip()]
    # A report's title may be its issuer's line and a `关于…的报告` line under it.
    joined = [before + line for before, line in zip(lines, lines[1:]) if _REPORT_ON.match(line) and _ISSUER.search(before)]
    # ... and a title wrapped before its last words (`2021年中站区国民经济和社会发展⏎统计公报`).
    joined += [before + line for before, line in zip(lines, lines[1:])
               if len(line) <= 10 and TITLE_WORDS.search(line) and not TITLE_WORDS.search(before)
               and len(before) <= 40 and not re.search(r"[。，；：,;:]$", before) and not _dates(before)]
    titles = [line for line in lines + joined if TITLE_WORDS.search(line) and not _NOT_TITLE.search(line)
              and not BYLINE.search(line) and not _SENTENCE.search(line)]
    title = _EXCERPT.sub("", max(titles, key=len).strip("《》")) if titles else None
    number = _DOC_NUMBER.search(head)
    issuer = None
    for line in lines:
        m = _ISSUER.search(line.replace("来源:", "").replace("来源：", "").split("发布时间")[0])
        if m:
            issuer = m.group(1)
            break
    if issuer is None:  # the signature: the last lines that are issuers, two of them joined by 、
        signed = []
        for line in reversed([x.strip() for x in tail.split("\n") if x.strip()]):
            if _dates(line):
                continue
            if not (m := _ISSUER.fullmatch(line)):
                break
            signed.insert(0, m.group(1))
        issuer = "、".join(signed) or None
    region = _region_of(issuer or "", title or "", head)
    issued = None
    cued = [d for pos, d in _dates(head) if _ISSUE_CUE.search(head[max(0, pos - 12) : pos + 20])]
    tail_dates = [d for _, d in _dates(tail)]
    any_dates = [d for _, d in _dates(head)]
    for candidates in (cued, tail_dates, any_dates):
        if candidates:
            issued = candidates[-1]
            break
    return Meta(
        issuer=issuer,
        region=region,
        doc_number=_squash(number.group()) if number else None,
        title=title,
        kind=doc_kind(title),
        years=doc_years(title),
        issued_on=issued,
    )


def needs_model(meta: Meta) -> bool:
    """Whether the rules left a field the model should be asked for: the title, issuer or
    region (a 文号 or a date is often simply not there)."""
    return meta.title is None or meta.issuer is None or meta.region is None


def checked_meta(answer: MetaAnswer | None, head: str, tail: str = "", lead: str = "") -> Meta:
    """The rules' meta (`regex_meta`), each field they leave empty filled from the model's
    answer where the text bears it out."""
    ruled = regex_meta(head, tail, lead)
    if answer is None:
        return ruled
    squashed = _squash(head)

    def verbatim(value: str | None) -> str | None:
        return value.strip() if value and _squash(value) and _squash(value) in squashed else None

    stated = {d for _, d in _dates(head + "\n" + tail)}
    title = (answer.title or "").strip("《》")
    title = verbatim(title) if title and not _NOT_TITLE.search(title) else None
    number = verbatim(answer.doc_number)
    if number and not _DOC_NUMBER.fullmatch(_squash(number)):
        number = None
    title = ruled.title or title
    return Meta(
        issuer=ruled.issuer or verbatim(answer.issuer),
        region=ruled.region or verbatim(answer.region),
        doc_number=ruled.doc_number or number,
        title=title,
        kind=ruled.kind if ruled.title or doc_kind(title) == "other" else doc_kind(title),
        years=ruled.years or doc_years(title),
        issued_on=ruled.issued_on or (answer.issued_on if answer.issued_on in stated else None),
    )
