"""A fake OpenAI-compatible chat-completions server, for fault and throughput tests only.

THIS IS A SYNTHETIC TEST DOUBLE. It reads no text and understands nothing: for a
section request it echoes back the numbered figure list that llmx itself put in
the prompt (lines `[n] <mention> ← <lead>`, or `[n] <lead>【<mention>】<after>`),
with the number inside each mention as the value ("68" from "68家", "3668" from
"超3668家", "1" from "全市第一") and the lead words stripped as the name ("指标n"
when there are none); for the meta request (its system prompt asks for
issuer/region/doc_number/title/issued_on) it answers all nulls. It exists to exercise llmx's
transport, retry, re-ask, cache, resume and budget machinery and to time llmx's
own overhead. No quality score (precision, recall, F1, anything in `eval/`) is
ever computed from its answers, and none may be.

    with FakeServer(latency=0.05, faults=["500", "429", "ok"]) as server:
        settings = Settings(base_url=server.base_url, ...)
        ...
        assert server.requests == 3

It answers `POST /v1/chat/completions` (any other path: 404) from a thread per
connection (`ThreadingHTTPServer`, HTTP/1.1 keep-alive), so concurrent requests
overlap and a fixed `latency` (seconds) is paid in parallel, as from a real
server with enough slots.

The fault plan decides, per request, what the server does. It is one of
  - None: always "ok";
  - a string: that outcome for every request;
  - a list: outcome `plan[n]` for the n-th request (0-based), "ok" past its end;
  - a callable `plan(n, body) -> str`, `body` the request's parsed JSON (or None).
Outcomes (see `OUTCOMES`):
  ok         a valid chat.completion with a valid answer and a `usage` block
  500        HTTP 500 with an OpenAI-style error body
  429        HTTP 429 with `Retry-After: <retry_after>` (default "0")
  hang       no answer for `hang` seconds (default 30: past any test's client timeout),
             then the connection is closed; `stop()` ends the wait at once
  drop       the connection is closed without any answer
  truncated  HTTP 200, `application/json`, the completion JSON cut in half
  not_json   HTTP 200, `text/html`, an HTML error page instead of JSON
  html_json  HTTP 200, `application/json`, an HTML page (a proxy's login page, mislabelled)
  plain      HTTP 200, `text/plain`, prose instead of JSON (a wrong base URL)
  not_completion  HTTP 200, `application/json`, a JSON object that is not a chat
             completion (a model list: what another route of the API answers)
  error_200  HTTP 200, `application/json`, an OpenAI-style error object
  empty      HTTP 200, `application/json`, no body at all
  prose      a valid chat.completion whose message content is prose, not JSON
  cut        a valid chat.completion whose message content is JSON cut in half
  wrong      a valid chat.completion whose names carry a number the text lacks (fails
             llmx's cross-check, so it is re-asked and in the end rejected)

`requests` counts requests received (whatever the outcome); `outcomes` counts
them by outcome; `kinds` by "meta" / "section" / "other".

Run as a script it serves "ok" answers in its own process until its standard
input closes, after printing its base URL (the benchmark does this, so that the
server's work does not share a Python interpreter with llmx's):

    python tests/fakeserver.py --latency 0.25
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Union

__all__ = ["FakeServer", "OUTCOMES", "GARBAGE_200", "answer_for", "number_in", "once_per_request"]

OUTCOMES = ("ok", "500", "429", "hang", "drop", "truncated", "not_json", "html_json", "plain", "not_completion",
            "error_200", "empty", "prose", "cut", "wrong")
# The outcomes that are HTTP 200 with a body that is not a chat completion: transport faults.
GARBAGE_200 = ("truncated", "not_json", "html_json", "plain", "not_completion", "error_200", "empty")
_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><form action=\"/login\">"
         b"<input name=\"user\"></form></body></html>\n")

Plan = Union[None, str, Sequence[str], Callable[[int, Any], str]]

_MARK = re.compile(r"【(\d+):([^】]*)】")
_ARROW = re.compile(r"^(.*?) ←(.*)$")  # "[n] <mention> ← <lead>"
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:[/\-~～]\d+(?:\.\d+)?)?")
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def _cn_int(run: str) -> int:
    """A Chinese numeral run as an integer (十二 -> 12, 三百零五 -> 305, 两万 -> 20000)."""
    total, section, digit = 0, 0, 0
    for ch in run:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (digit or 1) * _CN_UNIT[ch]
            digit = 0
        elif ch in _CN_BIG:
            total = (total + section + digit) * _CN_BIG[ch]
            section, digit = 0, 0
    return total + section + digit


def number_in(mention: str) -> str:
    """The number inside a mention's text: "68家" -> "68", "超3668家" -> "3668",
    "1,234家" -> "1234", "占比1/4" -> "1/4", "1-2个" -> "1-2", "全市第一" -> "1", "三家" -> "3"."""
    m = _ARABIC.search(mention)
    if m:
        return m.group().replace(",", "")
    m = _CN_RUN.search(mention)
    if m:
        return str(_cn_int(m.group()))
    return mention.strip()


def _contents(body: Any, role: str) -> list[str]:
    if not isinstance(body, dict):
        return []
    return [str(m.get("content") or "") for m in body.get("messages") or [] if isinstance(m, dict) and m.get("role") == role]


def request_kind(body: Any) -> str:
    """"meta" when the system prompt asks for the report's head fields, "section" when
    the last user message lists numbered figures, else "other"."""
    system = "\n".join(_contents(body, "system"))
    if all(f in system for f in ("issuer", "region", "doc_number", "title", "issued_on")):
        return "meta"
    if _marks(body):
        return "section"
    return "other"


def _marks(body: Any) -> list[tuple[int, str, str]]:
    """The marked figures `【n:mention】` of the first user message, as (n, mention, lead):
    the few words before each mark. A re-ask appends messages; its answer is about the
    ids the last user message names, or all of them."""
    users = _contents(body, "user")
    if not users:
        return []
    text = users[0].split("原文：", 1)[-1]
    out = []
    for m in _MARK.finditer(text):
        lead = re.sub(r"【\d+:[^】]*】", "", text[max(0, m.start() - 12) : m.start()])
        lead = re.split(r"[，。；、：,;:\n]", lead)[-1].strip()
        out.append((int(m.group(1)), m.group(2), lead))
    if len(users) > 1:
        asked = {int(x) for x in re.findall(r"^(\d+)：", users[-1], re.M)}
        out = [x for x in out if x[0] in asked] or out
    return out


def answer_for(body: Any, *, wrong: bool = False) -> dict:
    """The answer object for a request: all nulls for the meta request; for a section
    request an id-to-name object, each name the words before its mark; `wrong` names
    carry a number the text lacks, so llmx's cross-check rejects them."""
    if request_kind(body) == "meta":
        return {"issuer": None, "region": None, "doc_number": None, "title": None, "issued_on": None}
    stems = "甲乙丙丁戊己庚辛壬癸"  # a fallback name holds no digit: the cross-check would reject it
    # the keys the answer's schema requires, where it gives them (as llama.cpp's grammar enforces)
    schema = ((body.get("response_format") or {}).get("schema") or {}) if isinstance(body, dict) else {}
    keys = set(schema.get("required") or ()) if isinstance(schema, dict) else set()
    return {str(n): ("伪造指标999999" if wrong else (_clean(lead) or f"指标{stems[n % 10]}"))
            for n, _mention, lead in _marks(body) if not keys or str(n) in keys}


