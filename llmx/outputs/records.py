"""Indicators as typed tables: Parquet (`--format parquet`) and DataFrames.

    import llmx
    results = [llmx.extract_file(p) for p in paths]
    df = llmx.to_dataframe(results)             # pandas if installed, else polars

One row per indicator, the report's meta repeated, in the columns and types of
`llmx.models.RECORD_COLUMNS` (`ReportResult.to_records()`): text columns are
strings (None where the report or the figure has none), `value` a float64, the
offsets, `page` and `block` int64 (null where unknown), `years` a list of int64.
None of pyarrow, pandas or polars is a dependency of llmx; each is imported
when used, and `MissingPackageError` says how to install it when it is not there.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterable
from typing import Any

from ..errors import ArgumentError, MissingPackageError
from ..models import RECORD_COLUMNS, ReportResult

__all__ = ["need_pyarrow", "records", "to_arrow", "to_dataframe", "to_parquet_bytes"]


def records(results: ReportResult | Iterable[ReportResult]) -> list[dict[str, Any]]:
    """Every indicator of `results` (one result or many) as a flat dict (`ReportResult.to_records`)."""
    if isinstance(results, ReportResult):
        results = [results]
    out: list[dict[str, Any]] = []
    for r in results:
        if not isinstance(r, ReportResult):
            raise ArgumentError(f"results must be llmx.ReportResult objects, got {type(r).__name__}")
        out += r.to_records()
    return out


def need_pyarrow(what: str):
    """pyarrow, or `MissingPackageError` saying that `what` needs it and how to install it."""
    try:
        import pyarrow
    except ImportError:
        raise MissingPackageError(f"{what} needs pyarrow, which is not installed: pip install 'llmx[parquet]'") from None
    return pyarrow


def to_arrow(results: ReportResult | Iterable[ReportResult]):
    """The indicators as a `pyarrow.Table` with the types of `RECORD_COLUMNS`."""
    pa = need_pyarrow("An Arrow table")
    types = {"string": pa.string(), "float64": pa.float64(), "int64": pa.int64(), "list<int64>": pa.list_(pa.int64())}
    schema = pa.schema([(name, types[kind]) for name, kind in RECORD_COLUMNS])
    rows = records(results)
    return pa.Table.from_pydict({name: [row[name] for row in rows] for name in schema.names}, schema=schema)


def to_parquet_bytes(results: ReportResult | Iterable[ReportResult]) -> bytes:
    """The indicators as a Parquet file's bytes (`to_arrow`, written by pyarrow)."""
    need_pyarrow("Parquet output")
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(to_arrow(results), sink)
    return sink.getvalue()


def to_dataframe(results: ReportResult | Iterable[ReportResult], library: str | None = None):
    """The indicators of `results` (one `ReportResult` or many) as a DataFrame, one row
    per indicator: a pandas one if pandas is installed, else a polars one (`library`
    chooses: "pandas" or "polars"). Raises `MissingPackageError` when neither is there."""
    if library not in (None, "pandas", "polars"):
        raise ArgumentError(f"library must be None, 'pandas' or 'polars', got {library!r}")
    rows = records(results)
    for name in ("pandas", "polars") if library is None else (library,):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return _pandas(module, rows) if name == "pandas" else _polars(module, rows)
    hint = f"pip install 'llmx[{library}]'" if library else "pip install 'llmx[pandas]' (or 'llmx[polars]')"
    raise MissingPackageError(f"llmx.to_dataframe needs {library or 'pandas or polars'}, which is not installed: {hint}")


def _pandas(pd, rows: list[dict[str, Any]]):
    frame = pd.DataFrame.from_records(rows, columns=[name for name, _ in RECORD_COLUMNS])
    kinds = {"float64": "float64", "int64": "Int64", "string": "string"}  # Int64: nullable, for page and block
    return frame.astype({name: kinds[kind] for name, kind in RECORD_COLUMNS if kind in kinds})


def _polars(pl, rows: list[dict[str, Any]]):
    kinds = {"string": pl.Utf8, "float64": pl.Float64, "int64": pl.Int64, "list<int64>": pl.List(pl.Int64)}
    schema = {name: kinds[kind] for name, kind in RECORD_COLUMNS}
    return pl.DataFrame({name: [row[name] for row in rows] for name in schema}, schema=schema)
