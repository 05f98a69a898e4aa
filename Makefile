# llmx: set-up, tests, the main job. Python 3.10+ and a C compiler (for llama-cpp-python).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup setup-dev test extract wheel-check eval record bench bench-linear bench-local mutation clean

# Stamps: `make extract` and `make test` set up what they need once (and again only when
# pyproject.toml changes), so each of them is the one command a fresh clone needs.
DEV_STAMP := $(VENV)/.llmx-dev
LOCAL_STAMP := $(VENV)/.llmx-local

$(DEV_STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The embedded model is served by llama.cpp's own `llama-server`, built once from the llama.cpp
# sources that llama-cpp-python's sdist vendors (LLAMA_CPP_VERSION; nothing else is fetched).
# It is built for x86-64-v3 (AVX2, FMA, F16C: every x86 server since about 2015) rather than
# -march=native, so a copied venv runs on another CPU; set LLAMA_CMAKE_ARGS= (empty) for a native
# build. Where the build fails, llama-cpp-python's server is installed instead (it compiles
# llama.cpp as a Python extension: slower, one call at a time).
LLAMA_CPP_VERSION ?= 0.3.36
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
endif

# What `make extract` needs, and no more: the library and the weight parts (pip, mostly download)
# while llama-server compiles (CPU) beside it; the test tools come with `make test`.
$(LOCAL_STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	mkdir -p build
	LLAMA_CPP_VERSION=$(LLAMA_CPP_VERSION) bash scripts/build_llama_server.sh $(VENV) $(LLAMA_CMAKE_ARGS) \
	  >build/llama-server.out 2>&1 & build=$$!; \
	$(BIN)/pip install -q -e '.[local]' || { kill $$build 2>/dev/null; exit 1; }; \
	if wait $$build; then cat build/llama-server.out; \
	else echo "make: llama-server was not built (log: build/llama-server/cmake.log); installing llama-cpp-python's slower server" \
	  && CMAKE_ARGS="$(LLAMA_CMAKE_ARGS) $$CMAKE_ARGS" $(BIN)/pip install -e '.[local-fallback]'; fi
	touch $@

setup: ## everything, installed anew: library, embedded model (builds llama-server: about 5 min cold), test tools
	rm -f $(LOCAL_STAMP) $(DEV_STAMP)
	$(MAKE) $(LOCAL_STAMP) $(DEV_STAMP)

setup-dev: $(DEV_STAMP) ## library and test tools only (what CI needs: tests replay cassettes)

test: $(DEV_STAMP) ## the test suite (replays recorded model traffic; no model needed); sets up the test tools once
	$(BIN)/pytest

extract: $(LOCAL_STAMP) ## the main job: the five seeds with the embedded model; sets up the model once
	mkdir -p out
	$(BIN)/llmx extract seeds/ -o out/seeds.jsonl

wheel-check: $(DEV_STAMP) ## build the wheel and sdist, install the wheel in a fresh venv, extract from outside the checkout
	bash scripts/wheel_check.sh

eval: ## score out/seeds.jsonl against the gold, write eval/report.md and .json (not tracked)
	$(BIN)/llmx eval --gold eval/gold --docs seeds --pred out/seeds.jsonl --baseline eval/baseline.json

record: ## re-record the cassettes from the embedded model (or LLMX_RECORD_BASE_URL)
	$(BIN)/pytest tests/test_api_replay.py tests/test_seeds_replay.py tests/test_dev_replay.py --record-mode=rewrite -p no:randomly

bench: ## throughput and overhead figures (no model needed)
	$(BIN)/python bench/run.py

bench-linear: ## the regex-only pipeline on 1k/10k/100k numbers on one line, a 470 KB line and a 30 MB file (QUICK=1: smaller)
	$(BIN)/python bench/linear.py $(if $(QUICK),--quick,)

bench-local: ## the embedded model's figures on the seeds from an empty cache (QUICK=1: two dev excerpts)
	$(BIN)/python bench/local.py $(if $(QUICK),--quick,)

mutation: ## mutation kill rate of the rule modules under their fast tests (pip install 'mutmut>=3.8,<4'; SAMPLE=3: every 3rd numbers.py mutant)
	$(BIN)/python scripts/mutation.py --sample $(or $(SAMPLE),1) $(ARGS)

.PHONY: review
review: ## the review page and the panel of out/seeds.jsonl: out/review.html, out/panel.csv (+ .links.csv)
	$(BIN)/llmx review out/seeds.jsonl -o out/review.html
	$(BIN)/llmx panel out/seeds.jsonl -o out/panel.csv

clean:
	rm -rf out .eval-out .pytest_cache
