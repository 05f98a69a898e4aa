"""The head of a report as people get it (llmx.text.head, llmx.pipeline.meta): portal fields,
a headline among the first lines, the year and the place the body speaks of; and the kind of
a forecast or a dated plan (llmx.naming.context). Phrasings written for these tests; each
reproduces a shape of real portal pages, news items, speeches and plans."""

from __future__ import annotations

import pytest

from llmx.naming.context import Frame, kind_of
from llmx.pipeline.extract import baseline_extract
from llmx.pipeline.meta import doc_kind, regex_meta
from llmx.text.head import body_region, body_year, clean_title, furniture_date, headline, page_fields
from llmx.text.source import clean_text

PORTAL = """首页 > 政府信息公开 > 部门文件 > 工作总结
索引号：001122334/2024-00017
组配分类：工作总结
发布机构：东川区科学技术局
生成日期：2024-01-18
主题分类：科技
东川区科技局2023年工作总结
2023年，全区科技工作稳中有进，新增高新技术企业42家，技术合同成交额12.5亿元。
"""

NEWS = """来源：东川日报    发布时间：2023-03-02 08:15
记者从区科技局获悉
东川区去年新增省级研发平台9个
2022年，东川区新增省级研发平台9个，高新技术企业总数达到216家。2022年全区研发投入增长18%。
"""

SPEECH = """在全区科技创新大会上的讲话
同志们：
2021年，我们新增科技型中小企业120家。今年，要再新增150家。
"""


def test_a_portal_head_gives_issuer_date_title_year_and_region():
    meta = regex_meta("", "", clean_text(PORTAL).text)
    assert meta.issuer == "东川区科学技术局"
    assert meta.issued_on == "2024-01-18"
    assert meta.title == "东川区科技局2023年工作总结"
    assert meta.kind == "summary" and meta.years == [2023]
    assert meta.region == "东川区"


def test_a_portal_page_s_figures_take_the_report_year():
    source = clean_text(PORTAL, path="portal.txt")
    result = baseline_extract(source)
    assert {i.period for i in result.indicators} == {"2023"}
    assert sorted(i.value for i in result.indicators) == [12.5, 42.0]
    assert result.counts.balanced
    assert any(e.rule == "furniture" for e in result.excluded)


def test_a_news_item_s_year_and_place_come_from_its_body():
    text = clean_text(NEWS).text
    assert page_fields(text).issuer == "东川日报"
    assert page_fields(text).issued_on == "2023-03-02"
    assert headline(text) == "东川区去年新增省级研发平台9个"
    assert body_year(text) == 2022
    meta = regex_meta("", "", text)
    assert meta.years == [2022] and meta.region == "东川区"


def test_a_speech_is_titled_by_its_first_line_and_dated_by_its_body():
    meta = regex_meta("", "", clean_text(SPEECH).text)
    assert meta.title == "在全区科技创新大会上的讲话"
    assert meta.years == [2021]
    assert meta.kind == "other"


def test_the_body_year_leaves_out_full_dates_and_furniture():
    text = "发布时间：2024-02-01\n本报告统计期限自2023年1月1日起至2023年12月31日止。2023年全年办理申请8件，2023年收到建议3件。"
    assert body_year(text) == 2023
    assert body_year("没有年份的文字") is None


@pytest.mark.parametrize("lead, region", [
    ("记者从区科技局获悉，东川区今年新增…", "东川区"),
    ("全区上下按照区委部署…", None),
    ("浙江兰溪市科技局近日…", "兰溪市"),
])
def test_the_body_region_is_a_place_not_a_phrase(lead, region):
    assert body_region(lead) == region


@pytest.mark.parametrize("raw, title", [
    ("标题：某区统计局2020年工作总结 | |", "某区统计局2020年工作总结"),
    ("现在位置：范文网>总结>半年总结>上半年开发区工作总结", "上半年开发区工作总结"),
    ("2023年县政府工作总结报告.doc_第1页", "2023年县政府工作总结报告"),
])
def test_a_title_loses_the_page_s_wrapping(raw, title):
    assert clean_title(raw) == title


def test_an_issuer_line_is_no_headline_and_a_caption_is_none_either():
    lead = "某区统计局\n表1 主要指标\n某区2024年国民经济和社会发展统计公报\n"
    assert headline(lead) == "某区2024年国民经济和社会发展统计公报"
    assert regex_meta("", "", lead).issuer == "某区统计局"


def test_a_page_date_on_its_own_line_dates_the_report():
    assert furniture_date("某局2022年度述职报告\n2024-06-14\n13 页\n正文") == "2024-06-14"


@pytest.mark.parametrize("title, kind", [
    ("某区提升科技创新能力实施方案（2023-2027年）", "plan"),
    ("某市数字经济创新发展行动计划", "plan"),
    ("某市科技局2022年度述职报告", "summary"),
    ("某局2023年政府信息公开工作年度报告", "summary"),
    ("某区第五届人大四次会议开幕", "other"),
])
def test_plans_and_reports_of_a_year_by_their_title(title, kind):
    assert doc_kind(title) == kind


@pytest.mark.parametrize("sentence", [
    "预计上半年全县GDP增长6.3%以上；重点项目完成投资45亿元",
    "到2027年，全区高新技术企业达到160家；研发投入强度达到3.5%",
])
def test_a_forecast_or_a_dated_plan_makes_its_whole_sentence_a_target(sentence):
    last = sentence.rindex(next(c for c in reversed(sentence) if c.isdigit())) - 2
    assert kind_of(sentence, last, Frame(2025, False)) == "target"


def test_an_achieved_figure_after_a_full_stop_is_actual_again():
    text = "预计全年增长6%。上半年新增企业12家"
    assert kind_of(text, text.index("12"), Frame(2025, False)) == "actual"


def test_a_report_titled_by_its_months_without_a_year_dates_its_figures_by_them():
    text = "全区1—7月工业产值超400亿元\n记者获悉，工业产值412.5亿元。工业投资100.2亿元，同比增长12%。\n"
    result = baseline_extract(clean_text(text, path="news.txt"))
    assert result.meta.years == []
    assert {i.period for i in result.indicators} == {"1-7月"}


def test_a_text_with_no_title_word_takes_its_kind_from_a_part_s_heading():
    meta = regex_meta("", "", "一、上半年工作总结\n1、经济运行平稳。预计上半年GDP增长6%。\n")
    assert meta.kind == "summary"


@pytest.mark.parametrize("line", ["友情链接LINKS", "（区长某某作报告 某某摄）", "其中：城镇 乡村 男性 女性"])
def test_links_captions_and_column_lines_are_no_headline(line):
    assert headline(line + "\n某区2024年科技工作总结\n") == "某区2024年科技工作总结"
