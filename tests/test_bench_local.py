"""bench/local.py reads the per-call timings of both servers' logs (lines as they print them)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from local import read_log  # noqa: E402

LLAMA_SERVER = """\
12.23.353.668 I slot print_timing: id  1 | task 5767 | prompt eval time =   10370.89 ms /   717 tokens (   14.46 ms per token,    69.14 tokens per second)
12.23.353.720 I slot print_timing: id  1 | task 5767 |        eval time =     259.08 ms /     7 tokens (   43.18 ms per token,    23.16 tokens per second)
12.23.353.736 I slot print_timing: id  1 | task 5767 |       total time =   10629.97 ms /   724 tokens
12.28.622.106 I slot print_timing: id  0 | task 5775 | prompt eval time =    4447.31 ms /   322 tokens (   13.81 ms per token,    72.40 tokens per second)
12.28.622.156 I slot print_timing: id  0 | task 5775 |        eval time =     758.04 ms /    20 tokens (   39.90 ms per token,    25.06 tokens per second)
12.28.622.172 I slot print_timing: id  0 | task 5775 |       total time =    5205.36 ms /   342 tokens
"""
LLAMA_CPP_PYTHON = """\
Llama.generate: 1201 prefix-match hit, remaining 404 prompt tokens to eval
llama_perf_context_print:        load time =    2270.10 ms
llama_perf_context_print: prompt eval time =    5007.47 ms /   404 tokens (   12.39 ms per token,    80.68 tokens per second)
llama_perf_context_print:        eval time =    1042.75 ms /    25 runs   (   41.71 ms per token,    23.98 tokens per second)
llama_perf_context_print:       total time =    6105.02 ms /   429 tokens
"""


def test_llama_server_log():
    figures = read_log(LLAMA_SERVER)
    assert figures["calls"] == 2 and figures["prompt_tokens"] == 717 + 322 and figures["gen_tokens"] == 27
    assert abs(figures["model_s"] - (10.62997 + 5.20536)) < 1e-9 and abs(figures["gen_s"] - (0.25908 + 0.75804)) < 1e-9


def test_llama_cpp_python_log():
    figures = read_log(LLAMA_CPP_PYTHON)
    assert (figures["calls"], figures["prompt_tokens"], figures["gen_tokens"]) == (1, 404, 25)
    assert abs(figures["prompt_s"] - 5.00747) < 1e-9
