"""The grouping comma, a figure's sentence, the heading's scope and the grounding check: cases
that mutation testing (`make mutation`) showed were not pinned down."""

from __future__ import annotations

import pytest

from llmx.naming.check import GROUNDED_SHARE, ungrounded_name
from llmx.naming.context import is_clause_stop, sentence_of
from llmx.naming.rules import heading_scope, rank_suffix, with_scope
from llmx.finder.numbers import find_numbers


@pytest.mark.parametrize("text, i, stop", [
    ("1,2", 1, False), ("１，２", 1, False),  # grouping, half- and full-width
    ("12,", 2, True), (",12", 0, True),  # a comma at either end of the text ends a clause
    ("家,3", 1, True), ("3,家", 1, True), ("3、4", 1, True),  # 、 never groups
    ("3x4", 1, False), ("。", 0, True), ("（", 0, True),
])
def test_is_clause_stop(text, i, stop):
    assert is_clause_stop(text, i) is stop


@pytest.mark.parametrize("text, span, floor, ceiling, sentence", [
    ("甲。乙增长5%，丙。丁", "5%", 0, None, "乙增长5%，丙"),
    ("增长5%", "5%", 0, None, "增长5%"),
    ("甲乙增长5%丙丁", "5%", 2, 8, "增长5%丙丁"),
    ("甲乙增长5%丙丁", "5%", 0, 6, "甲乙增长5%"),
    ("甲；乙5家！丙?丁\n戊", "5家", 0, None, "乙5家"),
])
def test_sentence_of_stops_at_sentence_ends_and_its_bounds(text, span, floor, ceiling, sentence):
    a = text.index(span)
    assert sentence_of(text, a, a + len(span), floor, ceiling) == sentence


@pytest.mark.parametrize("path, scope", [
    (("一、总体", "1．加快临港科学城建设"), "临港科学城"),  # the innermost heading, its marker dropped
    (("二、推进滨江创新园提质",), "滨江创新园"),
    (("（三）打造重点研究院矩阵",), None), (("（三）做强各类孵化器",), None), (("（三）推动产业园升级",), None),
    ((), None), (("（一）强化服务",), None),
    # any park named as the section's body, not only the kinds listed (`…高新区某某园`)
    (("（二）做强张江高新区滨江园",), "张江高新区滨江园"), (("3．建设东湖软件园",), "东湖软件园"),
    (("（四）共建美丽家园",), None), (("（五）建设智慧校园",), None),  # a home or a campus is no body
])
def test_heading_scope(path, scope):
    assert heading_scope(path) == scope


@pytest.mark.parametrize("name, scope, out", [
    ("全社会研发投入", "临港科学城", "全社会研发投入"), ("全县企业数", "临港科学城", "全县企业数"),
    ("全市排名", "临港科学城", "全市排名"), ("", "临港科学城", ""), ("企业数", "", "企业数"),
    # two characters from the middle of the scope are no scope (they may be another word's) ...
    ("港科企业数", "临港科学城", "临港科学城港科企业数"), ("高新技术企业数", "跨省域高新区", "跨省域高新区高新技术企业数"),
    # ... its first two, its last two or any three running are
    ("临港企业数", "临港科学城", "临港企业数"), ("学城企业数", "临港科学城", "学城企业数"),
    ("港科学企业数", "临港科学城", "港科学企业数"),
])
def test_with_scope(name, scope, out):
    assert with_scope(name, scope) == out


def test_the_grounded_share_is_a_third_and_a_name_of_no_two_characters_passes():
    assert GROUNDED_SHARE == pytest.approx(1 / 3)
    # 企业数量: 企业 业数 数量; one of three in its sentence is exactly a third: grounded
    assert ungrounded_name("企业数量", "新增企业") is None
    assert ungrounded_name("企业数量总计", "新增企业") is not None  # one of five
    assert ungrounded_name("企", "无关的句子") is None
    assert ungrounded_name("ＧＤＰ比重", "占GDP比重") is None  # compared after NFKC


def test_a_rank_suffix_takes_the_scope_of_the_rank_itself_before_its_lead():
    text = "全市企业数量位列全省县（市）第四"
    (m,) = [m for m in find_numbers(text) if m.category == "rank"]
    assert rank_suffix(text, m) == "全省县（市）排名"
    text = "增速全市第二"
    (m,) = [m for m in find_numbers(text) if m.category == "rank"]
    assert rank_suffix(text, m) == "全市排名"
