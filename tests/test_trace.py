"""Every decision explained: each indicator's `trace` (the rules that decided its name, kind and
period, in order), `llmx explain FILE --at OFFSET`, and the eval report's rule counts.
Phrasings written for these tests."""

from __future__ import annotations

from click.testing import CliRunner

from llmx.cli import main
from llmx.naming.context import Frame, kind_and_rule, period_and_rule
from llmx.outputs.explain import explain_at, rule_counts
from llmx.pipeline.extract import baseline_extract
from llmx.text.source import clean_text

TEXT = ("某区科学技术委员会2024年工作总结\n一、主要成效\n"
        "全年技术合同成交额达到58.6亿元，同比增长12.5%。"
        "索引号：11310000-2024-00017。\n"
        "二、2025年工作目标\n力争新增高新技术企业120家。\n")


def _by_value(result):
    return {i.value: i for i in result.indicators}


def test_every_indicator_says_which_rules_decided_its_name_kind_and_period():
    result = baseline_extract(clean_text(TEXT, path="t.txt"))
    found = _by_value(result)
    for ind in result.indicators:
        assert ind.trace, ind.name
        *naming, kind, period = ind.trace
        assert kind == f"{kind.split(':')[0]}: {ind.kind}" and kind.startswith("kind.")
        assert period == f"{period.split(':')[0]}: {ind.period}" and period.startswith("period.")
        assert naming and naming[-1].endswith(ind.name)  # the last naming step gave the name output
    assert found[58.6].trace[0] == "name.clause: 技术合同成交额"
    assert found[12.5].trace[0].startswith("finish.dependent: 技术合同成交额")  # the rate hangs on its base
    assert "kind.target_cue: target" in found[120].trace and "kind.actual: actual" in found[58.6].trace


def test_kind_and_period_rules_are_named():
    frame = Frame(year=2024, planning=False)
    assert kind_and_rule("据预测，全年产值增长8%", 10, frame) == ("target", "kind.forecast")
    assert kind_and_rule("在3家的基础上", 1, frame)[1] == "kind.baseline"
    assert period_and_rule("年末共有企业30家", 6, frame) == ("截至2024年底", "period.year_end")
    assert period_and_rule("1-6月完成投资8亿元", 6, frame) == ("2024年1-6月", "period.span_in_year")
    assert period_and_rule("完成投资8亿元", 4, frame) == ("2024", "period.frame")


def test_explain_at_names_the_indicator_or_the_rule_that_excluded_the_number():
    source = clean_text(TEXT, path="t.txt")
    result = baseline_extract(source)
    rate = _by_value(result)[12.5]
    lines = explain_at(result, rate.figure_start + 1)  # any offset inside the figure
    assert lines and "an indicator" in lines[0] and rate.name in lines[1]
    assert [line.strip().split(". ", 1)[1] for line in lines if line.strip()[:2].rstrip(".").isdigit()] == rate.trace
    index = TEXT.index("00017")
    excluded = explain_at(result, index)
    assert excluded and "not a figure" in excluded[0] and "identifier" in excluded[1]
    assert explain_at(result, TEXT.index("主要成效")) is None


def test_rule_counts_count_figures_and_reports():
    one = baseline_extract(clean_text(TEXT, path="a.txt"))
    two = baseline_extract(clean_text(TEXT, path="b.txt"))
    counts = rule_counts([one, two])
    assert counts["finish.dependent"] == (2, 2) and counts["kind.target_cue"] == (2, 2)
    assert sum(n for n, _ in counts.values()) == sum(len({s.split(":")[0] for s in i.trace})
                                                     for r in (one, two) for i in r.indicators)


def test_the_explain_command(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    at = TEXT.index("58.6")
    result = CliRunner().invoke(main, ["explain", str(path), "--at", str(at), "--no-model"])
    assert result.exit_code == 0 and "技术合同成交额" in result.output and "name.clause" in result.output
    result = CliRunner().invoke(main, ["explain", str(path), "--at", str(TEXT.index("主要成效")), "--no-model"])
    assert result.exit_code == 1 and "nearest" in result.output
    result = CliRunner().invoke(main, ["explain", str(tmp_path / "none.txt"), "--at", "0", "--no-model"])
    assert result.exit_code == 2 and "none.txt" in result.output
