"""llmx's check-and-re-ask loop (`converse`), small and tested: every call to the model goes
through it. `ask_names` names a section's figures; `ask_model` reads one pydantic model
(the report's head, `MetaAnswer`).

For a section, the model sees it once, its figures marked `【编号:数字】`, and answers
the shortest thing that carries the cross-check: an object from id to name
(`{"1": "技术合同成交额", "2": ""}`), its keys fixed by a JSON schema that
llama.cpp enforces as a grammar. The loop:

1. asks (`ModelClient.complete`: cached, retried on transport faults, budgeted);
2. parses the answer with pydantic (an object of strings, nothing else);
3. runs the cross-check once per id (`check(id, name)` -> problems);
4. keeps every name that passes, and re-asks only for the failing ids, with the
   reasons, at most `Settings.max_reasks` times.

An empty name is the model declining: that figure stays uncovered. A key that is
no id of the list is kept as a stray claim. Ids whose last answer still fails are
returned with why, and become rejected figures.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..models import Usage
from .prompts import render

__all__ = ["NAME_MAX", "TOKENS_PER_ID", "Named", "Parsed", "id_schema", "parse_names", "converse", "ask_names",
           "ask_model"]

M = TypeVar("M", bound=BaseModel)

_NAMES = TypeAdapter(dict[str, str])
_ID = re.compile(r"\s*(\d+)\s*")


@dataclass(frozen=True)
class Named:
    """What the loop got: passing names by id ("" = declined), failing ids with why,
    claims on no id of the list, and the usage of every call (re-asks included)."""

    names: dict[int, str]
    failed: dict[int, str]
    stray: tuple[str, ...] = ()
    usage: Usage = field(default_factory=Usage)
    answer: str = ""


@dataclass(frozen=True)
class Parsed(Generic[M]):
    """A validated answer (None when the last one failed), the usage of every call, and
    why the last answer failed."""

    parsed: M | None
    usage: Usage
    problems: list[str] = field(default_factory=list)


# A name is at most NAME_MAX characters (the longest gold name has 30; most have 8–16).
# Under llama.cpp's grammar the bound also ends a runaway answer (`合计数合计数…`, a copied
# paragraph) that would otherwise run to max_tokens; TOKENS_PER_ID caps each call to match.
NAME_MAX = 28
TOKENS_PER_ID = 40


def id_schema(ids: Sequence[int]) -> dict[str, Any]:
    """The JSON schema of an answer for `ids`: an object with exactly these keys, string
    values of at most `NAME_MAX` characters."""
    keys = [str(i) for i in ids]
    return {"type": "object", "properties": {k: {"type": "string", "maxLength": NAME_MAX} for k in keys},
            "required": keys, "additionalProperties": False}


def parse_names(content: str) -> dict[str, str]:
    """The answer as {key: name}; raises ValueError when it is not a JSON object of strings."""
    try:
        return _NAMES.validate_python(json.loads(content))
    except (ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0][:200]
        raise ValueError(first) from None


async def converse(
    client: Any, messages: list[dict[str, str]], turn: Callable[[], tuple[dict[str, Any] | None, int | None]],
    judge: Callable[[str], str], reask: str,
) -> tuple[str, Usage]:
    """llmx's one check-and-re-ask loop, for every call it makes: ask (`client.complete` with
    the schema and token cap `turn()` gives for this round), let `judge(content)` check the
    answer (it returns the problems as one listing, "" when none), and re-ask with the listing
    (prompt `reask`) at most `Settings.max_reasks` times, holding one slot of the client's
    concurrency throughout (`ModelClient.conversation`, where the client has it). Returns the
    last answer and the usage of every call."""
    usage = Usage()
    convo = list(messages)
    content = ""
    held = client.conversation() if hasattr(client, "conversation") else contextlib.nullcontext()
    async with held:  # a re-ask follows its own call, whose prefix the server still holds
        for round_ in range(client.settings.max_reasks + 1):
            schema, max_tokens = turn()
            reply = await client.complete(convo, schema, reask=round_ > 0, max_tokens=max_tokens)
            usage.add(reply.usage)
            content = reply.content
            problems = judge(content)
            if not problems or round_ == client.settings.max_reasks:
                break
            convo = convo + [{"role": "assistant", "content": content},
                             {"role": "user", "content": render(reask, problems=problems)}]
    return content, usage


async def ask_names(
    client: Any, messages: list[dict[str, str]], ids: Sequence[int], check: Callable[[int, str], list[str]],
    skip: Collection[int] = (),
) -> Named:
    """Name the figures `ids` (see the module docstring). `client.complete(messages, schema,
    reask=..., max_tokens=...)` returns an object with `content` and `usage`.

    The ids in `skip` are in the answer's schema, so that the model names the figures in their
    order as it always does, but their names are neither checked, kept nor re-asked: figures
    whose names are known already (`llmx.pipeline.names.trust_rules`)."""
    pending = list(ids)
    names: dict[int, str] = {}
    failed: dict[int, str] = {}
    stray: list[str] = []

    def turn() -> tuple[dict[str, Any], int]:
        return id_schema(pending), 8 + TOKENS_PER_ID * len(pending)

    def judge(content: str) -> str:
        nonlocal failed, pending
        try:
            answer = parse_names(content)
        except ValueError as exc:
            failed = {i: f"回答不是只含名称的 JSON 对象（{exc}）" for i in pending if i not in skip}
        else:
            failed = {}
            for key, name in answer.items():
                m = _ID.fullmatch(key)
                i = int(m.group(1)) if m else None
                if i not in pending:
                    stray.append(f"{key}: {name}")
                    continue
                if i in skip:
                    continue
                problems = check(i, name) if name.strip() else []
                if problems:
                    failed[i] = "；".join(problems)
                else:
                    names[i] = name.strip()
        pending = sorted(failed)
        return "\n".join(f"{i}：{why}" for i, why in failed.items())

    content, usage = await converse(client, messages, turn, judge, "extract.reask")
    return Named(names, failed, tuple(stray), usage, content)


async def ask_model(client: Any, messages: list[dict[str, str]], response_model: type[M]) -> Parsed[M]:
    """One answer in `response_model` (a pydantic model whose JSON schema the server is given),
    through the same loop: an answer pydantic does not validate is re-asked with why; the last
    one that still fails gives `parsed=None` and the problems."""
    schema = response_model.model_json_schema()
    parsed: M | None = None
    problems: list[str] = []

    def judge(content: str) -> str:
        nonlocal parsed, problems
        try:
            parsed, problems = response_model.model_validate_json(content), []
        except ValidationError as exc:
            why = "；".join(f"{'.'.join(map(str, e['loc'])) or '回答'}：{e['msg']}" for e in exc.errors()[:5])
            parsed, problems = None, [why]
        return "；".join(problems)

    _, usage = await converse(client, messages, lambda: (schema, None), judge, "answer.reask")
    return Parsed(parsed, usage, problems)
