"""Shared fixtures: the seeds, and vcrpy settings for replaying real model traffic."""

from __future__ import annotations

import json
from pathlib import Path

import os

import pytest
from hypothesis import settings

# `make test` (and CI) replays a fixed draw of the property tests' examples, so that a run is
# decided by the change, not by the draw. `HYPOTHESIS_PROFILE=explore make test` draws anew
# each run: what it finds becomes a named rule and a test (tests/test_copied_bulletins.py, tests/test_furniture.py).
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CASSETTES = ROOT / "cassettes"

# Headers that carry secrets or change on every call: never written to a cassette.
NOISY_HEADERS = [
    "authorization", "api-key", "openai-organization", "openai-project", "cookie", "set-cookie",
    "user-agent", "x-stainless-arch", "x-stainless-lang", "x-stainless-os", "x-stainless-package-version",
    "x-stainless-runtime", "x-stainless-runtime-version", "x-stainless-async", "x-stainless-retry-count",
    "x-stainless-read-timeout", "x-stainless-raw-response", "date", "server", "x-request-id",
]


def _json_body(r1, r2) -> None:
    """Requests match when their JSON bodies are equal (host and port of the local server vary)."""
    def load(r):
        body = r.body or b"{}"
        return json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)

    assert load(r1) == load(r2)


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "filter_headers": NOISY_HEADERS,
        "match_on": ["method", "path", "json_body"],
        "allow_playback_repeats": True,
        "decode_compressed_response": True,
    }


def pytest_recording_configure(config, vcr):
    vcr.register_matcher("json_body", _json_body)


@pytest.fixture(scope="module")
def vcr_cassette_dir():
    return str(CASSETTES)


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def _record_mode(config) -> str:
    return config.getoption("--record-mode") or "none"


@pytest.fixture(scope="session")
def model_settings(request):
    """Settings for tests that replay model traffic.

    Replaying (the default, and CI), the endpoint is never contacted: any URL will do.
    Recording (`--record-mode=rewrite`), the endpoint is `LLMX_RECORD_BASE_URL`, or the
    embedded local model started for the session.
    """
    from llmx.config import LOCAL_MODEL_ALIAS, Settings

    base = Settings(model=LOCAL_MODEL_ALIAS, cache_dir=None, concurrency=1)
    if _record_mode(request.config) == "none":
        yield base.with_endpoint("http://127.0.0.1:9/v1")
        return
    import os

    if os.environ.get("LLMX_RECORD_BASE_URL"):
        yield base.with_endpoint(os.environ["LLMX_RECORD_BASE_URL"])
        return
    from llmx.model.local import endpoint

    with endpoint(base) as resolved:
        yield resolved


@pytest.fixture(scope="session")
def replay(request):
    """`with replay("name"):` replays cassettes/name.yaml (records it with --record-mode=rewrite)."""
    import contextlib

    import vcr as vcrpy

    mode = _record_mode(request.config)
    recorded: set[str] = set()  # re-recorded in this run already: later uses replay it

    @contextlib.contextmanager
    def use(name: str):
        path = CASSETTES / f"{name}.yaml"
        now = "none" if name in recorded else mode
        if now == "rewrite":
            recorded.add(name)
            if path.exists():
                path.unlink()
        recorder = vcrpy.VCR(
            record_mode={"rewrite": "all"}.get(now, now),
            filter_headers=NOISY_HEADERS,
            match_on=["method", "path", "json_body"],
            decode_compressed_response=True,
        )
        recorder.register_matcher("json_body", _json_body)
        with recorder.use_cassette(str(path), allow_playback_repeats=True) as cassette:
            yield
        if now == "none" and name not in recorded:  # a stale interaction is a request llmx no longer makes
            assert cassette.all_played, f"cassettes/{name}.yaml holds interactions no request played: re-record it"

    return use


def replay_extraction(replay, name: str, paths, settings) -> dict:
    """Extract `paths` concurrently through one client, replaying cassettes/<name>.yaml;
    the results by file stem."""
    import asyncio

    from llmx.model.client import ModelClient
    from llmx.pipeline.extract import extract_source
    from llmx.text.source import load_source

    async def run():
        client = ModelClient(settings)
        try:
            results = await asyncio.gather(*(extract_source(load_source(p), client) for p in paths))
        finally:
            await client.close()
        return {p.stem: r for p, r in zip(paths, results)}

    with replay(name):
        return asyncio.run(run())


@pytest.fixture(scope="session")
def seeds_jsonl(tmp_path_factory, seed_paths, model_settings, replay) -> Path:
    """The seeds extracted by replaying cassettes/seeds.yaml, written as `llmx extract` JSONL
    (for the review page and the panel)."""
    from llmx.outputs.output import dump_line

    results = replay_extraction(replay, "seeds", seed_paths, model_settings)
    out = tmp_path_factory.mktemp("seeds") / "seeds.jsonl"
    out.write_text("".join(dump_line(results[p.stem]) for p in seed_paths), encoding="utf-8")
    return out
