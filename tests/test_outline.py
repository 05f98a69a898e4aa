"""The outline of a report (llmx.text.sections): tests owed to mutation testing (the head, heading
lines at the 40-character limit, list items, and where long paragraphs are cut)."""

from __future__ import annotations

from llmx.text.sections import meta_block, split_sections
from llmx.text.sections import outline as outline_of
from llmx.text.source import clean_text


def sections(text: str, max_chars: int = 400):
    return split_sections(clean_text(text), max_chars).sections


# ---------------------------------------------------------------- the head


def test_the_head_ends_at_the_first_heading_even_if_a_title_follows():
    for heading in ("一、主要目标完成情况", "（一）主要目标完成情况", "1.主要目标完成情况"):
        text = f"某区科学技术委员会\n{heading}\n2025年工作要点\n力争新增企业20家。"
        assert meta_block(text) == (0, 0), heading


def test_the_head_ends_at_the_first_body_line():
    body = "区科委围绕区委区政府确定的各项重点任务持续聚焦科创布局全力提升两大产业发展能级推动创新成效明显，全年各项工作均成效显著。"
    assert len(body) == 60
    assert meta_block(f"某区科学技术委员会\n{body}\n2025年工作要点\n") == (0, 0)


def test_a_report_without_a_title_has_an_empty_head():
    assert meta_block("区科委今年完成各项任务，新增企业30家。") == (0, 0)
    outline = split_sections(clean_text("区科委今年完成各项任务，新增企业30家。"))
    assert (outline.meta_start, outline.meta_end) == (0, 0)


def test_a_part_heading_in_the_head_frames_what_follows():
    text = "某区科委2024年工作总结和2025年工作要点\n2024年工作总结\n一、创新\n完成项目10个。\n"
    src = clean_text(text)
    outline = split_sections(src)
    assert (outline.meta_start, outline.meta_end) == (0, src.text.index("\n一、"))
    (section,) = outline.sections
    assert section.path == ("2024年工作总结", "一、创新") and section.text == "完成项目10个。"


# ---------------------------------------------------------------- heading lines


def test_a_forty_character_heading_is_a_heading_whole():
    heading = "一、聚焦科创策源；培育发展新质生产力，深化国际合作，推动产业能级持续提升取得成效"
    assert len(heading) == 40
    got = sections(f"{heading}\n完成项目10个。\n")
    assert [(s.path, s.text) for s in got] == [((heading,), "完成项目10个。")]


def test_a_forty_character_numbered_clause_is_a_list_item():
    item = "（一）技术合同成交额力争达到600亿元以上，有效高新技术企业数达到1200余家；"
    assert len(item) == 40
    got = sections(f"一、主要目标\n{item}\n（二）推进创新\n完成项目10个。\n")
    assert [(s.path, s.text) for s in got] == [
        (("一、主要目标",), item), (("一、主要目标", "（二）推进创新"), "完成项目10个。")]


def test_list_items_stay_out_of_the_path():
    text = "一、主要目标\n（一）技术合同成交额力争达到600亿元；\n（二）新认定高新技术企业200家。\n二、重点任务\n完成项目10个。\n"
    got = sections(text)
    assert [(s.index, s.path, s.text) for s in got] == [
        (0, ("一、主要目标",), "（一）技术合同成交额力争达到600亿元；"),
        (1, ("一、主要目标",), "（二）新认定高新技术企业200家。"),
        (2, ("二、重点任务",), "完成项目10个。"),
    ]


def test_a_paragraph_that_opens_with_its_heading():
    line = "1.全力以赴落实产业稳增长。全年技术合同成交金额197.54亿元，同比增长49.8%，增速位居全市前列。"
    (s,) = sections(f"一、重点工作\n{line}\n")
    assert s.path == ("一、重点工作", "1.全力以赴落实产业稳增长") and s.text == line
    line = "二、围绕科技创新策源功能区建设的总体部署持续深化国际科技合作和开放创新生态体系建设工作，新增项目12个"
    (s,) = sections(f"{line}\n")
    assert s.path == (line[:40] + "…",) and s.text == line


