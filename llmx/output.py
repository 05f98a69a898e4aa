"""Writers for extraction results: JSONL (one report per line) and CSV (one indicator per row)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .models import ReportResult

__all__ = ["CSV_COLUMNS", "csv_rows", "to_csv"]

CSV_COLUMNS = (
    "doc", "region", "doc_number", "name", "value", "unit", "kind", "period", "approx", "quote", "start", "end", "section",
)


def csv_rows(results: Iterable[ReportResult]) -> Iterable[list[object]]:
    for r in results:
        for ind in r.indicators:
            yield [
                r.doc, r.meta.region or "", r.meta.doc_number or "", ind.name, f"{ind.value:.12g}", ind.unit or "",
                ind.kind, ind.period or "", ind.approx, ind.quote.replace("\n", " "), ind.start, ind.end, ind.section,
            ]


def to_csv(results: Iterable[ReportResult]) -> str:
    """CSV text with a header; write it as UTF-8 with BOM (`utf-8-sig`) so Excel opens the Chinese cleanly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(results))
    return buf.getvalue()
