"""The name checks of llmx.naming.check: tests owed to mutation testing (signs around a number in a
name, and where a name counts as shifted to a neighbouring figure: the thresholds)."""

from __future__ import annotations

from llmx.naming.check import name_problems, shifted_name


def test_a_sign_glued_to_a_number_the_text_has_is_no_problem():
    assert name_problems("营收增速-5%", "营收同比下降5%") == []
    assert name_problems("第1.项目数", "第1项目获批") == []


def test_a_made_up_formula_is_a_problem_even_if_its_digit_stands_in_the_text():
    problems = name_problems("“3+X”科技信贷体系", "深化3项科技信贷服务")
    assert len(problems) == 1 and "3+X" in problems[0]


def test_no_neighbours_no_shift():
    assert shifted_name("技术合同成交额", "全年技术合同成交额达到367.58亿元", {}) is None


def test_a_little_overlap_with_a_neighbour_is_no_shift():
    # an abbreviation spelled out: one piece (企业) of six is shared with the neighbour
    assert shifted_name("高新技术企业数", "有效高企数达1210家", {2: "新增孵化器企业3家"}) is None


def test_half_of_the_name_in_a_neighbour_is_a_shift():
    # 孵化器数量: 孵化 化器 器数 数量; the neighbour holds two of four, its own clause none
    assert shifted_name("孵化器数量", "新认定高新技术企业68家", {2: "新增孵化器3家"}) == 2


def test_a_fifth_of_the_name_in_its_own_clause_keeps_it():
    # 孵化器总数量: five pieces; the neighbour holds three (孵化 化器 器总), its own clause one (数量)
    assert shifted_name("孵化器总数量", "企业数量68家", {2: "新增孵化器总面积3万平方米"}) is None
    # one of six (1/6 < 1/5) in its own clause, three of six (众创 孵化 化器) in the neighbour's: shifted
    assert shifted_name("众创孵化器总量", "全年总量68家", {2: "新增众创空间和孵化器5家"}) == 2
