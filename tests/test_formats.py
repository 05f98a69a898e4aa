"""Reports in .docx, .pdf and .html (`llmx.text.readers`), on files the tests write themselves.

The seeds converted to each format give the indicators of the .txt (the regex-only
pipeline, `baseline_extract`: same names, values, kinds, units, periods), with offsets
exact into each file's extracted text; tables, navigation, page numbers, merged cells
and scans each as documented; every bad file one line naming it, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from makedocs import FONT_HINT, docx_of, html_of, pdf_fonts, pdf_of, scanned_pdf
from llmx.pipeline.extract import baseline_extract
from llmx.pipeline.batch import REPORT_SUFFIXES, scan_inputs
from llmx.cli import main
from llmx.errors import MissingPackageError, NotTextError, ScannedPdfError, UnreadableDocumentError
from llmx.models import ReportResult
from llmx.outputs.output import dump_line
from llmx.text.readers import EMPTY_CELL, cell_text, load_report
from llmx.text.source import load_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
needs_font = pytest.mark.skipif(pdf_fonts() is None, reason=f"a PDF with Chinese text cannot be written: {FONT_HINT}")
TABLE = [["指标名称", "2022年", "2023年", "增速（%）"], ["技术合同成交额（亿元）", "827.3", "1,012.6", "22.4"],
         ["高新技术企业（家）", "198", "213", "7.6"]]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _key(result: ReportResult) -> list[tuple]:
    return [(i.name, i.value, i.kind, i.unit, i.period, i.approx) for i in result.indicators]


def _extract(path: Path) -> ReportResult:
    report = load_report(path)
    return report.annotate(baseline_extract(report.source))


def _grounded(result: ReportResult) -> None:
    text = result.original_text
    assert text is not None
    for ind in result.indicators:
        assert text[ind.start : ind.end] == ind.quote
        assert text[ind.figure_start : ind.figure_end] in ind.quote


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Every seed as .docx, .html and (with a CJK font) .pdf, written once for the module."""
    folder = tmp_path_factory.mktemp("converted")
    out: dict[str, dict[str, Path]] = {}
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        out[seed.name] = {"docx": docx_of(text, folder / f"{seed.stem}.docx"),
                          "html": html_of(text, folder / f"{seed.stem}.html")}
        if pdf_fonts() is not None:
            out[seed.name]["pdf"] = pdf_of(text, folder / f"{seed.stem}.pdf")
    return out


@pytest.mark.parametrize("fmt", ["docx", "html", pytest.param("pdf", marks=needs_font)])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_a_seed_in_another_format_gives_the_indicators_of_the_txt(seed, fmt, converted):
    want = baseline_extract(load_source(seed))
    got = _extract(converted[seed.name][fmt])
    assert _key(got) == _key(want)
    assert got.counts == want.counts and got.counts.balanced
    _grounded(got)
    if fmt == "pdf":
        pages = got.page_starts
        assert pages and pages[0] == 0 and len(pages) > 1
        assert [i.page for i in got.indicators] == sorted(i.page for i in got.indicators)
        assert {i.page for i in got.indicators} <= set(range(1, len(pages) + 1)) and got.indicators[-1].page > 1
        assert "— 1 —" not in got.original_text  # page numbers are no part of the text
    if fmt == "docx":
        assert all(i.block is not None and i.page is None for i in got.indicators)
    if fmt == "html":
        assert all(i.block is None and i.page is None for i in got.indicators)


def test_a_txt_report_keeps_its_json_line_as_it_was():
    result = baseline_extract(load_source(SEEDS[0]))
    line = dump_line(result)
    for key in ('"original_text"', '"page_starts"', '"block_starts"', '"page"', '"block"'):
        assert key not in line
    assert ReportResult.model_validate_json(line) == result


