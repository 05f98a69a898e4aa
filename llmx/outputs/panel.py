"""`llmx panel`: the same indicator across reports, one row per (region, indicator, period).

Names are linked across reports by the naming convention (`…同比增速`, `…全市排名`
name a figure from its subject, so they link when their subjects do) and by fuzzy
matching (rapidfuzz's `ratio` on normalised names, within one unit family, at least
`Settings.link_score`). Every link is reported (`Link`, the links CSV) so that a
person can correct it and pass the file back (`read_links`): a name it maps is linked
as it says. The checks that no single report allows are in `llmx.outputs.panel_checks`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import Settings
from ..errors import LinksFormatError, OutputError
from ..models import ReportResult
from ..finder.units import family, split_magnitude
from .cells import csv_writer, read_cell
from .facts import RATE_SUFFIXES, Fact, Finding
from .panel_checks import run_checks

__all__ = [
    "Fact", "Link", "Finding", "PanelRow", "Panel", "PANEL_COLUMNS", "LINK_COLUMNS",
    "facts_of", "link_names", "build_panel", "read_links", "links_csv", "panel_csv", "write_panel", "markdown_rows",
]

PANEL_COLUMNS = (
    "region", "indicator", "period", "unit", "actual", "actual_docs", "target", "target_docs",
    "target_status", "checks", "names",
)
LINK_COLUMNS = ("name", "family", "indicator", "score", "how")

_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】,，、.。:：;；·]")
_YEAR_LEAD = re.compile(r"^(?:\d{4}年(?:度)?|全年|当年|今年)")
# Words fuzzy matching must not blur: a stock (有效, 累计) is not a flow (新增, 新认定), and
# 一等奖 is not 二等奖. Two names link only when they hold the same of these.
_MARKERS = re.compile(r"新|认定|有效|累计|在孵|规上|规模以上|[0-9一二三四五六七八九十百千万亿两首]")


@dataclass(frozen=True)
class Link:
    """How one name (of one unit family) was linked: `how` is `self` (it names its own
    indicator), `fuzzy` (to a name `score` alike), `rule` (a rate or rank whose subject
    was linked) or `mapping` (a links file said so)."""

    name: str
    family: str
    indicator: str
    score: float
    how: str


@dataclass(frozen=True)
class PanelRow:
    region: str
    indicator: str
    period: str
    unit: str
    actual: float | None
    actual_docs: str
    target: float | None
    target_docs: str
    target_status: str
    checks: str
    names: str

    def cells(self) -> list[object]:
        return [getattr(self, c) for c in PANEL_COLUMNS]


@dataclass(frozen=True)
class Panel:
    rows: tuple[PanelRow, ...]
    links: tuple[Link, ...]
    findings: tuple[Finding, ...]
    facts: tuple[Fact, ...]
    skipped: int  # reports left out because their extraction failed
    unread: tuple[str, ...] = ()  # reports whose original is gone: part_vs_whole could not read their sentences


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """A name as compared for linking: NFKC, no punctuation or space, no leading year word."""
    text = _DROP.sub("", unicodedata.normalize("NFKC", name))
    return _YEAR_LEAD.sub("", text) or text


@lru_cache(maxsize=65536)
def _markers(key: str) -> tuple[str, ...]:
    return tuple(_MARKERS.findall(key.replace("高新", "高")))  # the 新 of 高新技术 marks nothing


def _split_suffix(name: str) -> tuple[str, str]:
    """(subject, suffix) for a name of the naming convention, else (name, "")."""
    m = re.search(r"(?:同比增速|同比降幅|增幅|降幅|提高幅度|下降幅度)?(?:增速)?(?:[\u4e00-\u9fff]{1,4}排名)?$", name)
    if m and m.group(0) and m.start() > 0 and (m.group(0).endswith("排名") or m.group(0) in
                                                RATE_SUFFIXES + ("提高幅度", "下降幅度")):
        return name[: m.start()], m.group(0)
    return name, ""


def link_names(names: list[tuple[str, str]], settings: Settings, mapping: dict[tuple[str, str], str] | None = None) -> dict[tuple[str, str], Link]:
    """Link every (name, unit family) to an indicator name. `names` in the order of their
    weight (the most often stated first): the first of a group names the group."""
    from rapidfuzz import fuzz, process

    mapping = mapping or {}
    links: dict[tuple[str, str], Link] = {}
    canon: dict[str, list[str]] = defaultdict(list)  # family -> indicator names chosen so far
    canon_norm: dict[str, list[str]] = defaultdict(list)

    def choose(name: str, fam: str) -> Link:
        if (name, fam) in mapping:
            return Link(name, fam, mapping[(name, fam)], 100.0, "mapping")
        subject, suffix = _split_suffix(name)
        if suffix:  # the subject links first (in any family), the suffix stays
            for (other, _), link in links.items():
                if other == subject or normalise(other) == normalise(subject):
                    return Link(name, fam, link.indicator + suffix, 100.0 if link.how == "self" else link.score,
                                "self" if link.indicator == subject else "rule")
        key = normalise(name)
        if key in canon_norm[fam]:
            chosen = canon[fam][canon_norm[fam].index(key)]
            return Link(name, fam, chosen, 100.0, "self" if chosen == name else "fuzzy")
        markers = _markers(key)
        alike = [i for i, c in enumerate(canon_norm[fam]) if _markers(c) == markers]
        best = process.extractOne(key, [canon_norm[fam][i] for i in alike], scorer=fuzz.ratio,
                                  score_cutoff=settings.link_score)
        if best is not None:
            return Link(name, fam, canon[fam][alike[best[2]]], round(float(best[1]), 1), "fuzzy")
        return Link(name, fam, name, 100.0, "self")

    # Subjects before the names built on them, so a rate finds its subject's link.
    for name, fam in sorted(names, key=lambda nf: bool(_split_suffix(nf[0])[1])):
        link = choose(name, fam)
        links[(name, fam)] = link
        if link.indicator not in canon[fam]:
            canon[fam].append(link.indicator)
            canon_norm[fam].append(normalise(link.indicator))
    return links


def facts_of(results: list[ReportResult], links: dict[tuple[str, str], Link] | None = None) -> list[Fact]:
    """Every indicator of the (successful) reports as a `Fact`, named by `links` when given."""
    out = []
    for r in results:
        if not r.ok:
            continue
        region = r.meta.region or f"({Path(r.doc).stem})"
        for i, ind in enumerate(r.indicators):
            fam = family(ind.unit)
            indicator = links[(ind.name, fam)].indicator if links else ind.name
            out.append(Fact(
                region=region, doc=r.doc, doc_kind=r.meta.kind, doc_years=tuple(r.meta.years), name=ind.name,
                indicator=indicator, value=ind.value, unit=ind.unit, kind=ind.kind, period=ind.period or "",
                approx=ind.approx, quote=ind.quote, start=ind.start,
                figure_start=ind.figure_start if ind.figure_start is not None else ind.start,
                figure_end=ind.figure_end if ind.figure_end is not None else ind.end, index=i,
            ))
    return out


def build_panel(results: list[ReportResult], settings: Settings | None = None,
                mapping: dict[tuple[str, str], str] | None = None) -> Panel:
    """Link the names of `results`, run every check, and group the rows."""

    settings = settings or Settings.from_env()
    raw = facts_of(results)
    weight = Counter((f.name, f.family) for f in raw)
    first = {}
    for n, f in enumerate(raw):
        first.setdefault((f.name, f.family), n)
    order = sorted(weight, key=lambda k: (-weight[k], first[k]))
    links = link_names(order, settings, mapping)
    facts = facts_of(results, links)
    texts = _originals(results)
    findings = run_checks(facts, texts, settings)
    rows = _rows(facts, findings)
    return Panel(tuple(rows), tuple(links[k] for k in order), tuple(findings), tuple(facts),
                 skipped=sum(1 for r in results if not r.ok),
                 unread=tuple(r.doc for r in results if r.ok and r.indicators and not texts.get(r.doc)))


def _originals(results: list[ReportResult]) -> dict[str, str]:
    """Each report's original text where its file can still be read (the part and share
    checks read the sentence around a figure); "" where not (counted in `Panel.unread`)."""
    from ..errors import LlmxError
    from ..text.readers import load_report

    out = {}
    for r in results:
        try:
            out[r.doc] = r.original_text or load_report(r.path).source.original
        except LlmxError:
            out[r.doc] = ""
    return out


def _in_unit(f: Fact, unit: str | None) -> float:
    """`f`'s value in `unit` (same family): 1.2亿元 in 万元 is 12000."""
    return f.base / split_magnitude(unit)[0]


