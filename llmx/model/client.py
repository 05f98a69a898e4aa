"""Structured calls to an OpenAI-compatible chat endpoint.

One `ModelClient` serves a whole batch: an `AsyncOpenAI` client wrapped by
instructor, a diskcache `Cache`, and the token accounting. It makes two kinds of call:

- `complete(messages, schema)`: one chat completion in JSON mode, its text returned
  unparsed. `response_format` is `{"type": "json_object"}`, with the answer's JSON schema
  under `schema` when `Settings.json_schema` is on (llama.cpp enforces it as a grammar;
  other servers take `json_object` alone, so any endpoint works by configuration). The
  sections' names use it: the check and the re-ask are llmx's own loop
  (`llmx.model.answers`), one per section, with the reasons of every failed name.
- `ask(response_model, messages)`: a pydantic model through instructor's `Mode.JSON`
  (the schema in the system message), re-asked by instructor at most `max_reasks` times.
  Only the report's head uses it, when the rules leave its title, issuer or region empty.

Failures, for both: transient errors (connection, timeout, 408/409/429/5xx) are retried
by tenacity with exponential backoff, honouring `Retry-After`; the SDK's own
retries are off so that there is one bounded policy. An HTTP 200 whose body is
not a chat completion (truncated JSON, an HTML page, prose, some other JSON: a
wrong base URL or a proxy) is a transport fault too (`NotACompletionError`):
the body is checked before it is parsed, so it is retried, never re-asked
and never salvaged. Every call is cached by its request and budgeted.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass, field, replace
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from ..config import Settings
from ..errors import BudgetExceededError, EndpointError, InvalidAnswerError, NotACompletionError
from ..models import Usage
from .transport import Wait, completion_problem, is_transient

__all__ = ["ModelClient", "Answer", "Reply", "SharedBudget", "cache_key", "completion_problem",
           "is_transient"]  # the last two from llmx.model.transport

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
log = logging.getLogger("llmx")
CACHE_VERSION = 1

# The usage of the call in progress in this task. Instructor's hooks are per client,
# not per call; a context variable lets concurrent calls count their own attempts.
_CALL_USAGE: contextvars.ContextVar[Usage | None] = contextvars.ContextVar("llmx_call_usage", default=None)


def _on_request(*args: Any, **kwargs: Any) -> None:
    usage = _CALL_USAGE.get()
    if usage is not None:
        usage.calls += 1


def _on_response(response: Any, *args: Any, **kwargs: Any) -> None:
    usage = _CALL_USAGE.get()
    if usage is not None:
        _count(usage, getattr(response, "usage", None))


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


@dataclass
class Answer:
    """A parsed answer, the usage it cost, and the cross-check problems left in it."""

    parsed: BaseModel
    usage: Usage
    problems: list[str] = field(default_factory=list)
    cached: bool = False


def cache_key(settings: Settings, response_model: type[BaseModel], messages: list[dict[str, str]]) -> str:
    """A key covering model, prompt text, schema, section text and sampling parameters."""
    return _key(settings, {"mode": "json", "schema": _schema_of(response_model), "messages": messages,
                           "max_reasks": settings.max_reasks})


def _key(settings: Settings, request: dict[str, Any]) -> str:
    payload = {"v": CACHE_VERSION, "model": settings.model, "temperature": settings.temperature,
               "max_tokens": settings.max_tokens, "seed": settings.seed, **request}
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


@functools.lru_cache(maxsize=None)
def _schema_of(response_model: type[BaseModel]) -> dict[str, Any]:
    # Building a JSON schema costs milliseconds; the key needs it on every call.
    return response_model.model_json_schema()


@functools.lru_cache(maxsize=None)
def _instructor_model(response_model: type[T]) -> type[T]:
    # Instructor wraps a plain model in a new pydantic class (`create_model`) on every
    # call, which costs milliseconds; a model wrapped once here is passed through as is.
    import instructor

    return instructor.response_schema(response_model)


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
            # Every request instructor makes (re-asks included) is counted, with its tokens.
            inst.on("completion:kwargs", _on_request)
            inst.on("completion:response", _on_response)
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

    async def ask(self, response_model: type[T], messages: list[dict[str, str]]) -> Answer:
        """Ask for `response_model`; cached, retried on transient errors, re-asked on invalid answers."""
        key = cache_key(self.settings, response_model, messages)
        if self.cache is not None:
            hit = self._cached(key)
            if hit is not None:
                usage = Usage(cache_hits=1)
                self.spent.add(usage)
                return Answer(response_model.model_validate(hit["answer"]), usage, hit["problems"], cached=True)
        usage = Usage()
        answer = await self._guarded(
            messages, usage, lambda: self._ask_once(response_model, messages, usage))
        if self.cache is not None:
            self._remember(key, {"answer": answer.parsed.model_dump(), "problems": answer.problems})
        return answer

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
        key = _key(self.settings, {"mode": "complete", "response_format": response_format, "messages": messages,
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
            async with self._slots:
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
            if isinstance(exc, InvalidAnswerError) or not is_transient(exc):
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

    async def _ask_once(self, response_model: type[T], messages: list[dict[str, str]], usage: Usage) -> Answer:
        from instructor.core.exceptions import InstructorRetryException

        attempts = Usage()
        token = _CALL_USAGE.set(attempts)
        try:
            parsed = await self._instructor.chat.completions.create(
                model=self.settings.model,
                response_model=_instructor_model(response_model),
                messages=messages,
                max_retries=self.settings.max_reasks,  # instructor makes max_retries + 1 attempts
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
                seed=self.settings.seed,
            )
        except InstructorRetryException as exc:
            if is_transient(exc):
                raise
            return self._salvage(response_model, exc, usage)
        finally:
            _CALL_USAGE.reset(token)
            attempts.reasks = max(0, attempts.calls - 1)
            usage.add(attempts)
        return Answer(parsed, usage)

    def _salvage(self, response_model: type[T], exc: Exception, usage: Usage) -> Answer:
        """Re-asks are spent: keep the last answer if its JSON is sound, with its problems."""
        completion = getattr(exc, "last_completion", None)
        content = None
        if completion is not None and getattr(completion, "choices", None):
            content = completion.choices[0].message.content
        if content:
            try:
                parsed = response_model.model_validate_json(content)
            except ValidationError:
                parsed = None
            if parsed is not None:
                return Answer(parsed, usage, [str(exc).splitlines()[0][:500]])
        raise InvalidAnswerError(f"the model gave no valid answer after {self.settings.max_reasks} re-asks: {exc}")


def _is_loopback(url: str) -> bool:
    import httpx

    host = httpx.URL(url).host
    return host in ("localhost", "::1") or host.startswith("127.")


def _count(usage: Usage, raw: Any) -> None:
    if raw is None:
        return
    usage.prompt_tokens += int(getattr(raw, "prompt_tokens", 0) or 0)
    usage.completion_tokens += int(getattr(raw, "completion_tokens", 0) or 0)