def test_a_docx_table_is_rows_of_cells_in_reading_order(tmp_path):
    path = docx_of("主要科技指标如下表。\n表后的一段话。", tmp_path / "t.docx", table=TABLE, table_after=1)
    report = load_report(path)
    lines = report.source.original.split("\n")
    assert lines[:5] == ["主要科技指标如下表。", *(" ".join(r) for r in TABLE), "表后的一段话。"]
    result = report.annotate(baseline_extract(report.source))
    cells = {(i.value, i.unit, i.period) for i in result.indicators}
    assert {(827.3, "亿元", "2022"), (1012.6, "亿元", "2023"), (213.0, "家", "2023"), (7.6, "%", None)} <= cells
    starts = report.extracted.block_starts
    assert len(starts) == 2 + 4 * 3  # two paragraphs, twelve cells
    assert len(result.indicators) == 6
    for ind in result.indicators:  # each figure is a cell, and its block is that cell
        cell = report.source.original[starts[ind.block] : starts[ind.block + 1] - 1]
        assert report.source.original[ind.figure_start : ind.figure_end] == cell
    _grounded(result)


def test_a_merged_docx_cell_is_written_once_and_the_columns_stay(tmp_path):
    import docx

    document = docx.Document()
    t = document.add_table(rows=3, cols=3)
    for (i, j), text in {(0, 0): "指标", (0, 1): "2024年", (1, 0): "企业（家）", (1, 1): "213", (2, 1): "12",
                         (1, 2): "共 2 项"}.items():
        t.cell(i, j).text = text
    t.cell(0, 1).merge(t.cell(0, 2))
    t.cell(1, 2).merge(t.cell(2, 2))
    document.save(str(tmp_path / "m.docx"))
    lines = load_report(tmp_path / "m.docx").source.original.split("\n")
    assert lines[:3] == [f"指标 2024年 {EMPTY_CELL}", "企业（家） 213 共2项", f"{EMPTY_CELL} 12 {EMPTY_CELL}"]


def test_a_cell_keeps_two_numbers_apart_and_drops_the_spaces_of_chinese():
    assert cell_text(" 技术合同\n成交额 ") == "技术合同成交额"
    assert cell_text("10 20") == "10/20"
    assert cell_text("  ") == EMPTY_CELL


def test_a_web_page_is_read_without_its_navigation_footer_and_scripts(tmp_path):
    text = "2024年工作总结\n全年新认定高新技术企业213家，同比增长7.6%。"
    path = html_of(text, tmp_path / "page.html", table=TABLE, encoding="gbk")
    original = load_report(path).source.original
    assert original.split("\n") == [*text.split("\n"), *(" ".join(r) for r in TABLE)]
    for boilerplate in ("首页", "365件", "当前位置", "阅读次数", "ICP", "_hmt", "2em", "第12期"):
        assert boilerplate not in original


def test_a_web_page_article_is_chosen_and_spans_keep_the_columns(tmp_path):
    page = """<html><body><div>侧栏推荐：专题 12 个</div>
<article><h1>工作要点</h1><p>一、总体目标<br>力争新增<b>高新技术企业</b> 300 家。</p>
<table><tr><th rowspan="2">指标</th><th colspan="2">2025年</th></tr><tr><td>目标</td><td>完成</td></tr>
<tr><td>企业（家）</td><td>300</td><td></td></tr></table></article><footer>版权所有 2025</footer></body></html>"""
    (tmp_path / "p.htm").write_text(page, encoding="utf-8")
    assert load_report(tmp_path / "p.htm").source.original.split("\n") == [
        "工作要点", "一、总体目标", "力争新增高新技术企业 300 家。",
        f"指标 2025年 {EMPTY_CELL}", f"{EMPTY_CELL} 目标 完成", f"企业（家） 300 {EMPTY_CELL}"]


@needs_font
def test_a_pdf_table_and_a_paragraph_over_two_pages(tmp_path):
    long = "全区科技企业持续壮大，" * 80 + "全年新认定高新技术企业 213 家。"
    path = pdf_of(f"{long}\n表1 主要科技指标", tmp_path / "t.pdf", table=TABLE)
    report = load_report(path)
    text = report.source.original
    assert len(report.extracted.page_starts) == 2
    assert long.replace(" ", "") in text.replace(" ", "")  # one paragraph, over the page break
    assert all(" ".join(r) in text.split("\n") for r in TABLE)
    result = report.annotate(baseline_extract(report.source))
    (firms,) = [i for i in result.indicators if i.value == 213 and "新认定" in i.quote]
    assert firms.page == 2 and result.indicators[-1].page == 2
    _grounded(result)


