"""The name gate: what no analyst accepts as the name of a figure, whoever proposed it.

`name_faults(name)` gives the reasons a name is refused (empty when it passes):

    figure        it holds a figure of its own: a number with a unit (`57.58亿元`, `6000万元、`)
                  as the number finder reads it (a threshold that defines a category, `营收超2亿元企业`,
                  a term such as `5G` or `12345热线`, and a compared year are not figures), or a
                  number that ends it right after a Chinese character (`稻谷19179`)
    punctuation   it holds clause or sentence punctuation (`，。；：`, their half-width twins) or a
                  table's cell separator (`|`: `城镇| 84528 |` runs over into the row's other cells)
    list marker   it holds a list marker (`一是`, `（三）`, `1、`)
    furniture     it holds page furniture (`【…】`, `第2页`, `浏览`, `下一篇`, `预览`)
    brackets      its brackets or quotes do not pair up
    particle      it opens or ends on a particle or a bare verb (`…的`, `…要`, `和…`)
    no word       it has no Chinese character or Latin letter at all (`26.8 0.4`)
    repetition    a piece of one to four characters runs three times or more (`规模额元数元数元数`):
                  a runaway answer

The model's names are checked in its re-ask loop (`llmx.pipeline.extract`), so that it is
asked again with the reason; a name that still fails — or a rule's — gives way to a clean rule
name or to the name it holds (`repair_name`), or the figure goes to `rejected` with the reason
(`gate_names`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..finder.numbers import find_numbers

__all__ = ["name_faults", "repair_name", "gate_names", "without_own_scope"]

_PUNCTUATION = re.compile(r"[，,。；;：:！？!?|｜]")
_LIST_MARKER = re.compile(r"[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]{1,3}[）)]|(?<![\d.])\d{1,2}[、．]|^[①-⑳]")
_FURNITURE = re.compile(r"[【】]|第\d+页|浏览|点击|下载|预览|上一篇|下一篇|索引号|发布时间|打印")
# A number that ends a name right after a Chinese character is a figure cut from its unit
# (`稻谷19179` of `稻谷19179吨`); a name's own terms end otherwise (`5G基站`, `PM2.5浓度`).
_TRAILING_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])\d[\d.]*$")
_REPEATED = re.compile(r"(\D{1,4}?)\1{2,}")
_PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("‘", "’"), ("《", "》"), ("【", "】"), ("[", "]"))
# Particles and bare verbs a name never opens or ends on.
_BAD_START = re.compile(r"^(?:的|了|和|及|与|并|而|且|或|等)")
_BAD_END = re.compile(r"(?:的|了|要|和|及|与|并|而|且|或|在|是|为|把|被|将|从|由|对|于|向|以|让|使|经过|完成了)$")


def name_faults(name: str) -> list[str]:
    """Why `name` is no name for a figure (see the module docstring); empty when it is one."""
    faults = []
    figures = [m.text for m in find_numbers(name) if m.category == "quantity" and m.unit]  # a streak's rank stays
    if not figures and (bare := _TRAILING_NUMBER.search(name)):  # a figure whose unit was left behind
        figures = [bare.group()]
    if figures:
        faults.append(f"名称“{name}”含有数值“{figures[0]}”，名称只说明统计的是什么")
    if _PUNCTUATION.search(name):
        faults.append(f"名称“{name}”含有标点，不是一个名称")
    if _LIST_MARKER.search(name):
        faults.append(f"名称“{name}”含有序号")
    if _FURNITURE.search(name):
        faults.append(f"名称“{name}”含有网页上的其他文字")
    if any(name.count(a) != name.count(b) for a, b in _PAIRS):
        faults.append(f"名称“{name}”的括号或引号不成对")
    if _BAD_START.search(name) or _BAD_END.search(name):
        faults.append(f"名称“{name}”以虚词开头或结尾")
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", name):
        faults.append(f"名称“{name}”没有文字")
    if run := _REPEATED.search(name):
        faults.append(f"名称“{name}”把“{run.group(1)}”重复了多次")
    return faults


_LEADING_MARKER = re.compile(r"^(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、．.])+")
_REPAIR_MIN = 4


def repair_name(name: str) -> str | None:
    """A refused name cut down to the name it holds, or None: a leading list marker goes, and a
    runaway repetition with all after it; of a
    stretch with clause punctuation the last clause stays; a figure inside it goes (`317家规上
    科技服务业企业营收` -> `规上科技服务业企业营收`); a piece cut open by a closing
    bracket (`含培育）企业数`) and a particle at either end go. Only a result of at least four
    characters that the gate passes is one."""
    cut = _LEADING_MARKER.sub("", name)
    if run := _REPEATED.search(cut):  # a runaway answer: what came before it
        cut = cut[: run.start()]
    cut = ([c for c in _PUNCTUATION.split(cut) if c.strip()] or [""])[-1].strip()
    for m in sorted((m for m in find_numbers(cut) if m.category == "quantity" and m.unit), key=lambda m: -m.start):
        cut = cut[: m.start] + cut[m.end :]  # `317家规上…企业营收` -> `规上…企业营收`
    for a, b in _PAIRS:
        if cut.count(b) > cut.count(a):
            cut = cut[cut.rindex(b) + 1 :]
        if cut.count(a) > cut.count(b):
            cut = cut[: cut.rindex(a)]
    cut = _BAD_END.sub("", _BAD_START.sub("", cut))
    return cut if len(cut) >= _REPAIR_MIN and cut != name and not name_faults(cut) else None


# The reporting district itself is never written in a name (naming convention N1): `全区`, `我县`,
# the region's own name; `全市`/`我市` only in a city's own report (in a district's it is the city).
_OWN_SCOPE = re.compile(r"^(?:全区|我区|本区|该区|全县|我县|本县|该县|全镇|我镇|本镇)")
_OWN_CITY = re.compile(r"^(?:全市|我市|本市)")
_BARE_RANK = re.compile(r"^(?:全市|全省|全国|中心城区|郊区|同类)[^排]{0,6}排名")


def without_own_scope(name: str, region: str | None = None) -> str:
    """`name` without a leading reference to the reporting district itself (convention N1)."""
    cut = _OWN_SCOPE.sub("", name)
    if region and region.endswith("市"):
        cut = _OWN_CITY.sub("", cut)
    if region and len(region) >= 2 and cut.startswith(region):
        cut = cut[len(region):]
    # what is left must still say what is measured: not a bare measure (`人数`) or the district's
    # own rank (`成都高新区全市排名` keeps its subject)
    return cut if len(cut) >= 4 and not _BARE_RANK.match(cut) else name


def gate_names(names: dict[int, str], rule_name: Callable[[int], str],
               trace: dict[int, list[str]] | None = None) -> tuple[dict[int, str], set[int], dict[int, str]]:
    """Pass each of `names` (by figure index) through the gate: a refused name gives way to the
    name it holds (`repair_name`: what its proposer said, less the fault; `gate.repair`), else to
    `rule_name(i)` where that passes (`gate.rule`) or holds a name (`gate.rule_repair`), else the
    figure is refused with the reasons (`gate.refused`). Returns (the names that stand, the
    indices now named by rule, refused index -> why); `trace` gets the rule that acted on each."""
    kept: dict[int, str] = {}
    by_rule: set[int] = set()
    refused: dict[int, str] = {}
    for i, name in names.items():
        faults = name_faults(name)
        if not faults:
            kept[i] = name
            continue
        rule = "gate.refused"
        if repaired := repair_name(name):
            kept[i], rule = repaired, "gate.repair"
        elif (fallback := rule_name(i)) and fallback != name and not name_faults(fallback):
            kept[i], rule = fallback, "gate.rule"
        elif fallback and (repaired := repair_name(fallback)):
            kept[i], rule = repaired, "gate.rule_repair"
        else:
            refused[i] = "；".join(faults)
        if i in kept:
            by_rule.add(i)
        if trace is not None:
            trace.setdefault(i, []).append(f"{rule}: {kept.get(i) or refused[i]}")
    return kept, by_rule, refused
