from pathlib import Path

import pytest

from llmx.errors import EmptyDocumentError, NotTextError
from llmx.text.source import clean_text, decode, load_source

SAMPLE = "科技服务业营\n\n收同比增长 5%。**重点**[bookmark: _GoBack]新认定高新技术企业 68 家，增长７．５％"


def test_every_cleaned_char_maps_to_its_original():
    s = clean_text("x" * 70 + SAMPLE)
    for i, ch in enumerate(s.text):
        orig = s.original[s.offsets[i]]
        assert orig == ch or orig in "０１２３４５６７８９．％\u3000\xa0 ", (i, ch, orig)


def test_artefacts_are_removed_and_page_break_joined():
    s = clean_text("上" * 70 + SAMPLE)
    assert "营收同比增长5%" in s.text
    assert "**" not in s.text and "bookmark" not in s.text
    assert "新认定高新技术企业68家" in s.text
    assert "增长7.5%" in s.text


def test_span_maps_back_to_original_including_removed_spaces():
    s = clean_text("新认定高新技术企业 68 家，同比增加 7.07%")
    i = s.text.index("68家")
    start, end = s.to_original(i, i + len("68家"))
    assert s.original[start:end] == "68 家"


def test_short_line_break_before_heading_is_kept():
    s = clean_text("区科委全力推进。\n\n一、强化创新驱动发展")
    assert "\n一、强化" in s.text


def test_gb18030_is_detected(tmp_path: Path):
    text = "2024年普陀区科学技术委员会工作总结\n新认定高新技术企业68家，技术合同成交金额197.54亿元。" * 3
    p = tmp_path / "gbk.txt"
    p.write_bytes(text.encode("gb18030"))
    s = load_source(p)
    assert s.original == text
    assert s.encoding.replace("-", "_").lower() in {"gb18030", "gbk", "cp936", "gb2312"}


def test_utf8_bom_is_dropped():
    text, enc = decode("你好".encode("utf-8-sig"))
    assert text == "你好" and enc == "utf_8_sig"  # said: offsets count from after the mark


@pytest.mark.parametrize("content", [b"", b"   \n\n  "])
def test_empty_file_names_the_file(tmp_path: Path, content: bytes):
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    with pytest.raises(EmptyDocumentError, match="empty.txt"):
        load_source(p)


def test_binary_file_is_refused_with_its_name(tmp_path: Path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(NotTextError, match="image.txt.*binary"):
        load_source(p)


def test_missing_file_and_directory(tmp_path: Path):
    with pytest.raises(NotTextError, match="no such file"):
        load_source(tmp_path / "nope.txt")
    with pytest.raises(NotTextError, match="directory"):
        load_source(tmp_path)


def test_seeds_load_and_keep_the_original_byte_for_byte(seed_paths):
    assert len(seed_paths) == 5
    for p in seed_paths:
        s = load_source(p)
        assert s.original == p.read_bytes().decode("utf-8")
        assert len(s.offsets) == len(s.text) + 1
        assert list(s.offsets) == sorted(s.offsets)


WRAPPED_PARAGRAPH = (
    "全年完成科技投入二十三亿元，比上年增长百分之九，研发投入强度提高0.6个百分点。全年新认定高新技术企业一百二十家，"
    "技术合同成交额较上年增长11.9%，园区营收达到八十亿元，新建市级以上研发平台十二家，服务企业三千家次，引进高层次人才二百余人。"
)
FIGURES = ("提高0.6个百分点", "一百二十家", "增长百分之九", "二百余人", "三千家次", "增长11.9%", "八十亿元")


@pytest.mark.parametrize("width", range(20, 41))
def test_a_hard_wrapped_copy_is_read_as_paragraphs(width):
    """A PDF copy cut every `width` characters, mid-word and mid-figure (`0.6个百分⏎点`, `一⏎百二十家`)."""
    paragraph = [WRAPPED_PARAGRAPH[i : i + width] for i in range(0, len(WRAPPED_PARAGRAPH), width)]
    headings = ["一、主要成效", "二、存在问题", "三、下一步打算"]
    original = "\n".join(line for heading in headings for line in [heading, *paragraph])
    s = clean_text(original)
    assert s.text.replace("\n", "") == original.replace("\n", "")
    for line in s.text.split("\n"):  # a line ends a heading or a sentence (a cut right after 。 is not told apart)
        assert line in headings or line.endswith("。"), line
    for figure in FIGURES:
        i = s.text.index(figure)
        a, b = s.to_original(i, i + len(figure))
        assert original[a:b].replace("\n", "") == figure


def test_lines_of_a_report_that_is_not_hard_wrapped_stay_apart():
    lines = ["（一）加快建设科技创新平台体系", "全区新建市级重点实验室3家，其中企业实验室2家", "园区科技服务中心主任座谈会纪要",
             "全年举办创新创业活动60余场，服务企业超过一千家次。", "附表：2024年主要科技指标完成情况一览", "高新技术企业数量稳步增长"]
    original = "\n".join(lines)
    assert clean_text(original).text == original  # open lines, but of all lengths: no wrap width


# Half-width punctuation in Chinese prose (copies of web pages and PDFs) reads as its
# full-width twin, one character for one: offsets and quotes stay those of the file.



@pytest.mark.parametrize("raw, cleaned", [
    ("增速26.6%,全市排名第1", "增速26.6%，全市排名第1"),
    ("生产总值(GDP)152.8亿元;增长3.4%", "生产总值（GDP）152.8亿元；增长3.4%"),
    ("(一)加强科技投入", "（一）加强科技投入"),
    ("发布时间:2022-07-22 10:58:01", "发布时间：2022-07-22 10:58:01"),
    ("共1,234家企业", "共1,234家企业"),
    ("see https://a.cn/x?y=1, z", "see https://a.cn/x?y=1, z"),
])
def test_half_width_punctuation_in_chinese_prose_reads_full_width(raw, cleaned):
    source = clean_text(raw)
    assert source.text == cleaned
    assert len(source.text) == len(raw) and list(source.offsets[:-1]) == list(range(len(raw)))


def test_line_and_paragraph_separators_break_lines():
    assert clean_text("第一行\u2028第二行\u2029第三行").text == "第一行\n第二行\n第三行"


def test_utf16_without_a_byte_order_mark_is_text_in_either_byte_order(tmp_path):
    text = "2024年全区新增高新技术企业35家。\n"
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{codec}.txt"
        path.write_bytes(text.encode(codec))
        source = load_source(path)
        assert source.original == text and source.encoding == codec.replace("-", "_")


def test_a_utf8_byte_order_mark_is_said_and_not_counted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "新增企业35家".encode("utf-8"))
    source = load_source(path)
    assert source.encoding == "utf_8_sig"
    assert source.original == path.read_text(encoding="utf-8-sig")


def test_binary_with_nul_bytes_is_still_refused(tmp_path):
    from llmx.errors import NotTextError

    path = tmp_path / "b.bin"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(NotTextError):
        load_source(path)
