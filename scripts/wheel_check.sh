#!/usr/bin/env bash
# The wheel works anywhere: build the wheel and the sdist, install the wheel (not editable)
# into a fresh venv, and run the README's extraction commands from outside the checkout:
# `llmx extract --no-model` and a model extraction against tests/fakeserver.py (a synthetic
# OpenAI-compatible endpoint on 127.0.0.1; its answers test the transport, never a score).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PY:-"$root/.venv/bin/python"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$py" -m pip wheel -q --no-deps -w "$work/dist" "$root"
"$py" -m build -q --sdist -o "$work/dist" "$root" >/dev/null
ls "$work"/dist/llmx-*.whl "$work"/dist/llmx-*.tar.gz >/dev/null
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/dist/llmx-*.whl
cd "$work"  # outside the checkout: the prompts must come from the wheel
"$work/venv/bin/llmx" extract "$root/seeds" -o rules.jsonl --no-model
# the learned confidence ships in the wheel: without it every figure would be asked
"$work/venv/bin/python" -c "from llmx.naming.confidence import shipped; assert shipped() is not None, 'confidence.json is not in the wheel'"
coproc FAKE { "$py" "$root/tests/fakeserver.py"; }
read -r base <&"${FAKE[0]}"
"$work/venv/bin/llmx" extract "$root/seeds/putuo-2022-plan.txt" -o model.jsonl --base-url "$base" -m fake --no-cache
exec {FAKE[1]}>&-
wait "$FAKE_PID" 2>/dev/null || true
"$py" "$root/bench/check_output.py" rules.jsonl | tail -1
"$py" "$root/bench/check_output.py" model.jsonl | tail -1
echo "wheel check: the wheel installs, carries its prompts and confidence weights, and extracts outside the checkout (no-model and against the test server)"
