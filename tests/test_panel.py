"""`llmx panel`: each check as its own rule on small hand-made reports, the name links and
their file, and the whole panel on the seeds (replayed) against the JSONL it came from."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from llmx.cli import main
from llmx.config import Settings
from llmx.errors import LinksFormatError
from llmx.models import Indicator, Meta, ReportResult
from llmx.outputs.output import dump_line, read_results
from llmx.outputs.panel import build_panel, links_csv, read_links
from llmx.outputs.panel_checks import RULES

S = Settings()


def report(tmp: Path, doc: str, region: str, kind: str, years: list[int], text: str,
           figures: list[tuple[str, str, float, str | None, str, str | None]], approx: str = "exact") -> ReportResult:
    """A report whose text is written to `tmp/doc`; figures are (name, quote, value, unit, kind, period),
    each quote found in the text after the previous one."""
    path = tmp / doc
    path.write_text(text, encoding="utf-8")
    inds, at = [], 0
    for name, quote, value, unit, k, period in figures:
        start = text.index(quote, at)
        at = start + 1
        inds.append(Indicator(name=name, value=value, unit=unit, kind=k, period=period, approx=approx, quote=quote,
                              start=start, end=start + len(quote)))
    return ReportResult(doc=doc, path=str(path), meta=Meta(region=region, kind=kind, years=years), indicators=inds)


def findings(results, rule: str, settings: Settings = S):
    return [x for x in build_panel(results, settings).findings if x.rule == rule]


# -- growth_vs_values ---------------------------------------------------------------------


def _growth_pair(tmp_path, rate: float, rate_name: str = "技术合同成交额同比增速", now: tuple = (1.2e6, "万元")):
    a = report(tmp_path, "a-2023.txt", "甲区", "summary", [2023], "技术合同成交额100亿元。",
               [("技术合同成交额", "技术合同成交额100亿元", 100, "亿元", "actual", "2023")])
    text = f"技术合同成交额{now[0]:g}{now[1]}，同比增长{rate:g}%。"
    b = report(tmp_path, "a-2024.txt", "甲区", "summary", [2024], text,
               [("技术合同成交额", f"技术合同成交额{now[0]:g}{now[1]}", now[0], now[1], "actual", "2024"),
                (rate_name, f"同比增长{rate:g}%", rate, "%", "actual", "2024")])
    return [a, b]


def test_a_growth_rate_that_the_two_years_values_bear_out_passes_across_units(tmp_path):
    (x,) = findings(_growth_pair(tmp_path, 20.0), "growth_vs_values")
    assert x.status == "ok" and x.period == "2024" and x.region == "甲区"


def test_a_growth_rate_the_values_contradict_is_flagged_beyond_the_tolerance_only(tmp_path):
    results = _growth_pair(tmp_path, 25.0)
    (x,) = findings(results, "growth_vs_values")
    assert x.status == "flag" and "+20.00%" in x.detail and "+25.00%" in x.detail
    (y,) = findings(results, "growth_vs_values", Settings(growth_tolerance=5.5))
    assert y.status == "ok"


def test_a_fall_is_a_negative_rate(tmp_path):
    (x,) = findings(_growth_pair(tmp_path, 20.0, "技术合同成交额同比降幅", now=(80, "亿元")), "growth_vs_values")
    assert x.status == "ok"


def test_no_growth_check_without_last_years_value(tmp_path):
    assert findings(_growth_pair(tmp_path, 20.0)[1:], "growth_vs_values") == []


# -- target_vs_actual ---------------------------------------------------------------------


def _plan_and_summary(tmp_path, actual: float | None, target_approx: str = "exact", summary_years=(2024,)):
    plan = report(tmp_path, "p.txt", "乙区", "plan", [2024], "力争高新技术企业数达到100家。",
                  [("高新技术企业数", "高新技术企业数达到100家", 100, "家", "target", "2024")], approx=target_approx)
    if actual is None:
        figs, text = [("专利数", "专利数5件", 5, "件", "actual", "2024")], "专利数5件。"
    else:
        figs, text = [("高新技术企业数量", f"高新技术企业数量{actual:g}家", actual, "家", "actual", "2024")], f"高新技术企业数量{actual:g}家。"
    return [plan, report(tmp_path, "s.txt", "乙区", "summary", list(summary_years), text, figs)]


@pytest.mark.parametrize("actual, approx, status", [
    (120, "exact", "met"), (100, "exact", "met"), (90, "exact", "missed"),
    (90, "under", "met"), (120, "under", "missed"),  # a ceiling (控制在…以内) is met from below
    (None, "exact", "not reported"),
])
def test_a_target_is_met_missed_or_not_reported_by_the_later_summary(tmp_path, actual, approx, status):
    (x,) = findings(_plan_and_summary(tmp_path, actual, approx), "target_vs_actual")
    assert x.status == status and x.indicator == "高新技术企业数"


def test_a_target_with_no_summary_of_its_period_says_so(tmp_path):
    (x,) = findings(_plan_and_summary(tmp_path, None, summary_years=(2023,)), "target_vs_actual")
    assert x.status == "no summary"


# -- part_vs_whole ------------------------------------------------------------------------


def _parts(tmp_path, part: float, share: float | None = None):
    text = f"高新技术企业500家，其中新认定{part:g}家" + (f"，占比{share:g}%" if share is not None else "") + "。"
    figs = [("高新技术企业数", "高新技术企业500家", 500, "家", "actual", "2024"),
            ("新认定高新技术企业数", f"新认定{part:g}家", part, "家", "actual", "2024")]
    if share is not None:
        figs.append(("新认定高新技术企业占比", f"占比{share:g}%", share, "%", "actual", "2024"))
    return [report(tmp_path, "c.txt", "丙区", "summary", [2024], text, figs)]


def test_a_part_larger_than_its_whole_is_flagged(tmp_path):
    (x,) = findings(_parts(tmp_path, 600), "part_vs_whole")
    assert x.status == "flag" and x.indicator == "新认定高新技术企业数"
    (y,) = findings(_parts(tmp_path, 300), "part_vs_whole")
    assert y.status == "ok"


def test_a_share_is_checked_against_part_over_whole_and_100_percent(tmp_path):
    ok = [x for x in findings(_parts(tmp_path, 300, 60), "part_vs_whole") if x.indicator.endswith("占比")]
    bad = [x for x in findings(_parts(tmp_path, 300, 70), "part_vs_whole") if x.indicator.endswith("占比")]
    over = [x for x in findings(_parts(tmp_path, 300, 160), "part_vs_whole") if x.indicator.endswith("占比")]
    assert [x.status for x in ok] == ["ok"] and [x.status for x in bad] == ["flag"]
    assert [x.status for x in over] == ["flag"] and "100%" in over[0].detail


# -- one_value ----------------------------------------------------------------------------


def _twice(tmp_path, second: tuple[float, str]):
    a = report(tmp_path, "d1.txt", "丁区", "summary", [2024], "研发投入1亿元。", [("研发投入", "研发投入1亿元", 1, "亿元", "actual", "2024")])
    b = report(tmp_path, "d2.txt", "丁区", "summary", [2024], f"研发投入{second[0]:g}{second[1]}。",
               [("研发投入", f"研发投入{second[0]:g}{second[1]}", second[0], second[1], "actual", "2024")])
    return [a, b]


def test_one_indicator_with_two_values_for_one_period_is_flagged_the_same_in_other_units_is_not(tmp_path):
    (x,) = findings(_twice(tmp_path, (2, "亿元")), "one_value")
    assert x.status == "flag" and "d1" in x.detail and "d2" in x.detail
    assert findings(_twice(tmp_path, (10000, "万元")), "one_value") == []


def test_every_rule_is_named_and_run():
    assert set(RULES) == {"growth_vs_values", "target_vs_actual", "part_vs_whole", "one_value"}


# -- links --------------------------------------------------------------------------------


def _names(tmp_path, *names: str, unit: str = "家"):
    text = "。".join(f"{n}{k + 1}{unit}" for k, n in enumerate(names)) + "。"
    figs = [(n, f"{n}{k + 1}{unit}", k + 1, unit, "actual", "2024") for k, n in enumerate(names)]
    return [report(tmp_path, "e.txt", "戊区", "summary", [2024], text, figs)]


def _linked(results, mapping=None):
    return {k.name: k.indicator for k in build_panel(results, S, mapping).links}


def test_alike_names_link_but_a_stock_a_flow_or_another_prize_do_not(tmp_path):
    got = _linked(_names(tmp_path, "高新技术企业数", "高新技术企业数量", "有效高新技术企业数", "新认定高新技术企业数",
                         "科技进步一等奖", "科技进步二等奖"))
    assert got["高新技术企业数量"] == "高新技术企业数"
    assert got["有效高新技术企业数"] == "有效高新技术企业数"
    assert got["新认定高新技术企业数"] == "新认定高新技术企业数"
    assert got["科技进步二等奖"] == "科技进步二等奖"


def test_a_rate_follows_its_subjects_link(tmp_path):
    got = _linked(_names(tmp_path, "高新技术企业数", "高新技术企业数", "高新技术企业数量", "高新技术企业数量同比增速"))
    assert got["高新技术企业数量同比增速"] == "高新技术企业数同比增速"


def test_the_links_file_round_trips_and_an_edit_is_obeyed(tmp_path):
    results = _names(tmp_path, "高新技术企业数", "高新技术企业数", "高新技术企业数量")
    built = build_panel(results, S)
    f = tmp_path / "links.csv"
    f.write_text(links_csv(built.links), encoding="utf-8-sig")
    assert _linked(results, read_links(f)) == _linked(results)
    edited = f.read_text(encoding="utf-8-sig").replace("高新技术企业数量,家,高新技术企业数,", "高新技术企业数量,家,,")
    f.write_text(edited, encoding="utf-8")
    assert _linked(results, read_links(f))["高新技术企业数量"] == "高新技术企业数量"
    assert {r.indicator for r in build_panel(results, S, read_links(f)).rows} == {"高新技术企业数", "高新技术企业数量"}


def test_a_bad_links_file_is_one_line_naming_it_with_exit_2(tmp_path, seeds_jsonl):
    bad = tmp_path / "links.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LinksFormatError, match="no name, family, indicator column"):
        read_links(bad)
    got = CliRunner().invoke(main, ["panel", str(seeds_jsonl), "--links", str(bad)])
    assert got.exit_code == 2 and str(bad) in got.output and "Traceback" not in got.output
    assert got.output.count("\n") == 1


def test_a_jsonl_with_no_result_is_one_line_with_exit_2(tmp_path):
    junk = tmp_path / "x.jsonl"
    junk.write_text("not json\n", encoding="utf-8")
    got = CliRunner().invoke(main, ["panel", str(junk)])
    assert got.exit_code == 2 and got.output.startswith(f"llmx: error: {junk}")


# -- the seeds ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_panel(seeds_jsonl):
    results = read_results(seeds_jsonl)
    return results, build_panel(results, S)


def test_every_seed_indicator_is_in_exactly_one_row(seeds_panel):
    results, panel = seeds_panel
    assert len(panel.facts) == sum(len(r.indicators) for r in results)
    keys = [(r.region, r.indicator, r.period) for r in panel.rows]
    assert len(keys) == len(set(keys)) == len({(f.region, f.indicator, f.period) for f in panel.facts})
    by_doc = {r.doc: r for r in results}
    for f in panel.facts:
        ind = by_doc[f.doc].indicators[f.index]
        assert (ind.name, ind.value, ind.quote) == (f.name, f.value, f.quote)


def test_the_seeds_growth_checks_agree_with_the_values_read_from_the_jsonl(seeds_panel):
    results, panel = seeds_panel
    by_doc = {r.doc: r for r in results}
    growth = [x for x in panel.findings if x.rule == "growth_vs_values"]
    for x in growth:
        rate, now, before = (by_doc[d].indicators[i] for d, i in x.refs)
        mag = {"亿元": 1e8, "万元": 1e4}
        computed = (now.value * mag.get(now.unit, 1) / (before.value * mag.get(before.unit, 1)) - 1) * 100
        stated = -rate.value if "降" in rate.name else rate.value
        assert (x.status == "flag") == (abs(stated - computed) > S.growth_tolerance), x.detail
        assert int(now.period) == int(before.period) + 1


def test_the_seeds_targets_each_get_one_status(seeds_panel):
    results, panel = seeds_panel
    targets = [f for f in panel.facts if f.kind == "target" and f.period]
    statuses = [x for x in panel.findings if x.rule == "target_vs_actual"]
    assert len(statuses) == len(targets)
    assert {x.status for x in statuses} <= {"met", "missed", "not reported", "no summary", "not comparable"}


def test_panel_cli_writes_csv_parquet_and_links_that_agree(seeds_jsonl, seeds_panel, tmp_path):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    _, panel = seeds_panel
    out = tmp_path / "panel.csv"
    got = CliRunner().invoke(main, ["panel", str(seeds_jsonl), "-o", str(out)])
    assert got.exit_code == 0, got.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(panel.rows)
    links = read_links(out.with_name("panel.csv.links.csv"))
    assert len(links) == len(panel.links)
    pq_out = tmp_path / "panel.parquet"
    assert CliRunner().invoke(main, ["panel", str(seeds_jsonl), "-o", str(pq_out)]).exit_code == 0
    table = pq.read_table(pq_out).to_pylist()
    assert [(r["region"], r["indicator"], r["period"], r["checks"]) for r in table] == \
        [(r["region"], r["indicator"], r["period"], r["checks"]) for r in rows]
    md = CliRunner().invoke(main, ["panel", str(seeds_jsonl)])
    fired = [r for r in panel.rows if r.checks or r.target_status in ("met", "missed", "not reported")]
    assert md.stdout.count("\n") == len(fired) + 2
    # the rows the README shows: `llmx panel SEEDS.jsonl` on the replayed seeds, kept with the eval report
    keep = Path(os.environ.get("LLMX_EVAL_OUT", Path(__file__).resolve().parent.parent / ".eval-out"))
    keep.mkdir(parents=True, exist_ok=True)
    (keep / "panel.md").write_text(md.stdout, encoding="utf-8")
    shutil.copy(seeds_jsonl, keep / "seeds.jsonl")


def test_reports_on_stdin_of_panel_survive_a_failed_report(seeds_jsonl, tmp_path):
    results = read_results(seeds_jsonl)
    failed = results[0].model_copy(update={"error": "endpoint down", "indicators": []})
    f = tmp_path / "some.jsonl"
    f.write_text("".join(dump_line(r) for r in [failed, *results[1:]]), encoding="utf-8")
    got = CliRunner().invoke(main, ["panel", str(f)])
    assert got.exit_code == 0 and "(1 failed, left out)" in got.stderr


def test_a_report_whose_file_is_gone_is_named_where_its_part_checks_are_skipped(tmp_path):
    results = _parts(tmp_path, 600)
    assert findings(results, "part_vs_whole")
    Path(results[0].path).unlink()
    panel = build_panel(results, S)
    assert panel.unread == ("c.txt",) and not [x for x in panel.findings if x.rule == "part_vs_whole"]
    f = tmp_path / "r.jsonl"
    f.write_text(dump_line(results[0]), encoding="utf-8")
    got = CliRunner().invoke(main, ["panel", str(f)])
    assert got.exit_code == 0 and "part_vs_whole skipped 1 report(s) whose file is gone: c.txt" in got.stderr
