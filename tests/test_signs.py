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
