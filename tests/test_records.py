"""One row per indicator, typed: `--format parquet`, `ReportResult.to_records()`, `llmx.to_dataframe`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import llmx
from makedocs import docx_of
from llmx.pipeline.extract import baseline_extract
from llmx.cli import main
from llmx.errors import ArgumentError, MissingPackageError
from llmx.models import RECORD_COLUMNS, ReportResult
from llmx.text.readers import load_report
from llmx.text.source import load_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARROW_TYPES = {"string": "string", "float64": "double", "int64": "int64", "list<int64>": "list<item: int64>"}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def results() -> list[ReportResult]:
    return [baseline_extract(load_source(p)) for p in SEEDS[:2]]


def test_records_have_the_columns_in_order_and_the_meta_repeated(results):
    rows = results[0].to_records()
    assert len(rows) == len(results[0].indicators) > 0
    assert all(list(row) == [c for c, _ in RECORD_COLUMNS] for row in rows)
    assert {row["region"] for row in rows} == {results[0].meta.region}
    first, ind = rows[0], results[0].indicators[0]
    assert (first["name"], first["value"], first["start"], first["page"]) == (ind.name, ind.value, ind.start, None)
    assert ReportResult(doc="x", path="x", error="boom").to_records() == []


def test_parquet_round_trips_through_pyarrow_with_its_types(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    docx = docx_of(SEEDS[1].read_text(encoding="utf-8"), tmp_path / "seed.docx")
    out = tmp_path / "out.parquet"
    result = invoke("extract", str(SEEDS[0]), str(docx), "-o", str(out), "--format", "parquet", "--no-model")
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    # (a Parquet list's item is named "element" or "item", by pyarrow's version)
    got = {f.name: str(f.type).replace("<element:", "<item:") for f in table.schema}
    assert got == {c: ARROW_TYPES[t] for c, t in RECORD_COLUMNS}
    state = [ReportResult.model_validate_json(x) for x in (tmp_path / "out.parquet.llmx.jsonl").read_text("utf-8").splitlines()]
    want = [row for r in state for row in r.to_records()]
    assert table.num_rows == len(want) > 0
    assert table.to_pylist() == want
    blocks = table.column("block").to_pylist()
    assert None in blocks and any(b is not None for b in blocks)  # .txt rows have none, .docx rows have theirs
    assert table.column("years").to_pylist()[0] == state[0].meta.years
    again = invoke("extract", str(SEEDS[0]), str(docx), "-o", str(out), "--format", "parquet", "--no-model")
    assert again.exit_code == 0 and "2 already done" in again.output  # resumable, as csv
    assert pq.read_table(out).to_pylist() == want


def test_parquet_needs_a_file_and_refuses_one_that_is_not_its_own(tmp_path):
    result = invoke("extract", str(SEEDS[0]), "--format", "parquet", "--no-model")
    assert result.exit_code == 2 and "--format parquet writes a file: give -o NAME.parquet" in result.output
    mine = tmp_path / "mine.parquet"
    mine.write_text("notes", encoding="utf-8")
    result = invoke("extract", str(SEEDS[0]), "-o", str(mine), "--format", "parquet", "--no-model")
    assert result.exit_code == 2 and "is not llmx's parquet output" in result.output
    assert mine.read_text(encoding="utf-8") == "notes"


def test_parquet_without_pyarrow_is_one_line_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    out = tmp_path / "out.parquet"
    result = invoke("extract", str(SEEDS[0]), "-o", str(out), "--format", "parquet", "--no-model")
    assert result.exit_code == 2
    assert result.output.strip() == (f"llmx: error: {out}: Parquet output needs pyarrow, which is not installed: "
                                     "pip install 'llmx[parquet]'")
    assert not out.exists() and not (tmp_path / "out.parquet.llmx.jsonl").exists()


def test_to_dataframe_with_pandas(results):
    pd = pytest.importorskip("pandas")
    frame = llmx.to_dataframe(results)
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == [c for c, _ in RECORD_COLUMNS]
    assert len(frame) == sum(len(r.indicators) for r in results)
    assert str(frame["value"].dtype) == "float64" and str(frame["start"].dtype) == "Int64"
    assert frame["page"].isna().all() and frame["name"].tolist() == [i.name for r in results for i in r.indicators]
    assert len(llmx.to_dataframe(results[0])) == len(results[0].indicators)  # one result will do
    assert list(llmx.to_dataframe([]).columns) == [c for c, _ in RECORD_COLUMNS]


def test_to_dataframe_with_polars(results):
    pl = pytest.importorskip("polars")
    frame = llmx.to_dataframe(results, library="polars")
    assert isinstance(frame, pl.DataFrame) and frame.columns == [c for c, _ in RECORD_COLUMNS]
    assert frame.schema["value"] == pl.Float64 and frame.schema["years"] == pl.List(pl.Int64)
    assert frame["value"].to_list() == [i.value for r in results for i in r.indicators]


def test_to_dataframe_falls_back_to_polars_then_says_what_to_install(results, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    if "polars" in sys.modules or _importable("polars"):
        assert type(llmx.to_dataframe(results)).__module__.startswith("polars")
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(MissingPackageError, match=r"needs pandas or polars, which is not installed: "
                                                  r"pip install 'llmx\[pandas\]' \(or 'llmx\[polars\]'\)"):
        llmx.to_dataframe(results)
    with pytest.raises(ArgumentError):
        llmx.to_dataframe(results, library="spark")
    with pytest.raises(ArgumentError):
        llmx.to_dataframe([{"name": "not a result"}])


def test_a_docx_result_records_carry_the_block_and_the_jsonl_its_text(tmp_path):
    path = docx_of(SEEDS[0].read_text(encoding="utf-8"), tmp_path / "s.docx")
    report = load_report(path)
    result = report.annotate(baseline_extract(report.source))
    rows = result.to_records()
    assert all(isinstance(row["block"], int) for row in rows)
    line = json.loads(result.model_dump_json())
    assert line["original_text"] == report.source.original and line["block_starts"][0] == 0


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
