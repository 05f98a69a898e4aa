"""PDF files with a text layer, read with pdfplumber (`pip install 'llmx[pdf]'`).

Why pdfplumber, not pypdf (`bench/pdf_readers.py`, on PDFs it writes with fpdf2:
the five seeds laid out as 公文, A4 at 16 pt, 28 characters a line, first lines
indented, `— n —` page numbers, paragraphs running on across pages, and a page
with a table; 49 pages):

    reader       Chinese text   table cells apart   figures as in the .txt   ms a page
    pypdf        100.0%         yes                 55.9%                    7
    pdfplumber   100.0%         yes                 100.0%                   39

Both decode every character in order, and pypdf is five times faster. But only
pdfplumber says where each line stands on the page, and a report is printed at
28 characters a line: pypdf's text has a line break at the end of each printed
line, which cuts clauses, names and numbers, and the cleaning (`llmx.text.source`)
joins such a break only after a long line (60 characters) or inside a number; so
only 56% of the figures read from pypdf's text have the name, value and kind they
have in the .txt, against all of them with pdfplumber's lines joined as below.
39 ms a page is nothing beside one model call.

How a page becomes text: its characters (drawn twice for a bold look: once) are
read as lines, and a page number alone on the first or last line (`— 2 —`,
`第2页`, `2 / 9`) is left out. A line is joined to the next (with nothing
between them: Chinese is cut at any character; only a hyphen between two
lower-case Latin letters goes) when it runs to the right edge of the page's
text, the next line starts at the left edge (not indented), the space between
them is that of the page's lines, and neither is laid out in columns (a table
row keeps its line). Every other line ends with "\n". Pages are separated by
"\n\n", unless the last line of one runs to its right edge and the first of the
next starts at its left edge: a paragraph that goes on over the page is joined
like a wrapped line. `Extracted.page_starts` holds where each page begins: an
indicator's `page` (1-based) is the one its figure is on.

A PDF whose pages hold no text at all (a scan) raises `ScannedPdfError`; a PDF
with some pages of text and some without is read, with a warning naming the
pages without text.
"""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from ...errors import ScannedPdfError, UnreadableDocumentError
from . import Extracted, need

__all__ = ["read"]

log = logging.getLogger("llmx")

_FILLS = 1.5  # a line that stops less than this many characters short of the right edge is full
_INDENT = 0.5  # a line that starts more than this many characters right of the left edge is indented
_COLUMN_GAP = 1.5  # a gap this many characters wide between two characters of a line separates cells
_PAGE_SEP = "\n\n"
# A page number alone on the first or last line of a page: `— 2 —`, `- 2 -`, `2`, `第 2 页`, `2 / 9`.
_PAGE_NUMBER = re.compile(r"[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}")


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    columns: bool  # laid out in cells: a wide gap between two of its characters


@dataclass(frozen=True)
class _Page:
    """A page's lines (page numbers left out) and its measure: the left and right edges
    of its text, the size of its characters, the usual space between two lines."""

    lines: tuple[_Line, ...]
    left: float = 0.0
    right: float = 0.0
    em: float = 10.0
    leading: float = 0.0

    def full(self, line: _Line) -> bool:
        return line.x1 >= self.right - _FILLS * self.em and not line.columns

    def flush(self, line: _Line) -> bool:
        return line.x0 <= self.left + _INDENT * self.em and not line.columns


def read(path: Path) -> Extracted:
    """The text of a PDF's text layer, its wrapped lines joined (see the module's docstring)."""
    pdfplumber = need("pdfplumber", "pdf", path)
    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page(page) for page in pdf.pages]
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a damaged or encrypted file
        raise UnreadableDocumentError(path, f"cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
    if not any(page.lines for page in pages):
        raise ScannedPdfError(
            path, f"has no text layer on any of its {len(pages)} pages (a scanned or image-only PDF): llmx reads "
                  "a PDF's text and does no OCR; run OCR first (ocrmypdf adds a text layer)")
    blank = [str(n) for n, page in enumerate(pages, start=1) if not page.lines]
    if blank:
        log.warning("%s: page(s) %s hold no text (scanned?); their figures are not read", path, ", ".join(blank))
    parts: list[str] = []
    starts: list[int] = []
    pos, before = 0, _Page(())
    for page in pages:
        if parts:
            runs_on = bool(before.lines and page.lines) and before.full(before.lines[-1]) and page.flush(page.lines[0])
            sep = _PAGE_SEP
            if runs_on:  # a paragraph that goes on from the foot of one page to the head of the next
                cut, sep = _joined(parts[-1], page.lines[0].text)
                pos += len(cut) - len(parts[-1])
                parts[-1] = cut
            parts.append(sep)
            pos += len(sep)
        starts.append(pos)
        text = _page_text(page)
        parts.append(text)
        pos += len(text)
        before = page
    return Extracted(text="".join(parts), format="pdf", page_starts=tuple(starts))


def _page(page) -> _Page:
    raw = [ln for ln in page.dedupe_chars().extract_text_lines(strip=True, return_chars=True) if ln["text"]]
    if not raw:
        return _Page(())
    em = statistics.median(c["size"] for ln in raw for c in ln["chars"]) or 10.0
    lines = [_Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], _columns(ln["chars"], em)) for ln in raw]
    for at in (-1, 0):  # a page number at the foot or the head of the page is no part of the text
        if lines and _PAGE_NUMBER.fullmatch(lines[at].text):
            del lines[at]
    if not lines:
        return _Page(())
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])]
    return _Page(tuple(lines), min(ln.x0 for ln in lines), max(ln.x1 for ln in lines), em,
                 statistics.median(gaps) if gaps else 0.0)


def _page_text(page: _Page) -> str:
    """A page's lines, each wrapped line joined to the next (see the module's docstring)."""
    out: list[str] = []
    for line, nxt in zip(page.lines, page.lines[1:] + (None,)):
        out.append(line.text)
        if nxt is None:
            break
        if page.full(line) and page.flush(nxt) and nxt.top - line.bottom <= page.leading + 0.5 * page.em:
            out[-1], sep = _joined(line.text, nxt.text)
            out.append(sep)
        else:
            out.append("\n")
    return "".join(out)


def _columns(chars: list[dict], em: float) -> bool:
    """Whether a line's characters have a gap wider than `_COLUMN_GAP` characters: cells."""
    seen = [c for c in chars if not c["text"].isspace()]
    return any(b["x0"] - a["x1"] > _COLUMN_GAP * em for a, b in zip(seen, seen[1:]))


def _joined(before: str, after: str) -> tuple[str, str]:
    """A wrapped line and what joins it to the next: nothing, for a line is cut at any
    character in Chinese (`IPv6`, `19.7` and `高新技术` cut at the edge are one word, one
    number); only a hyphen between two lower-case Latin letters (`multi-⏎level`) goes.
    A hyphen anywhere else stays (`2024-⏎2025` is a range)."""
    a, b = before[-2:-1], after[:1]
    if before.endswith("-") and a.isascii() and a.islower() and b.isascii() and b.islower():
        return before[:-1], ""
    return before, ""
