"""Settings (llmx.config): a bad setting fails at construction with a ConfigError naming
it and its value; the environment and keyword overrides keep working.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import llmx
from llmx import ConfigError, Settings

NOWHERE = Settings(base_url="http://127.0.0.1:9/v1", model="m", cache_dir=None)  # never contacted


# -- Settings: checked when constructed --------------------------------------------------

BAD = [
    ("base_url", "localhost:8000/v1"), ("base_url", "ftp://example.org/v1"), ("base_url", "http://"),
    ("base_url", 8000), ("base_url", " http://x/v1"),
    ("api_key", None), ("api_key", 123),
    ("model", ""), ("model", "   "), ("model", None), ("model", 7),
    ("temperature", -0.1), ("temperature", 2.5), ("temperature", float("nan")), ("temperature", "0"),
    ("temperature", True),
    ("max_tokens", 0), ("max_tokens", 1.5), ("max_tokens", "1024"), ("max_tokens", True),
    ("seed", 1.0), ("seed", "0"), ("seed", False),
    ("timeout", 0), ("timeout", -1.0), ("timeout", float("inf")), ("timeout", None), ("timeout", True),
    ("max_retries", -1), ("max_retries", 2.0), ("max_retries", None),
    ("max_reasks", -1), ("max_reasks", "1"),
    ("concurrency", 0), ("concurrency", -4), ("concurrency", 2.0), ("concurrency", True), ("concurrency", None),
    ("section_chars", 79), ("section_chars", 600.0),
    ("cache_dir", ""), ("cache_dir", 5), ("cache_dir", b"/tmp/x"),
    ("token_budget", 0), ("token_budget", -1), ("token_budget", 1e6), ("token_budget", True),
]


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v!r}" for n, v in BAD])
def test_a_bad_setting_fails_at_construction_naming_the_setting_and_the_value(name, value):
    with pytest.raises(ConfigError) as caught:
        Settings(**{name: value})
    message = str(caught.value)
    assert name in message
    if name != "api_key":  # a key is never echoed
        assert repr(value) in message


def test_a_bad_setting_also_fails_through_replace_and_validate_stays_an_alias():
    with pytest.raises(ConfigError, match="concurrency"):
        replace(NOWHERE, concurrency=0)
    assert NOWHERE.validate() is None


def test_a_key_of_the_wrong_type_is_not_echoed():
    with pytest.raises(ConfigError) as caught:
        Settings(api_key=b"sk-secret")
    assert "secret" not in str(caught.value)


GOOD = [
    ("base_url", None), ("base_url", "http://localhost:8000/v1"), ("base_url", "https://api.example.com/v1"),
    ("api_key", ""), ("api_key", "sk-x"), ("model", "qwen2.5:7b"),
    ("temperature", 0), ("temperature", 2), ("temperature", 0.7), ("max_tokens", 1), ("seed", None), ("seed", -3),
    ("timeout", 0.5), ("timeout", 600), ("max_retries", 0), ("max_reasks", 0), ("concurrency", 1),
    ("concurrency", 64), ("section_chars", 80), ("cache_dir", None), ("cache_dir", "/tmp/llmx-cache"),
    ("cache_dir", Path("/tmp/llmx-cache")), ("token_budget", None), ("token_budget", 1),
]


@pytest.mark.parametrize(("name", "value"), GOOD, ids=[f"{n}={v!r}" for n, v in GOOD])
def test_good_settings_pass(name, value):
    settings = Settings(**{name: value})
    assert getattr(settings, name) == (Path(value) if name == "cache_dir" and value else value)


def test_settings_are_normalised_once():
    s = Settings(cache_dir="/tmp/llmx-cache", temperature=1, timeout=30)
    assert s.cache_dir == Path("/tmp/llmx-cache") and isinstance(s.cache_dir, Path)
    assert isinstance(s.temperature, float) and isinstance(s.timeout, float)
    assert s == Settings(cache_dir=Path("/tmp/llmx-cache"), temperature=1.0, timeout=30.0)


@pytest.fixture
def clean_env(monkeypatch):
    for var in [*llmx.config.ENV_VARS.values(), "LLMX_NO_CACHE", "XDG_CACHE_HOME"]:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_the_environment_fills_settings_and_keywords_win(clean_env, tmp_path):
    env = clean_env
    env.setenv("OPENAI_BASE_URL", "http://localhost:8000/v1")
    env.setenv("OPENAI_API_KEY", "sk-env")
    env.setenv("LLMX_MODEL", "env-model")
    env.setenv("LLMX_CONCURRENCY", "7")
    env.setenv("LLMX_TEMPERATURE", "0.5")
    env.setenv("LLMX_TIMEOUT", "30")
    env.setenv("LLMX_TOKEN_BUDGET", "5000")
    env.setenv("LLMX_CACHE_DIR", str(tmp_path / "c"))
    s = Settings.from_env()
    assert (s.base_url, s.api_key, s.model, s.concurrency, s.temperature, s.timeout, s.token_budget) == (
        "http://localhost:8000/v1", "sk-env", "env-model", 7, 0.5, 30.0, 5000)
    assert s.cache_dir == tmp_path / "c"
    t = Settings.from_env(concurrency=2, model="kw-model", cache_dir=str(tmp_path / "d"), seed=None)
    assert (t.concurrency, t.model, t.cache_dir, t.seed) == (2, "kw-model", tmp_path / "d", 0)
    env.setenv("LLMX_NO_CACHE", "1")
    assert Settings.from_env().cache_dir is None


def test_defaults_come_from_the_fields_and_the_cache_from_the_environment(clean_env, tmp_path):
    clean_env.setenv("XDG_CACHE_HOME", str(tmp_path))
    s = Settings.from_env()
    assert replace(s, cache_dir=None) == Settings()
    assert s.cache_dir == tmp_path / "llmx"


@pytest.mark.parametrize(("var", "raw"), [
    ("LLMX_CONCURRENCY", "0"), ("LLMX_CONCURRENCY", "four"), ("LLMX_TIMEOUT", "-1"), ("LLMX_TEMPERATURE", "9"),
    ("LLMX_SECTION_CHARS", "10"), ("LLMX_TOKEN_BUDGET", "1.5"), ("OPENAI_BASE_URL", "localhost:8000"),
    ("LLMX_MAX_RETRIES", "-2"),
])
def test_a_bad_environment_value_fails_naming_the_variable(clean_env, var, raw):
    clean_env.setenv(var, raw)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env()
    assert var in str(caught.value) and repr(raw) in str(caught.value)


def test_a_bad_keyword_to_from_env_fails_too(clean_env):
    with pytest.raises(ConfigError, match="concurrency=0"):
        Settings.from_env(concurrency=0)
    with pytest.raises(ConfigError, match="concurrenc"):
        Settings.from_env(concurrenc=2)
