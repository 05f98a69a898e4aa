"""The independent checker (bench/grounding.py) catches invented values and reads real ones."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from grounding import value_in_quote, values_in  # noqa: E402


@pytest.mark.parametrize("value, quote", [
    (197.54, "成交金额197.54亿"), (1234, "共１，２３４件"), (36.5, "３６．５亿元"), (213, "2\u200b13家"),
    (1234, "1\u2009234家"), (197.54, "成交额达到19\n\n7.54亿元"), (3, "新增三家"), (12, "举办十二场"),
    (200, "引进两百余名"), (1200, "一千二百家"), (3000, "三千万元"), (25, "占比1/4"), (1, "排名全市首位"),
    (-7.0, "高新技术企业数（家）213 198 -7.0%"), (2, "1-2个"), (10, "十家"), (100000, "十万人次"),
    (234, "增长1，234家"), (234213, "1,234213"), (1230, "一千二百三家"), (230, "两百三人"),
    (300, "三两百余人"), (2, "翻一番"), (30, "约三成"), (4720, "资助4,\n720万元"),  # cut after its grouping comma
])
def test_a_value_the_quote_states_is_confirmed(value, quote):
    assert value_in_quote(value, quote)


@pytest.mark.parametrize("value, quote", [
    (2131987.6, "213 198 7.6%"), (197.5413249, "197.54 132 49.7%"), (13.51, "1 3.5 1%"),
    (1, "共１，２３４件"), (234, "共１，２３４件"), (2, "2\u200b13家"), (999000, "企业999家"), (50, "213 198"),
    (1234, "增长1，234家"), (234, "１，２３４家"), (19, "达到19\n\n7.54亿元"), (32, "三两百余人"),
    (720, "资助4,\n720万元"), (4, "资助4,\n720万元"),  # the pieces of a number cut after its comma
])
def test_an_invented_value_is_caught(value, quote):
    assert not value_in_quote(value, quote), values_in(quote)


def test_unaccounted_digits_are_those_in_no_span():
    from grounding import unaccounted_digits

    text = "新增企业12家，①科研投入３亿元；⑵其他"
    a, b = text.index("12"), text.index("12") + 3
    assert unaccounted_digits(text, [(a, b)]) == [text.index("①"), text.index("３"), text.index("⑵")]
    everything = [(0, len(text))]
    assert unaccounted_digits(text, everything) == []
    assert unaccounted_digits("统一的一批", []) == []  # Chinese numerals are words' characters too: not read here


def test_check_output_flags_a_number_that_vanished_without_a_count():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from check_output import problems

    original = "新增企业12家，电话0571-8123456。"
    figure = original.index("12")
    phone = original.index("0571")
    line = {"doc": "t.txt", "found": 2, "rejected": [], "uncovered": [],
            "indicators": [{"quote": "新增企业12家", "start": 0, "end": figure + 3, "value": 12.0,
                            "figure_start": figure, "figure_end": figure + 3}],
            "excluded": [{"text": "0571-8123456", "start": phone, "end": phone + 12, "value": 571.0, "rule": "contact"}]}
    assert problems(line, original) == []
    dropped = dict(line, excluded=[], found=1)  # the finder's own count agrees, but a number is gone
    assert any("in no figure, rejected, uncovered or excluded number" in p for p in problems(dropped, original))