def test_a_line_with_spaces_is_one_paragraph():
    line = "联合举办 The 7th AutoCS 2024 智能汽车信息安全大会，参会企业120家。"
    src = clean_text(f"一、重点工作\n{line}\n")
    (s,) = split_sections(src).sections
    assert s.text == src.text.split("\n")[1] and "AutoCS" in s.text and s.text.endswith("120家。")


# ---------------------------------------------------------------- cutting long paragraphs


def test_pieces_are_packed_up_to_max_chars_exactly():
    para = "新增企业10家。认定高企20家。引进人才30名。建成平台40个。举办活动50场。服务企业60家。"
    got = [s.text for s in sections(f"一、重点工作\n{para}\n", max_chars=16)]
    assert got == ["新增企业10家。认定高企20家。", "引进人才30名。建成平台40个。", "举办活动50场。服务企业60家。"]


def test_the_default_piece_is_at_most_400_characters():
    para = "新增企业10家。" * 49 + "新增企业100家。"
    assert len(para) == 401
    src = clean_text(f"一、重点工作\n{para}\n")
    for outline in (split_sections(src), outline_of(src)):
        got = [s.text for s in outline.sections]
        assert len(got) == 2 and "".join(got) == para and all(len(t) <= 400 for t in got)
    assert outline_of(src, 20) == split_sections(src, 20)


def test_a_paragraph_is_cut_before_its_inline_markers():
    para = "一是用好政策，完成28家企业认定，二是打造创新强磁场，举办活动12场，三是优化服务，走访企业300家"
    got = [s.text for s in sections(f"一、重点工作\n{para}\n", max_chars=20)]
    assert got == ["一是用好政策，完成28家企业认定，", "二是打造创新强磁场，举办活动12场，", "三是优化服务，走访企业300家"]


def test_a_long_sentence_is_cut_at_commas_not_before_a_digit():
    sent = ("区科委联合区内高校、科研院所和龙头企业，围绕集成电路、生物医药、人工智能等重点产业，组织开展关键核心技术攻关，"
            "2024年新立项项目35个，带动社会研发投入超过12亿元，推动一批创新成果在区内转化落地。")
    got = [s.text for s in sections(f"一、重点工作\n{sent}\n", max_chars=40)]
    assert got == ["区科委联合区内高校、科研院所和龙头企业，围绕集成电路、生物医药、",
                   "人工智能等重点产业，组织开展关键核心技术攻关，2024年新立项项目35个，",
                   "带动社会研发投入超过12亿元，推动一批创新成果在区内转化落地。"]


def test_a_long_sentence_after_short_ones_is_cut_at_commas_too():
    para = ("新增企业10家。区科委联合区内高校、科研院所和龙头企业，围绕集成电路、生物医药、人工智能等重点产业，"
            "组织开展关键核心技术攻关。认定高企20家。")
    got = [s.text for s in sections(f"一、重点工作\n{para}\n", max_chars=30)]
    assert "".join(got) == para and all(0 < len(t) <= 30 for t in got)
    assert got[0] == "新增企业10家。"
    assert got[-1] == "认定高企20家。"


def test_a_sentence_of_exactly_max_chars_is_not_cut():
    sent = "区科委联合区内高校、科研院所和龙头企业，组织开展关键核心技术攻关。"
    got = [s.text for s in sections(f"一、重点工作\n{sent}\n", max_chars=len(sent))]
    assert got == [sent]


def test_a_first_clause_longer_than_max_chars_gives_no_empty_piece():
    para = "一是围绕集成电路生物医药人工智能等重点产业组织开展关键核心技术攻关，二是新增项目35个"
    got = [s.text for s in sections(f"一、重点工作\n{para}\n", max_chars=20)]
    assert all(got) and "".join(got) == para
    assert got[-1] == "二是新增项目35个"


def test_a_sentence_without_a_comma_is_left_whole():
    sent = "区科委联合区内高校科研院所和龙头企业围绕集成电路生物医药人工智能等重点产业组织开展关键核心技术攻关"
    got = [s.text for s in sections(f"一、重点工作\n{sent}\n", max_chars=20)]
    assert got == [sent]
