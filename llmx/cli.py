"""The `llmx` command line: a thin click layer over the library."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import sys
import threading
from pathlib import Path

import click

from . import __version__
from .config import Settings
from .errors import LlmxError, OutputError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _settings(**opts: object) -> Settings:
    return Settings.from_env(**{k: v for k, v in opts.items() if v is not None})


EXIT_CODES = """\b
Exit codes:
  0    every report done
  1    some reports failed (each recorded with its error; a re-run retries them),
       or the token budget stopped the batch (a re-run goes on)
  2    usage or configuration error, or the output cannot be written
       (missing or read-only directory, full disk, output locked by another run);
       with --ray also: Ray not installed, no cluster at the address, the cluster failed
  130  interrupted (Ctrl-C or SIGTERM): what was done stays in the output; a re-run resumes
"""


def _fail(exc: LlmxError) -> None:
    click.echo(f"llmx: error: {_one_line(str(exc))}", err=True)
    sys.exit(2)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _WarningLine(logging.Handler):
    """llmx's warnings (a dangling symlink, a corrupted cache, unbalanced counts) as
    one `llmx: warning:` line each on the current stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"llmx: warning: {_one_line(record.getMessage())}", err=True)


def stop_on_sigterm() -> None:
    """Make SIGTERM (`kill`, a supervisor stopping the job) stop llmx the way Ctrl-C does:
    the embedded model server it started is stopped, what was done stays in the output,
    and the exit code is 130. Without it, SIGTERM would end Python at once and leave the
    server, which runs in its own session, behind."""

    def interrupt(signum, frame):
        TERMINATED.set()
        raise KeyboardInterrupt

    TERMINATED.clear()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


# Set once SIGTERM arrives. The KeyboardInterrupt its handler raises can land inside a library
# that wraps it in an error of its own (pydantic's serializer does, when the signal comes while
# a result is written); the batch then ends as an interrupt all the same.
TERMINATED = threading.Event()


