import pytest

from llmx.meta import checked_meta, doc_kind, doc_years, regex_meta
from llmx.schema import MetaAnswer
from llmx.sections import split_sections
from llmx.source import load_source

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
