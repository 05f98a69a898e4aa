"""Unit knowledge (llmx.finder.units): tests owed to mutation testing (base words that look like a
magnitude, units we do not know, rates and their synonyms)."""

from __future__ import annotations

import pytest

from llmx.finder.numbers import find_quantities
from llmx.finder.units import family, split_magnitude, to_base


@pytest.mark.parametrize("unit, split", [
    ("百分点", (1.0, "百分点")),     # a base word that starts like 百
    ("千米", (1.0, "千米")),
    ("千瓦时", (1.0, "千瓦时")),
    ("千克", (1.0, "千克")),
    ("千瓦", (1.0, "千瓦")),         # a base word that is no synonym of another
    ("万万", (1.0, "万万")),         # two magnitudes: not a unit we know, kept whole
    ("元/吨", (1.0, "元/吨")),       # an unknown rate with no magnitude
    ("人民币", (1.0, "人民币")),
    ("万元/亩", (1e4, "元/亩")),
])
def test_split_magnitude(unit, split):
    assert split_magnitude(unit) == split


@pytest.mark.parametrize("unit, fam", [
    ("元/平米", "元/平方米"),
    ("万元/平米", "元/平方米"),
    ("平米/人", "平方米/人"),
    ("元/亩", "元/亩"),
    ("千米", "公里"),
])
def test_family_merges_synonyms_on_both_sides_of_a_rate(unit, fam):
    assert family(unit) == fam


def test_a_base_word_is_never_scaled():
    assert to_base(1.04, "个百分点") == 1.04 and to_base(1.04, "百分点") == 1.04
    assert to_base(3.5, "千米") == 3.5 and to_base(12, "元/吨") == 12


def test_figures_with_rate_units_from_report_phrases():
    (m,) = find_quantities("园区平均租金为3.5元/平米")
    assert (m.value, m.unit, family(m.unit), to_base(m.value, m.unit)) == (3.5, "元/平米", "元/平方米", 3.5)
    (m,) = find_quantities("亩均税收达到85.6万元/亩")
    assert (m.unit, family(m.unit), to_base(m.value, m.unit)) == ("万元/亩", "元/亩", 856000.0)