class _Commands(click.Group):
    """llmx's commands. An interrupt a command does not handle itself (a SIGTERM that comes while
    the command's modules are still being imported, say) ends llmx as the extract command's own
    handler does: one line and exit code 130, never click's `Aborted!` and 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted(None)
        except Exception:
            if TERMINATED.is_set():
                _interrupted(None)
            raise


@click.group(cls=_Commands, context_settings=CONTEXT, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="llmx")
def main() -> None:
    """Checked, structured figures from Chinese government work reports."""
    stop_on_sigterm()
    # instructor logs every failed attempt at ERROR; with no logging configured Python
    # would print each to stderr. llmx reports failures itself, one line each.
    logging.getLogger("instructor").addHandler(logging.NullHandler())
    log = logging.getLogger("llmx")
    if not any(isinstance(h, _WarningLine) for h in log.handlers):
        log.addHandler(_WarningLine(logging.WARNING))


def endpoint_options(f):
    f = click.option("--base-url", envvar="OPENAI_BASE_URL", help="OpenAI-compatible endpoint; none = the embedded local model.")(f)
    f = click.option("--model", "-m", envvar="LLMX_MODEL", help="Model name sent to the endpoint.")(f)
    f = click.option("--api-key", envvar="OPENAI_API_KEY", help="API key (default: OPENAI_API_KEY).")(f)
    f = click.option("--concurrency", "-c", type=int, help="Calls in flight at once (default 4).")(f)
    f = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Answer cache directory.")(f)
    f = click.option("--no-cache", is_flag=True, help="Neither read nor write the answer cache.")(f)
    f = click.option("--token-budget", type=int, help="Stop before spending more tokens than this.")(f)
    f = click.option("--section-chars", type=int, help="Longest section sent to the model, in characters.")(f)
    f = click.option("--examples", "examples", multiple=True, type=click.Path(file_okay=False, path_type=Path),
                     help="A folder of gold-format .json files whose figures go into the prompts as worked "
                          "examples (repeatable; default: LLMX_EXAMPLES, else none).")(f)
    f = click.option("--rule-confidence", type=float,
                     help="A figure whose rule name scores more than this (0 to 1) is not asked; 1 asks "
                          "about every figure (default 0.85).")(f)
    f = click.option("--confidence-weights", type=click.Path(dir_okay=False, path_type=Path),
                     help="Weights for that score, written by scripts/train_confidence.py --out from your own "
                          "labelled sets (default: LLMX_CONFIDENCE_WEIGHTS, else those llmx ships).")(f)
    return f


def _build_settings(base_url, model, api_key, concurrency, cache_dir, no_cache, token_budget, section_chars,
                    examples=(), rule_confidence=None, confidence_weights=None) -> Settings:
    settings = _settings(
        base_url=base_url, model=model, api_key=api_key, concurrency=concurrency,
        cache_dir=cache_dir, token_budget=token_budget, section_chars=section_chars, examples=examples or None,
        rule_confidence=rule_confidence, confidence_weights=confidence_weights,
    )
    if no_cache:
        from dataclasses import replace

        settings = replace(settings, cache_dir=None)
    return settings


@main.command(context_settings=CONTEXT, epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (resumable; locked while a run writes it); default stdout. "
                   "For csv and parquet the resume state is NAME.llmx.jsonl beside it.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True,
              help="jsonl: one report a line; csv: one indicator a row; parquet: one indicator a row, typed (needs -o).")
@click.option("--no-model", is_flag=True,
              help="Regex only: every figure named by rule; no model, no server, no cache.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="", default=None, metavar="[ADDRESS]",
              help="Run on a Ray cluster (pip install 'llmx[ray]'): ADDRESS is auto, HOST:PORT or ray://HOST:PORT; "
                   "none: RAY_ADDRESS, a cluster started on this machine, else a local one. "
                   "Put it after the paths, or write --ray=ADDRESS.")
@click.option("--ray-workers", type=int, help="With --ray: worker processes (default: one per node with the "
                                              "embedded model, else the fewer of --concurrency and the CPUs).")
@endpoint_options
def extract(paths, output, fmt, no_model, ray_address, ray_workers, **endpoint) -> None:
    """Extract indicators from report files (.txt, .docx, .pdf, .html) or directories of them."""
    from .pipeline.batch import rule_extractor, run_batch, scan_inputs
    from .outputs.output import BatchOutput, to_csv
    from .pipeline.progress import Progress

    if ray_workers is not None and ray_address is None:
        raise click.UsageError("--ray-workers needs --ray")
    if ray_address and Path(ray_address).exists():
        raise click.UsageError(f"--ray took {ray_address!r}, a path, for its address: put --ray after the paths "
                               "or write --ray=ADDRESS")
    out = None
    try:
        settings = _build_settings(**endpoint)
        if fmt == "parquet" and not output:
            raise click.UsageError("--format parquet writes a file: give -o NAME.parquet")
        scan = scan_inputs(paths)
        if not scan.paths:
            raise click.UsageError("no report files found in the given paths")
        out = BatchOutput(output, fmt) if output else None
        # The lock (and the check that the output can be written) comes before the model starts.
        progress = Progress(len(scan.paths), sections=ray_address is None)
        with out if out is not None else contextlib.nullcontext(), progress:
            hooks = dict(output=out, on_result=progress.done, on_start=progress.start, unreadable=scan.unreadable,
                         file_timeout=settings.file_timeout)
            if ray_address is not None:
                results, summary = _ray_batch(settings, scan, out, progress, no_model, ray_address, ray_workers)
            elif no_model:
                results, summary = asyncio.run(run_batch(scan.paths, rule_extractor(settings.section_chars), **hooks))
            else:
                results, summary = _model_batch(settings, scan.paths, progress, hooks)
    except KeyboardInterrupt:
        _interrupted(out)
    except Exception as exc:
        if TERMINATED.is_set():
            _interrupted(out)
        if not isinstance(exc, LlmxError):
            raise
        _fail(exc)
        return
    if not output:
        if fmt == "csv":
            click.echo(to_csv(results), nl=False)
        else:
            for r in results:
                click.echo(r.model_dump_json())
    click.echo(f"llmx: {summary.line()}", err=True)
    for r in results:
        if not r.ok:
            click.echo(f"llmx: failed: {r.path}: {_one_line(r.error or '')}", err=True)
    if summary.failed or summary.stopped:
        sys.exit(1)


def _interrupted(out) -> None:
    # The cancelled reports' tasks are no news, nor a worker thread that finishes its report after
    # the event loop it would report to has closed ("exception calling callback ... Event loop is closed").
    for name in ("asyncio", "concurrent.futures"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    where = f"; the reports done so far are in {out.state}, and the same command resumes" if out else ""
    click.echo(f"llmx: interrupted{where}", err=True)
    sys.exit(130)


def _ray_batch(settings, scan, out, progress, no_model, address, workers):
    """Run the batch on Ray (`llmx.pipeline.ray_batch`)."""
    from .pipeline.ray_batch import RayOptions, run_ray_batch

    options = RayOptions(address=address or None, workers=workers)
    return run_ray_batch(scan.paths, settings, out, options=options, no_model=no_model, unreadable=scan.unreadable,
                         on_result=progress.done)


def _model_batch(settings, paths, progress, hooks):
    """Run the batch with the model: the endpoint (the embedded one started on the first call
    the cache cannot answer), the cache, the client."""
    from .pipeline.batch import run_batch
    from .model.runtime import client_for, open_cache

    with client_for(settings) as endpoint, open_cache(endpoint.settings) as cache:

        async def go():
            client = endpoint.client(cache)
            try:
                return await run_batch(paths, client, observer=progress, **hooks)
            finally:
                await client.close()

        return asyncio.run(go())


@main.command(context_settings=CONTEXT)
@click.option("--port", type=int, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--threads", type=int, help="CPU threads for the model (default: all cores).")
@click.option("--ctx", type=int, default=8192, show_default=True, help="Context size in tokens.")
def serve(port, threads, ctx) -> None:
    """Run the embedded model as an OpenAI-compatible server until Ctrl-C."""
    from .model.local import embedded_server, ensure_model

    try:
        with embedded_server(ensure_model(), threads=threads, n_ctx=ctx, port=port) as server:
            click.echo(f"llmx: serving {server.base_url}  (OPENAI_BASE_URL={server.base_url}), {server.slots} call(s) "
                       f"at once (--concurrency {server.slots}); Ctrl-C stops it")
            server.wait()
    except KeyboardInterrupt:
        pass
    except LlmxError as exc:
        _fail(exc)


@main.command("eval", context_settings=CONTEXT)
@click.option("--gold", "gold_dir", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--docs", "docs_dir", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--pred", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="JSONL from `llmx extract`; default: run extraction.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=Path("eval/report.md"), show_default=True)
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=Path("eval/report.json"), show_default=True)
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), help="Fail when model F1 falls below this file's figure minus its tolerance.")
@endpoint_options
def eval_cmd(gold_dir, docs_dir, pred, report, json_out, baseline_file, **endpoint) -> None:
    """Score predictions (or a fresh extraction) against hand-labelled gold."""
    from .evaluation.harness import check_baseline, evaluate

    try:
        outcome = evaluate(gold_dir, docs_dir, pred_file=pred, settings=None if pred else _build_settings(**endpoint))
    except LlmxError as exc:
        _fail(exc)
        return
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(outcome.markdown, encoding="utf-8")
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(outcome.figures, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(outcome.markdown)
    if baseline_file:
        problem = check_baseline(outcome.figures, baseline_file)
        if problem:
            click.echo(f"llmx: eval: {problem}", err=True)
            sys.exit(1)


@main.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--all", "show_all", is_flag=True, help="Also list numbers that are not quantities (years, names…).")
def numbers(path, show_all) -> None:
    """List the numbers the regex finds in a report, as JSONL (no model involved)."""
    from .finder.numbers import find_numbers
    from .text.readers import load_report

    try:
        source = load_report(path).source
    except LlmxError as exc:
        _fail(exc)
        return
    for m in find_numbers(source.text):
        if show_all or m.is_quantity:
            start, end = source.to_original(m.start, m.end)
            click.echo(json.dumps({"text": source.original[start:end], "value": m.value, "unit": m.unit,
                                   "approx": m.approx, "category": m.category, "start": start, "end": end},
                                  ensure_ascii=False))


@main.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--section-chars", type=int, help="Longest section, as sent to the model (default: as `extract`).")
def sections(path, section_chars) -> None:
    """List a report's sections with their heading paths and offsets, as JSONL."""
    from .text.readers import load_report
    from .text.sections import split_sections

    try:
        source = load_report(path).source
    except LlmxError as exc:
        _fail(exc)
        return
    for s in split_sections(source, section_chars or Settings.from_env().section_chars).sections:
        start, end = source.to_original(s.start, s.end)
        click.echo(json.dumps({"index": s.index, "heading": s.heading, "start": start, "end": end,
                               "chars": len(s.text)}, ensure_ascii=False))


