"""The scoring rules of eval: matching, one-to-one assignment, P/R/F1, meta, and the report."""

from __future__ import annotations

import json

import pytest

from llmx.evaluation.gold import GoldDoc, GoldIndicator
from llmx.evaluation.report import render_markdown, to_json
from llmx.evaluation.score import dice, match, same_quantity, score_all, score_doc
from llmx.models import Indicator, Meta, ReportResult

META = Meta(issuer="上海市普陀区科学技术委员会", region="普陀区", doc_number="普科委〔2025〕4号",
            title="2024 年普陀区科学技术委员会工作总结", kind="summary", years=[2024], issued_on="2025-03-24")


def gold(name, value, unit, quote="", kind="actual", period="2024", approx="exact") -> GoldIndicator:
    return GoldIndicator(name=name, value=value, unit=unit, kind=kind, period=period, approx=approx,
                         quote=quote or f"{name}{value:g}{unit or ''}")


def pred(name, value, unit, quote="", kind="actual", period="2024", approx="exact", source="") -> Indicator:
    quote = quote or f"{name}{value:g}{unit or ''}"
    start = source.find(quote) if source and quote in source else 0
    return Indicator(name=name, value=value, unit=unit, kind=kind, period=period, approx=approx,
                     quote=quote, start=start, end=start + len(quote))


def gdoc(*indicators, meta=META, doc="d.txt") -> GoldDoc:
    return GoldDoc(doc=doc, meta=meta, indicators=list(indicators))


def result(*indicators, meta=META, doc="d.txt") -> ReportResult:
    return ReportResult(doc=doc, path=doc, meta=meta, indicators=list(indicators))


# --- quantities ---------------------------------------------------------------------------------

@pytest.mark.parametrize("g, p", [
    ((1.5, "万人次"), (15000, "人次")),
    ((7100, "万元"), (0.71, "亿元")),
    ((197.54, "亿元"), (197.54, "亿")),       # a bare 亿 is money
    ((19754000000, "元"), (197.54, "亿元")),
    ((5, "%"), (5, "％")),
])
def test_magnitude_equivalence(g, p):
    assert same_quantity(*g, *p)
    s = score_doc(gdoc(gold("科普活动参与人次", *g)), result(pred("科普活动参与人次", *p)), "")
    assert s.n_matched == 1 and s.f1 == 1.0


@pytest.mark.parametrize("g, p", [
    ((5, "%"), (5, "个百分点")),
    ((3, "个"), (3, "项")),
    ((1.5, "万人次"), (1.5, "万人")),
    ((10, "亿元"), (10, "亿人次")),
    ((2, "名"), (2, None)),
])
def test_different_families_never_match(g, p):
    assert not same_quantity(*g, *p)
    s = score_doc(gdoc(gold("研发经费支出占比", *g)), result(pred("研发经费支出占比", *p)), "")
    assert s.n_matched == 0 and s.missed and s.false


def test_values_must_agree():
    assert not same_quantity(1.5, "万人次", 1500, "人次")
    assert same_quantity(1.0, "%", 1.0000001, "%")        # within 1e-6
    assert not same_quantity(1.0, "%", 1.00001, "%")


# --- names --------------------------------------------------------------------------------------

def test_dice_values():
    assert dice("技术合同成交金额", "技术合同成交金额") == 1.0
    assert dice("专利数", "专利量") == 0.5                 # 专利 shared: 2*1/(2+2)
    assert dice("研发投入", "研发投资") == pytest.approx(2 / 3)
    assert dice("研发投入", "研发支出") == pytest.approx(1 / 3)
    assert dice("专利数", "商标数") == 0.0
    assert dice("高新 技术企业", "高新技术企业") == 1.0      # white space ignored
    assert dice("数", "量") == 0.0 and dice("数", "数") == 1.0


@pytest.mark.parametrize("gname, pname, matched", [
    ("专利数", "专利量", True),        # Dice 0.5: at the threshold
    ("研发投入", "研发投资", True),    # 0.67
    ("研发投入", "研发支出", False),   # 0.33
    ("专利数", "商标数", False),       # 0.0
])
def test_dice_threshold(gname, pname, matched):
    s = score_doc(gdoc(gold(gname, 5, "件")), result(pred(pname, 5, "件")), "")
    assert (s.n_matched == 1) is matched


# --- one-to-one ---------------------------------------------------------------------------------

def test_each_gold_matches_at_most_one_prediction():
    g = gold("新增高新技术企业数", 68, "家")
    p1, p2 = pred("新增高新技术企业数", 68, "家"), pred("新认定高新技术企业数", 68, "家")
    s = score_doc(gdoc(g), result(p2, p1), "")
    assert s.n_matched == 1 and s.matched[0].pred is p1      # highest Dice wins, not list order
    assert s.false == (p2,) and s.precision == 0.5 and s.recall == 1.0


