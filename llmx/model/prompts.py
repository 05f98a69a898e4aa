"""Prompt files: kept in `prompts/` at the project root, never inlined in code.

A checkout reads the top-level `prompts/`; an installed wheel carries the same
files as the data package `llmx._prompts` (a build mapping in pyproject.toml)
and reads them through importlib.resources. `LLMX_PROMPTS_DIR` points
elsewhere (a user's own prompts). Templates use
`$name` placeholders (`string.Template`), so JSON braces need no escaping.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template

from ..errors import ConfigError

__all__ = ["prompt_dir", "load_prompt", "render"]


def prompt_dir() -> Path:
    """The folder the prompt files are read from: LLMX_PROMPTS_DIR, a checkout's
    `prompts/`, or the copy shipped in the installed package."""
    configured = os.environ.get("LLMX_PROMPTS_DIR")
    if configured:
        return Path(configured)
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    # A wheel installs files on disk, so the Traversable is a real path.
    return Path(str(resources.files("llmx") / "_prompts"))


@lru_cache(maxsize=32)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


def load_prompt(name: str) -> str:
    """The text of `prompts/<name>.md`."""
    path = prompt_dir() / f"{name}.md"
    if not path.is_file():
        raise ConfigError(f"prompt file {path} is missing (set LLMX_PROMPTS_DIR to the prompts folder)")
    return _read(path)


def render(name: str, **values: object) -> str:
    """Fill the `$placeholders` of `prompts/<name>.md`."""
    try:
        return Template(load_prompt(name)).substitute(**{k: str(v) for k, v in values.items()})
    except KeyError as exc:
        raise ConfigError(f"prompt {name!r} needs a value for {exc.args[0]!r}") from None
