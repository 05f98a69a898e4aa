"""CSV cells that cannot start a formula: OWASP's rule for CSV injection, in every CSV llmx writes.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
leading `'` (a spreadsheet shows the text and runs nothing); a cell that is a plain number
(`-3.2`, `1e-05`) stays as it is: it is a number in every spreadsheet, not a formula.
`csv_writer` writes rows so; `read_cell` undoes the `'` when llmx reads its own file back.
"""

from __future__ import annotations

import csv
import re
from typing import Any, TextIO

__all__ = ["neutralise", "read_cell", "csv_writer", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def neutralise(cell: Any) -> Any:
    """`cell` as written to a CSV: a text that could start a formula gets a leading `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def read_cell(cell: str) -> str:
    """A cell as llmx wrote it, read back: the `'` that `neutralise` added goes."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START) and not _NUMBER.fullmatch(cell[1:]):
        return cell[1:]
    return cell


class _SafeWriter:
    def __init__(self, out: TextIO) -> None:
        self._w = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: list[Any]) -> None:
        self._w.writerow([neutralise(c) for c in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: TextIO) -> _SafeWriter:
    """A `csv.writer` (CRLF lines) whose every text cell is `neutralise`d."""
    return _SafeWriter(out)
