"""Batches against a fault-injecting endpoint (tests/fakeserver.py, a synthetic double:
its answers echo llmx's own figure list and are never scored).

What must hold whatever the endpoint does: every report ends in a result or a
recorded error, none is lost or duplicated, retries are bounded, Retry-After is
respected, and a batch killed midway and run again ends with the same file as an
uninterrupted one.
"""

from __future__ import annotations

import asyncio
import json
import re
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from fakeserver import GARBAGE_200, FakeServer, once_per_request, request_kind
from llmx.pipeline.batch import run_batch
from llmx.model.client import ModelClient
from llmx.config import Settings
from llmx.pipeline.extract import plan_report
from llmx.pipeline.meta import needs_model, regex_meta
from llmx.models import Meta, ReportResult
from llmx.text.sections import split_sections
from llmx.text.source import load_source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SMALL = ["minhang-2024-summary.txt", "putuo-2022-plan.txt"]


def settings_for(server: FakeServer, **overrides) -> Settings:
    base = dict(base_url=server.base_url, model="fake", cache_dir=None, timeout=5.0, max_retries=3,
                max_reasks=1, concurrency=8)
    base.update(overrides)
    return Settings(**base)


def section_calls(path: Path) -> int:
    """The calls a report's sections need: one for each section with a figure the model is
    asked about (`Plan.asked`: not every figure of it trusted, dependent or a table cell)."""
    settings = Settings()
    return len(plan_report(load_source(path), settings.section_chars, settings.rule_confidence).asked)


def planned_calls(path: Path) -> int:
    """The calls a report needs: its sections', and its meta where the rules leave a field
    to ask for (`llmx.pipeline.meta.needs_model`)."""
    source = load_source(path)
    outline = split_sections(source, Settings().section_chars)
    tail = "\n".join(source.text.strip().split("\n")[-3:])
    meta = needs_model(regex_meta(source.text[outline.meta_start : outline.meta_end], tail))
    return int(meta) + section_calls(path)


def run(paths: list[Path], settings: Settings, output: Path | None = None, cache=None, observer=None):
    async def go():
        client = ModelClient(settings, cache, backoff=(0.01, 0.05))
        try:
            return await run_batch(paths, client, output, observer=observer)
        finally:
            await client.close()

    return asyncio.run(go())


def facts(result: ReportResult) -> dict:
    """What a report says, without timing and call accounting (which differ between runs)."""
    return result.model_dump(exclude={"seconds", "usage"})


def without_answers(facts: dict) -> dict:
    """`facts` without the model's raw answer that each rejected name records."""
    return {**facts, "rejected": [{**r, "claim": {k: v for k, v in r["claim"].items() if k != "answer"}}
                                  for r in facts["rejected"]]}