def _rows(facts: list[Fact], findings: list[Finding]) -> list[PanelRow]:
    groups: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        groups[(f.region, f.indicator, f.period)].append(f)
    by_key: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for x in findings:
        by_key[(x.region, x.indicator, x.period)].append(x)
    rows = []
    for key in sorted(groups):
        fs = groups[key]
        unit = fs[0].unit
        actual = [f for f in fs if f.kind == "actual"]
        target = [f for f in fs if f.kind == "target"]
        # the latest report's figure stands for the period (a later summary corrects an earlier one)
        latest = lambda xs: max(xs, key=lambda f: (max(f.doc_years, default=0), f.doc)) if xs else None  # noqa: E731
        a, t = latest(actual), latest(target)
        status = next((x.status for x in by_key[key] if x.rule == "target_vs_actual"), "")
        fired = [f"{x.rule}: {x.status}: {x.detail}" for x in by_key[key] if x.status in ("flag", "missed")]
        rows.append(PanelRow(
            region=key[0], indicator=key[1], period=key[2], unit=unit or "",
            actual=round(_in_unit(a, unit), 10) if a else None, actual_docs=_docs(actual),
            target=round(_in_unit(t, unit), 10) if t else None, target_docs=_docs(target),
            target_status=status, checks=" | ".join(fired),
            names=" / ".join(dict.fromkeys(f.name for f in fs)),
        ))
    return rows


