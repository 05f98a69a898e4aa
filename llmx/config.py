"""Settings: from keyword arguments, then the environment, then defaults.

Environment: `OPENAI_BASE_URL` and `OPENAI_API_KEY` as the OpenAI SDK reads them;
`LLMX_MODEL`, `LLMX_CACHE_DIR`, `LLMX_NO_CACHE`, `LLMX_CONCURRENCY`,
`LLMX_TIMEOUT`, `LLMX_MAX_RETRIES`, `LLMX_MAX_REASKS`, `LLMX_TEMPERATURE`,
`LLMX_MAX_TOKENS`, `LLMX_SECTION_CHARS`, `LLMX_TOKEN_BUDGET` for the rest.
With no base URL, llmx uses the embedded local model (see `llmx.local`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError

__all__ = ["Settings", "LOCAL_MODEL_ALIAS", "default_cache_dir"]

LOCAL_MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct-q4_k_m"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "llmx"


@dataclass(frozen=True)
class Settings:
    """How llmx talks to the model. `base_url=None` means the embedded local model."""

    base_url: str | None = None
    api_key: str = "sk-no-key"
    model: str = LOCAL_MODEL_ALIAS
    temperature: float = 0.0
    max_tokens: int = 1024
    seed: int | None = 0
    timeout: float = 180.0
    max_retries: int = 4
    max_reasks: int = 1
    concurrency: int = 4
    section_chars: int = 600
    cache_dir: Path | None = None
    token_budget: int | None = None

    _ENV = {
        "model": "LLMX_MODEL",
        "temperature": "LLMX_TEMPERATURE",
        "max_tokens": "LLMX_MAX_TOKENS",
        "timeout": "LLMX_TIMEOUT",
        "max_retries": "LLMX_MAX_RETRIES",
        "max_reasks": "LLMX_MAX_REASKS",
        "concurrency": "LLMX_CONCURRENCY",
        "section_chars": "LLMX_SECTION_CHARS",
        "token_budget": "LLMX_TOKEN_BUDGET",
    }

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Build settings; a keyword that is not None wins over the environment."""
        env = os.environ
        values: dict[str, object] = {}
        if env.get("OPENAI_BASE_URL"):
            values["base_url"] = env["OPENAI_BASE_URL"]
        if env.get("OPENAI_API_KEY"):
            values["api_key"] = env["OPENAI_API_KEY"]
        types = {f.name: f.type for f in fields(cls)}
        for name, var in cls._ENV.items():
            raw = env.get(var)
            if raw:
                values[name] = _convert(name, types[name], raw, var)
        if env.get("LLMX_NO_CACHE"):
            values["cache_dir"] = None
        else:
            values["cache_dir"] = Path(env.get("LLMX_CACHE_DIR") or default_cache_dir())
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values.get("cache_dir"), str):
            values["cache_dir"] = Path(values["cache_dir"])  # type: ignore[arg-type]
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, got {self.concurrency}")
        if self.section_chars < 80:
            raise ConfigError(f"section size must be at least 80 characters, got {self.section_chars}")
        if self.max_reasks < 0 or self.max_retries < 0:
            raise ConfigError("max_reasks and max_retries cannot be negative")

    def with_endpoint(self, base_url: str) -> "Settings":
        return replace(self, base_url=base_url)

    @property
    def uses_local_model(self) -> bool:
        return self.base_url is None


def _convert(name: str, type_name: object, raw: str, var: str) -> object:
    text = str(type_name)
    try:
        if "float" in text:
            return float(raw)
        if "int" in text:
            return int(raw)
    except ValueError:
        raise ConfigError(f"{var}={raw!r} is not a valid {name}") from None
    return raw
