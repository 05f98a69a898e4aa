"""Unit knowledge: magnitudes, families, conversion to the base unit."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmx.finder.units import MAGNITUDES, UNIT_PATTERN, UNITS, family, normalize_unit, split_magnitude, to_base


@pytest.mark.parametrize("unit,expected", [
    ("亿元", (1e8, "元")),
    ("万元", (1e4, "元")),
    ("元", (1.0, "元")),
    ("万人次", (1e4, "人次")),
    ("万次", (1e4, "次")),
    ("万册", (1e4, "册")),
    ("亿条", (1e8, "条")),
    ("万平方米", (1e4, "平方米")),
    ("千万元", (1e7, "元")),
    ("百万元", (1e6, "元")),
    ("万亿元", (1e12, "元")),
    ("%", (1.0, "%")),
    ("％", (1.0, "%")),
    ("个百分点", (1.0, "个百分点")),
    ("百分点", (1.0, "百分点")),   # not 百 x 分点
    ("家", (1, "家")),
    ("家次", (1, "家次")),
    ("千米", (1.0, "千米")),      # a unit of its own, not 千 x 米
    ("千瓦时", (1.0, "千瓦时")),
    ("万千瓦", (1e4, "千瓦")),
    ("万元/亩", (1e4, "元/亩")),
    ("元/平方米", (1.0, "元/平方米")),
    ("亿", (1e8, "")),
    ("万", (1e4, "")),
    (None, (1, "")),
    ("", (1, "")),
    (" 万 元 ", (1e4, "元")),
])
def test_split_magnitude(unit, expected):
    assert split_magnitude(unit) == expected


@pytest.mark.parametrize("a,b", [
    ("亿元", "万元"), ("亿元", "元"), ("万元", "元"), ("亿", "亿元"), ("万", "元"), ("万人次", "人次"),
    ("万次", "次"), ("%", "％"), ("个百分点", "百分点"), ("万平方米", "平方米"), ("平米", "平方米"),
    ("千米", "公里"), ("台(套)", "台"), ("项（人）", "项"), ("周岁", "岁"), ("万家", "家"), ("元人民币", "元"),
])
def test_same_family(a, b):
    assert family(a) == family(b)


@pytest.mark.parametrize("a,b", [
    ("个", "项"), ("个", "件"), ("项", "件"), ("%", "个百分点"), ("人次", "人"), ("家", "家次"), ("次", "人次"),
    ("元", "美元"), ("倍", "%"), ("年", "个月"), ("名", "人"), (None, "元"), ("平方米", "亩"),
])
def test_different_family(a, b):
    assert family(a) != family(b)


@pytest.mark.parametrize("unit,fam", [
    ("亿元", "元"), ("万人次", "人次"), ("%", "%"), ("个百分点", "个百分点"), ("家", "家"), (None, ""),
    ("倍", "倍"), ("名", "名"), ("元/平方米", "元/平方米"), ("万元/亩", "元/亩"),
])
def test_family(unit, fam):
    assert family(unit) == fam


@pytest.mark.parametrize("value,unit,base", [
    (197.54, "亿元", 19_754_000_000), (1.5, "万人次", 15_000), (7100, "万元", 71_000_000), (0.71, "亿元", 71_000_000),
    (4.11, "%", 4.11), (68, "家", 68), (3, None, 3), (1.04, "个百分点", 1.04), (33, "万平方米", 330_000),
])
def test_to_base(value, unit, base):
    assert to_base(value, unit) == pytest.approx(base)


def test_scorer_equivalences_from_the_gold_guide():
    # "1.5 万人次 = 15000 人次", "7100 万元 = 0.71 亿元"
    assert to_base(1.5, "万人次") == to_base(15000, "人次") and family("万人次") == family("人次")
    assert to_base(7100, "万元") == pytest.approx(to_base(0.71, "亿元")) and family("万元") == family("亿元")


def test_normalize_unit():
    assert normalize_unit(None) == "" and normalize_unit(" ％ ") == "%" and normalize_unit("万\u3000元") == "万元"


def test_units_and_magnitudes_tables():
    for u in ("家", "个", "项", "件", "元", "%", "个百分点", "倍", "人次", "人", "名", "位", "场", "次", "批", "所",
              "座", "台", "套", "篇", "部", "册", "条", "类", "款", "平方米", "亩", "公里", "小时", "年", "月", "天",
              "户", "期", "支", "只", "张", "元/平方米"):
        assert u in UNITS, u
    assert len(set(UNITS)) == len(UNITS)
    order = list(MAGNITUDES)  # a longer magnitude is tried before any magnitude it starts with
    assert all(order.index(a) < order.index(b) for a in order for b in order if a != b and a.startswith(b))
    assert MAGNITUDES["亿"] == 1e8 and MAGNITUDES["千万"] == 1e7


_UNIT = re.compile(UNIT_PATTERN)


@pytest.mark.parametrize("text,unit", [
    ("个百分点", "个百分点"), ("人次参与", "人次"), ("人参加", "人"), ("家次", "家次"), ("个月", "个月"),
    ("台(套)。", "台(套)"), ("项（人）获", "项（人）"), ("元/平方米", "元/平方米"), ("平方米", "平方米"),
    ("项目", None), ("台账", None), ("支持", None), ("人民", None), ("元宇宙", None), ("位列", None),
    ("名单", None), ("场景", None), ("kWh", "kWh"), ("kWx", None),
])
def test_unit_pattern_takes_the_longest_real_unit(text, unit):
    m = _UNIT.match(text)
    assert (m.group() if m else None) == unit


@given(st.sampled_from([u for u in UNITS]), st.sampled_from(["", *MAGNITUDES]))
def test_magnitude_roundtrip(base, mag):
    factor, got = split_magnitude(mag + base)
    if base in ("百分点",) or (mag + base) in UNITS:
        return  # a unit word that starts like a magnitude is kept whole
    assert got == normalize_unit(base) and factor == (MAGNITUDES[mag] if mag else 1)
    assert to_base(2, mag + base) == 2 * factor


@given(st.one_of(st.none(), st.text(max_size=12)))
def test_never_raise(unit):
    factor, base = split_magnitude(unit)
    assert factor > 0 and isinstance(base, str)
    assert isinstance(family(unit), str)
    assert to_base(1.0, unit) == factor
