#!/usr/bin/env bash
# Build llama.cpp's own OpenAI-compatible server (`llama-server`) into the venv's bin/.
#
# Why: llama-cpp-python ships llama.cpp as a library only (and compiles it as a Python extension), and its Python server answers the
# same calls in about 1.6 times the time of llama.cpp's own (bench/servers.py, README
# "Figures"); llama-server also serves two calls at once on two slots. No PyPI package ships
# it, so it is built here from the llama.cpp sources that llama-cpp-python's sdist
# vendors: nothing is fetched but that package's source archive, and nothing compiled but the
# server (llama-cpp-python itself is not installed).
#
# Usage: scripts/build_llama_server.sh VENV [CMAKE_ARGS...]   (make setup runs it; about 4 min on 2 cores)
set -euo pipefail
venv=${1:?usage: build_llama_server.sh VENV [CMAKE_ARGS...]}
shift
py="$venv/bin/python"
# LLAMA_CPP_VERSION picks the llama-cpp-python sdist (make setup sets it); else the installed one's.
version=${LLAMA_CPP_VERSION:-$("$py" -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')}
work=${LLMX_BUILD_DIR:-build/llama-server}
mkdir -p "$work"
archive="$work/llama_cpp_python-$version.tar.gz"
if [ ! -f "$archive" ]; then
  "$py" -m pip download -q --no-deps --no-binary :all: "llama-cpp-python==$version" -d "$work"
fi
src="$work/llama_cpp_python-$version/vendor/llama.cpp"
[ -d "$src" ] || tar -xzf "$archive" -C "$work" "llama_cpp_python-$version/vendor/llama.cpp"
# Static, CPU only, no network at configure time (no web UI download, no HTTPS client). The
# multimodal library, which never runs when only text is served, builds unoptimised as a unity build
# (scripts/llama_server_build.cmake); LLMX_FULL_BUILD=1 builds it as llama.cpp does.
lighter=()
[ -n "${LLMX_FULL_BUILD:-}" ] || lighter=(-DCMAKE_PROJECT_INCLUDE="$(cd "$(dirname "$0")" && pwd)/llama_server_build.cmake")
cmake -S "$src" -B "$work/cmake" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF "${lighter[@]}" \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_UI=OFF \
  -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF "$@" >"$work/cmake.log" 2>&1
cmake --build "$work/cmake" --target llama-server -j "$(nproc 2>/dev/null || echo 2)" >>"$work/cmake.log" 2>&1
install -m 755 "$work/cmake/bin/llama-server" "$venv/bin/llama-server"
echo "built $venv/bin/llama-server (llama.cpp from llama-cpp-python $version)"
