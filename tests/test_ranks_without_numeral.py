"""Ranks written without a numeral (首位, 榜首) in llmx.finder.numbers: tests owed to mutation testing."""

from __future__ import annotations

import pytest

from llmx.finder.numbers import find_numbers, find_quantities


def readings(text: str) -> list[tuple]:
    return [(m.text, m.number, m.value, m.unit, m.approx, m.category) for m in find_numbers(text)]


@pytest.mark.parametrize("text, rank", [
    ("排名全市首位", "排名全市首位"),
    ("全市首位", "全市首位"),                                   # the scope opens the text
    ("居全国榜首", "居全国榜首"),
    ("规上工业总产值位居全区首位", "位居全区首位"),
])
def test_a_first_place_is_a_rank_of_one(text, rank):
    assert readings(text) == [(rank, text[-2:], 1.0, "名", "exact", "rank")]
    assert find_quantities(text)[0].start == text.index(rank)


def test_a_first_place_among_other_figures_keeps_its_place():
    text = "有效高企数1164家，排名全市首位，新增企业68家"
    assert [r[0] for r in readings(text)] == ["1164家", "排名全市首位", "68家"]
    text = "排名全市首位，新增企业68家"
    assert readings(text) == [("排名全市首位", "首位", 1.0, "名", "exact", "rank"),
                              ("68家", "68", 68.0, "家", "exact", "quantity")]


def test_first_without_a_scope_is_no_rank():
    assert find_numbers("首位经济度持续提升") == []


# ---------------------------------------------------------------- 第N and 前N: ranks and ordinals


@pytest.mark.parametrize("text, reading", [
    ("稳居全市第一梯队", ("第一", "一", 1.0, None, "exact", "ordinal")),       # a tier, not a place
    ("规上软信业营收保持第一", ("保持第一", "一", 1.0, "名", "exact", "rank")),  # a place held
    ("稳居第一", ("稳居第一", "一", 1.0, "名", "exact", "rank")),
    ("区科委保持郊区第一", ("郊区第一", "一", 1.0, "名", "exact", "rank")),
    ("努力争创第一", ("第一", "一", 1.0, None, "exact", "ordinal")),           # no field, no place held
    ("全市第一名", ("全市第一名", "一", 1.0, "名", "exact", "rank")),
    ("获得第一名", ("第一名", "一", 1.0, "名", "exact", "rank")),
    ("完成第一批项目签约", ("第一批", "一", 1.0, "批", "exact", "ordinal")),
    ("进入前10名", ("进入前10名", "10", 10.0, "名", "under", "rank")),  # 进入 leads to a rank
    ("排名前五", ("排名前五", "五", 5.0, "名", "under", "rank")),
    ("全市前五名", ("全市前五名", "五", 5.0, "名", "under", "rank")),
    ("前五大企业", ("五大", "五", 5.0, "大", "exact", "name")),                 # 前 with no field: no rank
])
def test_places_and_ordinals(text, reading):
    assert readings(text) == [reading]


# ---------------------------------------------------------------- Chinese numerals: 概数, years, markers, names


@pytest.mark.parametrize("text, reading", [
    ("走访企业三四家", ("三四家", "三四", 4.0, "家", "about", "quantity")),          # 概数: the upper bound
    ("组织十二三个项目", ("十二三个", "十二三", 13.0, "个", "about", "quantity")),
    ("吸引二三十人参加", ("二三十人", "二三十", 30.0, "人", "about", "quantity")),
    ("带动七八十家企业", ("七八十家", "七八十", 80.0, "家", "about", "quantity")),
    ("走访企业近三四家", ("近三四家", "三四", 4.0, "家", "about", "quantity")),
    ("二〇二四年", ("二〇二四年", "二〇二四", 2024.0, "年", "exact", "year")),
    ("一是用好政策", ("一是", "一", 1.0, None, "exact", "list_marker")),
    ("“十四五”规划", ("十四五", "十四五", 14.0, None, "exact", "name")),
    ("百分之5的企业", ("百分之5", "5", 5.0, "%", "exact", "quantity")),
])
def test_chinese_numeral_readings(text, reading):
    assert readings(text) == [reading]


def test_a_slogan_broken_across_lines_stays_a_name():
    assert readings("“十\n五五”规划") == [("十", "十", 10.0, None, "exact", "name"),
                                          ("五五", "五五", 5.0, None, "exact", "name")]
