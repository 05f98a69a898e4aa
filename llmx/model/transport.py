"""What counts as a transport fault, and how long to wait before trying again.

A transport fault is worth retrying; a model answer never is (it is re-asked):

- a connection error, a timeout, HTTP 408/409/429 or 5xx (`is_transient`);
- an HTTP 200 whose body is not a chat completion (`completion_problem`): cut JSON,
  an HTML page, prose, an error object, other JSON — a wrong base URL or a proxy.

`Wait` backs off exponentially with jitter, or waits what the server's
`Retry-After` says (at most a minute).
"""

from __future__ import annotations

import json

from tenacity import RetryCallState, wait_exponential_jitter

from ..errors import NotACompletionError

__all__ = ["Wait", "completion_problem", "is_transient"]

_MAX_RETRY_AFTER = 60.0


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_transient(exc: BaseException) -> bool:
    """Whether an error (or its cause) is worth retrying."""
    import httpx
    import openai

    for e in _chain(exc):
        if isinstance(e, (openai.APIConnectionError, openai.APITimeoutError, httpx.TransportError,
                          NotACompletionError)):
            return True
        if isinstance(e, openai.APIStatusError) and (e.status_code in (408, 409, 429) or e.status_code >= 500):
            return True
    return False


def _retry_after(exc: BaseException) -> float | None:
    import openai

    for e in _chain(exc):
        if isinstance(e, openai.APIStatusError):
            raw = e.response.headers.get("retry-after")
            try:
                return min(float(raw), _MAX_RETRY_AFTER) if raw is not None else None
            except ValueError:
                return None
    return None


class Wait:
    """Exponential backoff with jitter, or the server's Retry-After when it sends one."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_exponential_jitter(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc) if exc else None
        return after if after is not None else self._backoff(state)


def completion_problem(body: str) -> str | None:
    """Why an HTTP body is not a chat completion, in one line; None when it is one.

    A chat completion is a JSON object with a non-empty `choices` list whose first
    item holds a `message` object with string (or null) `content`. What the message
    says is not looked at here: that is the model's answer.
    """
    snippet = " ".join(body[:80].split()) or "(empty)"
    try:
        data = json.loads(body)
    except ValueError:
        return f"body is not JSON (cut short, an HTML page, prose?): {snippet!r}"
    if not isinstance(data, dict):
        return f"body is JSON but not an object: {snippet!r}"
    if "error" in data and "choices" not in data:
        return f"body is an error, not a chat completion: {snippet!r}"
    choices = data.get("choices")
    first = choices[0] if isinstance(choices, list) and choices else None
    message = first.get("message") if isinstance(first, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("content"), (str, type(None))):
        return f"body is JSON but not a chat completion: {snippet!r}"
    return None
