import pytest

from llmx.pipeline.meta import checked_meta, doc_kind, doc_years, needs_model, regex_meta
from llmx.model.schema import MetaAnswer
from llmx.text.sections import split_sections
from llmx.text.source import load_source

HEAD = "上海市普陀区科学技术委员会文件\n普科委〔2025〕4号\n2024年普陀区科学技术委员会工作总结"
TAIL = "上海市普陀区科学技术委员会\n2025年3月24日"


def test_regex_meta_reads_the_head():
    m = regex_meta(HEAD, TAIL)
    assert m.issuer == "上海市普陀区科学技术委员会"
    assert m.region == "普陀区"
    assert m.doc_number == "普科委〔2025〕4号"
    assert m.title == "2024年普陀区科学技术委员会工作总结"
    assert (m.kind, m.years, m.issued_on) == ("summary", [2024], "2025-03-24")


@pytest.mark.parametrize(
    "title, kind, years",
    [
        ("青浦区科委、科协2024年工作总结和2025年工作要点", "summary_and_plan", [2024, 2025]),
        ("2022年普陀区科学技术委员会工作计划", "plan", [2022]),
        ("关于某事的通知", "other", []),
    ],
)
def test_kind_and_years_from_title(title, kind, years):
    assert doc_kind(title) == kind and doc_years(title) == years


def test_model_fields_not_in_the_text_fall_back_to_rules():
    answer = MetaAnswer(issuer="普陀区人民政府", region="普陀区", doc_number="普科委〔2025〕9号",
                        title="2024年普陀区科学技术委员会工作总结", issued_on="2025-01-01")
    m = checked_meta(answer, HEAD, TAIL)
    assert m.issuer == "上海市普陀区科学技术委员会"  # invented issuer rejected
    assert m.doc_number == "普科委〔2025〕4号"  # invented number rejected
    assert m.issued_on == "2025-03-24"  # a date the text never states is rejected
    assert m.title == "2024年普陀区科学技术委员会工作总结"


def test_garbled_doc_number_is_null(seed_paths):
    src = load_source(next(p for p in seed_paths if p.name.startswith("minhang-2023")))
    o = split_sections(src)
    m = regex_meta(src.text[o.meta_start : o.meta_end])
    assert m.doc_number is None
    assert m.issued_on == "2024-02-06"


@pytest.mark.parametrize("head, region", [
    ("西安高新区科技创新局2025年工作要点", "西安高新区"),  # not 安高新区
    ("天津经开区科技局2024年工作总结", "天津经开区"),
    ("昆山工业园区科技创新委员会\n2024年工作总结", "昆山工业园区"),
    ("上海市浦东新区科技和经济委员会2024年工作总结", "浦东新区"),  # a district: the zone reading does not apply
    ("某某市科学技术局2023年工作总结", "某某市"),
])
def test_a_zone_that_opens_title_or_issuer_is_the_region_whole(head, region):
    assert regex_meta(head).region == region


def test_the_model_is_asked_only_for_a_title_issuer_or_region_the_rules_lack():
    assert not needs_model(regex_meta(HEAD, TAIL))
    assert not needs_model(regex_meta("上海市普陀区科学技术委员会\n2024年工作总结"))  # no 文号, no date: complete
    assert needs_model(regex_meta("科技工作总结"))  # no issuer, no region
    assert needs_model(regex_meta("某某区科学技术委员会文件\n关于印发通知"))  # no title


def test_the_model_fills_only_what_the_rules_left_empty():
    head = "各有关单位：\n全区科技创新工作总结\n现将有关情况报告如下。"
    assert regex_meta(head).issuer is None and regex_meta(head).region is None
    answer = MetaAnswer(issuer="有关单位", region="全区", title="科技创新", doc_number="普科委〔2025〕9号",
                        issued_on="2025-01-01")
    m = checked_meta(answer, head)
    assert (m.issuer, m.region) == ("有关单位", "全区")  # borne out by the head, and the rules had none
    assert m.title == "全区科技创新工作总结"  # the rules' title stands; the model's shorter one is not taken
    assert m.doc_number is None and m.issued_on is None  # neither is in the text
    m = checked_meta(MetaAnswer(issuer="上海市普陀区人民政府", region="普陀区"), HEAD, TAIL)
    assert m.issuer == "上海市普陀区科学技术委员会"  # the rules' issuer is never overridden


def test_a_model_title_without_a_kind_word_keeps_the_kind_the_rules_read_from_a_heading():
    from llmx.model.schema import MetaAnswer
    from llmx.pipeline.meta import checked_meta

    head = "某县发改局\n"
    lead = head + "一、上半年工作总结\n1、经济平稳。\n"
    answer = MetaAnswer(issuer=None, region=None, doc_number=None, title="某县发改局", issued_on=None)
    assert checked_meta(answer, head, "", lead).kind == "summary"