def file_facts(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [facts(ReportResult.model_validate_json(line)) for line in lines]


@pytest.fixture
def corpus(tmp_path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(SEEDS / name, folder / name)
    return sorted(folder.glob("*.txt"))


@pytest.fixture
def unsigned(tmp_path) -> list[Path]:
    """The small corpus with its heads cut to a bare title (`2024年工作总结`) and its signatures
    cut off: no issuer and no region for the rules to find, so the model is asked for the meta."""
    folder = tmp_path / "unsigned"
    folder.mkdir()
    for name in SMALL:
        text = (SEEDS / name).read_text(encoding="utf-8")
        body = text[text.index("一、") : text.rindex("。") + 1]  # no signature lines either
        year = re.search(r"20\d\d", name).group()
        (folder / name).write_text(f"{year}年工作{'计划' if 'plan' in name else '总结'}\n{body}", encoding="utf-8")
    return sorted(folder.glob("*.txt"))


@pytest.fixture
def clean(corpus) -> list[dict]:
    with FakeServer() as server:
        results, summary = run(corpus, settings_for(server))
    assert summary.failed == 0 and all(r.ok for r in results)
    assert all(r.indicators for r in results)
    return [facts(r) for r in results]


class Tally:
    planned = done = 0

    def sections_planned(self, n: int) -> None:
        self.planned += n

    def section_done(self) -> None:
        self.done += 1


def test_the_observer_hears_of_every_section_call(corpus):
    tally = Tally()
    with FakeServer() as server:
        results, summary = run(corpus, settings_for(server), observer=tally)
    sections = sum(section_calls(p) for p in corpus)  # a re-ask is one more request for the same section
    assert tally.planned == tally.done == sections > 0 and server.kinds["section"] >= sections
    assert summary.usage.calls == server.kinds["section"] + server.kinds["meta"]


def test_report_text_with_template_syntax_is_sent_verbatim(tmp_path):
    text = ("普陀区科学技术委员会2024年工作总结\n一、主要成效\n"
            "新认定高新技术企业213家，{{ 1 + 1 }}同比增长49.8%。{% if x %}技术合同成交金额197.54亿元{# 注\n")
    report = tmp_path / "braces.txt"
    report.write_text(text, encoding="utf-8")
    with FakeServer() as server:
        results, summary = run([report], settings_for(server))
    assert results[0].ok, results[0].error
    assert {i.value for i in results[0].indicators} >= {213, 49.8, 197.54}
    sent = [re.sub(r"【\d+:|】", "", m["content"]) for b in server.bodies if request_kind(b) == "section"
            for m in b["messages"]]  # the figures' marks taken out, the text is as written
    assert any("{{ 1 + 1 }}同比增长49.8%。{% if x %}技术合同成交金额197.54亿元{# 注" in c for c in sent)


def test_the_meta_call_does_not_hold_back_the_section_calls(unsigned):
    section_arrived = threading.Event()
    meta_saw_a_section = []

    def plan(n, body):  # the meta request is held until a section request has arrived
        kind = request_kind(body)
        if kind == "section":
            section_arrived.set()
        elif kind == "meta":
            meta_saw_a_section.append(section_arrived.wait(timeout=5))
        return "ok"

    with FakeServer() as server:
        clean, _ = run(unsigned, settings_for(server, concurrency=4))
    with FakeServer(faults=plan) as server:
        results, summary = run(unsigned, settings_for(server, concurrency=4))
    assert meta_saw_a_section == [True, True]
    assert [facts(r) for r in results] == [facts(r) for r in clean]
    # The frames still follow the meta (its title's kind and year), read once it is in:
    # a summary's figures fall in its year, and a plan's are targets.
    summary_2024, plan_2022 = results
    assert summary_2024.meta.years == [2024] and plan_2022.meta.kind == "plan"
    assert sum(i.period == "2024" for i in summary_2024.indicators) > len(summary_2024.indicators) / 2
    assert plan_2022.indicators and all(i.kind == "target" for i in plan_2022.indicators)


@pytest.mark.parametrize("fault", ["500", "429", "drop", *GARBAGE_200])
def test_a_transient_fault_on_every_call_is_retried_to_the_same_result(fault, corpus, clean):
    with FakeServer(faults=once_per_request([fault])) as server:
        results, summary = run(corpus, settings_for(server))
    assert [facts(r) for r in results] == clean
    assert server.outcomes[fault] == server.outcomes["ok"]  # each call failed once, then succeeded
    # A bad status, a dropped connection and an HTTP 200 whose body is not a chat
    # completion are all transport faults: retried by tenacity, never re-asked as if
    # the model had answered badly. Every request is counted.
    assert summary.usage.retries == server.outcomes[fault] and summary.usage.reasks == 0
    assert summary.usage.calls == server.requests


def test_a_call_that_hangs_times_out_and_is_retried(corpus, clean):
    with FakeServer(faults=once_per_request(["hang"]), hang=30) as server:
        results, summary = run(corpus, settings_for(server, timeout=0.5))
    assert [facts(r) for r in results] == clean
    assert summary.usage.retries == server.outcomes["hang"] > 0


@pytest.mark.parametrize("fault", ["prose", "cut"])
def test_an_answer_that_is_not_the_schema_is_reasked(fault, corpus, clean):
    with FakeServer(faults=once_per_request([fault])) as server:
        results, summary = run(corpus, settings_for(server))
    # the same figures; a rejected name's recorded answer is the re-ask's, which names only the
    # ids still asked (not those of trusted figures the first answer was to read past)
    assert [without_answers(facts(r)) for r in results] == [without_answers(c) for c in clean]
    assert summary.usage.reasks >= server.outcomes[fault] > 0
    assert summary.usage.retries == 0


def test_numbers_the_text_does_not_hold_are_rejected_not_output(corpus):
    def plan(n, body):
        return "wrong" if "【1:" in json.dumps(body, ensure_ascii=False) else "ok"

    with FakeServer(faults=plan) as server:
        results, _ = run(corpus, settings_for(server))
    for r in results:
        assert r.ok and r.indicators == [] or all(i.named_by == "rule" for i in r.indicators)
        assert r.rejected and all(x.reason for x in r.rejected)
        assert all(i.value != 999999 for i in r.indicators)


def test_retries_are_bounded_and_a_dead_report_does_not_stop_the_batch(corpus):
    assert "闵行" in corpus[0].read_text(encoding="utf-8")[:200]
    assert "闵行" not in corpus[1].read_text(encoding="utf-8")

    def plan(n, body):  # every call about the 闵行 report fails
        return "500" if "闵行" in json.dumps(body, ensure_ascii=False) else "ok"

    with FakeServer(faults=plan) as server:
        results, summary = run(corpus, settings_for(server, max_retries=2))
    assert [r.path for r in results] == [str(p) for p in corpus]
    assert not results[0].ok and "EndpointError" in results[0].error
    assert results[1].ok and results[1].indicators
    assert summary.failed == 1
    # Each of the dead report's calls was tried at most 1 + max_retries times, and once
    # one had failed for good the report's other calls were cancelled, not sent.
    bodies = [json.dumps(b, sort_keys=True, ensure_ascii=False) for b in server.bodies]
    attempts = Counter(b for b in bodies if "闵行" in b)
    assert max(attempts.values()) == 3
    assert len(attempts) <= 8 + 1  # the calls in flight at the time (concurrency 8), not all its sections
    assert len(attempts) < planned_calls(corpus[0])


def test_retry_after_is_waited_for(corpus):
    with FakeServer(faults=["429"], retry_after="1") as server:
        began = time.perf_counter()
        results, summary = run(corpus[:1], settings_for(server, concurrency=1))
        elapsed = time.perf_counter() - began
    assert results[0].ok and summary.usage.retries == 1
    assert elapsed >= 1.0  # the backoff alone (0.01-0.05 s) would not take this long


def test_bad_files_are_recorded_with_their_error_and_the_rest_goes_on(tmp_path, corpus):
    empty, binary = tmp_path / "empty.txt", tmp_path / "image.txt"
    empty.write_bytes(b"")
    binary.write_bytes(bytes(range(256)) * 8)
    paths = [empty, corpus[0], binary]
    with FakeServer() as server:
        results, summary = run(paths, settings_for(server), output=tmp_path / "out.jsonl")
    assert [r.path for r in results] == [str(p) for p in paths]
    assert "empty.txt" in results[0].error and "EmptyDocumentError" in results[0].error
    assert "image.txt" in results[2].error and "NotTextError" in results[2].error
    assert results[1].ok and results[1].indicators
    assert summary.failed == 2
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 3


# -- the command line: kill -9 and resume, shared cache, token budget -------------


def llmx_cli(*args: str, env_extra: dict | None = None, **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "LLMX_"))}
    env.update(env_extra or {})
    return subprocess.Popen([sys.executable, "-m", "llmx", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **popen)


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)  # README.md included: a directory yields only its .txt reports
    return folder


