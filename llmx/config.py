"""Settings: from keyword arguments, then the environment, then defaults.

Every setting has one default (the field's), one environment variable (or none),
and one check, run when a `Settings` is constructed (`__post_init__`): a bad value
raises `ConfigError` naming the setting and the value, whether it came from Python,
the command line or the environment. `Settings(concurrency=0)` fails at once rather
than making an extraction wait forever.

Environment: `OPENAI_BASE_URL` and `OPENAI_API_KEY` as the OpenAI SDK reads them;
`LLMX_MODEL`, `LLMX_CACHE_DIR`, `LLMX_NO_CACHE`, `LLMX_CONCURRENCY`,
`LLMX_TIMEOUT`, `LLMX_MAX_RETRIES`, `LLMX_MAX_REASKS`, `LLMX_TEMPERATURE`,
`LLMX_MAX_TOKENS`, `LLMX_SECTION_CHARS`, `LLMX_TOKEN_BUDGET`, and for `llmx panel`
`LLMX_GROWTH_TOLERANCE`, `LLMX_LINK_SCORE` for the rest.
With no base URL, llmx uses the embedded local model (see `llmx.model.local`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError

__all__ = ["Settings", "LOCAL_MODEL_ALIAS", "ENV_VARS", "default_cache_dir"]

LOCAL_MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct-q4_k_m"

# The environment variable of each setting that has one (`cache_dir` also has LLMX_NO_CACHE).
ENV_VARS = {
    "base_url": "OPENAI_BASE_URL",
    "api_key": "OPENAI_API_KEY",
    "model": "LLMX_MODEL",
    "temperature": "LLMX_TEMPERATURE",
    "max_tokens": "LLMX_MAX_TOKENS",
    "timeout": "LLMX_TIMEOUT",
    "max_retries": "LLMX_MAX_RETRIES",
    "max_reasks": "LLMX_MAX_REASKS",
    "concurrency": "LLMX_CONCURRENCY",
    "section_chars": "LLMX_SECTION_CHARS",
    "cache_dir": "LLMX_CACHE_DIR",
    "token_budget": "LLMX_TOKEN_BUDGET",
    "json_schema": "LLMX_JSON_SCHEMA",
    "examples": "LLMX_EXAMPLES",
    "rule_confidence": "LLMX_RULE_CONFIDENCE",
    "confidence_weights": "LLMX_CONFIDENCE_WEIGHTS",
    "growth_tolerance": "LLMX_GROWTH_TOLERANCE",
    "link_score": "LLMX_LINK_SCORE",
    "file_timeout": "LLMX_FILE_TIMEOUT",
}


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/llmx`, else `~/.cache/llmx`: the cache `Settings.from_env` uses."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "llmx"


@dataclass(frozen=True)
class Settings:
    """How llmx talks to the model; checked when constructed (bad values raise `ConfigError`).

    `base_url=None` means the embedded local model. `cache_dir=None` means no answer
    cache; `Settings.from_env()` (what llmx uses when given no settings) caches in
    `LLMX_CACHE_DIR` or `default_cache_dir()` unless `LLMX_NO_CACHE` is set.
    """

    base_url: str | None = None        # None, or an http(s) URL, e.g. http://localhost:8000/v1
    api_key: str = "sk-no-key"
    model: str = LOCAL_MODEL_ALIAS     # a non-empty name
    temperature: float = 0.0           # 0 to 2
    max_tokens: int = 1024             # at least 1
    seed: int | None = 0
    timeout: float = 180.0             # seconds per call, more than 0
    file_timeout: float = 1800.0       # seconds per report of a batch, more than 0
    max_retries: int = 4               # at least 0
    max_reasks: int = 1                # at least 0
    concurrency: int = 4               # calls in flight, at least 1
    section_chars: int = 600           # at least 80
    cache_dir: Path | None = None      # a str is taken as a path
    token_budget: int | None = None    # None (no limit) or at least 1
    json_schema: bool = True           # send the answer's JSON schema in response_format (a grammar on llama.cpp)
    growth_tolerance: float = 0.5      # panel: percentage points a stated growth rate may differ from the values' (0 to 100)
    link_score: float = 85.0           # panel: least rapidfuzz ratio (0 to 100) that links two names across reports
    examples: tuple[Path, ...] = ()    # folders of gold-format files: worked examples for the model (a str: paths apart by os.pathsep)
    rule_confidence: float = 0.85      # 0 to 1: a figure whose rule name scores more is not asked (1: every figure is asked)
    confidence_weights: Path | None = None  # weights scripts/train_confidence.py wrote (None: those that ship with llmx)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            checked = _CHECKS[f.name](f.name, value)
            if checked is not value:
                object.__setattr__(self, f.name, checked)  # normalised (str -> Path, int -> float)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Build settings; a keyword that is not None wins over the environment.

        A bad environment value raises `ConfigError` naming the variable."""
        unknown = set(overrides) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        env = os.environ
        values: dict[str, object] = {}
        for name, var in ENV_VARS.items():
            raw = env.get(var)
            if not raw:
                continue
            try:
                values[name] = _CHECKS[name](name, _PARSERS.get(name, str)(raw))
            except (ConfigError, ValueError):
                raise ConfigError(f"{var}={raw!r} is not a valid {name}: it must be {_RULES[name]}") from None
        if env.get("LLMX_NO_CACHE"):
            values["cache_dir"] = None
        elif "cache_dir" not in values:
            values["cache_dir"] = default_cache_dir()
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def validate(self) -> None:
        """Check every setting again (construction already did); kept for callers of old."""
        self.__post_init__()

    def with_endpoint(self, base_url: str) -> "Settings":
        """The same settings pointed at `base_url`."""
        return replace(self, base_url=base_url)

    @property
    def uses_local_model(self) -> bool:
        return self.base_url is None


