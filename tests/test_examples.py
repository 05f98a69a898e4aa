"""The example store (llmx.model.examples): labelled figures as worked examples in the prompt,
from other documents only; without a store the prompt is as it was. Phrasings written for
these tests."""

from __future__ import annotations

import json

import pytest

from llmx.config import Settings
from llmx.errors import ConfigError, InputError
from llmx.model.examples import Example, ExampleStore
from llmx.pipeline.extract import build_messages, plan_report
from llmx.text.source import clean_text

TEXT = "某区科委2024年工作总结\n一、主要成效\n全年新认定高新技术企业213家，技术合同成交额58.6亿元。\n"


def _gold(folder, doc, items):
    folder.mkdir(parents=True, exist_ok=True)
    indicators = [{"name": n, "value": v, "unit": u, "kind": "actual", "period": "2023", "approx": "exact", "quote": q}
                  for n, v, u, q in items]
    (folder / f"{doc}.json").write_text(json.dumps({"doc": f"{doc}.txt", "meta": {}, "indicators": indicators},
                                                   ensure_ascii=False), encoding="utf-8")


@pytest.fixture()
def store(tmp_path):
    _gold(tmp_path / "a", "other-report", [("新认定高新技术企业数", 96, "家", "新认定高新技术企业96家"),
                                           ("技术合同成交额", 12.5, "亿元", "技术合同成交额12.5亿元"),
                                           ("专利授权量", 3, "件", "查无此数的引文"),  # the quote lacks the value
                                           ("技术合同成交额增幅", 12, "%", "增长12%")])  # too few words to say what
    _gold(tmp_path / "b", "t", [("本报告自己的名称", 213, "家", "新认定高新技术企业213家")])
    return ExampleStore.from_dirs([tmp_path / "a", tmp_path / "b"])


def test_every_gold_figure_is_an_example_with_its_figure_marked(store):
    assert Example("other-report.txt", "新认定高新技术企业【96家】", "新认定高新技术企业数") in store.examples
    assert len(store) == 3  # a quote that does not state its value is no example


def test_a_section_gets_the_examples_like_its_clauses_from_other_documents_only(store):
    source = clean_text(TEXT, path="t.txt")
    (work,) = [w for w in plan_report(source, 600).asked]
    user = build_messages(source, work, store)[1]["content"]
    # written as the system prompt's own example: the figures marked with ids, then the answer
    assert "原文：新认定高新技术企业【1:96家】；技术合同成交额【2:12.5亿元】\n" in user
    assert '输出：{"1":"新认定高新技术企业数","2":"技术合同成交额"}' in user
    assert "本报告自己的名称" not in user  # the report's own gold never goes into its prompt
    assert user.index("输出：") < user.index("章节：")  # the examples come before the section


def test_without_a_store_the_prompt_is_as_it_was(store):
    source = clean_text(TEXT, path="t.txt")
    (work,) = [w for w in plan_report(source, 600).asked]
    plain = build_messages(source, work)[1]["content"]
    assert plain.startswith("章节：") and "输出：" not in plain
    assert build_messages(source, work, ExampleStore([]))[1]["content"] == plain


def test_similar_keeps_at_most_k_no_name_twice_and_nothing_unlike(store):
    assert len(store.similar(["新认定高新技术企业213家", "技术合同成交额58.6亿元"], "t.txt", k=1)) == 1
    assert store.similar(["今年天气晴朗"], "t.txt") == []


def test_bad_examples_are_named(tmp_path):
    with pytest.raises(InputError, match="nope"):
        ExampleStore.from_dirs([tmp_path / "nope"])
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="x.json"):
        ExampleStore.from_dirs([tmp_path / "bad"])
    with pytest.raises(ConfigError, match="examples"):
        Settings(examples=3)
    assert Settings(examples="a:b").examples == (Settings(examples=["a", "b"]).examples)


def test_the_marked_figure_is_the_one_of_the_labelled_value_a_rank_included(tmp_path):
    _gold(tmp_path, "r", [("新认定企业数", 12, "家", "新认定企业12家，累计45家"),
                          ("技术合同成交额全市排名", 1, "名", "技术合同成交额全市第一"),
                          ("新建院士工作站数", 2, "家", "新建院士工作站2家")])  # exactly 6 words besides the figure
    marked = {e.name: e.marked for e in ExampleStore.from_dirs([tmp_path]).examples}
    assert marked == {"新认定企业数": "新认定企业【12家】，累计45家", "技术合同成交额全市排名": "技术合同成交额【全市第一】",
                      "新建院士工作站数": "新建院士工作站【2家】"}


def test_a_file_of_several_documents_as_the_review_page_writes_it_is_read_whole(tmp_path):
    docs = [{"doc": "a", "meta": {}, "indicators": [{"name": "孵化器数", "value": 3, "quote": "新建市级孵化器3家"}]},
            {"doc": "b", "meta": {}, "indicators": [{"name": "众创空间数", "value": 5, "quote": "新建市级众创空间5家"}]}]
    (tmp_path / "llmx-corrections.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    store = ExampleStore.from_dirs([tmp_path])
    assert [(e.doc, e.name) for e in store.examples] == [("a", "孵化器数"), ("b", "众创空间数")]
    assert [e.doc for e in store.similar(["新建市级孵化器7家", "新建市级众创空间7家"], "a.txt")] == ["b"]  # never a's own


def test_one_name_is_given_once_however_many_examples_carry_it(tmp_path):
    _gold(tmp_path, "x", [("新建孵化器数", 3, "家", "全区新建孵化器3家"), ("新建孵化器数", 4, "家", "本年新建孵化器4家")])
    chosen = ExampleStore.from_dirs([tmp_path]).similar(["新建孵化器5家", "另建孵化器2家"], "y.txt")
    assert [e.name for e in chosen] == ["新建孵化器数"]