def common_args(server: FakeServer, cache: Path) -> list[str]:
    return ["--base-url", server.base_url, "--model", "fake", "--cache-dir", str(cache), "-c", "2"]


def test_a_batch_killed_midway_resumes_to_the_same_output(tmp_path, seeds_copy):
    with FakeServer(latency=0.05) as server:
        whole = tmp_path / "whole.jsonl"
        p = llmx_cli("extract", str(seeds_copy), "-o", str(whole), *common_args(server, tmp_path / "c1"))
        assert p.wait(timeout=120) == 0, p.stderr.read()
        full_calls = server.requests

        cut = tmp_path / "cut.jsonl"
        args = ["extract", str(seeds_copy), "-o", str(cut), *common_args(server, tmp_path / "c2")]
        p = llmx_cli(*args)
        deadline = time.time() + 60
        while time.time() < deadline and (not cut.exists() or not cut.read_text(encoding="utf-8").strip()):
            time.sleep(0.02)
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=10)
        done_before = len(cut.read_text(encoding="utf-8").splitlines())
        assert 1 <= done_before < 5

        server.reset_counts()
        p = llmx_cli(*args)
        assert p.wait(timeout=120) == 0, p.stderr.read()
        assert "already done" in p.stderr.read()
        assert server.requests < full_calls  # finished reports and cached calls cost nothing again

    assert file_facts(cut) == file_facts(whole)
    assert len(file_facts(cut)) == 5


