"""Nothing lost, nothing invented: the fault matrix of transport, output and input faults.

Each case either recovers with nothing lost, or fails loudly: its documented exit
code and a one-line error, no traceback, nothing torn left behind.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakeserver import GARBAGE_200, FakeServer
from llmx.pipeline.batch import run_batch
from llmx.cli import main
from llmx.model.client import ModelClient, completion_problem
from llmx.config import Settings
from llmx.models import ReportResult

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "minhang-2024-summary.txt"


def settings_for(server: FakeServer, **overrides) -> Settings:
    base = dict(base_url=server.base_url, model="fake", cache_dir=None, timeout=5.0, max_retries=2,
                max_reasks=1, concurrency=8)
    base.update(overrides)
    return Settings(**base)


def run(paths: list[Path], settings: Settings, output: Path | None = None):
    async def go():
        client = ModelClient(settings, None, backoff=(0.01, 0.02))
        try:
            return await run_batch(paths, client, output)
        finally:
            await client.close()

    return asyncio.run(go())


def lines_of(path: Path) -> list[ReportResult]:
    return [ReportResult.model_validate_json(x) for x in path.read_text(encoding="utf-8").split("\n") if x]


def llmx_cli(*args: str, env_extra: dict | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "LLMX_"))}
    env.update(env_extra or {})
    return subprocess.Popen([sys.executable, "-m", "llmx", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def report(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return Path(shutil.copy(SEED, folder / SEED.name))


# -- transport: an HTTP 200 that is not a chat completion is never a model answer -------


@pytest.mark.parametrize("body, transport", [
    ('{"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assi', True),
    ("<html><body><h1>502 Bad Gateway</h1></body></html>", True),
    ("您好，这里是网关。", True),
    ('{"object": "list", "data": []}', True),
    ('{"error": {"message": "overloaded"}}', True),
    ("[]", True),
    ("", True),
    ('{"choices": [{"index": 0, "message": {"role": "assistant", "content": "好的，我来说明"}}]}', False),
    ('{"choices": [{"index": 0, "message": {"role": "assistant", "content": "{\\"items\\": [{\\"id\\""}}]}', False),
])
def test_a_body_is_told_apart_from_the_answer_it_carries(body, transport):
    problem = completion_problem(body)
    assert (problem is not None) is transport
    assert problem is None or "\n" not in problem


@pytest.mark.parametrize("fault", ["truncated", "not_json", "plain", "not_completion", "html_json"])
def test_a_report_whose_every_call_gets_garbage_fails_and_is_redone_on_resume(fault, report, tmp_path):
    assert fault in GARBAGE_200
    out = tmp_path / "out.jsonl"
    with FakeServer(faults=fault) as server:
        results, summary = run([report], settings_for(server), out)
    (result,) = results
    assert not result.ok and summary.failed == 1
    assert "EndpointError" in result.error and "not" in result.error and "\n" not in result.error
    assert result.rejected == [] and result.indicators == []  # nothing invented from a proxy's page
    # retried (at most 1 + max_retries tries a call), never re-asked; every request counted
    tries = Counter(json.dumps(b, sort_keys=True) for b in server.bodies)
    assert max(tries.values()) == 3 and summary.usage.reasks == 0 and summary.usage.retries > 0
    assert summary.usage.calls >= server.requests  # a call cancelled on its way out is counted too
    (recorded,) = lines_of(out)
    assert not recorded.ok
    with FakeServer() as server:
        results, summary = run([report], settings_for(server), out)
    assert results[0].ok and results[0].indicators and summary.skipped == 0
    (recorded,) = lines_of(out)
    assert recorded.ok


def test_the_command_line_fails_a_garbage_endpoint_with_exit_1_and_one_line(report, tmp_path):
    out = tmp_path / "out.jsonl"
    with FakeServer(faults="not_json") as server:
        result = invoke("extract", str(report), "-o", str(out), "--base-url", server.base_url, "--no-cache",
                        "--model", "fake")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "API call failed" not in result.output
    failed = [x for x in result.output.splitlines() if x.startswith("llmx: failed:")]
    assert len(failed) == 1 and "not JSON" in failed[0] and str(report) in failed[0]


def test_a_garbage_endpoint_costs_the_terminal_two_lines_and_no_log_spam(report, tmp_path):
    with FakeServer(faults="html_json") as server:
        proc = llmx_cli("extract", str(report), "-o", str(tmp_path / "out.jsonl"), "--base-url", server.base_url,
                        "--no-cache", env_extra={"LLMX_MAX_RETRIES": "1"})
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    summary, failed = err.strip().split("\n")
    assert summary.startswith("llmx: 1 reports") and failed.startswith(f"llmx: failed: {report}: EndpointError")


# -- output: one writer per output, nothing torn, nothing clobbered --------------------

from llmx.pipeline.batch import rule_extractor  # noqa: E402
from llmx.errors import OutputError, OutputLockedError  # noqa: E402
from llmx.outputs.output import BatchOutput, dump_line, read_results  # noqa: E402

SEEDS = ROOT / "seeds"
SMALL = ["minhang-2024-summary.txt", "putuo-2022-plan.txt"]


@pytest.fixture
def corpus(tmp_path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    return [Path(shutil.copy(SEEDS / name, folder / name)) for name in SMALL]


def rules(paths: list[Path], output=None, **kw):
    return asyncio.run(run_batch(paths, rule_extractor(600), output, **kw))


def leftovers(folder: Path) -> list[str]:
    """Temporary and lock files left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