def test_each_prediction_matches_at_most_one_gold():
    g1, g2 = gold("技术合同成交额", 100, "亿元"), gold("技术合同成交金额", 100, "亿元")
    p = pred("技术合同成交金额", 100, "亿元")
    s = score_doc(gdoc(g1, g2), result(p), "")
    assert s.n_matched == 1 and s.matched[0].gold is g2 and s.missed == (g1,)


def test_ties_go_to_the_closer_quote():
    source = "一季度新增企业 5 家，……二季度新增企业 5 家。"
    g1 = gold("新增企业数", 5, "家", quote="一季度新增企业 5 家")
    g2 = gold("新增企业数", 5, "家", quote="二季度新增企业 5 家")
    p_second = pred("新增企业数", 5, "家", quote="二季度新增企业 5 家", source=source)
    p_first = pred("新增企业数", 5, "家", quote="一季度新增企业 5 家", source=source)
    assert match([g1, g2], [p_second, p_first], source) == [(0, 1, 1.0), (1, 0, 1.0)]
    # without the quotes in the source: document order
    assert match([g1, g2], [p_second, p_first], "") == [(0, 0, 1.0), (1, 1, 1.0)]


# --- arithmetic ---------------------------------------------------------------------------------

def test_precision_recall_f1_and_shares():
    source = "专利数5件，企业数10家，增速3%，人数7人"
    golds = [gold("专利数", 5, "件", quote="专利数5件"), gold("企业数", 10, "家", quote="企业数10家"),
             gold("增速", 3, "%", quote="增速3%"), gold("人数", 7, "人", quote="人数7人")]
    preds = [pred("专利数", 5, "件", quote="专利数5件", source=source, kind="target"),
             pred("企业数", 10, "家", quote="企业数10家", source=source, period=None),
             pred("楼宇数", 9, "栋", quote="楼宇数9栋")]                # false, quote not in source
    s = score_doc(gdoc(*golds), result(*preds), source)
    assert (s.n_gold, s.n_pred, s.n_matched) == (4, 3, 2)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(1 / 2)
    assert s.f1 == pytest.approx(4 / 7)
    assert s.kind_acc == 0.5 and s.period_acc == 0.5 and s.approx_acc == 1.0
    assert s.quote_found == pytest.approx(2 / 3)
    assert [g.name for g in s.missed] == ["增速", "人数"] and [p.name for p in s.false] == ["楼宇数"]

    other = score_doc(gdoc(gold("a指标", 1, "个"), gold("b指标", 2, "个")),
                      result(pred("a指标", 1, "个"), pred("b指标", 2, "个")), "")
    assert (other.precision, other.recall, other.f1) == (1.0, 1.0, 1.0)
    total = score_all({"a": gdoc(*golds, doc="a.txt"),
                       "b": gdoc(gold("a指标", 1, "个"), gold("b指标", 2, "个"), doc="b.txt")},
                      {"a": result(*preds, doc="a.txt"), "b": result(pred("a指标", 1, "个"), pred("b指标", 2, "个"))},
                      {"a": source, "b": ""})
    assert (total.n_gold, total.n_pred, total.n_matched) == (6, 5, 4)
    assert total.precision == pytest.approx(4 / 5) and total.recall == pytest.approx(4 / 6)
    assert total.f1 == pytest.approx(8 / 11)                       # micro, not the mean of the docs
    assert total.kind_acc == pytest.approx(3 / 4) and total.period_acc == pytest.approx(3 / 4)
    assert total.quote_found == pytest.approx(2 / 5)
    assert total.meta_right == 14 and total.meta_total == 14
    assert [d.doc for d in total.docs] == ["a", "b"]


# --- meta ---------------------------------------------------------------------------------------

def test_meta_fields_compared_after_stripping_white_space():
    p = META.model_copy(update={"title": " 2024年普陀区科学技术委员会工作总结\n", "years": [2024],
                                "issuer": "上海市普陀区科学技术委员会 "})
    s = score_doc(gdoc(), result(meta=p), "")
    assert s.meta_right == 7 and all(s.meta.as_dict().values())


def test_meta_fields_years_as_sets_and_wrong_fields():
    g = META.model_copy(update={"years": [2024, 2025], "kind": "summary_and_plan", "doc_number": None})
    p = g.model_copy(update={"years": [2025, 2024], "issued_on": "2025-03-25", "region": "上海市"})
    s = score_doc(gdoc(meta=g), result(meta=p), "")
    assert s.meta.years and s.meta.doc_number and s.meta.kind
    assert not s.meta.issued_on and not s.meta.region
    assert s.meta_right == 5
    assert score_doc(gdoc(meta=g), result(meta=g.model_copy(update={"kind": "plan"})), "").meta.kind is False


