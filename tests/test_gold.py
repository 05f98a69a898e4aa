"""Every gold file in eval/gold (against seeds/) and in eval/dev/gold (against eval/dev/docs/)
loads and passes the guards against its source; broken files are named."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from llmx.errors import GoldFormatError
from llmx.evaluation.gold import GoldDoc, GoldIndicator, gold_problems, load_gold, load_gold_dir

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold"
SEEDS = ROOT / "seeds"
GOLD_FILES = sorted(GOLD.glob("*.json"))
# The dev set: excerpts of other regions and years, written for this project (eval/dev/README.md).
DEV_GOLD = ROOT / "eval" / "dev" / "gold"
DEV_DOCS = ROOT / "eval" / "dev" / "docs"
DEV_GOLD_FILES = sorted(DEV_GOLD.glob("*.json"))

# (gold folder, source folder) of each gold set; every guard below runs on both.
GOLD_SETS = {"seeds": (GOLD, SEEDS), "dev": (DEV_GOLD, DEV_DOCS)}
GOLD_CASES = [("seeds", p) for p in GOLD_FILES] + [("dev", p) for p in DEV_GOLD_FILES]


def raw_text(path: Path) -> str:
    """The seed as the labellers quote it: the raw file, UTF-8 decoded, nothing normalised."""
    return path.read_bytes().decode("utf-8")


# The dev set holds shapes that llmx's number finder (which gold_problems uses for its value
# check) may not read: a number cut by a converted PDF's page break (`19\n\n7.54亿元`), a
# zero-width space inside a number (`2\u200b13家`). The gold is not bent to suit the finder: its
# values are checked with the independent reading of bench/grounding.py, which uses no llmx code.
sys.path.insert(0, str(ROOT / "bench"))
from grounding import value_in_quote as value_read_independently  # noqa: E402


@pytest.mark.parametrize("gold_set, path", GOLD_CASES, ids=[f"{s}:{p.stem}" for s, p in GOLD_CASES])
def test_gold_file_passes_the_guards(gold_set: str, path: Path):
    doc = load_gold(path)
    sources = GOLD_SETS[gold_set][1]
    seed = sources / f"{path.stem}.txt"
    assert seed.is_file(), f"{path.name} has no seed {seed.name}"
    assert doc.doc == seed.name
    if gold_set == "seeds":
        assert gold_problems(doc, raw_text(seed)) == []
        return
    # Dev set: the same guards, except that a value the number finder misses (a page-break or
    # U+200B number, see above) passes when the independent reading finds it in the quote.
    problems = gold_problems(doc, raw_text(seed))
    assert [p for p in problems if not any(
        p.startswith(f"indicators[{i}] ") and ": value " in p and value_read_independently(ind.value, ind.quote)
        for i, ind in enumerate(doc.indicators))] == []


@pytest.mark.parametrize("path", DEV_GOLD_FILES, ids=[p.stem for p in DEV_GOLD_FILES])
def test_dev_values_read_independently(path: Path):
    """Every dev value is a number written in its quote by the independent reading, whatever llmx reads."""
    doc = load_gold(path)
    wrong = [f"indicators[{i}] ({ind.name}): {ind.value:g} not in {ind.quote!r}"
             for i, ind in enumerate(doc.indicators) if not value_read_independently(ind.value, ind.quote)]
    assert wrong == []


@pytest.mark.parametrize("gold_set", sorted(GOLD_SETS))
def test_gold_dir_is_keyed_by_stem(gold_set: str):
    gold_dir, sources = GOLD_SETS[gold_set]
    gold = load_gold_dir(gold_dir)
    assert sorted(gold) == [p.stem for p in sorted(gold_dir.glob("*.json"))]
    assert all(isinstance(d, GoldDoc) for d in gold.values())
    if gold_set == "dev":  # every dev excerpt is labelled
        assert sorted(gold) == sorted(p.stem for p in sources.glob("*.txt"))


def test_dev_set_is_there():
    assert len(DEV_GOLD_FILES) >= 7


@pytest.mark.parametrize("value, quote", [
    (197.54, "成交额达到19\n\n7.54亿元"), (213, "企业2\u200b13家"), (1234, "１，２３４件"), (36.5, "３６．５亿元"),
    (58, "企业58\u00a0家"), (-7.0, "新增（家） 2130 1981 -7.0%"), (8.5, "同比增长 8.5 %"), (1200, "一千二百家次"),
    (200, "两百余名"), (108, "一百零八家"), (12000, "一万二千余个"), (100, "近百人"), (1, "排名全市首位"),
    (2, "居全省县市区第二"), (41, "四十一个"), (31.6, "３１．６％"),
])
def test_independent_reading(value, quote):
    assert value_read_independently(value, quote)


@pytest.mark.parametrize("value, quote", [(13, "2\u200b13家"), (19, "达到19\n\n7.54亿元"), (7, "一二三")])
def test_independent_reading_is_not_loose(value, quote):
    assert not value_read_independently(value, quote)


GOOD = {
    "doc": "x.txt",
    "meta": {"issuer": "某委", "region": "普陀区", "doc_number": None, "title": "工作总结", "kind": "summary",
             "years": [2024], "issued_on": "2025-03-24"},
    "indicators": [{"name": "技术合同成交金额", "value": 197.54, "unit": "亿元", "kind": "actual", "period": "2024",
                    "approx": "exact", "quote": "成交金额197.54亿"}],
}


def _broken(update) -> dict:
    data = json.loads(json.dumps(GOOD))
    update(data)
    return data


@pytest.mark.parametrize("content, says", [
    ('{"doc": "x.txt", "meta": {', "bad JSON"),
    ("[]", "expected a JSON object"),
    (_broken(lambda d: d["indicators"][0].pop("quote")), "indicators[0].quote: missing"),
    (_broken(lambda d: d["indicators"][0].update(kind="goal")), "indicators[0].kind"),
    (_broken(lambda d: d["indicators"][0].update(value="197.54")), "indicators[0].value"),
    (_broken(lambda d: d["indicators"][0].update(note="?")), "indicators[0].note: not a field"),
    (_broken(lambda d: d["meta"].pop("issued_on")), "meta.issued_on: missing"),
    (_broken(lambda d: d["meta"].update(kind="report")), "meta.kind"),
    (_broken(lambda d: d.pop("indicators")), "indicators: missing"),
    (_broken(lambda d: d.update(doc="y.txt")), "stems differ"),
])
def test_broken_gold_file_names_file_and_problem(tmp_path: Path, content, says):
    path = tmp_path / "x.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    assert "x.json" in str(info.value) and says in str(info.value)
    assert info.value.path == str(path)
    with pytest.raises(GoldFormatError, match="x.json"):
        load_gold_dir(tmp_path)


def test_good_file_loads(tmp_path: Path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    doc = load_gold(path)
    assert doc.indicators[0].value == 197.54 and doc.meta.doc_number is None
    assert gold_problems(doc, "技术合同成交金额197.54亿元") == []


def test_missing_or_empty_gold_dir(tmp_path: Path):
    with pytest.raises(GoldFormatError):
        load_gold_dir(tmp_path / "nowhere")
    with pytest.raises(GoldFormatError, match="no \\*.json"):
        load_gold_dir(tmp_path)


def _ind(value, quote, unit="个") -> GoldIndicator:
    return GoldIndicator(name="指标", value=value, unit=unit, kind="actual", period=None, approx="exact", quote=quote)


@pytest.mark.parametrize("value, quote", [
    (197.54, "成交金额197.54亿"), (1.5, "超1.5万人次"), (68, "新认定高新技术企业 68 家"), (3, "三批"),
    (1000, "千余名"), (1, "全市第一"), (5, "全市前五"), (4, "连续四年获评"), (12, "十二个"), (1200, "1,200家"),
    (3.5, "３.５%"),
])
def test_value_read_from_the_quote(value, quote):
    doc = GoldDoc(doc="x.txt", meta=GOOD["meta"], indicators=[_ind(value, quote)])
    assert gold_problems(doc, quote) == []


def test_guards_report_each_problem():
    meta = dict(GOOD["meta"], issued_on="2025-02-30")
    doc = GoldDoc(doc="x.txt", meta=meta, indicators=[_ind(68, "新认定 68 家"), _ind(15000, "1.5万人次"),
                                                      _ind(5, "高新技术企业 5 家")])
    problems = gold_problems(doc, "新认定  68 家，1.5万人次")
    assert len(problems) == 4
    assert "issued_on" in problems[0]
    assert "indicators[0]" in problems[1] and "quote not found" in problems[1]
    assert "indicators[1]" in problems[2] and "value 15000" in problems[2]
    assert "indicators[2]" in problems[3] and "quote not found" in problems[3]
    assert gold_problems(doc.model_copy(update={"meta": doc.meta.model_copy(update={"issued_on": None})}),
                         "新认定 68 家1.5万人次高新技术企业 5 家") == ["indicators[1] (指标): value 15000 is not a number "
                                                                   "written in the quote '1.5万人次'"]
