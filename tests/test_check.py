"""The cross-check, the check-and-re-ask loop and the assembly of a section's answer, without a model."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import pytest

from llmx.model.answers import NAME_MAX, TOKENS_PER_ID, Named, ask_model, ask_names, id_schema, parse_names
from llmx.model.schema import MetaAnswer
from llmx.naming.check import name_problems, shifted_name
from llmx.config import Settings
from llmx.pipeline import extract
from llmx.pipeline.extract import _name_check, assemble, build_messages
from llmx.pipeline.work import section_work
from llmx.models import Meta, Usage
from llmx.text.sections import split_sections
from llmx.text.source import clean_text

TEXT = "闵行区科学技术委员会2024年工作总结\n一、主要目标完成情况\n全年技术合同成交额达到367.58亿元，同比增长9.06%；有效期内高新技术企业数超3668家。\n"


def _work():
    source = clean_text(TEXT, path="t.txt")
    works = [w for w in section_work(source, split_sections(source, 600).sections, Meta(years=[2024])) if w.mentions]
    (work,) = works
    return source, work


def _ids(work) -> dict[float, int]:
    """List id of each asked figure, by value."""
    return {work.mentions[i].value: n for n, i in enumerate(work.asked, start=1)}


def test_the_section_is_sent_once_with_its_figures_marked_by_id():
    source, work = _work()
    system, user = build_messages(source, work)
    text = user["content"]
    ids = _ids(work)
    assert f"【{ids[367.58]}:367.58亿元】" in text and f"【{ids[3668.0]}:超3668家】" in text
    assert "9.06%" in text and "【" not in text.split("9.06%")[0][-3:]  # a dependent rate is not asked
    assert text.count("技术合同成交额") == 1  # the text once, no clause list
    assert system == build_messages(source, work)[0]  # a stable prefix


def test_assemble_keeps_checked_names_rejects_failed_ids_and_reports_what_is_left(monkeypatch):
    monkeypatch.setattr(extract, "RULE_NAMES_FOR", frozenset())  # no rule names for failed figures
    source, work = _work()
    ids = _ids(work)
    named = Named(names={ids[367.58]: "技术合同成交额"}, failed={ids[3668.0]: "名称不合格"}, stray=("9: x",),
                  answer="{}")
    indicators, rejected, uncovered = assemble(source, work, named)
    names = {i.name: i for i in indicators}
    assert names["技术合同成交额"].value == 367.58 and names["技术合同成交额"].unit == "亿元"
    # the growth rate hangs on the amount before it and is named by rule
    growth = [i for i in indicators if i.unit == "%"]
    assert growth and growth[0].named_by == "rule" and growth[0].name == "技术合同成交额同比增速"
    figures = [r for r in rejected if r.is_figure]
    assert len(figures) == 1 and figures[0].text == TEXT[figures[0].start:figures[0].end] == "超3668家"
    assert [r.claim for r in rejected if not r.is_figure] == [{"claim": "9: x"}]
    for ind in indicators:
        assert TEXT[ind.start:ind.end] == ind.quote
        assert TEXT[ind.figure_start:ind.figure_end] in ind.quote
    assert len(indicators) + len(figures) + len(uncovered) == len(work.mentions)


def test_a_declined_figure_is_uncovered_and_its_dependents_too(monkeypatch):
    monkeypatch.setattr(extract, "RULE_NAMES_FOR", frozenset({"failed"}))
    source, work = _work()
    indicators, rejected, uncovered = assemble(source, work, Named(names={}, failed={}))
    assert indicators == [] and rejected == [] and len(uncovered) == len(work.mentions)


def test_a_figure_whose_names_all_failed_is_named_by_rule_and_the_failure_kept(monkeypatch):
    monkeypatch.setattr(extract, "RULE_NAMES_FOR", frozenset({"failed"}))
    source, work = _work()
    ids = _ids(work)
    named = Named(names={ids[367.58]: ""}, failed={ids[3668.0]: "名称不合格"}, answer="{}")
    indicators, rejected, uncovered = assemble(source, work, named)
    (rule,) = [i for i in indicators if i.value == 3668.0]
    assert rule.named_by == "rule" and "高新技术企业数" in rule.name
    assert [(r.reason, r.is_figure) for r in rejected] == [("名称不合格", False)]  # the why stays, the figure is output
    assert [u.value for u in uncovered] == [367.58, 9.06]  # declined, and its rate with it
    assert len(indicators) + len(uncovered) == len(work.mentions)


def test_by_default_every_figure_the_model_left_is_named_by_rule():
    source, work = _work()
    indicators, rejected, uncovered = assemble(source, work, Named(names={}, failed={}))
    assert uncovered == [] and rejected == [] and len(indicators) == len(work.mentions)
    assert {i.named_by for i in indicators} == {"rule"}


@pytest.mark.parametrize("name, text, ok", [
    ("伪造指标GDP9", "全区GDP增长5%", False),
    ("5G基站数", "新建5G基站120个", True),
    ("十四五规划项目数", "“十四五”规划项目30个", True),
    ("两新组织数", "两新组织12家", True),
    ("九十九万九千家企业", "企业999家", False),
    ("R&D经费投入强度", "R&D经费投入强度4.5%", True),
    ("2024年营收", "营收20亿元", False),
])
def test_name_problems_flag_numbers_the_text_lacks(name, text, ok):

    assert (name_problems(name, text) == []) is ok


def test_a_name_shifted_to_a_neighbour_is_caught_and_an_expanded_abbreviation_is_not():
    own = "有效期内高新技术企业数超3668家"
    others = {1: "全年技术合同成交额达到367.58亿元"}
    assert shifted_name("技术合同成交额", own, others) == 1
    assert shifted_name("高新技术企业数", own, others) is None
    assert shifted_name("高新技术企业数", "有效高企数达1210家", {2: "新增孵化器3家"}) is None
    # a share named with the subject before it keeps its own words: no shift
    assert shifted_name("全社会研发经费支出占GDP比重", "占GDP比重7.12%", {1: "全年全社会研发经费支出186.3亿元"}) is None


# ---------------------------------------------------------------- the loop


@dataclass
class FakeReply:
    content: str
    usage: Usage


class Scripted:
    """A client double that answers from a script and records what it was asked (the
    loop's own logic is under test here, not a model: no score comes from this)."""

    def __init__(self, *answers: str, max_reasks: int = 1) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[list[dict], dict]] = []
        self.limits: list[int] = []
        self.settings = Settings(max_reasks=max_reasks)

    async def complete(self, messages, schema, reask=False, max_tokens=None):
        self.asked.append((messages, schema))
        self.limits.append(max_tokens)
        return FakeReply(self.answers.pop(0), Usage(calls=1, prompt_tokens=10, completion_tokens=5, reasks=int(reask)))