def test_two_runs_sharing_one_cache_directory_both_finish_intact(tmp_path, seeds_copy):
    cache = tmp_path / "cache"
    with FakeServer(latency=0.01) as server:
        procs = [llmx_cli("extract", str(seeds_copy), "-o", str(tmp_path / f"{i}.jsonl"),
                          *common_args(server, cache)) for i in range(2)]
        for p in procs:
            assert p.wait(timeout=120) == 0, p.stderr.read()
        server.reset_counts()
        again = llmx_cli("extract", str(seeds_copy), "-o", str(tmp_path / "again.jsonl"),
                         *common_args(server, cache))
        assert again.wait(timeout=60) == 0
        assert server.requests == 0  # everything came from the shared cache
    assert file_facts(tmp_path / "0.jsonl") == file_facts(tmp_path / "1.jsonl") == file_facts(tmp_path / "again.jsonl")


def test_a_token_budget_stops_the_batch_and_a_rerun_finishes_it(tmp_path, seeds_copy):
    out = tmp_path / "out.jsonl"
    with FakeServer() as server:
        args = ["extract", str(seeds_copy), "-o", str(out), *common_args(server, tmp_path / "c")]
        p = llmx_cli(*args, "--token-budget", "20000")
        assert p.wait(timeout=120) == 1
        err = p.stderr.read()
        assert "token budget 20000 reached" in err
        stopped_at = len(out.read_text(encoding="utf-8").splitlines())
        assert stopped_at < 5
        p = llmx_cli(*args)
        assert p.wait(timeout=120) == 0
    results = [ReportResult.model_validate_json(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(results) == 5 and all(r.ok for r in results)
    assert sorted(r.path for r in results) == [r.path for r in results]


@pytest.mark.parametrize("reasks", [0, 1, 2])
def test_a_meta_answer_that_stays_invalid_is_asked_max_reasks_more_times(reasks, unsigned):
    def plan(n, body):
        return "prose" if request_kind(body) == "meta" else "ok"

    with FakeServer(faults=plan) as server:
        results, _ = run(unsigned[:1], settings_for(server, max_reasks=reasks))
    assert results[0].ok and server.kinds["meta"] == reasks + 1


def test_a_report_whose_head_the_rules_read_whole_costs_no_meta_call(corpus, unsigned):
    with FakeServer() as server:
        run(corpus, settings_for(server))
    assert server.kinds["meta"] == 0 and server.kinds["section"] > 0
    with FakeServer() as server:
        run(unsigned, settings_for(server))
    assert server.kinds["meta"] == len(unsigned)
