"""The public synchronous API over real model traffic (cassettes/api_extract_text.yaml)."""

from __future__ import annotations

import llmx
from llmx.finder.numbers import find_quantities
from llmx.text.source import clean_text

TEXT = """闵行区科学技术委员会2024年工作总结
一、主要目标完成情况
推动各类主体加强研发创新，全社会研发投入266.18亿元，占GDP达8.87%，全市第一；全年技术合同成交额达到367.58亿元，同比增长9.06%；有效期内高新技术企业数超3668家。以项目与平台为抓手，目前建成10个基础研究中心、12个创新联合体。
"""


def test_extract_text_returns_checked_grounded_indicators(model_settings, replay):
    with replay("api_extract_text"):
        result = llmx.extract_text(TEXT, name="snippet.txt", settings=model_settings)
    assert isinstance(result, llmx.ReportResult)
    assert result.meta.title == "闵行区科学技术委员会2024年工作总结"
    assert result.meta.years == [2024]
    by_value = {(i.value, i.unit): i for i in result.indicators}
    assert (266.18, "亿元") in by_value
    growth = by_value.get((9.06, "%"))
    assert growth is not None and growth.named_by == "rule" and growth.name.endswith("同比增速")
    assert by_value[(3668.0, "家")].approx == "over"
    for ind in result.indicators:
        assert TEXT[ind.start : ind.end] == ind.quote
        assert ind.value in [m.value for m in find_quantities(clean_text(ind.quote).text)]
        assert ind.period == "2024" and ind.kind == "actual"
    quantities = find_quantities(clean_text(TEXT).text)
    counts = result.counts
    assert counts.balanced and counts.indicators + counts.rejected + counts.uncovered == len(quantities)
