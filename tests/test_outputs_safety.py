"""Outputs that cannot hurt: no CSV cell starts a formula, `review`/`panel` never write onto an
input or another file, a crafted JSONL cannot put a local file into the page, a hand-edited CSV
is not overwritten, a report past its time limit fails alone, SIGTERM leaves no traceback."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from llmx.cli import main
from llmx.models import Indicator, Meta, ReportResult
from llmx.outputs.cells import FORMULA_START, neutralise, read_cell
from llmx.outputs.output import to_csv
from llmx.outputs.panel import build_panel, links_csv, panel_csv, read_links
from llmx.config import Settings
from llmx.pipeline.batch import rule_extractor, run_batch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def hostile_result() -> ReportResult:
    quote = "=HYPERLINK(\"http://x\")新增企业5家"
    ind = Indicator(name="=cmd|'/c calc'!A0", value=-3.2, unit="%", kind="actual", period="@2024", approx="exact",
                    quote=quote, start=0, end=len(quote), section="+标题")
    return ReportResult(doc="-a.txt", path="/tmp/-a.txt", sha256="0" * 64, meta=Meta(region="=区"), indicators=[ind])


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("-3.2", "-3.2"), ("1e-05", "1e-05"), ("技术合同成交额", "技术合同成交额"), (3, 3),
])
def test_a_cell_that_could_start_a_formula_is_neutralised_and_read_back(cell, written):
    assert neutralise(cell) == written
    if isinstance(cell, str):
        assert read_cell(neutralise(cell)) == cell


def test_no_csv_llmx_writes_has_a_text_cell_starting_a_formula():
    result = hostile_result()
    panel = build_panel([result], Settings())
    for text in (to_csv([result]), panel_csv(panel), links_csv(panel.links)):
        for c in cells(text):
            if c.startswith(FORMULA_START):
                float(c)  # only a plain number may: -3.2 is a number, not a formula


def test_a_neutralised_links_file_reads_back_the_names(tmp_path):
    panel = build_panel([hostile_result()], Settings())
    path = tmp_path / "links.csv"
    path.write_text(links_csv(panel.links), encoding="utf-8-sig")
    assert [name for name, _ in read_links(path)] == ["=cmd|'/c calc'!A0"]


@pytest.fixture()
def seeds_jsonl(tmp_path) -> Path:
    out = tmp_path / "out.jsonl"
    assert run("extract", "--no-model", str(SEEDS), "-o", str(out)).exit_code == 0
    return out


@pytest.mark.parametrize("command", [["review"], ["panel"]])
def test_review_and_panel_never_write_onto_their_input(seeds_jsonl, command):
    before = seeds_jsonl.read_bytes()
    r = run(*command, str(seeds_jsonl), "-o", str(seeds_jsonl), "--force")
    assert r.exit_code == 2 and "input" in r.output and "Traceback" not in r.output
    assert seeds_jsonl.read_bytes() == before


@pytest.mark.parametrize("command, name", [(["review"], "page.html"), (["panel"], "panel.csv")])
def test_another_existing_file_is_replaced_only_with_force(seeds_jsonl, tmp_path, command, name):
    other = tmp_path / name
    other.write_text("my notes\n", encoding="utf-8")
    r = run(*command, str(seeds_jsonl), "-o", str(other))
    assert r.exit_code == 2 and "--force" in r.output and other.read_text(encoding="utf-8") == "my notes\n"
    assert run(*command, str(seeds_jsonl), "-o", str(other)).exit_code == 2
    assert run(*command, str(seeds_jsonl), "-o", str(other), "--force").exit_code == 0
    assert run(*command, str(seeds_jsonl), "-o", str(other)).exit_code == 0  # its own earlier output is replaced


def test_a_line_without_sha256_cannot_put_a_local_file_into_the_page(seeds_jsonl, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT 2024年新增企业5家", encoding="utf-8")
    lines = [json.loads(x) for x in seeds_jsonl.read_text(encoding="utf-8").splitlines()]
    lines[0].update(sha256=None, path=str(secret), doc="secret.txt")
    crafted = tmp_path / "crafted.jsonl"
    crafted.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    page = tmp_path / "page.html"
    r = run("review", str(crafted), "-o", str(page))
    assert r.exit_code == 1
    assert "cannot be verified" in r.output and str(secret) in r.output
    assert "SECRET-CONTENT" not in page.read_text(encoding="utf-8")


def test_a_hand_edited_csv_is_not_overwritten_by_a_rerun(tmp_path):
    out = tmp_path / "out.csv"
    assert run("extract", "--no-model", str(SEEDS), "--format", "csv", "-o", str(out)).exit_code == 0
    assert run("extract", "--no-model", str(SEEDS), "--format", "csv", "-o", str(out)).exit_code == 0
    edited = out.read_bytes() + "my,own,row\r\n".encode("utf-8")
    out.write_bytes(edited)
    r = run("extract", "--no-model", str(SEEDS), "--format", "csv", "-o", str(out))
    assert r.exit_code == 2 and "changed since llmx wrote it" in r.output
    assert out.read_bytes() == edited


def test_a_report_past_its_time_limit_fails_alone_and_is_redone_on_resume(tmp_path):
    out = tmp_path / "out.jsonl"
    paths = sorted(SEEDS.glob("*.txt"))

    async def go(limit):
        return await run_batch(paths, rule_extractor(600), out, file_timeout=limit)

    results, summary = asyncio.run(go(1e-6))
    assert all(not r.ok and "FileTimeoutError" in r.error for r in results)
    results, summary = asyncio.run(go(600))
    assert all(r.ok for r in results) and summary.skipped == 0


def test_sigterm_whose_interrupt_a_library_wraps_in_its_own_error_still_ends_as_an_interrupt(tmp_path, monkeypatch):
    # pydantic's serializer turns a KeyboardInterrupt raised inside it into a
    # PydanticSerializationError; a SIGTERM arriving while a result is written must still end
    # the batch with one line and 130, never a traceback and 1.
    import os

    import llmx.outputs.output as output_module

    real = output_module.dump_line
    sent = []

    def dump_line_hit_by_sigterm(result):
        if not sent:
            sent.append(result.path)
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)  # the handler runs here
            except KeyboardInterrupt as exc:
                raise ValueError("Error calling function: KeyboardInterrupt") from exc
        return real(result)

    monkeypatch.setattr(output_module, "dump_line", dump_line_hit_by_sigterm)
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_text("2024年，全区新增高新技术企业120家。", encoding="utf-8")
    before = signal.getsignal(signal.SIGTERM)
    try:
        res = CliRunner().invoke(main, ["extract", "--no-model", str(tmp_path), "-o", str(tmp_path / "o.jsonl")])
    finally:
        signal.signal(signal.SIGTERM, before)
    assert sent
    assert res.exit_code == 130, res.output
    assert "llmx: interrupted" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("wrapped", [False, True])
def test_an_interrupt_outside_a_commands_own_handler_is_one_line_and_exit_130(tmp_path, monkeypatch, wrapped):
    # A SIGTERM can come while a command still imports its modules, before any handler of its
    # own; and a library can wrap the interrupt in an error of its own. Either way: one line, 130.
    import llmx.cli as cli
    import llmx.finder.numbers as numbers_module

    def interrupted(text):
        cli.TERMINATED.set()
        if wrapped:
            raise ValueError("Error calling function: KeyboardInterrupt")
        raise KeyboardInterrupt

    monkeypatch.setattr(numbers_module, "find_numbers", interrupted)
    report = tmp_path / "r.txt"
    report.write_text("2024年，全区新增高新技术企业120家。", encoding="utf-8")
    before = signal.getsignal(signal.SIGTERM)
    try:
        res = CliRunner().invoke(main, ["numbers", str(report)])
    finally:
        signal.signal(signal.SIGTERM, before)
    assert res.exit_code == 130, res.output
    assert res.stderr.strip() == "llmx: interrupted"


def test_sigterm_during_a_regex_only_batch_is_one_line_and_exit_130(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    for i in range(200):
        (folder / f"r{i}.txt").write_text(text, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "llmx", "extract", "--no-model", str(folder), "-o",
                             str(tmp_path / "o.jsonl")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the batch ended before the signal")
    assert proc.returncode == 130, err.decode()[-800:]  # what llmx said, should it ever end otherwise
    assert "Traceback" not in err.decode() and "never retrieved" not in err.decode()