def test_id_schema_fixes_the_keys_and_parse_names_takes_only_an_object_of_strings():
    schema = id_schema([1, 3])
    assert schema["required"] == ["1", "3"] and schema["additionalProperties"] is False
    assert schema["properties"]["3"] == {"type": "string", "maxLength": NAME_MAX}
    assert parse_names('{"1": "a", "3": ""}') == {"1": "a", "3": ""}
    for bad in ('["a"]', '{"1": 2}', "{", "<html>"):
        with pytest.raises(ValueError):
            parse_names(bad)


def test_the_loop_keeps_passing_names_and_re_asks_only_the_failing_ids():
    source, work = _work()
    ids = _ids(work)
    a, b = ids[367.58], ids[3668.0]
    client = Scripted(json.dumps({str(a): "技术合同成交额", str(b): "九十九万家企业"}),
                      json.dumps({str(b): "高新技术企业数"}))
    named = asyncio.run(ask_names(client, build_messages(source, work), [a, b], _name_check(source, work)))
    assert named.names == {a: "技术合同成交额", b: "高新技术企业数"} and named.failed == {}
    (_, first), (again, second) = client.asked
    assert first["required"] == [str(a), str(b)] and second["required"] == [str(b)]
    assert again[-2]["role"] == "assistant" and "九十九万" in again[-1]["content"]
    assert named.usage.calls == 2 and named.usage.reasks == 1
    # each call may write at most TOKENS_PER_ID tokens per id it asks for (a runaway answer ends)
    assert client.limits == [8 + 2 * TOKENS_PER_ID, 8 + TOKENS_PER_ID]