# -- the checks: each takes (name, value) and returns the value (normalised) or raises ----


def _bad(name: str, value: object) -> ConfigError:
    shown = (f"<a {type(value).__name__}>" if name == "api_key"  # never echo a secret
             else repr(os.fspath(value)) if isinstance(value, os.PathLike) else repr(value))
    return ConfigError(f"invalid setting {name}={shown}: it must be {_RULES[name]}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(low: int, optional: bool = False) -> Callable[[str, object], object]:
    def check(name: str, value: object) -> object:
        if value is None and optional:
            return None
        if not _is_int(value) or value < low:  # type: ignore[operator]
            raise _bad(name, value)
        return value

    return check


def _real(low: float, high: float = math.inf, low_open: bool = False) -> Callable[[str, object], object]:
    def check(name: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _bad(name, value)
        try:
            number = float(value)
        except OverflowError:
            raise _bad(name, value) from None
        if not math.isfinite(number) or number < low or number > high or (low_open and number == low):
            raise _bad(name, value)
        return value if isinstance(value, float) else number

    return check


def _base_url(name: str, value: object) -> object:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(name, value)
    try:
        parts = urlsplit(value)
    except ValueError:
        raise _bad(name, value) from None
    if parts.scheme not in ("http", "https") or not parts.netloc or value != value.strip():
        raise _bad(name, value)
    return value


def _string(non_empty: bool) -> Callable[[str, object], object]:
    def check(name: str, value: object) -> object:
        if not isinstance(value, str) or (non_empty and not value.strip()):
            raise _bad(name, value)
        return value

    return check


def _seed(name: str, value: object) -> object:
    if value is None or _is_int(value):
        return value
    raise _bad(name, value)


def _path(name: str, value: object) -> object:
    if value is None or isinstance(value, Path):
        return value
    if isinstance(value, str) and value.strip():
        return Path(value)
    if isinstance(value, os.PathLike) and isinstance(os.fspath(value), str):
        return Path(value)
    raise _bad(name, value)


def _weights_file(name: str, value: object) -> object:
    """None, or the path of a readable JSON file of learned weights (`weights`, `features_version`)."""
    path = _path(name, value)
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))  # type: ignore[arg-type]
    except (OSError, ValueError):
        raise _bad(name, value) from None
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict) or "features_version" not in data:
        raise _bad(name, value)
    return path


def _paths(name: str, value: object) -> object:
    if isinstance(value, (str, os.PathLike)):
        value = [p for p in os.fspath(value).split(os.pathsep) if p.strip()] if isinstance(value, str) else [value]
    if isinstance(value, (list, tuple)) and all(isinstance(p, (str, os.PathLike)) and os.fspath(p).strip() for p in value):
        return tuple(Path(p) for p in value)
    raise _bad(name, value)


def _parse_flag(raw: str) -> bool:
    flags = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
    if raw.strip().lower() not in flags:
        raise ValueError(raw)
    return flags[raw.strip().lower()]


def _flag(name: str, value: object) -> object:
    if isinstance(value, bool):
        return value
    raise _bad(name, value)


_CHECKS: dict[str, Callable[[str, object], object]] = {
    "base_url": _base_url,
    "api_key": _string(non_empty=False),
    "model": _string(non_empty=True),
    "temperature": _real(0.0, 2.0),
    "max_tokens": _integer(1),
    "seed": _seed,
    "timeout": _real(0.0, low_open=True),
    "file_timeout": _real(0.0, low_open=True),
    "max_retries": _integer(0),
    "max_reasks": _integer(0),
    "concurrency": _integer(1),
    "section_chars": _integer(80),
    "cache_dir": _path,
    "token_budget": _integer(1, optional=True),
    "json_schema": _flag,
    "growth_tolerance": _real(0.0, 100.0),
    "link_score": _real(0.0, 100.0),
    "examples": _paths,
    "rule_confidence": _real(0.0, 1.0),
    "confidence_weights": _weights_file,
}

_RULES = {
    "base_url": "None or an http:// or https:// URL with a host",
    "api_key": "a string",
    "model": "a non-empty string",
    "temperature": "a number from 0 to 2",
    "max_tokens": "a whole number, at least 1",
    "seed": "None or a whole number",
    "timeout": "a number of seconds, more than 0",
    "file_timeout": "a number of seconds, more than 0",
    "max_retries": "a whole number, at least 0",
    "max_reasks": "a whole number, at least 0",
    "concurrency": "a whole number, at least 1",
    "section_chars": "a whole number, at least 80",
    "cache_dir": "None or a directory path",
    "token_budget": "None or a whole number, at least 1",
    "json_schema": "True or False (environment: 1/0, true/false, yes/no)",
    "growth_tolerance": "a number of percentage points from 0 to 100",
    "link_score": "a number from 0 to 100",
    "examples": "folder paths (in the environment: apart by the path separator)",
    "rule_confidence": "a number from 0 to 1",
    "confidence_weights": "None or the path of a weights file scripts/train_confidence.py wrote",
}

_PARSERS: dict[str, Callable[[str], object]] = {
    "temperature": float,
    "timeout": float,
    "file_timeout": float,
    "max_tokens": int,
    "max_retries": int,
    "max_reasks": int,
    "concurrency": int,
    "section_chars": int,
    "token_budget": int,
    "json_schema": lambda raw: _parse_flag(raw),
    "growth_tolerance": float,
    "link_score": float,
    "examples": str,
    "rule_confidence": float,
    "confidence_weights": str,
}
