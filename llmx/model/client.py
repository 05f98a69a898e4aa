"""Structured calls to an OpenAI-compatible chat endpoint.

One `ModelClient` serves a whole batch: an `AsyncOpenAI` client wrapped by
instructor, a diskcache `Cache`, and the token accounting. It makes one kind of call,
`complete(messages, schema)`: one chat completion in JSON mode, its text returned
unparsed. `response_format` is `{"type": "json_object"}`, with the answer's JSON schema
under `schema` when `Settings.json_schema` is on (llama.cpp enforces it as a grammar;
other servers take `json_object` alone, so any endpoint works by configuration). Parsing,
the check and the re-ask are llmx's own loop (`llmx.model.answers.converse`), for a
section's names and the report's head alike.

Failures: transient errors (connection, timeout, 408/409/429/5xx) are retried
by tenacity with exponential backoff, honouring `Retry-After`; the SDK's own
retries are off so that there is one bounded policy. An HTTP 200 whose body is
not a chat completion (truncated JSON, an HTML page, prose, some other JSON: a
wrong base URL or a proxy) is a transport fault too (`NotACompletionError`):
the body is checked before it is parsed, so it is retried, never re-asked
and never salvaged. Every call is cached by its request and budgeted.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass, replace
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from ..config import Settings
from ..errors import BudgetExceededError, EndpointError, NotACompletionError
from ..models import Usage
from .examples import ExampleStore
from .transport import Wait, completion_problem, is_transient

__all__ = ["ModelClient", "Reply", "SharedBudget", "request_key", "completion_problem",
           "is_transient"]  # the last two from llmx.model.transport

R = TypeVar("R")
# The client whose slot the running task holds for a conversation (`ModelClient.conversation`).
_HOLDING: contextvars.ContextVar[Any] = contextvars.ContextVar("llmx_holding", default=None)
log = logging.getLogger("llmx")
CACHE_VERSION = 1

class SharedBudget(Protocol):
    """A token budget that several clients (in other processes: `llmx.pipeline.ray_batch`) draw on.

    Before each call a client reserves its estimate (`reserve` raises
    `BudgetExceededError` when the budget cannot hold it); after the call, whatever its
    outcome, it settles: the reservation is given back and what the call spent is charged."""

    async def reserve(self, tokens: int) -> None: ...

    async def settle(self, reserved: int, spent: int) -> None: ...


@dataclass
class Reply:
    """The text of one completion (or a cached one) and the usage it cost."""

    content: str
    usage: Usage
    cached: bool = False


def request_key(settings: Settings, request: dict[str, Any]) -> str:
    """The cache key of a request: the model, sampling parameters and the request itself."""
    payload = {"v": CACHE_VERSION, "model": settings.model, "temperature": settings.temperature,
               "max_tokens": settings.max_tokens, "seed": settings.seed, **request}
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class ModelClient:
    """Cached, retried, budgeted structured calls. Safe to share across tasks.

    `start` starts the endpoint on the first call the cache cannot answer (the embedded
    model); `budget`, a `SharedBudget`, is a token budget shared with other clients,
    which every call reserves from besides `settings.token_budget`.
    """

    def __init__(
        self,
        settings: Settings,
        cache: Any | None = None,
        *,
        backoff: tuple[float, float] = (1.0, 30.0),
        http_client: Any | None = None,
        start: Callable[[], Settings] | None = None,
        budget: SharedBudget | None = None,
    ) -> None:
        if settings.base_url is None and start is None:
            raise EndpointError("no endpoint: pass base_url, set OPENAI_BASE_URL, or start the local model")
        self.settings = settings
        self.cache = cache
        self.spent = Usage()
        self._backoff = backoff
        self._http_client = http_client
        self._start = start  # starts the endpoint on the first call the cache cannot answer
        self._budget = budget  # shared with other clients, besides settings.token_budget
        self._connecting = asyncio.Lock()
        self._openai: Any = None
        self._instructor: Any = None
        self._slots = asyncio.Semaphore(settings.concurrency)
        # worked examples for the prompts (`llmx.model.examples`), read once for the whole batch
        self.examples = ExampleStore.from_dirs(settings.examples) if settings.examples else None

    @contextlib.asynccontextmanager
    async def conversation(self) -> AsyncIterator[None]:
        """Hold one of the `concurrency` slots for a whole conversation (a call and its re-asks),
        so that a re-ask follows its own call to the server before another section's call takes
        the slot: llama.cpp then finds the conversation's prefix still in the slot's cache."""
        if _HOLDING.get() is self:
            yield
            return
        async with self._slots:
            token = _HOLDING.set(self)
            try:
                yield
            finally:
                _HOLDING.reset(token)

    def _slot(self) -> Any:
        """The slot a call runs in: the conversation's when one holds it, else one of its own."""
        return contextlib.nullcontext() if _HOLDING.get() is self else self._slots

    async def _connect(self) -> None:
        """Build the OpenAI and instructor clients (importing them only now), after starting
        the endpoint when it is started on demand: a run the cache answers starts nothing."""
        async with self._connecting:
            if self._instructor is not None:
                return
            if self.settings.base_url is None:
                resolved = await asyncio.to_thread(self._start)  # type: ignore[arg-type]
                self.settings = replace(self.settings, base_url=resolved.base_url, timeout=resolved.timeout)
            import httpx
            import instructor
            import openai

            http_client = self._http_client
            if http_client is None and _is_loopback(self.settings.base_url):
                # A proxy from the environment must not intercept the local model server.
                http_client = httpx.AsyncClient(trust_env=False, timeout=self.settings.timeout)
            self._openai = openai.AsyncOpenAI(
                base_url=self.settings.base_url,
                api_key=self.settings.api_key,
                timeout=self.settings.timeout,
                max_retries=0,
                http_client=http_client,
            )
            # Instructor calls `_create`, which hands it only bodies that are chat completions.
            inst = instructor.AsyncInstructor(
                client=self._openai,
                create=instructor.patch(create=self._create, mode=instructor.Mode.JSON),
                mode=instructor.Mode.JSON,
            )
            self._instructor = inst

    async def close(self) -> None:
        if self._openai is not None:
            await self._openai.close()

    async def _create(self, **kwargs: Any) -> Any:
        """`chat.completions.create`, raising `NotACompletionError` for an HTTP 200 whose
        body is not a chat completion (the SDK would hand instructor a string, or a
        half-built object, and instructor would re-ask the model about it)."""
        raw = await self._openai.chat.completions.with_raw_response.create(**kwargs)
        problem = completion_problem(raw.text)
        if problem:
            raise NotACompletionError(f"HTTP {raw.status_code}, but the {problem}")
        return raw.parse()

    def _check_budget(self, messages: list[dict[str, str]]) -> int:
        """The call's token estimate, checked against `settings.token_budget`."""
        budget = self.settings.token_budget
        estimate = sum(len(m["content"]) for m in messages) + self.settings.max_tokens
        if budget is not None and self.spent.total_tokens + estimate > budget:
            raise BudgetExceededError(
                f"token budget {budget} reached: {self.spent.total_tokens} spent, the next call may need {estimate}"
            )
        return estimate

    async def complete(
        self, messages: list[dict[str, str]], schema: dict[str, Any] | None = None, *, reask: bool = False,
        max_tokens: int | None = None,
    ) -> "Reply":
        """One chat completion in JSON mode, its text unparsed (the caller owns the check
        and the re-ask: see `llmx.model.answers`); cached, retried on transient errors, budgeted.
        With `Settings.json_schema`, `schema` goes in `response_format` (llama.cpp enforces
        it as a grammar). `reask` marks a call that re-asks (counted in `Usage.reasks`);
        `max_tokens` lowers `Settings.max_tokens` for this call."""
        response_format: dict[str, Any] = {"type": "json_object"}
        if schema is not None and self.settings.json_schema:
            response_format["schema"] = schema
        limit = min(self.settings.max_tokens, max_tokens or self.settings.max_tokens)
        key = request_key(self.settings, {"mode": "complete", "response_format": response_format, "messages": messages,
                                   "max_tokens": limit})
        if self.cache is not None:
            hit = self._cached(key)
            if hit is not None:
                usage = Usage(cache_hits=1)
                self.spent.add(usage)
                return Reply(hit["content"], usage, cached=True)
        usage = Usage(reasks=int(reask))

        async def once() -> Reply:
            usage.calls += 1
            completion = await self._instructor.chat.completions.create(
                model=self.settings.model, response_model=None, messages=messages, response_format=response_format,
                temperature=self.settings.temperature, max_tokens=limit, seed=self.settings.seed,
                max_retries=1,
            )
            _count(usage, getattr(completion, "usage", None))
            return Reply(completion.choices[0].message.content or "", usage)

        reply = await self._guarded(messages, usage, once)
        if self.cache is not None:
            self._remember(key, {"content": reply.content})
        return reply

    async def _guarded(self, messages: list[dict[str, str]], usage: Usage, once: Callable[[], Awaitable[R]]) -> R:
        """`once()` within a concurrency slot and the token budget, retried with backoff on
        transient errors; whatever it spent is added to `spent`, whatever the outcome."""

        def count_retry(state: RetryCallState) -> None:
            usage.retries += 1

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.max_retries + 1),
            wait=Wait(*self._backoff),
            retry=retry_if_exception(is_transient),
            before_sleep=count_retry,
            reraise=True,
        )
        try:
            async with self._slot():
                estimate = self._check_budget(messages)
                if self._budget is not None:
                    await self._budget.reserve(estimate)
                try:
                    await self._connect()
                    async for attempt in retrying:
                        with attempt:
                            result = await once()
                finally:
                    if self._budget is not None:
                        await self._budget.settle(estimate, usage.total_tokens)
        except BudgetExceededError:
            raise
        except asyncio.CancelledError:  # another call of the report failed: count what this one spent
            self.spent.add(usage)
            raise
        except Exception as exc:
            self.spent.add(usage)
            if not is_transient(exc):
                raise
            raise EndpointError(f"{self.settings.base_url}: failed after {usage.retries} retries: {exc}") from exc
        self.spent.add(usage)
        return result

    def _cached(self, key: str) -> Any:
        try:
            return self.cache.get(key)
        except (sqlite3.Error, OSError) as exc:
            self._drop_cache(exc)
            return None

    def _remember(self, key: str, value: Any) -> None:
        try:
            self.cache.set(key, value)
        except (sqlite3.Error, OSError) as exc:
            self._drop_cache(exc)

    def _drop_cache(self, exc: BaseException) -> None:
        """A cache that breaks mid-run only spares calls: go on without it, and say so once."""
        if self.cache is not None:
            directory = getattr(self.cache, "directory", "the answer cache")
            log.warning("the answer cache %s failed (%s: %s); going on without it. If it is corrupted, move it "
                        "aside (a fresh one is built) or run with --no-cache", directory, type(exc).__name__, exc)
            self.cache = None

def _is_loopback(url: str) -> bool:
    import httpx

    host = httpx.URL(url).host
    return host in ("localhost", "::1") or host.startswith("127.")


def _count(usage: Usage, raw: Any) -> None:
    if raw is None:
        return
    usage.prompt_tokens += int(getattr(raw, "prompt_tokens", 0) or 0)
    usage.completion_tokens += int(getattr(raw, "completion_tokens", 0) or 0)
