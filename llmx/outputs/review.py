"""`llmx review`: one self-contained HTML page to see and check the figures.

Per report, the original text with every indicator marked at its exact offsets
(`original[start:end] == quote`), rejected and uncovered quantities marked apart; a
table of every indicator (sortable, filterable, each row jumping to its mark and back);
the panel across reports (`llmx.outputs.panel`); with gold, the evaluation beside it (missed gold
and false predictions first, with the eval report's `closest`).

The page needs no network: CSS and JS are inline, the font is the system's CJK one.
Everything from a report is untrusted: Jinja2 escapes it (autoescape), the marked text
is built here with `markupsafe.escape` on every piece, and the data the script reads
is JSON made safe for a `<script>` element (`tojson`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import InputError
from ..models import ReportResult
from ..text.readers import load_report

__all__ = ["Span", "ReviewDoc", "mark_text", "load_originals", "review_docs", "render_review", "write_review"]


@dataclass(frozen=True)
class Span:
    """A stretch of the original to mark: `ident` is its HTML id, `cls` its CSS class."""

    start: int
    end: int
    ident: str
    cls: str
    label: str = ""


@dataclass
class ReviewDoc:
    """One report as the page shows it."""

    n: int
    result: ReportResult
    original: str
    marked: str = ""
    indicators: list[dict] = field(default_factory=list)
    evaluation: dict | None = None

    @property
    def stem(self) -> str:
        return Path(self.result.doc).stem


def mark_text(text: str, spans: list[Span]) -> str:
    """`text` as HTML with each span in `<mark>` elements; every piece escaped.

    Spans may nest (a rank's quote holds the figure's) or cross. Nested spans become
    nested elements; a span crossing another is closed and reopened, its later pieces
    carrying `data-part` and no id. So each span has exactly one element with its id,
    and the text of its pieces, in order, is `text[start:end]`.
    """
    from markupsafe import escape

    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    order = {id(s): n for n, s in enumerate(sorted(spans, key=lambda s: (s.start, -s.end)))}
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[Span] = []
    opened: set[int] = set()
    starting: dict[int, list[Span]] = {}
    for s in spans:
        starting.setdefault(s.start, []).append(s)
    active: list[Span] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s.end > a] + starting.get(a, [])
        cover = sorted(active, key=lambda s: order[id(s)])
        keep = 0
        while keep < len(stack) and keep < len(cover) and stack[keep] is cover[keep]:
            keep += 1
        out.extend("</mark>" for _ in stack[keep:])
        del stack[keep:]
        for s in cover[keep:]:
            first = id(s) not in opened
            opened.add(id(s))
            attrs = f' class="{escape(s.cls)}" data-ref="{escape(s.ident)}"'
            attrs += f' id="{escape(s.ident)}" tabindex="0"' if first else ' data-part="1"'
            if s.label and first:
                attrs += f' aria-label="{escape(s.label)}"'
            out.append(f"<mark{attrs}>")
            stack.append(s)
        out.append(str(escape(text[a:b])))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def unverifiable(results: list[ReportResult]) -> list[ReportResult]:
    """The successful reports whose file cannot be verified (no sha256 recorded): the page
    leaves them out, so that a crafted line cannot put some other local file into it."""
    return [r for r in results if r.ok and not r.sha256]


def load_originals(results: list[ReportResult], docs_dir: Path | None = None) -> dict[str, str]:
    """Each report's original text by doc: from `docs_dir` (by file name) or its recorded
    path. Raises `InputError` when the file is gone or changed since the extraction."""
    out = {}
    for r in results:
        if not r.ok or not r.sha256:  # a failed report is listed with its error; an unverifiable one left out
            continue
        path = docs_dir / Path(r.doc).name if docs_dir else Path(r.path)
        if not path.is_file():
            raise InputError(path, f"the original of {r.doc} is not there (pass --docs DIR where the reports are)")
        source = load_report(path).source
        if r.sha256 and source.sha256 != r.sha256:
            raise InputError(path, f"changed since {r.doc} was extracted (sha256 differs): extract it again")
        for ind in r.indicators:
            if source.original[ind.start : ind.end] != ind.quote:
                raise InputError(path, f"indicator {ind.name!r} at {ind.start}:{ind.end} is not its quote in this file")
        out[r.doc] = source.original
    return out


def _indicator_row(d: ReviewDoc, n: int) -> dict:
    ind = d.result.indicators[n]
    return {
        "id": f"h-{d.n}-{n}", "doc": d.stem, "region": d.result.meta.region or "", "name": ind.name,
        "value": f"{ind.value:g}", "unit": ind.unit or "", "kind": ind.kind, "period": ind.period or "",
        "approx": ind.approx, "quote": ind.quote, "section": ind.section, "named_by": ind.named_by,
    }


def review_docs(results: list[ReportResult], originals: dict[str, str]) -> list[ReviewDoc]:
    """The page's view of each report: its marked text and its indicators' table rows."""
    docs = []
    for n, r in enumerate(x for x in results if x.ok):
        d = ReviewDoc(n, r, originals.get(r.doc, ""))
        spans = [Span(i.start, i.end, f"h-{n}-{k}", f"hl k-{i.kind}", f"{i.name} {i.value:g}{i.unit or ''}")
                 for k, i in enumerate(r.indicators)]
        spans += [Span(x.start, x.end, f"r-{n}-{k}", "hl rej", f"rejected: {x.reason}")
                  for k, x in enumerate(r.rejected) if x.start is not None and x.end is not None]
        spans += [Span(u.start, u.end, f"u-{n}-{k}", "hl unc", "uncovered") for k, u in enumerate(r.uncovered)]
        d.marked = mark_text(d.original, spans)
        d.indicators = [_indicator_row(d, k) for k in range(len(r.indicators))]
        docs.append(d)
    return docs


def _evaluate(docs: list[ReviewDoc], gold_dir: Path, docs_dir: Path) -> dict:
    """Gold beside the predictions: per report, missed gold and false predictions (with the
    eval report's `closest`), then the matched pairs; and the overall figures."""
    from ..evaluation.gold import load_gold_dir
    from ..evaluation.harness import find_sources
    from ..evaluation.report import why_false, why_missed
    from ..evaluation.score import score_all

    gold = load_gold_dir(gold_dir)
    sources = find_sources(sorted(gold), docs_dir)
    by_stem = {d.stem: d for d in docs}
    score = score_all(gold, {s: d.result for s, d in by_stem.items()}, {s: x.original for s, x in sources.items()})
    for ds in score.docs:
        d = by_stem.get(ds.doc)
        index = {id(ind): k for k, ind in enumerate(d.result.indicators)} if d else {}
        ref = (lambda p: f"h-{d.n}-{index[id(p)]}" if d and id(p) in index else "")  # noqa: E731
        rows = [{"status": "missed", "gold": g, "pred": None, "why": why_missed(ds, g), "ref": ""} for g in ds.missed]
        rows += [{"status": "false", "gold": None, "pred": p, "why": why_false(ds, p), "ref": ref(p)} for p in ds.false]
        rows += [{"status": "matched", "gold": m.gold, "pred": m.pred, "why": f"Dice {m.dice:.2f}", "ref": ref(m.pred)}
                 for m in ds.matched]
        if d is not None:
            d.evaluation = {"score": ds, "rows": rows}
    return {"score": score, "unpredicted": [ds.doc for ds in score.docs if ds.doc not in by_stem]}


def _tips(docs: list[ReviewDoc]) -> dict[str, dict]:
    """What a mark shows on hover or focus, by its id (read by the page's script as JSON)."""
    tips: dict[str, dict] = {}
    for d in docs:
        for row in d.indicators:
            tips[row["id"]] = {k: row[k] for k in ("name", "value", "unit", "kind", "period", "approx", "doc")}
        for k, x in enumerate(d.result.rejected):
            if x.start is not None:
                tips[f"r-{d.n}-{k}"] = {"note": f"rejected {x.text or ''}: {x.reason} · {d.stem}"}
        for k, u in enumerate(d.result.uncovered):
            tips[f"u-{d.n}-{k}"] = {"note": f"uncovered {u.text}: no indicator names it · {d.stem}"}
    return tips


def render_review(results: list[ReportResult], *, docs_dir: Path | None = None, gold_dir: Path | None = None,
                  settings: Settings | None = None, mapping: dict | None = None) -> str:
    """The whole page as one HTML string."""
    import jinja2

    from .panel import build_panel

    left_out = {id(r) for r in unverifiable(results)}
    results = [r for r in results if id(r) not in left_out]
    originals = load_originals(results, docs_dir)
    docs = review_docs(results, originals)
    evaluation = _evaluate(docs, gold_dir, docs_dir or Path(results[0].path).parent) if gold_dir else None
    panel = build_panel(results, settings or Settings.from_env(), mapping)
    refs = {(d.result.doc, k): f"h-{d.n}-{k}" for d in docs for k in range(len(d.result.indicators))}
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("llmx", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    return env.get_template("review.html.j2").render(
        docs=docs, rows=[row for d in docs for row in d.indicators], panel=panel, evaluation=evaluation,
        refs=refs, tips=_tips(docs), failed=[r for r in results if not r.ok],
        kinds=sorted({r["kind"] for d in docs for r in d.indicators}),
        units=sorted({r["unit"] for d in docs for r in d.indicators}),
        periods=sorted({r["period"] for d in docs for r in d.indicators}),
    )


def write_review(html: str, path: Path) -> None:
    from .output import write_atomic

    write_atomic(path, html.encode("utf-8"))
