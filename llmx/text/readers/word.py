"""Word .docx files, read with python-docx (`pip install 'llmx[docx]'`).

The body is read in reading order (`Document.iter_inner_content`: paragraphs and
tables as they stand), so a table stays where the text refers to it:

- a paragraph is one line (a line break inside it, `<w:br/>`, starts another line);
- a table row is one line of its cells separated by a single space, which
  `llmx.finder.tables` reads as a plain-text table: the header row, then the rows. A
  cell's own white space is dropped or written `/` (`llmx.text.readers.cell_text`), an
  empty cell is `—`, and a merged cell is written once, at its first grid place
  (`—` at the others), so that every cell stays in its column and no figure is
  read twice.

Each paragraph and each table cell (grid place) is a block, numbered from 0 in
reading order: an indicator's `block` is the one its figure is in. Headers,
footers, footnotes, comments and text boxes are not read.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import UnreadableDocumentError
from . import EMPTY_CELL, Extracted, cell_text, need

__all__ = ["read"]


def read(path: Path) -> Extracted:
    """The text of a .docx file, its paragraphs and table rows one per line."""
    docx = need("python-docx", "docx", path, module="docx")
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        items = list(document.iter_inner_content())
    except Exception as exc:  # noqa: BLE001 - python-docx raises zipfile, lxml and KeyError alike
        raise UnreadableDocumentError(path, f"cannot be read as a Word .docx file ({type(exc).__name__}: {exc})") from None
    parts: list[str] = []
    blocks: list[int] = []
    pos = 0

    def add(text: str, sep: str) -> None:
        nonlocal pos
        blocks.append(pos)
        parts.append(text + sep)
        pos += len(text) + len(sep)

    for item in items:
        if not isinstance(item, Table):
            add(item.text, "\n")
            continue
        seen: set[object] = set()
        for row in item.rows:
            cells = row.cells
            for i, cell in enumerate(cells):
                first = cell._tc not in seen  # a merged cell comes back at each grid place it covers
                seen.add(cell._tc)
                add(cell_text(cell.text) if first else EMPTY_CELL, " " if i + 1 < len(cells) else "\n")
    text = "".join(parts)
    return Extracted(text=text, format="docx", block_starts=tuple(blocks))
