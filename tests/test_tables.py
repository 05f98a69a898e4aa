"""Tables written as text (llmx.finder.tables): a header of bare years heads its columns."""

from __future__ import annotations

import llmx

TABLE = "某区科技局2024年工作总结\n一、主要指标\n指标 2024 2025\n技术合同成交额（亿元） 521.6 600\n高新技术企业（家） 213 260\n"


def test_a_header_of_bare_years_gives_each_cell_its_row_name_unit_and_column_year():
    result = llmx.extract_text(TABLE, model=False)
    cells = [(i.name, i.value, i.unit, i.period) for i in result.indicators]
    assert cells == [("技术合同成交额", 521.6, "亿元", "2024"), ("技术合同成交额", 600.0, "亿元", "2025"),
                     ("高新技术企业数", 213.0, "家", "2024"), ("高新技术企业数", 260.0, "家", "2025")]
    assert result.rejected == []