def _clean(lead: str) -> str:
    """The lead's last clause, without digits, particles or unpaired brackets at its ends: a name
    llmx's name gate lets pass, so that a fault test counts transport retries, not re-asks."""
    clause = [c for c in re.split(r"[，,。；;：:、！？!?（）()“”【】\s\d.%]+", lead) if c]
    name = re.sub(r"^(?:的|了|和|及|与|并|而|且|或|等)+|(?:的|了|要|和|及|与|并|而|且|或|在|是|为|把|被|将|从|由|对|于|向|以)+$",
                  "", clause[-1] if clause else "")
    return name if len(name) >= 2 else ""


def once_per_request(faults: Sequence[str]) -> Callable[[int, Any], str]:
    """A plan giving each distinct request `faults[0]` on its first attempt, `faults[1]`
    on its second, ..., then "ok": every call fails `len(faults)` times before it
    succeeds, whatever the order in which concurrent calls arrive. Requests are the
    same when their conversations agree up to the first user message, so an
    instructor re-ask (which appends to the conversation) counts as another attempt."""
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def plan(n: int, body: Any) -> str:
        messages = body.get("messages") or [] if isinstance(body, dict) else []
        # The original conversation: up to the first user message (a re-ask appends to it).
        first_user = next((i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "user"),
                          len(messages))
        key = json.dumps(messages[: first_user + 1], ensure_ascii=False, sort_keys=True)
        with lock:
            k = seen[key]
            seen[key] += 1
        return faults[k] if k < len(faults) else "ok"

    return plan


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the access log
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        fake = self.server.fake
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            body = None
        n, outcome = fake._next(body)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
            return
        if outcome == "hang":
            fake._stopping.wait(fake.hang)
            self._drop()
            return
        if fake.latency > 0:
            fake._stopping.wait(fake.latency)
        if outcome == "drop":
            self._drop()
        elif outcome == "500":
            self._send(500, {"error": {"message": "fake server error", "type": "server_error"}})
        elif outcome == "429":
            self._send(429, {"error": {"message": "fake rate limit", "type": "rate_limit_error"}},
                       {"Retry-After": str(fake.retry_after)})
        elif outcome == "not_json":
            self._send_bytes(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        elif outcome == "html_json":
            self._send_bytes(200, _PAGE, "application/json")
        elif outcome == "plain":
            self._send_bytes(200, "您好，这里是网关。服务正常运行。\n".encode("utf-8"), "text/plain")
        elif outcome == "not_completion":
            self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
        elif outcome == "error_200":
            self._send(200, {"error": {"message": "upstream unavailable", "type": "server_error"}})
        elif outcome == "empty":
            self._send_bytes(200, b"", "application/json")
        elif outcome == "truncated":
            text = json.dumps(fake._completion(n, body, "ok"), ensure_ascii=False)
            self._send_bytes(200, text[: len(text) // 2].encode("utf-8"), "application/json")
        else:
            self._send(200, fake._completion(n, body, outcome))

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, status: int, obj: dict, headers: dict[str, str] | None = None) -> None:
        self._send_bytes(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json", headers)

    def _send_bytes(self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", f"{ctype}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up (timed out) meanwhile
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for hanging handler threads
    request_queue_size = 256  # a burst of concurrent connects must not overflow the backlog
    fake: "FakeServer"

    def handle_error(self, request, client_address) -> None:
        """A client that hung up while its request was read (llmx cancels a failed report's other
        calls) is no server error: socketserver would print its traceback to stderr, into the
        output of the CLI test that runs alongside. Anything else is printed as usual."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class FakeServer:
    """The fake endpoint (see the module docstring). A context manager; `base_url` ends in /v1."""

    def __init__(self, *, latency: float = 0.0, faults: Plan = None, retry_after: str | int = "0",
                 hang: float = 30.0) -> None:
        self.latency = latency
        self.faults: Plan = faults
        self.retry_after = retry_after
        self.hang = hang
        self.requests = 0
        self.outcomes: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.bodies: list[Any] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------

    def start(self) -> "FakeServer":
        self._stopping.clear()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fakeserver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the fake server is not running"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def set_faults(self, plan: Plan) -> None:
        with self._lock:
            self.faults = plan

    def reset_counts(self) -> None:
        with self._lock:
            self.requests = 0
            self.outcomes.clear()
            self.kinds.clear()
            self.bodies.clear()

    # -- per request ---------------------------------------------------------------

    def _next(self, body: Any) -> tuple[int, str]:
        with self._lock:
            n = self.requests
            self.requests += 1
            plan = self.faults
        if plan is None:
            outcome = "ok"
        elif isinstance(plan, str):
            outcome = plan
        elif callable(plan):
            outcome = plan(n, body)
        else:
            outcome = plan[n] if n < len(plan) else "ok"
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown fault outcome {outcome!r}; one of {OUTCOMES}")
        with self._lock:
            self.outcomes[outcome] += 1
            self.kinds[request_kind(body)] += 1
            self.bodies.append(body)
        return n, outcome

    def _completion(self, n: int, body: Any, outcome: str) -> dict:
        if outcome == "prose":
            content = "好的，以下是各项指标的名称：第一项是企业数量，第二项是增长率。"
        else:
            content = json.dumps(answer_for(body, wrong=outcome == "wrong"), ensure_ascii=False)
            if outcome == "cut":
                content = content[: max(1, len(content) // 2)]
        prompt_tokens = sum(len(c) for role in ("system", "user", "assistant") for c in _contents(body, role))
        completion_tokens = len(content)
        return {
            "id": f"chatcmpl-fake-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": (body or {}).get("model", "fake") if isinstance(body, dict) else "fake",
            "system_fingerprint": "fake",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop",
                 "logprobs": None}
            ],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }


def main(argv: Sequence[str] | None = None) -> None:
    """Serve until standard input closes; the first line printed is the base URL."""
    parser = argparse.ArgumentParser(description="fake OpenAI-compatible endpoint (synthetic answers)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)
    with FakeServer(latency=args.latency) as server:
        print(server.base_url, flush=True)
        try:
            sys.stdin.read()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
