"""pypdf against pdfplumber on PDFs written here: `python bench/pdf_readers.py`.

Why `llmx.text.readers.pdf` reads with pdfplumber (its docstring quotes these figures).
The PDFs are written by `tests/makedocs.py` with fpdf2 (a CJK TrueType font needed:
fonts-droid-fallback): each seed laid out as a 公文 (A4, 16 pt, 28 characters a line,
first lines indented, `— n —` page numbers: 6 to 13 pages, paragraphs that run on
from one page to the next), and a page of text with a table. For each reader:

  text      the share of the seeds' characters (white space and page numbers left
            out) that the reader's text gives in the same order (difflib matching blocks)
  cells     whether each table row comes out as its cells, in order, apart
  figures   the share of the .txt's indicators (`baseline_extract`: name, value, kind)
            that the reader's text gives, llmx's cleaning applied (for pypdf: its pages'
            text joined by blank lines; for pdfplumber: `llmx.text.readers.pdf`)
  ms/page   the median of 3 readings of all the PDFs, per page

pypdf is not a dependency of llmx: `pip install pypdf` to run this.
"""

from __future__ import annotations

import difflib
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from makedocs import FONT_HINT, pdf_fonts, pdf_of  # noqa: E402

from llmx.pipeline.extract import baseline_extract  # noqa: E402
from llmx.text.readers.pdf import read as plumber_read  # noqa: E402
from llmx.text.source import clean_text, load_source  # noqa: E402

TABLE = [["指标名称", "2022年", "2023年", "增速（%）"], ["技术合同成交额（亿元）", "827.3", "1,012.6", "22.4"],
         ["高新技术企业（家）", "213", "198", "7.6"]]
_PAGE_NO = re.compile(r"(?m)^\s*— \d+ —\s*$")


def pypdf_text(path: Path) -> str:
    import pypdf

    return "\n\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def plumber_text(path: Path) -> str:
    return plumber_read(path).text


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", _PAGE_NO.sub("", text))


def text_share(source: str, got: str) -> float:
    a, b = _bare(source), _bare(got)
    same = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return same / len(a)


def figures_share(seed: Path, got: str) -> float:
    want = [(i.name, i.value, i.kind) for i in baseline_extract(load_source(seed)).indicators]
    have = [(i.name, i.value, i.kind) for i in baseline_extract(clean_text(got, path=str(seed))).indicators]
    same = sum(m.size for m in difflib.SequenceMatcher(None, want, have, autojunk=False).get_matching_blocks())
    return same / len(want)


def cells_apart(text: str) -> bool:
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines()]
    return all(" ".join(row) in lines for row in TABLE)


def main() -> int:
    if pdf_fonts() is None:
        print(f"pdf_readers: {FONT_HINT}", file=sys.stderr)
        return 2
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = {s: pdf_of(s.read_text(encoding="utf-8"), Path(tmp) / f"{s.stem}.pdf") for s in seeds}
        table_pdf = pdf_of("表1 主要科技指标完成情况", Path(tmp) / "table.pdf", table=TABLE)
        import pypdf

        pages = sum(len(pypdf.PdfReader(p).pages) for p in [*pdfs.values(), table_pdf])
        print(f"{len(pdfs)} seeds and a table page: {pages} pages")
        print(f"{'reader':<12} {'text':>7} {'cells':>6} {'figures':>8} {'ms/page':>8}")
        for name, read in (("pypdf", pypdf_text), ("pdfplumber", plumber_text)):
            times = []
            for _ in range(3):
                began = time.perf_counter()
                got = {s: read(p) for s, p in pdfs.items()}
                table = read(table_pdf)
                times.append((time.perf_counter() - began) * 1000 / pages)
            text = statistics.mean(text_share(s.read_text(encoding="utf-8"), got[s]) for s in seeds)
            figures = statistics.mean(figures_share(s, got[s]) for s in seeds)
            print(f"{name:<12} {text:>7.1%} {'yes' if cells_apart(table) else 'no':>6} {figures:>8.1%} "
                  f"{statistics.median(times):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