def test_jsonl_escapes_every_character_that_splitlines_breaks_on():
    breakers = [c for c in map(chr, range(0x110000)) if len(f"a{c}b".splitlines()) > 1]
    assert {"\u2028", "\u2029", "\x85", "\x1c", "\x0b"} <= set(breakers)
    tricky = "".join(breakers)
    result = ReportResult(doc=f"doc{tricky}", path=f"p{tricky}", error=f"e{tricky}")
    line = dump_line(result)
    assert line.endswith("\n") and len(line.splitlines()) == 1
    assert not set(line[:-1]) & set(breakers)
    assert ReportResult.model_validate_json(line) == result


def test_a_report_holding_u2028_is_skipped_on_resume_not_redone(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    report = folder / "报告\u2028第一.txt"
    report.write_text("普陀区科学技术委员会2024年工作总结\n一、主要成效\n新认定高新技术企业213家，\u2028同比增长49.8%。"
                      "技术合同成交金额197.54亿元\u2029。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    (first,), summary = rules([report], out)
    assert first.ok and first.indicators and "\u2028" in first.path
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1  # any line reader sees one line
    (again,), summary = rules([report], out)
    assert summary.skipped == 1 and again == first
    assert read_results(out) == [first]


def test_a_second_writer_of_the_same_output_is_refused_and_touches_nothing(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    rules(corpus[:1], out)
    before = out.read_bytes()
    with BatchOutput(out):  # another run holds it
        with pytest.raises(OutputLockedError):
            rules(corpus, out)
        result = invoke("extract", *map(str, corpus), "-o", str(out), "--no-model")
        assert result.exit_code == 2
        assert result.output.strip().count("\n") == 0 and "another llmx process is writing" in result.output
        assert out.read_bytes() == before
    assert leftovers(tmp_path) == []
    results, _ = rules(corpus, out)  # free again: it resumes
    assert [r.ok for r in read_results(out)] == [True, True]


def test_two_processes_on_one_output_the_second_gets_exit_2_and_the_first_loses_nothing(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    with FakeServer(latency=0.2) as server:
        args = ["extract", *map(str, corpus), "-o", str(out), "--base-url", server.base_url, "--no-cache", "-c", "1"]
        first = llmx_cli(*args)
        lock = tmp_path / ".out.jsonl.lock"
        deadline = time.time() + 30
        while not lock.exists() and time.time() < deadline:
            time.sleep(0.02)
        second = llmx_cli(*args)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 2 and err.count("\n") == 1 and "another llmx process" in err, err
        assert first.wait(timeout=120) == 0, first.stderr.read()
    assert [r.path for r in lines_of(out)] == [str(p) for p in corpus] and all(r.ok for r in lines_of(out))
    assert leftovers(tmp_path) == []


def test_an_existing_file_that_is_not_llmx_output_is_not_overwritten(corpus, tmp_path):
    notes = tmp_path / "notes.jsonl"
    notes.write_text("my own notes\n", encoding="utf-8")
    table = tmp_path / "table.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    for target, fmt in ((notes, "jsonl"), (table, "csv")):
        result = invoke("extract", str(corpus[0]), "-o", str(target), "--format", fmt, "--no-model")
        assert result.exit_code == 2 and "will not overwrite" in result.output, result.output
    assert notes.read_text(encoding="utf-8") == "my own notes\n" and table.read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_a_missing_output_directory_is_a_one_line_error_and_nothing_is_created(corpus, tmp_path):
    out = tmp_path / "nowhere" / "out.jsonl"
    result = invoke("extract", str(corpus[0]), "-o", str(out), "--no-model")
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "does not exist" in result.output and not (tmp_path / "nowhere").exists()


def _deny(monkeypatch, folder: Path, err: int = errno.EACCES) -> None:
    """Creating or opening files for writing in `folder` fails with `err` (as in a
    read-only directory, for a test that may run as root, whom permissions do not stop)."""
    real = os.open

    def fake(path, flags, *args, **kwargs):
        if Path(path).parent == folder and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(err, os.strerror(err), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake)


def test_a_read_only_output_directory_is_a_one_line_error(corpus, tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    _deny(monkeypatch, folder)
    result = invoke("extract", str(corpus[0]), "-o", str(folder / "out.jsonl"), "--no-model")
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "permission denied" in result.output and list(folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not stop root")
def test_a_really_read_only_output_directory_is_a_one_line_error(corpus, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = invoke("extract", str(corpus[0]), "-o", str(folder / "out.jsonl"), "--no-model")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "read-only" in result.output


def full_disk(monkeypatch, folder: Path, whole_writes: int) -> None:
    """`os.write` into `folder`: `whole_writes` calls succeed, the next writes half its data
    (as a real write does when the disk fills), and every later one fails with ENOSPC."""
    real = os.write
    state = {"left": whole_writes, "full": False}
    prefix = str(folder.resolve()) + os.sep

    def write(fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if not target.startswith(prefix):
            return real(fd, data)
        if state["left"] > 0:
            state["left"] -= 1
            return real(fd, data)
        if state["full"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        state["full"] = True
        return real(fd, bytes(data[: max(1, len(data) // 2)]))

    monkeypatch.setattr(os, "write", write)


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell files apart")


@needs_proc
def test_a_disk_that_fills_while_appending_leaves_whole_lines(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    full_disk(monkeypatch, tmp_path, whole_writes=1)  # the first report's line goes down, the second's is cut
    with pytest.raises(OutputError, match="disk is full"):
        rules(corpus, out)
    monkeypatch.undo()
    data = out.read_bytes()
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    (kept,) = read_results(out)
    assert kept.ok and data == dump_line(kept).encode("utf-8")
    assert leftovers(tmp_path) == []
    results, summary = rules(corpus, out)  # space again: the rest is done
    assert summary.skipped == 1 and len(read_results(out)) == 2


@needs_proc
def test_a_disk_that_fills_during_the_final_rewrite_keeps_the_previous_content(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    full_disk(monkeypatch, tmp_path, whole_writes=2)  # both lines appended; the rewrite in order fails
    result = invoke("extract", *map(str, corpus), "-o", str(out), "--no-model")
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("llmx: error: cannot write") and "disk is full" in line and "Traceback" not in result.output
    assert sorted(r.path for r in read_results(out)) == sorted(str(p) for p in corpus)
    assert out.read_bytes().count(b"\n") == 2 and out.read_bytes().endswith(b"\n")
    assert leftovers(tmp_path) == []


def test_an_interrupted_rewrite_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    from llmx.outputs.output import write_atomic

    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old\n")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new\n")
    assert target.read_bytes() == b"old\n" and leftovers(tmp_path) == []


def test_a_line_torn_inside_a_character_is_dropped_on_resume(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    rules(corpus[:1], out)
    whole = out.read_bytes()
    torn = dump_line(ReportResult(doc="报告", path="报告.txt")).encode("utf-8")
    out.write_bytes(whole + torn[: torn.index("告".encode("utf-8")) + 1])  # cut inside 告
    results, summary = rules(corpus, out)
    assert summary.skipped == 1 and out.read_bytes().startswith(whole) and len(read_results(out)) == 2


def test_a_corrupted_cache_is_moved_aside_with_a_warning_and_a_fresh_one_is_used(report, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "cache.db").write_bytes(b"this is not a database" * 100)
    out = tmp_path / "out.jsonl"
    with FakeServer() as server:
        args = ["extract", str(report), "-o", str(out), "--base-url", server.base_url, "--cache-dir", str(cache)]
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        warnings = [x for x in result.output.splitlines() if x.startswith("llmx: warning:")]
        assert len(warnings) == 1 and "corrupted" in warnings[0] and "moved it aside" in warnings[0]
        (aside,) = tmp_path.glob("cache.corrupt-*")
        assert (aside / "cache.db").read_bytes().startswith(b"this is not")
        out.unlink()
        server.reset_counts()
        assert invoke(*args).exit_code == 0 and server.requests == 0  # the fresh cache serves the re-run


def test_a_cache_that_breaks_mid_run_is_dropped_with_one_warning(report, caplog):
    import sqlite3

    class Broken:
        directory = "/somewhere/cache"

        def get(self, key):
            raise sqlite3.DatabaseError("database disk image is malformed")

        def set(self, key, value):
            raise AssertionError("a dropped cache is not written")

    with FakeServer() as server:
        async def go():
            client = ModelClient(settings_for(server), Broken(), backoff=(0.01, 0.02))
            try:
                return await run_batch([report], client)
            finally:
                await client.close()

        (result,), _ = asyncio.run(go())
    assert result.ok and result.indicators
    dropped = [r for r in caplog.records if "going on without it" in r.getMessage()]
    assert len(dropped) == 1 and "malformed" in dropped[0].getMessage()


def test_an_unusable_cache_directory_is_a_one_line_error(report, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with FakeServer() as server:
        result = invoke("extract", str(report), "--base-url", server.base_url, "--cache-dir", str(blocker / "cache"))
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "--no-cache" in result.output


# -- inputs: what cannot be read is a failed report, never a silent skip ------------------


def test_unreadable_named_paths_fail_as_reports_and_the_rest_is_done(corpus, tmp_path, monkeypatch):
    denied = tmp_path / "denied.txt"
    shutil.copy(corpus[0], denied)
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes",
                        lambda self: (_ for _ in ()).throw(PermissionError(errno.EACCES, "Permission denied", str(self)))
                        if self == denied else real(self))
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    out = tmp_path / "out.jsonl"
    result = invoke("extract", str(tmp_path / "missing.txt"), str(denied), str(empty_dir), str(corpus[1]), "-o",
                    str(out), "--no-model")
    assert result.exit_code == 1, result.output
    failed = [x for x in result.output.splitlines() if x.startswith("llmx: failed:")]
    assert len(failed) == 2 and "no such file" in failed[0] and "Permission denied" in failed[1]
    assert [r.ok for r in lines_of(out)] == [False, False, True]


def test_a_folder_scan_reports_dangling_symlinks_and_unlistable_folders(corpus, tmp_path, monkeypatch):
    folder = corpus[0].parent
    (folder / "gone.txt").symlink_to(tmp_path / "nothing-here.txt")
    (folder / "gone.md").symlink_to(tmp_path / "nothing-here.md")  # not a report name: not looked at
    locked = folder / "locked"
    locked.mkdir()
    shutil.copy(corpus[0], locked / "inside.txt")
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(
        PermissionError(errno.EACCES, "Permission denied", str(path))) if Path(path) == locked else real(path))
    out = tmp_path / "out.jsonl"
    result = invoke("extract", str(folder), "-o", str(out), "--no-model")
    assert result.exit_code == 1, result.output
    warnings = [x for x in result.output.splitlines() if x.startswith("llmx: warning:")]
    assert len(warnings) == 2 and any("dangling symlink" in w for w in warnings)
    assert any(str(locked) in w and "Permission denied" in w for w in warnings)
    assert "4 reports (0 already done, 2 failed)" in result.output
    by_path = {r.path: r for r in lines_of(out)}
    assert not by_path[str(folder / "gone.txt")].ok and not by_path[str(locked)].ok
    assert sum(r.ok for r in by_path.values()) == 2


# -- exit codes ---------------------------------------------------------------------------


def test_the_exit_codes_are_in_the_help():
    for args in (["--help"], ["extract", "--help"]):
        text = invoke(*args).output
        assert "Exit codes:" in text and all(f"  {code} " in text for code in ("0", "1", "2", "130"))


def test_ctrl_c_exits_130_with_one_line_and_keeps_what_was_done(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    with FakeServer(latency=0.3) as server:
        args = ["extract", *map(str, corpus), "-o", str(out), "--base-url", server.base_url, "--no-cache", "-c", "1"]
        proc = llmx_cli(*args)
        deadline = time.time() + 30
        while server.requests < 3 and time.time() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert err.count("\n") == 1 and err.startswith("llmx: interrupted") and "Traceback" not in err
        kept = out.read_bytes()
        assert kept == b"" or kept.endswith(b"\n")
        assert all(r.ok for r in read_results(out))
        assert leftovers(tmp_path) == []
        again = llmx_cli(*args)
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
    assert [r.path for r in lines_of(out)] == [str(p) for p in corpus]


# -- --no-model: the regex pipeline as a batch --------------------------------------------


def test_no_model_runs_without_server_cache_or_endpoint(tmp_path, monkeypatch):
    import llmx.model.client
    import llmx.model.local
    import llmx.model.runtime

    for var in ("OPENAI_BASE_URL", "LLMX_CACHE_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(llmx.model.local, "endpoint", lambda *a: pytest.fail("the embedded model was asked for"))
    monkeypatch.setattr(llmx.model.local, "ensure_model", lambda *a: pytest.fail("the embedded model was asked for"))
    monkeypatch.setattr(llmx.model.runtime, "open_cache", lambda *a: pytest.fail("the cache was opened"))
    monkeypatch.setattr(llmx.model.client.ModelClient, "__init__", lambda *a, **k: pytest.fail("a model client was made"))
    out = tmp_path / "out.jsonl"
    began = time.perf_counter()
    result = invoke("extract", str(SEEDS), "-o", str(out), "--no-model")
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - began < 30
    results = lines_of(out)
    assert len(results) == 5 and all(r.ok and r.indicators for r in results)
    assert "5 reports (0 already done, 0 failed)" in result.output and "no model" in result.output
    again = invoke("extract", str(SEEDS), "-o", str(out), "--no-model")
    assert again.exit_code == 0 and "5 reports (5 already done, 0 failed)" in again.output
    assert lines_of(out) == results


def test_no_model_writes_csv_with_its_state_beside_it(tmp_path):
    out = tmp_path / "out.csv"
    result = invoke("extract", str(SEED), "-o", str(out), "--format", "csv", "--no-model")
    assert result.exit_code == 0, result.output
    rows = out.read_bytes().decode("utf-8-sig").splitlines()
    (state,) = lines_of(tmp_path / "out.csv.llmx.jsonl")
    assert rows[0].startswith("doc,") and len(rows) - 1 == len(state.indicators) > 0


# -- counts: four outcomes per report, summed, and checked ---------------------------------


def test_the_summary_sums_the_counts_of_every_report(corpus, tmp_path):
    results, summary = rules(corpus, tmp_path / "out.jsonl")
    total = sum(r.counts.indicators for r in results)
    assert summary.counts.indicators == summary.indicators == total > 0
    assert summary.counts.found == sum(r.counts.found for r in results)
    line = summary.line()
    assert f"{total} indicators, " in line and f"excluded (of {summary.counts.found} numbers found)" in line


def test_a_result_whose_counts_do_not_add_up_is_named_in_a_warning(corpus, caplog):
    async def sloppy(source):
        return ReportResult(doc=source.name, path=source.path, sha256=source.sha256, found=3)

    results, summary = asyncio.run(run_batch(corpus[:1], sloppy))
    (warning,) = [r.getMessage() for r in caplog.records if "do not add up" in r.getMessage()]
    assert str(corpus[0]) in warning and "3 found" in warning
