"""A number's sign is part of it, and equivalent spellings read alike (llmx.finder.numbers).
Phrasings written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmx.finder.numbers import find_quantities
from llmx.text.source import clean_text


def values(text: str) -> list[tuple[float, str | None]]:
    return [(m.value, m.unit) for m in find_quantities(clean_text(text).text)]


@pytest.mark.parametrize("text, expected", [
    ("规上工业产值同比增长-3.2%，", [(-3.2, "%")]),
    ("出口增速为−2.1%。", [(-2.1, "%")]),
    ("资金净流出-120亿元", [(-120.0, "亿元")]),
    ("利润减少－5家", [(-5.0, "家")]),
    ("表中一栏为 -7.0%", [(-7.0, "%")]),
])
def test_a_minus_sign_stays_with_its_number(text, expected):
    assert values(text) == expected


def test_a_signed_figure_leaves_no_stray_sign_in_the_words_before_it():
    m = find_quantities(clean_text("外贸进口同比增长-3.2%").text)[0]
    assert m.text == "-3.2%" and m.number == "-3.2"


@pytest.mark.parametrize("text, expected", [
    ("A-1型号", [(1.0, None)]),  # a model code: no sign
    ("20-30家", [(30.0, "家")]),  # a range goes up to its upper bound
    ("1-11月累计", []),          # a span of months is a date
    ("增长10%-15%", [(15.0, "%")]),
])
def test_a_dash_between_two_things_is_no_sign(text, expected):
    assert values(text) == expected


_DASHES = ["-", "－", "−"]
_TILDES = ["~", "～"]


@given(st.integers(1, 500), st.integers(1, 500), st.sampled_from(_DASHES), st.sampled_from(_TILDES),
       st.sampled_from(["家", "个", "亿元", "%"]))
def test_equivalent_spellings_read_alike(low, step, dash, tilde, unit):
    """Full- and half-width hyphens, the minus sign and both tildes give the same values."""
    high = low + step
    plain = f"新增企业{low}-{high}{unit}，利润增长-{low}{unit}，目标{low}~{high}{unit}。"
    swapped = f"新增企业{low}{dash}{high}{unit}，利润增长{dash}{low}{unit}，目标{low}{tilde}{high}{unit}。"
    assert values(swapped) == values(plain)
    assert values(plain) == [(float(high), unit), (-float(low), unit), (float(high), unit)]


# -- no value the text does not state, whatever identifiers, URLs, powers and signs stand around it --

import sys as _sys  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

_sys.path.insert(0, str(_Path(__file__).resolve().parent.parent / "bench"))
from grounding import in_an_identifier, sign_dropped, value_in_quote  # noqa: E402

_HOSTILE = st.sampled_from([
    "详见https://www.kj.example.gov.cn/art/{a}/{b:04d}/{c}.html", "联系邮箱kj{a}@example.com", "身份证号31010419900101{c:04d}",
    "工号{a}{b:04d}", "端口:{b}", "id={c}", "约10⁴人次", "{b}.2×10^5家", "系数{b}x10^-2", "/art/{a}/{b:04d}/{c}/",
    "索引号：{c}/{a}-{b}", "{b}年{b:02d}月", "文件见{a}/{c}",
])
_FIGURE = st.sampled_from(["新增企业{n}家", "同比增长-{n}.5%", "成交额{n}亿元", "增速为−{n}%", "占比{n}%"])


@given(st.lists(st.tuples(_HOSTILE, _FIGURE, st.integers(2000, 2030), st.integers(1, 99), st.integers(10000, 99999),
                          st.integers(1, 999)), min_size=1, max_size=4))
def test_no_value_the_text_does_not_state(parts):
    text = "。".join(h.format(a=a, b=b, c=c) + "，" + f.format(n=n) for h, f, a, b, c, n in parts) + "。"
    source = clean_text(text)
    for m in find_quantities(source.text):
        start, end = source.to_original(m.start, m.end)
        assert value_in_quote(m.value, text[start:end]), (m.text, m.value)
        assert not in_an_identifier(text, start, end), m.text
        assert not sign_dropped(m.value, text, start), m.text