EXPLAIN_EXIT = """\b
Exit codes:
  0    the number at OFFSET is explained
  1    no number the finder saw lies at OFFSET (the nearest are named)
  2    the file cannot be read, or a usage or configuration error
"""


@main.command(context_settings=CONTEXT, epilog=EXPLAIN_EXIT)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--at", "offset", required=True, type=click.IntRange(min=0),
              help="An offset into the file, as the output's figure_start (any offset inside the figure).")
@click.option("--no-model", is_flag=True, help="Explain the regex-only reading (no model, server or cache).")
@endpoint_options
def explain(path, offset, no_model, **endpoint) -> None:
    """Say what llmx decided about the number at an offset of a report, and which rules decided it.

    The report is extracted as `llmx extract` does (the answer cache makes a second look cost
    no model call); the figure's name, kind and period are printed with its trace."""
    from .api import extract_file
    from .outputs.explain import explain_at

    try:
        result = extract_file(path, _build_settings(**endpoint), model=not no_model)
    except LlmxError as exc:
        _fail(exc)
        return
    lines = explain_at(result, offset)
    if lines is not None:
        click.echo("\n".join(lines))
        return
    spans = sorted((i.figure_start, i.figure_end) for i in result.indicators if i.figure_start is not None)
    near = sorted(spans, key=lambda s: min(abs(s[0] - offset), abs(s[1] - 1 - offset)))[:3]
    click.echo(f"llmx: no number at offset {offset} of {path}; the nearest figures: "
               + (", ".join(f"[{a}:{b}]" for a, b in sorted(near)) or "none"), err=True)
    sys.exit(1)


