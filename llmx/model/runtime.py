"""Wire settings to a running client: the endpoint (local model when none is
configured), the diskcache, and an event loop for synchronous callers."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, TypeVar

from .client import ModelClient
from ..config import Settings
from ..errors import OutputError

__all__ = ["Endpoint", "open_cache", "run_with_client", "client_for"]

R = TypeVar("R")
log = logging.getLogger("llmx")


@contextmanager
def open_cache(settings: Settings):
    """The diskcache for `settings` (None when caching is off). diskcache is SQLite
    underneath, so several processes can share one directory safely.

    A cache that is not a database any more (a garbage `cache.db`) is moved aside to
    `<dir>.corrupt-<timestamp>` with a warning, and a fresh one is used: the cache only
    spares calls, so a fresh one costs time, never results. A directory that cannot
    be created or opened is an `OutputError` (use --cache-dir or --no-cache).
    """
    if settings.cache_dir is None:
        yield None
        return
    import diskcache

    folder = settings.cache_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            cache = diskcache.Cache(str(folder), size_limit=2**31)
        except sqlite3.DatabaseError as exc:
            aside = folder.with_name(f"{folder.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            folder.rename(aside)
            log.warning("the answer cache %s is corrupted (%s): moved it aside to %s and started a fresh one; "
                        "delete the old one when you no longer need it", folder, exc, aside)
            folder.mkdir(parents=True)
            cache = diskcache.Cache(str(folder), size_limit=2**31)
    except (OSError, sqlite3.Error) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        raise OutputError(f"cannot open the answer cache {folder}: {why}; choose another with --cache-dir, "
                          "or run with --no-cache") from None
    try:
        yield cache
    finally:
        cache.close()


@dataclass(frozen=True)
class Endpoint:
    """Where calls go: `settings` (no base URL while the embedded model waits to be started)
    and `start`, which starts it on the first call the cache cannot answer (None when an
    endpoint is configured)."""

    settings: Settings
    start: Callable[[], Settings] | None = None

    def client(self, cache: Any = None) -> ModelClient:
        return ModelClient(self.settings, cache, start=self.start)


@contextmanager
def client_for(settings: Settings) -> Iterator[Endpoint]:
    """The configured endpoint, or the embedded model, started on demand and stopped at the end."""
    if settings.base_url is not None:
        yield Endpoint(settings)
        return
    from .local import OnDemand

    local = OnDemand(settings)
    try:
        yield Endpoint(local.settings, local.start)
    finally:
        local.close()


def run_with_client(settings: Settings | None, factory: Callable[[ModelClient], Awaitable[R]]) -> R:
    """Run `factory(client)` to completion with a client for `settings` (from the environment if None)."""
    settings = settings or Settings.from_env()

    async def main(endpoint: Endpoint, cache) -> R:
        client = endpoint.client(cache)
        try:
            return await factory(client)
        finally:
            await client.close()

    with client_for(settings) as endpoint, open_cache(endpoint.settings) as cache:
        return asyncio.run(main(endpoint, cache))
