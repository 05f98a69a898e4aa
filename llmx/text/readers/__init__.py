"""Reports in other formats than plain text: .docx, .pdf and .html, read into text.

A reader turns a file into its *extracted text*, and that text is the report's
original: every offset llmx gives for a .docx, .pdf or .html file points into it,
so `result.original_text[ind.start:ind.end] == ind.quote` (the JSONL line carries
`original_text` for these formats, and `bench/check_output.py` checks against it).
A .txt file is its own original and its result is as it always was (no new field).

    suffix         reader                     library (extra)
    .docx          `llmx.text.readers.word`        python-docx (`llmx[docx]`)
    .pdf           `llmx.text.readers.pdf`         pdfplumber (`llmx[pdf]`)
    .html, .htm    `llmx.text.readers.webpage`     selectolax (`llmx[html]`)

Each library is imported when its first file is read, never at `import llmx`; when it
is missing, the file fails with `MissingPackageError` naming the package and the extra.
A file its library cannot parse raises `UnreadableDocumentError`; a PDF with no text
layer, `ScannedPdfError`. Where the format has them, the extracted text keeps the
places of pages (PDF) and blocks (a .docx paragraph or table cell): each indicator of
such a report gets its `page` (1-based) or `block` (0-based, in reading order).

Tables become the plain-text tables `llmx.finder.tables` reads: one line per row, its cells
separated by one space (see `cell_text`).
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from ...errors import EmptyDocumentError, MissingPackageError, NotTextError
from ...models import ReportResult
from ..source import Source, clean_text, load_source

__all__ = [
    "DOCUMENT_SUFFIXES", "EMPTY_CELL", "Extracted", "Report", "cell_text", "load_report", "need", "read_document",
]

# suffix -> (module of llmx.text.readers, the format's name)
_READERS = {".docx": ("word", "docx"), ".pdf": ("pdf", "pdf"), ".html": ("webpage", "html"), ".htm": ("webpage", "html")}
DOCUMENT_SUFFIXES: tuple[str, ...] = tuple(_READERS)

# What an empty table cell is written as, so that the cells of a row stay in their columns.
EMPTY_CELL = "—"
_CJK_SIDE = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


@dataclass(frozen=True)
class Extracted:
    """What a reader got from a file: the text, and where its pages and blocks start
    (offsets into `text`, ascending; empty where the format has none)."""

    text: str
    format: str
    page_starts: tuple[int, ...] = ()
    block_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Report:
    """A report ready for extraction: its `Source` (whose `original` is the extracted text
    for a .docx, .pdf or .html file) and, for those, what the reader got (`extracted`)."""

    source: Source
    extracted: Extracted | None = None

    def annotate(self, result: ReportResult) -> ReportResult:
        """`result` with the extracted text and each indicator's page or block (a .txt
        report's result comes back as it is)."""
        ex = self.extracted
        if ex is None or not result.ok:
            return result

        def where(starts: tuple[int, ...], offset: int, base: int) -> int | None:
            return bisect_right(starts, offset) - 1 + base if starts else None

        indicators = [
            ind.model_copy(update={
                "page": where(ex.page_starts, at, 1), "block": where(ex.block_starts, at, 0),
            })
            for ind in result.indicators
            for at in [ind.figure_start if ind.figure_start is not None else ind.start]
        ]
        return result.model_copy(update={
            "indicators": indicators, "original_text": ex.text,
            "page_starts": list(ex.page_starts) or None, "block_starts": list(ex.block_starts) or None,
        })


def need(package: str, extra: str, path: object, module: str | None = None):
    """Import `module` (default: `package`) or raise `MissingPackageError` naming the file,
    the package and the extra."""
    try:
        return importlib.import_module(module or package)
    except ImportError:
        suffix = Path(str(path)).suffix.lower() or "this format"
        raise MissingPackageError(
            f"{path}: reading {suffix} files needs {package}, which is not installed: pip install 'llmx[{extra}]'"
        ) from None


def cell_text(text: str) -> str:
    """A table cell as one token of its row: white space next to a Chinese character or
    full-width sign is dropped, other white space becomes `/` (two numbers in one cell stay
    two numbers), and an empty cell is `EMPTY_CELL`."""
    text = _CJK_SIDE.sub("", text.strip())
    return re.sub(r"\s+", "/", text) or EMPTY_CELL


def read_document(path: str | Path) -> Extracted:
    """The extracted text of a .docx, .pdf or .html file (see the module's table)."""
    p = Path(path)
    module, _ = _READERS[p.suffix.lower()]
    if not p.exists():
        raise NotTextError(p, "no such file")
    if p.is_dir():
        raise NotTextError(p, "is a directory, not a report file")
    return importlib.import_module(f"{__name__}.{module}").read(p)


def load_report(path: str | Path) -> Report:
    """Read one report file, whatever its format: a .docx, .pdf or .html file through its
    reader, any other through `llmx.text.source.load_source` (text, its encoding detected)."""
    p = Path(path)
    if p.suffix.lower() not in _READERS:
        return Report(load_source(p))
    extracted = read_document(p)
    if not extracted.text.strip():
        raise EmptyDocumentError(p, f"holds no text (read as {extracted.format})")
    return Report(clean_text(extracted.text, path=str(p)), extracted)
