import re

from llmx.text.sections import meta_block, split_sections
from llmx.text.source import clean_text, load_source

REPORT = """上海市某区科学技术委员会文件
某科委〔2025〕4号
2024年某区科学技术委员会工作总结
2024年，区科委围绕区委、区政府确定的各项重点任务，持续聚焦科创布局，全力提升两大产业发展能级，成效明显。
一、聚焦科创，培育发展新质生产力
（一）聚势汇能，深化国际合作
一是用好政策，完成28家企业办公用房租金减免认定。二是打造创新强磁场，举办活动12场。
（二）攀高逐新
新认定高新技术企业68家，同比增加7.07%。
二、着力延链补链
1.全力以赴落实产业稳增长
全年技术合同成交金额197.54亿元。
"""


def test_heading_paths_and_offsets():
    src = clean_text(REPORT)
    outline = split_sections(src)
    paths = [s.path for s in outline.sections]
    assert paths[0] == ()
    assert paths[1] == ("一、聚焦科创，培育发展新质生产力", "（一）聚势汇能，深化国际合作")
    assert ("一、聚焦科创，培育发展新质生产力", "（二）攀高逐新") in paths
    assert paths[-1] == ("二、着力延链补链", "1.全力以赴落实产业稳增长")
    for s in outline.sections:
        assert src.text[s.start : s.end] == s.text


def test_meta_block_is_the_head():
    src = clean_text(REPORT)
    start, end = meta_block(src.text)
    head = src.text[start:end]
    assert "某科委〔2025〕4号" in head and head.endswith("工作总结")


def test_long_paragraph_is_cut_at_inline_markers_and_sentence_ends_never_inside_numbers():
    para = "".join(f"{n}是推进第{i}项工作，完成投资{i}.5亿元，同比增长{i}.25%。" for i, n in enumerate("一二三四五六七八九", 1))
    src = clean_text("一、重点工作\n" + para * 3)
    outline = split_sections(src, max_chars=120)
    assert len(outline.sections) > 3
    joined = "".join(s.text for s in outline.sections)
    assert joined == (para * 3)
    for s in outline.sections:
        assert len(s.text) <= 120
        assert not re.match(r"^[\d.%]", s.text)  # no piece starts inside a number


def test_part_headings_frame_the_sections():
    text = "某区2024年工作总结和2025年工作要点\n2024年工作总结\n" + "区科委工作取得成效，" * 8 + "\n一、创新\n" + "完成项目10个。" * 3 + "\n2025年工作要点\n一、目标\n力争新增企业20家，推动科技创新。\n"
    outline = split_sections(clean_text(text))
    assert outline.sections[-1].path[0] == "2025年工作要点"
    assert any(s.path[:1] == ("2024年工作总结",) for s in outline.sections)


def test_seed_sections_cover_their_text(seed_paths):
    for p in seed_paths:
        src = load_source(p)
        outline = split_sections(src)
        assert outline.sections, p
        for s in outline.sections:
            assert len(s.text) <= 400
            a, b = src.to_original(s.start, s.end)
            assert a < b <= len(src.original)


def test_text_without_headings_is_one_body():
    src = clean_text("区科委今年完成各项任务，新增企业30家，技术合同成交额增长5%。")
    outline = split_sections(src)
    assert len(outline.sections) == 1 and outline.sections[0].path == ()