def _read_jsonl(paths) -> list:
    """The results of `llmx extract` JSONL files, in order; a file with none is an error."""
    from .errors import InputError
    from .outputs.output import read_results

    results = []
    for p in paths:
        if not p.is_file():
            raise InputError(p, "no such file (give the JSONL that `llmx extract -o` wrote)")
        got = read_results(p)
        if not got:
            raise InputError(p, "holds no llmx result line (give the JSONL that `llmx extract -o` wrote)")
        results += got
    return results


REVIEW_EXIT = """\b
Exit codes:
  0    the page is written
  1    the page is written without the reports whose file cannot be verified (a line that
       records no sha256), each named on stderr
  2    a JSONL file, report, gold or links file that cannot be read (named), a report whose file
       cannot be verified, or the page cannot be written (it would replace an input, or another
       existing file without --force)
"""

PANEL_EXIT = """\b
Exit codes:
  0    the panel is written (or shown)
  2    a JSONL or links file that cannot be read (named), or an output that cannot be written
       (it would replace an input, or another existing file without --force)
"""


# What each output of `review` and `panel` starts with when llmx wrote it: an earlier run's output
# is replaced, like `extract`'s; any other existing file only with --force.
_OWN_OUTPUT = (b"<!doctype html>", b"region,indicator,", b"name,family,", b"PAR1")


def _writable(targets, inputs, force: bool) -> None:
    """Refuse to write onto an input (ever), or onto an existing file that is not an earlier
    output of this kind (unless --force): one line, exit 2."""
    given = {Path(p).resolve() for p in inputs if p}
    for target in targets:
        if target is None:
            continue
        if Path(target).resolve() in given:
            raise OutputError(f"{target} is an input of this command; write the output elsewhere")
        if Path(target).is_file() and not force:
            head = Path(target).read_bytes()[:64].removeprefix(b"\xef\xbb\xbf").lower()
            if head.strip() and not head.startswith(tuple(h.lower() for h in _OWN_OUTPUT)):
                raise OutputError(f"{target} exists and is not an earlier output of llmx; "
                                  "pass --force to replace it, or choose another -o")


