"""Wire settings to a running client: the endpoint (local model when none is
configured), the diskcache, and an event loop for synchronous callers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from typing import Iterator, TypeVar

from .client import ModelClient
from .config import Settings

__all__ = ["open_cache", "run_with_client", "client_for"]

R = TypeVar("R")


@contextmanager
def open_cache(settings: Settings):
    """The diskcache for `settings` (None when caching is off). diskcache is SQLite
    underneath, so several processes can share one directory safely."""
    if settings.cache_dir is None:
        yield None
        return
    import diskcache

    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    cache = diskcache.Cache(str(settings.cache_dir), size_limit=2**31)
    try:
        yield cache
    finally:
        cache.close()


@contextmanager
def client_for(settings: Settings) -> Iterator[Settings]:
    """Resolve the endpoint: the configured one, or the embedded model started for the duration."""
    if settings.base_url is not None:
        yield settings
        return
    from .local import endpoint

    with endpoint(settings) as resolved:
        yield resolved


def run_with_client(settings: Settings | None, factory: Callable[[ModelClient], Awaitable[R]]) -> R:
    """Run `factory(client)` to completion with a client for `settings` (from the environment if None)."""
    settings = settings or Settings.from_env()

    async def main(resolved: Settings, cache) -> R:
        client = ModelClient(resolved, cache)
        try:
            return await factory(client)
        finally:
            await client.close()

    with client_for(settings) as resolved, open_cache(resolved) as cache:
        return asyncio.run(main(resolved, cache))
