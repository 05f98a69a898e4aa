"""Nothing lost, nothing invented, checked without a model.

- Conservation: every number the finder sees in a report ends in exactly one of
  indicators, rejected, uncovered or excluded, on the seeds, the dev set and
  generated documents (hypothesis).
- Grounding: every output value is a number its quote states, confirmed by
  `bench/grounding.py`, which uses no llmx code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmx.pipeline.extract import baseline_extract
from llmx.finder.numbers import find_numbers
from llmx.text.source import clean_text, load_source

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from grounding import value_in_quote  # noqa: E402

DOCS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "eval" / "dev" / "docs").glob("*.txt"))


def assert_accounted_and_grounded(result, original: str, text: str) -> None:
    """The four outcomes add up to an independent count of the finder's numbers, no
    number is in two places, and every value stands in its quote."""
    counts = result.counts
    assert counts.found == len(find_numbers(text))
    assert counts.balanced, counts
    spans = [(r.start, r.end) for r in result.rejected if r.is_figure]
    spans += [(u.start, u.end) for u in result.uncovered] + [(e.start, e.end) for e in result.excluded]
    spans += [(i.figure_start, i.figure_end) for i in result.indicators]
    assert len(spans) == len(set(spans)), "a number is accounted for twice"
    for ind in result.indicators:
        assert original[ind.start : ind.end] == ind.quote
        assert original[ind.figure_start : ind.figure_end] in ind.quote
        assert value_in_quote(ind.value, ind.quote), (ind.value, ind.quote)
    for u in result.uncovered:
        assert original[u.start : u.end] == u.text and value_in_quote(u.value, u.text), (u.value, u.text)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_number_of_a_report_is_accounted_for(path):
    source = load_source(path)
    result = baseline_extract(source)
    assert_accounted_and_grounded(result, source.original, source.text)
    assert result.indicators, "a report with no indicator"


def test_a_numbered_target_list_is_content_not_headings():
    text = ("2025年工作计划\n一、主要目标\n（一）技术合同成交额力争达到600亿元；\n（二）新增高新技术企业120家；\n"
            "1．新建市级以上研发机构15个。\n2. 举办科普活动三十场\n")
    source = clean_text(text)
    result = baseline_extract(source)
    assert sorted(i.value for i in result.indicators) == [15, 30, 120, 600]
    assert_accounted_and_grounded(result, text, source.text)


def test_a_figure_in_the_document_head_is_counted_uncovered():
    text = "关于印发2024年工作总结的通知\n全区共120家单位参加\n2024年工作总结\n一、成效\n新增企业12家。\n"
    source = clean_text(text)
    result = baseline_extract(source)
    assert_accounted_and_grounded(result, text, source.text)


# ------------------------------------------------------------ generated documents

_WORDS = st.sampled_from(["新增高新技术企业", "技术合同成交额", "同比增长", "占比", "全年", "其中", "达到", "力争",
                          "居全国区县", "排名全市", "首位", "第", "超", "近", "约", "余", "指标", "企业数（家）"])
_NUMERALS = st.sampled_from(["213", "198", "7.6", "49.8", "1,234", "１，２３４", "３６．５", "2\u200b13", "三", "十二",
                             "两百余", "一千二百", "1-2", "-7.0", "2024", "2024年", "1/4", "19\n\n7.54"])
_UNITS = st.sampled_from(["", "家", "亿元", "亿", "万元", "%", " %", "个百分点", "倍", "名", "件", "个", "年", "月"])
_GLUE = st.sampled_from(["", " ", "  ", "\u00a0", "\u3000", "，", "。", "；", "\n", "\n（一）", "\n1．", "\n二、", "\u200b",
                         "\u202e", "“", "”", "《", "》"])
_TOKEN = st.one_of(_WORDS, _NUMERALS, _NUMERALS, _UNITS, _GLUE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TOKEN, min_size=1, max_size=40).map("".join))
def test_generated_documents_conserve_every_number_and_invent_none(body):
    text = "2024年工作总结\n" + body
    source = clean_text(text)
    result = baseline_extract(source)
    assert_accounted_and_grounded(result, text, source.text)


def test_the_regex_only_pipeline_says_every_name_is_by_rule():
    source = clean_text("2024年工作总结\n新增高新技术企业120家，技术合同成交额600亿元。\n")
    assert {i.named_by for i in baseline_extract(source).indicators} == {"rule"}
