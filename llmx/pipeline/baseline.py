"""The regex-only baseline: every quantity the number finder sees, named from its clause.

No model is called. It shows, in the eval report, what the model adds.
"""

from __future__ import annotations

from .extract import make_indicator, refused_figure
from ..naming.gate import gate_names, without_own_scope
from .names import finish_names, rule_name
from .work import section_work
from .ledger import outside
from .meta import LEAD_CHARS, regex_meta
from ..config import Settings
from ..models import ReportResult
from ..finder.numbers import find_numbers
from ..text.sections import split_sections
from ..text.source import Source

__all__ = ["baseline_extract"]


def baseline_extract(source: Source, section_chars: int = Settings.section_chars) -> ReportResult:
    """Indicators for every regex quantity of `source`, named without a model."""
    outline = split_sections(source, section_chars)
    tail = "\n".join(source.text.strip().split("\n")[-3:])
    meta = regex_meta(source.text[outline.meta_start : outline.meta_end], tail, source.text[:LEAD_CHARS])
    found = find_numbers(source.text)
    excluded, head_quantities = outside(source, found, outline.sections)
    result = ReportResult(doc=source.name, path=source.path, sha256=source.sha256, meta=meta,
                          found=len(found), excluded=excluded, uncovered=head_quantities)
    for work in section_work(source, outline.sections, meta, found):
        names: dict[int, str] = {}
        for i, m in enumerate(work.mentions):
            names[i] = rule_name(source, work, m, names.get(i - 1))
        finish_names(source, work, names, set())
        names = {i: without_own_scope(n, meta.region) for i, n in names.items()}  # convention N1
        names, _, refused = gate_names(names, lambda i: "")
        for i, m in enumerate(work.mentions):
            if i in refused:
                result.rejected.append(refused_figure(source, m, refused[i], work.section.heading, {}))
            else:
                result.indicators.append(make_indicator(source, work, m, names[i], "rule"))
    return result