def test_skipped_ids_are_in_the_schema_but_never_checked_kept_or_re_asked():
    source, work = _work()
    ids = _ids(work)
    a, b = ids[367.58], ids[3668.0]
    client = Scripted(json.dumps({str(a): "九十九万家企业", str(b): "九十九万家企业"}),
                      json.dumps({str(b): "高新技术企业数"}))
    named = asyncio.run(ask_names(client, build_messages(source, work), [a, b], _name_check(source, work), skip={a}))
    assert named.names == {b: "高新技术企业数"} and named.failed == {} and named.stray == ()
    (_, first), (_, second) = client.asked
    assert first["required"] == [str(a), str(b)] and second["required"] == [str(b)]  # only b was re-asked


def test_the_loop_gives_up_after_the_re_asks_and_returns_the_failures_with_why():
    source, work = _work()
    a = _ids(work)[367.58]
    client = Scripted("not json", "still not json", max_reasks=1)
    named = asyncio.run(ask_names(client, build_messages(source, work), [a], _name_check(source, work)))
    assert named.names == {} and list(named.failed) == [a] and "JSON" in named.failed[a]
    assert len(client.asked) == 2


def test_the_loop_keeps_unknown_keys_as_stray_claims_and_an_empty_name_as_declined():
    source, work = _work()
    a = _ids(work)[367.58]
    client = Scripted(json.dumps({str(a): "", "99": "伪造"}), max_reasks=0)
    named = asyncio.run(ask_names(client, build_messages(source, work), [a], _name_check(source, work)))
    assert named.names == {a: ""} and named.failed == {} and named.stray == ("99: 伪造",)


def test_the_head_goes_through_the_same_loop_an_invalid_answer_re_asked_with_why():
    client = Scripted('{"issuer": 3}', '{"issuer": "某区科学技术委员会", "issued_on": null}', max_reasks=1)
    answer = asyncio.run(ask_model(client, [{"role": "user", "content": "报告开头"}], MetaAnswer))
    assert answer.parsed == MetaAnswer(issuer="某区科学技术委员会") and answer.problems == []
    (_, schema), (again, _) = client.asked
    assert schema == MetaAnswer.model_json_schema()  # the server is given the model's schema
    assert again[-2] == {"role": "assistant", "content": '{"issuer": 3}'} and "issuer" in again[-1]["content"]
    assert answer.usage.calls == 2 and answer.usage.reasks == 1


def test_a_head_that_never_validates_gives_no_answer_and_says_why():
    client = Scripted("prose", "more prose", max_reasks=1)
    answer = asyncio.run(ask_model(client, [{"role": "user", "content": "报告开头"}], MetaAnswer))
    assert answer.parsed is None and answer.problems and "JSON" in answer.problems[0]
    assert len(client.asked) == 2


def test_a_name_in_latin_letters_is_held_to_its_text_like_any_other():
    """A name with no Chinese character once scored as fully grounded."""
    from llmx.naming.check import ungrounded_name

    assert ungrounded_name("Mars colony budget", "全年技术合同成交额197.54亿元") is not None
    assert ungrounded_name("<script>alert(1)</script>", "全年技术合同成交额197.54亿元") is not None
    assert ungrounded_name("R&D经费支出占GDP比重", "全社会R&D经费支出占GDP比重达4.1%") is None
    assert ungrounded_name("GDP growth", "GDP grew by 5%") is None  # its words stand in the text