@main.command(context_settings=CONTEXT, epilog=REVIEW_EXIT)
@click.argument("jsonl", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The HTML page to write.")
@click.option("--docs", "docs_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Where the reports are (default: the paths the JSONL recorded).")
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Eval mode: gold beside the predictions (needs --docs).")
@click.option("--links", "links_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A links file of `llmx panel` (edited) for the panel tab.")
@click.option("--force", is_flag=True, help="Replace an existing file that is no earlier page of llmx (never an input).")
def review(jsonl, output, docs_dir, gold_dir, links_file, force) -> None:
    """Write one self-contained HTML page to see and check the figures of `llmx extract` JSONL."""
    from .outputs.panel import read_links
    from .outputs.review import render_review, unverifiable, write_review

    if gold_dir and not docs_dir:
        raise click.UsageError("--gold needs --docs (where the gold's reports are)")
    try:
        _writable([output], [*jsonl, links_file], force)
        results = _read_jsonl(jsonl)
        mapping = read_links(links_file) if links_file else None
        write_review(render_review(results, docs_dir=docs_dir, gold_dir=gold_dir, settings=_settings(), mapping=mapping), output)
    except LlmxError as exc:
        _fail(exc)
        return
    left_out = unverifiable(results)
    for r in left_out:
        click.echo(f"llmx: error: {r.path or r.doc}: its line records no sha256, so its file cannot be verified: "
                   "left out of the page", err=True)
    shown = [r for r in results if r not in left_out]
    n = sum(len(r.indicators) for r in shown)
    click.echo(f"llmx: review: {len(shown)} reports, {n} indicators -> {output}", err=True)
    if left_out:
        sys.exit(1)


@main.command(context_settings=CONTEXT, epilog=PANEL_EXIT)
@click.argument("jsonl", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="panel.csv or panel.parquet; default: the rows a check fired on, as Markdown, on stdout.")
@click.option("--links", "links_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A links file (as written by --links-out, edited): its names are linked as it says.")
@click.option("--links-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the links made here (default with -o: OUTPUT.links.csv).")
@click.option("--all", "show_all", is_flag=True, help="On stdout, every row, not only those a check fired on.")
@click.option("--force", is_flag=True, help="Replace existing files that are no earlier output of llmx (never an input).")
def panel(jsonl, output, links_file, links_out, show_all, force) -> None:
    """One row per (region, indicator, period) across reports, with the checks no single report allows."""
    from .outputs.output import write_atomic
    from .outputs.panel import build_panel, links_csv, markdown_rows, read_links, write_panel

    try:
        if output and not links_out:  # beside the panel, unless that is the links file given (it stays as edited)
            beside = output.with_name(output.name + ".links.csv")
            links_out = None if links_file and beside.resolve() == Path(links_file).resolve() else beside
        _writable([output, links_out], [*jsonl, links_file], force)
        results = _read_jsonl(jsonl)
        built = build_panel(results, _settings(), read_links(links_file) if links_file else None)
        if output:
            write_panel(built, output)
        if links_out:
            write_atomic(links_out, links_csv(built.links).encode("utf-8-sig"))
    except LlmxError as exc:
        _fail(exc)
        return
    if not output:
        click.echo(markdown_rows(built, fired_only=not show_all), nl=False)
    fired = sum(1 for x in built.findings if x.status in ("flag", "missed"))
    fuzzy = sum(1 for k in built.links if k.how in ("fuzzy", "rule"))
    where = f" -> {output}" if output else ""
    click.echo(f"llmx: panel: {len(built.rows)} rows from {len(results) - built.skipped} reports"
               f"{f' ({built.skipped} failed, left out)' if built.skipped else ''}, {len(built.findings)} checks "
               f"({fired} flagged or missed), {fuzzy} names linked by fuzzy match or rule"
               f"{f' (see {links_out})' if links_out else ''}{where}", err=True)
    if built.unread:
        click.echo(f"llmx: warning: part_vs_whole skipped {len(built.unread)} report(s) whose file is gone: "
                   f"{', '.join(built.unread)}", err=True)
