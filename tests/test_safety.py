"""Nothing lost, nothing invented: the fault matrix of transport, output and input faults.

Each case either recovers with nothing lost, or fails loudly: its documented exit
code and a one-line error, no traceback, nothing torn left behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakeserver import GARBAGE_200, FakeServer
from llmx.batch import run_batch
from llmx.cli import main
from llmx.client import ModelClient, completion_problem
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