def _docs(facts: list[Fact]) -> str:
    return " ".join(dict.fromkeys(Path(f.doc).stem for f in facts))


# -- files: the links CSV (written, edited, read back) and the panel itself ------------------


def links_csv(links: tuple[Link, ...] | list[Link]) -> str:
    """The links as CSV (UTF-8 with BOM when written): edit `indicator` and pass it back."""
    buf = io.StringIO()
    w = csv_writer(buf)  # no cell can start a formula (llmx.outputs.cells)
    w.writerow(LINK_COLUMNS)
    for k in links:
        w.writerow([k.name, k.family, k.indicator, f"{k.score:g}", k.how])
    return buf.getvalue()


def read_links(path: Path) -> dict[tuple[str, str], str]:
    """A links file as {(name, family): indicator}. A row with an empty `indicator` keeps
    the name as its own indicator. Raises `LinksFormatError` naming the file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LinksFormatError(path, f"cannot be read ({exc.__class__.__name__})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("name", "family", "indicator") if c not in (reader.fieldnames or [])]
    if missing:
        raise LinksFormatError(path, f"not a links file: no {', '.join(missing)} column (columns: {', '.join(LINK_COLUMNS)})")
    out = {}
    for n, row in enumerate(reader, start=2):
        row = {k: read_cell(v or "") for k, v in row.items() if k}
        name = (row.get("name") or "").strip()
        if not name:
            raise LinksFormatError(path, f"line {n}: empty name")
        out[(name, (row.get("family") or "").strip())] = (row.get("indicator") or "").strip() or name
    return out


def panel_csv(panel: Panel) -> str:
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow(PANEL_COLUMNS)
    for row in panel.rows:
        w.writerow(["" if c is None else (f"{c:.12g}" if isinstance(c, float) else c) for c in row.cells()])
    return buf.getvalue()


def write_panel(panel: Panel, path: Path) -> None:
    """Write the rows to `path`: `.parquet` (needs pyarrow: `pip install 'llmx[parquet]'`)
    or anything else as CSV (UTF-8 with BOM, opens in Excel)."""
    from .output import write_atomic

    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise OutputError(f"{path}: Parquet output needs pyarrow: pip install 'llmx[parquet]'") from None
        columns = {c: [getattr(r, c) for r in panel.rows] for c in PANEL_COLUMNS}
        types = {c: (pa.float64() if c in ("actual", "target") else pa.string()) for c in PANEL_COLUMNS}
        table = pa.table({c: pa.array(v, type=types[c]) for c, v in columns.items()})
        sink = io.BytesIO()
        pq.write_table(table, sink)
        write_atomic(path, sink.getvalue())
    else:
        write_atomic(path, panel_csv(panel).encode("utf-8-sig"))


def markdown_rows(panel: Panel, fired_only: bool = True) -> str:
    """The rows as a Markdown table (those a check fired on or with a target status, unless
    `fired_only` is False): what the README shows."""
    cols = ("region", "indicator", "period", "actual", "target", "target_status", "checks")
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("--" for _ in cols) + "|"]
    for r in panel.rows:
        if fired_only and not (r.checks or r.target_status in ("met", "missed", "not reported")):
            continue
        cells = [r.region, r.indicator, r.period, _amount(r.actual, r.unit), _amount(r.target, r.unit),
                 r.target_status, r.checks]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") or "–" for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _amount(v: float | None, unit: str) -> str:
    return "" if v is None else f"{v:g} {unit}".strip()
