"""The command line, in process (click's runner), against files and the fake endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakeserver import FakeServer
from llmx.cli import main
from llmx.evaluation.gold import load_gold
from llmx.models import Indicator, ReportResult

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "minhang-2024-summary.txt"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_missing_and_an_empty_file_fail_by_name_and_the_rest_is_extracted(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with FakeServer() as server:
        result = invoke("extract", str(tmp_path / "nope.txt"), str(empty), str(SEED), "-o", str(out),
                        "--base-url", server.base_url, "--no-cache")
    assert result.exit_code == 1
    assert f"failed: {tmp_path / 'nope.txt'}" in result.output and "empty.txt" in result.output
    lines = [ReportResult.model_validate_json(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r.ok for r in lines] == [False, False, True] and lines[2].indicators


def test_the_main_command_uses_the_endpoint_and_model_from_configuration(tmp_path, monkeypatch):
    import llmx.model.local

    monkeypatch.setattr(llmx.model.local, "ensure_model", lambda *a: pytest.fail("the embedded model was started"))
    out = tmp_path / "out.jsonl"
    with FakeServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        result = invoke("extract", str(SEED), "-o", str(out), "--model", "some-hosted-model", "--no-cache")
    assert result.exit_code == 0, result.output
    assert server.requests > 0 and {b["model"] for b in server.bodies} == {"some-hosted-model"}
    (report,) = [ReportResult.model_validate_json(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert report.ok and report.indicators


def test_csv_has_a_bom_a_header_and_a_row_per_indicator(tmp_path):
    out = tmp_path / "out.csv"
    mine = tmp_path / "out.jsonl"  # the user's own file beside it is left alone
    mine.write_text("my notes\n", encoding="utf-8")
    with FakeServer() as server:
        result = invoke("extract", str(SEED), "-o", str(out), "--format", "csv", "--base-url", server.base_url,
                        "--no-cache")
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = raw.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("doc,region,doc_number,name,value,unit")
    state = tmp_path / "out.csv.llmx.jsonl"  # the resume state: every report's full result
    (report,) = [ReportResult.model_validate_json(x) for x in state.read_text("utf-8").split("\n") if x]
    assert len(rows) - 1 == len(report.indicators) > 0
    assert mine.read_text(encoding="utf-8") == "my notes\n"
    # beside the CSV: its resume state, and the SHA-256 of the CSV as written (a later edit is not overwritten)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.csv.llmx-sha256", "out.csv", "out.csv.llmx.jsonl", "out.jsonl"]


def test_the_gold_scored_against_itself_is_perfect(tmp_path):
    """`llmx eval --pred`: predictions that are the gold itself score 1.0 on every figure."""
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as fh:
        for gold_file in sorted((ROOT / "eval" / "gold").glob("*.json")):
            gold = load_gold(gold_file)
            original = (ROOT / "seeds" / f"{gold_file.stem}.txt").read_text(encoding="utf-8")
            indicators = []
            for g in gold.indicators:
                start = original.find(g.quote)
                indicators.append(Indicator(name=g.name, value=g.value, unit=g.unit, kind=g.kind, period=g.period,
                                            approx=g.approx, quote=g.quote, start=start, end=start + len(g.quote)))
            result = ReportResult(doc=f"{gold_file.stem}.txt", path=f"seeds/{gold_file.stem}.txt", meta=gold.meta,
                                  indicators=indicators)
            fh.write(result.model_dump_json() + "\n")
    report, figures = tmp_path / "report.md", tmp_path / "report.json"
    result = invoke("eval", "--gold", str(ROOT / "eval" / "gold"), "--docs", str(ROOT / "seeds"), "--pred", str(pred),
                    "--report", str(report), "--json", str(figures))
    assert result.exit_code == 0, result.output
    data = json.loads(figures.read_text(encoding="utf-8"))
    model = data["model"]["overall"]
    assert model["precision"] == model["recall"] == model["f1"] == 1.0
    assert data["regex baseline"]["overall"]["f1"] < 1.0
    assert "| " in report.read_text(encoding="utf-8")


def test_numbers_and_sections_point_into_the_original_file():
    original = SEED.read_text(encoding="utf-8")
    result = invoke("numbers", str(SEED))
    rows = [json.loads(x) for x in result.output.splitlines()]
    assert rows and all(original[r["start"]:r["end"]] == r["text"] for r in rows)
    result = invoke("sections", str(SEED))
    spans = [json.loads(x) for x in result.output.splitlines()]
    assert len(spans) > 5 and all(0 <= s["start"] < s["end"] <= len(original) for s in spans)


def test_a_binary_file_is_a_clear_error():
    result = CliRunner().invoke(main, ["numbers", "/bin/sh"])
    assert result.exit_code == 2 and "/bin/sh" in result.output


def test_a_directory_yields_its_text_reports_and_named_files_are_kept(tmp_path):
    from llmx.pipeline.batch import collect_paths

    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.txt", "README.md", "sub/c.text", "notes.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = collect_paths([tmp_path, tmp_path / "README.md", tmp_path / "a.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.txt", "b.txt", "sub/c.text", "README.md"]
