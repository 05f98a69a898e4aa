"""Every gold file in eval/gold loads and passes the guards against its seed; broken files are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmx.errors import GoldFormatError
from llmx.evaluation.gold import GoldDoc, GoldIndicator, gold_problems, load_gold, load_gold_dir

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold"
SEEDS = ROOT / "seeds"
GOLD_FILES = sorted(GOLD.glob("*.json"))


def raw_text(path: Path) -> str:
    """The seed as the labellers quote it: the raw file, UTF-8 decoded, nothing normalised."""
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_gold_file_passes_the_guards(path: Path):
    doc = load_gold(path)
    seed = SEEDS / f"{path.stem}.txt"
    assert seed.is_file(), f"{path.name} has no seed {seed.name}"
    assert doc.doc == seed.name
    assert gold_problems(doc, raw_text(seed)) == []


def test_gold_dir_is_keyed_by_stem():
    gold = load_gold_dir(GOLD)
    assert sorted(gold) == [p.stem for p in GOLD_FILES]
    assert all(isinstance(d, GoldDoc) for d in gold.values())


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