def test_a_scanned_pdf_is_one_clear_error_and_the_batch_goes_on(tmp_path):
    scan = scanned_pdf(tmp_path / "scan.pdf", pages=2)
    with pytest.raises(ScannedPdfError, match=r"scan\.pdf: has no text layer on any of its 2 pages .*OCR"):
        load_report(scan)
    good = tmp_path / "good.txt"
    good.write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke("extract", str(scan), str(good), "-o", str(out), "--no-model")
    assert result.exit_code == 1  # some reports failed (the README's exit codes)
    failed = [ln for ln in result.output.splitlines() if ln.startswith("llmx: failed:")]
    assert failed == [f"llmx: failed: {scan}: ScannedPdfError: {scan}: has no text layer on any of its 2 pages "
                      "(a scanned or image-only PDF): llmx reads a PDF's text and does no OCR; run OCR first "
                      "(ocrmypdf adds a text layer)"]
    assert "Traceback" not in result.output
    assert [json.loads(x)["error"] is None for x in out.read_text(encoding="utf-8").splitlines()] == [False, True]
    numbers = invoke("numbers", str(scan))
    assert numbers.exit_code == 2 and numbers.output.startswith("llmx: error:") and "no text layer" in numbers.output


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_a_damaged_file_is_one_line_naming_it(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x00\x01 this is no document \xff" * 20)
    with pytest.raises(UnreadableDocumentError, match=rf"{name}: cannot be read as a"):
        load_report(path)
    result = invoke("sections", str(path))
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1 and name in result.output


def test_a_missing_file_of_a_format_is_named(tmp_path):
    with pytest.raises(NotTextError, match="no such file"):
        load_report(tmp_path / "gone.docx")


@pytest.mark.parametrize(("suffix", "module", "package", "extra"), [
    (".pdf", "pdfplumber", "pdfplumber", "pdf"), (".docx", "docx", "python-docx", "docx"),
    (".html", "selectolax.lexbor", "selectolax", "html")])
def test_a_missing_reader_names_its_package_and_extra(tmp_path, monkeypatch, suffix, module, package, extra):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    path = tmp_path / f"r{suffix}"
    path.write_bytes(b"whatever")
    with pytest.raises(MissingPackageError) as info:
        load_report(path)
    assert str(info.value) == (f"{path}: reading {suffix} files needs {package}, which is not installed: "
                               f"pip install 'llmx[{extra}]'")


def test_a_directory_gives_every_supported_format_and_nothing_else(tmp_path):
    for name in ("a.txt", "b.docx", "c.pdf", "d.html", "e.htm", "f.md", "g.doc", "h.PDF"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in scan_inputs([tmp_path]).paths] == ["a.txt", "b.docx", "c.pdf", "d.html", "e.htm", "h.PDF"]
    assert {".docx", ".pdf", ".html", ".htm"} <= set(REPORT_SUFFIXES)


def test_import_llmx_loads_no_reader_library():
    code = ("import sys, llmx; bad = [m for m in ('docx', 'pdfplumber', 'pdfminer', 'selectolax', 'pyarrow', "
            "'pandas', 'polars') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_check_output_checks_offsets_against_the_extracted_text(tmp_path, converted):
    seed = SEEDS[0]
    files = [str(p) for p in converted[seed.name].values()]
    out = tmp_path / "out.jsonl"
    assert invoke("extract", *files, "-o", str(out), "--no-model").exit_code == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert all(line["original_text"] for line in lines)
    check = [sys.executable, str(ROOT / "bench" / "check_output.py"), str(out)]
    run = subprocess.run(check, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    lines[0]["indicators"][0]["start"] += 1  # one offset off: the checker sees it
    out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    run = subprocess.run(check, capture_output=True, text=True)
    assert run.returncode == 1 and "do not slice to" in run.stdout
