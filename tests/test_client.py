"""The model client without a model: cache keys, the transient-error test, the cache itself."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import openai
import pytest

from fakeserver import FakeServer
from llmx.model.answers import ask_model
from llmx.model.client import ModelClient, is_transient, request_key
from llmx.config import Settings
from llmx.errors import BudgetExceededError
from llmx.model.schema import MetaAnswer

BASE = Settings(base_url="http://127.0.0.1:9/v1", model="m", cache_dir=None)
MESSAGES = [{"role": "system", "content": "系统提示"}, {"role": "user", "content": "一、段落 123家"}]


SCHEMA = {"type": "object", "properties": {"1": {"type": "string"}}, "required": ["1"]}


def _request(schema, messages):
    return {"mode": "complete", "response_format": {"type": "json_object", "schema": schema}, "messages": messages}


def test_the_same_call_has_the_same_key_whatever_the_endpoint():
    other = BASE.with_endpoint("http://example.org/v1")
    assert request_key(BASE, _request(SCHEMA, MESSAGES)) == request_key(other, _request(dict(SCHEMA), list(MESSAGES)))


@pytest.mark.parametrize(
    "change",
    [
        lambda s, m: (replace(s, model="other"), SCHEMA, m),
        lambda s, m: (replace(s, temperature=0.7), SCHEMA, m),
        lambda s, m: (replace(s, seed=1), SCHEMA, m),
        lambda s, m: (replace(s, max_tokens=99), SCHEMA, m),
        lambda s, m: (s, MetaAnswer.model_json_schema(), m),  # the schema
        lambda s, m: (s, SCHEMA, [{**m[0], "content": "系统提示。"}, m[1]]),  # the prompt
        lambda s, m: (s, SCHEMA, [m[0], {**m[1], "content": "一、段落 124家"}]),  # the section
    ],
)
def test_any_change_that_can_change_the_answer_changes_the_key(change):
    settings, schema, messages = change(BASE, MESSAGES)
    assert request_key(settings, _request(schema, messages)) != request_key(BASE, _request(SCHEMA, MESSAGES))


def _status(code: int) -> openai.APIStatusError:
    response = httpx.Response(code, request=httpx.Request("POST", "http://x/v1/chat/completions"))
    return openai.APIStatusError("boom", response=response, body=None)


@pytest.mark.parametrize("code, transient", [(429, True), (500, True), (503, True), (408, True),
                                             (400, False), (401, False), (404, False)])
def test_status_codes_worth_retrying(code, transient):
    assert is_transient(_status(code)) is transient


def test_a_connection_error_is_transient_even_when_wrapped():
    try:
        try:
            raise httpx.ConnectError("refused")
        except httpx.ConnectError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert is_transient(outer)
    assert not is_transient(ValueError("bad json"))


def _ask_twice(settings, cache):
    async def go():
        client = ModelClient(settings, cache)
        try:
            messages = [{"role": "system", "content": "issuer region doc_number title issued_on"},
                        {"role": "user", "content": "上海市普陀区科学技术委员会"}]
            first = await ask_model(client, messages, MetaAnswer)
            second = await ask_model(client, messages, MetaAnswer)
            return first, second, client.spent
        finally:
            await client.close()

    return asyncio.run(go())


def test_a_cached_answer_costs_no_call(tmp_path):
    import diskcache

    with FakeServer() as server, diskcache.Cache(str(tmp_path)) as cache:
        first, second, spent = _ask_twice(replace(BASE, base_url=server.base_url), cache)
        assert server.requests == 1
    assert first.usage.calls == 1 and second.usage.cache_hits == 1
    assert second.parsed.model_dump() == first.parsed.model_dump()
    assert spent.calls == 1 and spent.cache_hits == 1 and spent.prompt_tokens > 0


def test_the_token_budget_stops_before_the_call_that_would_exceed_it():
    with FakeServer() as server:
        with pytest.raises(BudgetExceededError, match="token budget 100"):
            _ask_twice(replace(BASE, base_url=server.base_url, token_budget=100), None)
        assert server.requests == 0


def test_a_re_ask_follows_its_own_call_before_another_conversation_takes_the_slot():
    """With one slot, a conversation keeps it for its re-ask: the server sees A, A's re-ask, B
    (llama.cpp then still holds A's prefix), not A, B, A's re-ask."""
    from llmx.model.answers import converse

    seen: list[tuple[str, int]] = []

    def plan(n, body):
        seen.append((body["messages"][1]["content"], len(body["messages"])))
        return "ok"

    head = {"role": "system", "content": "issuer region doc_number title issued_on"}
    asked: set[str] = set()

    def judge_for(who):
        def judge(content):
            if who == "A" and who not in asked:
                asked.add(who)
                return "再答一次"
            return ""
        return judge

    async def go(settings):
        client = ModelClient(settings)
        try:
            await asyncio.gather(*(converse(client, [head, {"role": "user", "content": who}], lambda: (None, None),
                                            judge_for(who), "answer.reask") for who in ("A", "B")))
        finally:
            await client.close()

    with FakeServer(latency=0.05, faults=plan) as server:
        asyncio.run(go(replace(BASE, base_url=server.base_url, concurrency=1, max_reasks=1)))
    assert seen == [("A", 2), ("A", 4), ("B", 2)]
