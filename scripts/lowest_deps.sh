#!/usr/bin/env bash
# The lowest supported set, tested once: llmx's own dependencies resolved to their lowest
# versions that install together (uv's `--resolution lowest-direct` over pyproject.toml), the
# test tools at their usual versions, then the tests that replay real model traffic and
# exercise the client, the batch and the CLI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PY:-"$root/.venv/bin/python"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$py" -m pip install -q 'uv>=0.5'
uv=("$py" -m uv)
"${uv[@]}" pip compile -q --resolution lowest-direct "$root/pyproject.toml" -o "$work/lowest.txt"
"${uv[@]}" venv -q -p "$py" "$work/venv"
"${uv[@]}" pip install -q -p "$work/venv/bin/python" -r "$work/lowest.txt"
"${uv[@]}" pip install -q -p "$work/venv/bin/python" --no-deps -e "$root"
"${uv[@]}" pip install -q -p "$work/venv/bin/python" pytest pytest-recording vcrpy hypothesis
grep -E "^(instructor|openai|httpx|pydantic|tenacity|diskcache|click|charset-normalizer|rich|jinja2|rapidfuzz)==" "$work/lowest.txt" \
  | tr '\n' ' '; echo
cd "$root"
"$work/venv/bin/python" -m pytest -q -p no:randomly -p no:cacheprovider \
  tests/test_seeds_replay.py tests/test_dev_replay.py tests/test_api_replay.py tests/test_client.py \
  tests/test_cli.py tests/test_faults.py tests/test_check.py tests/test_conservation.py