# --- missing prediction -------------------------------------------------------------------------

def test_missing_prediction_scores_zero():
    golds = [gold("专利数", 5, "件"), gold("企业数", 10, "家")]
    s = score_doc(gdoc(*golds), None, "")
    assert (s.n_pred, s.n_matched, s.precision, s.recall, s.f1) == (0, 0, 0.0, 0.0, 0.0)
    assert s.meta_right == 0 and s.missed == tuple(golds) and s.false == ()
    assert s.kind_acc is None and s.quote_found is None and not s.predicted

    total = score_all({"a": gdoc(*golds, doc="a.txt"), "b": gdoc(*golds, doc="b.txt")},
                      {"b": result(*[pred(g.name, g.value, g.unit) for g in golds], doc="b.txt")},
                      {"a": "", "b": ""})
    assert total.recall == 0.5 and total.precision == 1.0 and total.meta_right == 7 and total.meta_total == 14


def test_score_all_needs_every_source():
    with pytest.raises(ValueError, match="a"):
        score_all({"a": gdoc(doc="a.txt")}, {}, {})


# --- report -------------------------------------------------------------------------------------

def test_report_renders_both_systems_and_json_round_trips():
    golds = [gold("专利数", 5, "件", quote="专利数5件"), gold("企业数", 10, "家", quote="企业|数\n10家")]
    preds = {"a": result(pred("专利数", 5, "件"), pred("楼宇数", 9, "栋"), doc="a.txt")}
    scores = {"model": score_all({"a": gdoc(*golds, doc="a.txt")}, preds, {"a": "专利数5件"}),
              "regex baseline": score_all({"a": gdoc(*golds, doc="a.txt")}, {}, {"a": "专利数5件"})}
    md = render_markdown(scores, worst=1)
    assert "model F1" in md and "regex baseline F1" in md and "**overall**" in md
    assert "企业\\|数 10家" in md and "楼宇数" in md and "meta right" in md
    assert "(1 of 1)" in md
    figures = json.loads(json.dumps(to_json(scores)))
    assert figures["model"]["overall"]["f1"] == pytest.approx(0.5)
    assert figures["regex baseline"]["docs"]["a"]["recall"] == 0.0
    assert figures["model"]["docs"]["a"]["false"][0]["name"] == "楼宇数"


def test_report_says_which_same_valued_item_was_closest():
    # 科技小巨人企业数 10家 lost its same-valued prediction to a better-named gold; 新认定高企
    # 10家 is closest to a gold another prediction took; 专利数 and 楼宇数 have no same value.
    golds = [gold("高新技术企业数", 10, "家"), gold("科技小巨人企业数", 10, "家"), gold("专利数", 5, "件")]
    preds = [pred("高新技术企业数", 10, "家"), pred("新认定高企", 10, "家"), pred("楼宇数", 9, "栋")]
    scores = {"model": score_all({"a": gdoc(*golds, doc="a.txt")}, {"a": result(*preds, doc="a.txt")}, {"a": ""})}
    md = render_markdown(scores, worst=5)
    def row(section: str, name: str) -> str:
        part = md[md.index(section):]
        return next(line for line in part.splitlines() if line.startswith(f"| a | {name} |"))

    assert row("missed gold", "专利数").endswith("| no prediction of this value |")
    assert "| taken by 高新技术企业数 (Dice 0.31) |" in row("missed gold", "科技小巨人企业数")
    assert "| gold taken: 高新技术企业数 (Dice" in row("false predictions", "新认定高企")
    assert row("false predictions", "楼宇数").endswith("| value not in gold |")


def test_the_baseline_is_checked_both_ways_per_set(tmp_path):
    import json

    from llmx.evaluation.harness import MODEL, check_baseline

    record = tmp_path / "baseline.json"
    record.write_text(json.dumps({"tolerance": 0.01, "seeds": {"f1": 0.6, "located_f1": 0.9}}), encoding="utf-8")

    def figures(f1, located):
        return {MODEL: {"overall": {"f1": f1, "located_f1": located}}}

    assert check_baseline(figures(0.605, 0.9), record) is None
    assert "below" in check_baseline(figures(0.58, 0.9), record)
    assert "above" in check_baseline(figures(0.62, 0.9), record)  # a rise must be recorded on purpose
    assert "located_f1" in check_baseline(figures(0.6, 0.85), record)
    assert "no record" in check_baseline(figures(0.6, 0.9), record, "dev")
