"""Report files in other formats, written by the tests themselves (never downloaded).

    docx_of(text, path)          python-docx: one paragraph a line; `table=` adds a Word table
    pdf_of(text, path)           fpdf2: A4 pages like a 公文 (16 pt, 28 characters a line,
                                 first lines indented two characters, `— n —` page numbers)
    html_of(text, path)          a government page: navigation, breadcrumb, the article, a footer
    scanned_pdf(path)            a PDF of one page that is only an image (no text layer)

The PDF needs a CJK TrueType font (`cjk_font()`: Debian's fonts-droid-fallback or
fonts-wqy-zenhei; fpdf2 writes a broken text layer with CFF fonts such as Noto CJK)
and, for Latin letters and digits when the CJK font lacks them, DejaVu Sans.
`pdf_fonts()` returns None when none is found: the tests skip and say so.
"""

from __future__ import annotations

import html
import subprocess
from functools import lru_cache
from pathlib import Path

__all__ = ["cjk_font", "docx_of", "html_of", "pdf_fonts", "pdf_of", "scanned_pdf"]

FONT_HINT = "no CJK TrueType font: apt-get install fonts-droid-fallback (or fonts-wqy-zenhei)"


def _fc_list(pattern: str) -> list[str]:
    try:
        out = subprocess.run(["fc-list", pattern, "file"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """A TrueType-outline font with Chinese glyphs (not a CFF one: fpdf2 cannot write those right)."""
    fonts = [f for f in _fc_list(":lang=zh:fontformat=TrueType") if f.endswith((".ttf", ".ttc"))]
    return fonts[0] if fonts else None


@lru_cache(maxsize=1)
def pdf_fonts() -> tuple[str, str | None] | None:
    """(CJK font, Latin fallback or None), or None when there is no CJK TrueType font."""
    cjk = cjk_font()
    if cjk is None:
        return None
    latin = [f for f in _fc_list(":family=DejaVu Sans:style=Book") if f.endswith(".ttf")]
    return cjk, (latin[0] if latin else None)


def docx_of(text: str, path: Path, table: list[list[str]] | None = None, table_after: int | None = None) -> Path:
    """A .docx of `text`, one paragraph per line; `table` (rows of cells) as a Word table
    after line `table_after` (default: at the end)."""
    import docx

    document = docx.Document()
    lines = text.split("\n")
    at = len(lines) if table_after is None else table_after
    for i, line in enumerate(lines):
        if i == at and table:
            _word_table(document, table)
        document.add_paragraph(line)
    if table and at >= len(lines):
        _word_table(document, table)
    document.save(str(path))
    return path


def _word_table(document, rows: list[list[str]]) -> None:
    t = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell


def pdf_of(text: str, path: Path, size: float = 16, table: list[list[str]] | None = None,
           page_numbers: bool = True, indent: bool = True) -> Path:
    """A PDF of `text` laid out as a 公文: A4, `size` pt, each non-blank line a paragraph
    (its first line indented two characters, runs of spaces one space), wrapped at any
    character; `table` as a table of cells at the end; `— n —` centred at the foot of
    each page."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos

    fonts = pdf_fonts()
    if fonts is None:
        raise RuntimeError(FONT_HINT)

    class Page(FPDF):
        def footer(self) -> None:
            if page_numbers:
                self.set_y(-20)
                self.cell(0, 8, f"— {self.page_no()} —", align="C")

    pdf = Page(format="A4")
    pdf.set_margins(28, 37, 26)
    pdf.set_auto_page_break(True, margin=35)
    pdf.add_font("cjk", fname=fonts[0])
    if fonts[1]:
        pdf.add_font("latin", fname=fonts[1])
        pdf.set_fallback_fonts(["latin"])
    pdf.set_font("cjk", size=size)
    pdf.add_page()
    line_h = size * 0.3528 * 1.6  # mm
    for line in text.split("\n"):
        if not line.strip():
            continue
        lead = "\u3000\u3000" if indent else ""
        words = " ".join(line.split())  # a run of spaces that sets a date apart in a .txt is a tab stop here
        pdf.multi_cell(0, line_h, lead + words, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if table:
        widths = [max(pdf.get_string_width(r[j]) for r in table if j < len(r)) + 6 for j in range(len(table[0]))]
        for row in table:
            for j, cell in enumerate(row):
                pdf.cell(widths[j], line_h, cell)
            pdf.ln(line_h)
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF whose pages are only an image of lines (a scan): no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("L", (800, 1100), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 1000, 40):
        draw.rectangle([80, y, 720, y + 14], fill=90)
    png = path.with_suffix(".png")
    image.save(png)
    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.image(str(png), x=10, y=10, w=190)
    pdf.output(str(path))
    png.unlink()
    return path


def html_of(text: str, path: Path, title: str = "工作总结", table: list[list[str]] | None = None,
            encoding: str = "utf-8") -> Path:
    """A government web page of `text`: a header with the site's navigation, a breadcrumb
    trail, the article (one `<p>` a line, `table` as an HTML table), a share bar, a footer;
    `title` is the page's `<title>` (the article's own title is the text's)."""
    body = "\n".join(f"  <p>{html.escape(line)}</p>" if line.strip() else "  <p>&nbsp;</p>" for line in text.split("\n"))
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>\n" for r in table or [])
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{encoding}"><title>{html.escape(title)}_上海市人民政府</title>
<style>p {{ text-indent: 2em; }}</style><script>var _hmt = _hmt || []; // 统计 2024 次</script></head>
<body>
<div class="header"><a href="/">首页</a> <a href="/zw">政务公开</a> 2024年第12期</div>
<ul class="nav-bar"><li><a href="/a">机构职能</a></li><li><a href="/b">政策文件（365件）</a></li></ul>
<div id="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 规划计划</div>
<div class="article">
{body}
  {"<table>" + rows + "</table>" if rows else ""}
</div>
<div class="share">分享到：微信 微博 阅读次数：1024</div>
<div class="footer">主办：上海市人民政府办公厅 沪ICP备05012345号 网站标识码3100000001</div>
</body></html>
"""
    path.write_bytes(page.encode(encoding))
    return path
