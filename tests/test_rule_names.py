"""Names that rules decide, on phrasings written for these tests (none is in the seeds,
the dev set or the held-out set): a plain-text table's cells (labelling decision 17), a
dependent rate or rank in the regex-only baseline, ranks held with `保持`/`稳居`, and
quotes that never start inside a grouped number."""

import asyncio
import json
from types import SimpleNamespace

import pytest

from llmx.pipeline.extract import baseline_extract
from llmx.naming.check import ungrounded_name
from llmx.naming.context import clause_before, expand_abbreviations, is_clause_stop
from llmx.config import Settings
from llmx.pipeline.extract import assemble, build_messages, extract_source
from llmx.pipeline.names import clean_rule_name, closer_to_the_clause, more_specific
from llmx.pipeline.work import section_work
from llmx.model.answers import Named
from llmx.models import Meta, Usage
from llmx.naming.dependents import rate_of_count
from llmx.naming.rules import event_scope, heading_scope, with_event, with_scope
from llmx.finder.numbers import find_numbers
from llmx.text.sections import split_sections
from llmx.text.source import clean_text

TABLE = (
    "某县经济和信息化局2023年工作总结\n\n"
    "一、主要指标\n\n"
    "项目 2022年 2023年 增速（%）\n"
    "科技企业孵化器（个） 18 21 16.7\n"
    "规上工业总产值（亿元） 1,204.5 1,318.0 9.4\n"
    "企业研发机构总数（家） 96 104 8.3\n"
    "\n二、主要工作\n\n"
    "全县技术合同登记额达到58.6亿元，同比增长23.1%。园区专利授权量达到3,456件，保持全市第一。"
    "全县数字经济核心产业营收突破800亿元，稳居全省县区第二。\n"
)


def _source(text: str):
    return clean_text(text, "t.txt")


@pytest.fixture
def table_result():
    return baseline_extract(_source(TABLE))


def test_a_table_cell_is_named_by_its_row_and_a_growth_cell_rates_the_row(table_result):
    names = {(i.value, i.period): i.name for i in table_result.indicators if "（" in i.quote}
    assert names[(18, "2022")] == names[(21, "2023")] == "科技企业孵化器数"
    assert names[(16.7, "2023")] == "科技企业孵化器数增速"
    assert names[(1204.5, "2022")] == names[(1318.0, "2023")] == "规上工业总产值"
    assert names[(9.4, "2023")] == "规上工业总产值增速"
    assert names[(96, "2022")] == names[(104, "2023")] == "企业研发机构数"  # 总数 of a stock is 数
    assert names[(8.3, "2023")] == "企业研发机构数增速"


def test_a_dependent_rate_and_a_held_rank_are_named_from_their_base_without_a_model(table_result):
    names = {i.value: i.name for i in table_result.indicators if "（" not in i.quote}
    assert names[23.1] == names[58.6] + "同比增速" and names[58.6].endswith("技术合同登记额")
    base = names[3456]
    assert names[1] == base + "全市排名"
    assert names[2] == names[800] + "全省县区排名"


def test_table_cells_are_not_asked_of_the_model_and_a_model_name_for_one_is_overridden():
    source = _source(TABLE)
    outline = split_sections(source, 600)
    works = [w for w in section_work(source, outline.sections, Meta(), find_numbers(source.text)) if w.mentions]
    tables = [w for w in works if w.cells]
    assert sum(len(w.cells) for w in tables) == 9
    for work in tables:
        assert set(work.cells) == set(range(len(work.mentions))) and work.asked == ()
        assert "【" not in build_messages(source, work)[1]["content"]
        indicators, rejected, uncovered = assemble(source, work, Named(names={}, failed={}))
        assert len(indicators) == len(work.mentions) and not rejected and not uncovered
        assert {i.named_by for i in indicators} == {"rule"}
    prose = next(w for w in works if not w.cells)
    marked = build_messages(source, prose)[1]["content"]
    assert "【1:58.6亿元】" in marked and "23.1%】" not in marked  # the rate hangs on its base


class _Declines:
    """A client double that declines every figure it is asked for and records the ids it
    was asked (the pipeline's routing is under test, not a model: no score comes from it)."""

    def __init__(self) -> None:
        self.settings = Settings(section_chars=600, rule_confidence=1.0)  # every figure asked: tables are under test
        self.asked: list[list[str]] = []

    async def complete(self, messages, schema, reask=False, max_tokens=None):
        if "required" not in schema:  # the head's call: no meta from this double
            return SimpleNamespace(content="{}", usage=Usage(calls=1))
        self.asked.append(schema["required"])
        return SimpleNamespace(content=json.dumps({k: "" for k in schema["required"]}), usage=Usage(calls=1))


def test_a_section_with_nothing_to_ask_costs_no_model_call():
    client = _Declines()
    result = asyncio.run(extract_source(_source(TABLE), client))
    assert client.asked and all(client.asked)  # every call asks for at least one figure
    assert len(client.asked) == 1  # the prose section; the three table rows need no call
    cells = [i for i in result.indicators if "（" in i.quote]
    assert len(cells) == 9 and {i.named_by for i in cells} == {"rule"}
    assert not result.rejected and len(result.indicators) + len(result.uncovered) + len(result.excluded) == result.found


@pytest.mark.parametrize("text, needle", [
    ("园区企业总数达到2,318家，首次突破两千家", "两千家"),
    ("服务企业３，２８６家，带动就业", "带动"),
    ("实现营收1,024.6亿元,同比增长8%", "8%"),
])
def test_a_comma_between_digits_groups_a_number_and_ends_no_clause(text, needle):
    i = text.index(needle)
    start = clause_before(text, i)
    assert not (text[start - 1 : start].isdigit() or text[start - 2 : start - 1].isdigit() and text[start - 1] in ",，")
    comma = next(k for k, ch in enumerate(text) if ch in ",，" and text[k - 1].isdigit() and text[k + 1].isdigit())
    assert not is_clause_stop(text, comma)
    assert is_clause_stop("增长8%,3家", 4)  # a stop between a unit and a digit still ends a clause


def test_no_quote_starts_inside_a_grouped_number():
    text = ("一、工作成效\n\n全县规上企业总数达到1,016家，首次突破千家；高新技术企业３，２８６家，"
            "较上年净增１２３家。累计服务企业12,450家次，其中科技型企业8,120家次。\n")
    result = baseline_extract(_source(text))
    assert result.indicators
    for ind in result.indicators:
        before = text[ind.start - 2 : ind.start]
        assert not (len(before) == 2 and before[0].isdigit() and before[1] in ",，"), ind.quote
        assert not text[ind.start - 1 : ind.start].isdigit(), ind.quote


def test_a_rank_named_by_rule_says_what_is_ranked_and_where_never_a_count():
    result = baseline_extract(_source("一、成效\n\n全县科技创新指数全市第一，专利授权量保持 全省第二。\n"))
    assert [(i.name, i.value) for i in result.indicators] == [
        ("科技创新指数全市排名", 1.0), ("专利授权量全省排名", 2.0)]


@pytest.mark.parametrize("heading, scope", [
    ("（二）乘势而上，做强滨江科学城核心承载", "滨江科学城"),
    ("(三)加快推动临港新片区数字创新园建设", "临港新片区数字创新园"),
    ("（一）深化市校合作共建技术转移研究院", "市校合作共建技术转移研究院"),
    ("二、强化企业创新主体地位", None),
    ("（四）打造产业园区品牌", None),
    # a body called by a quoted short name and then described goes by the short name ...
    ("（二）全力建设“智造谷”高端装备产业集聚功能区", "智造谷"),
    ("3．推进\"数谷\"数字经济创新发展共同体", "数谷"),
    # ... but a quoted word before a bare kind of body is part of the name
    ("（三）加快“张江”高新区建设", "“张江”高新区"),
    ("（一）做强“硬核”孵化器", "“硬核”孵化器"),
    ("（一）建设“光谷”新兴产业园", "光谷"), ("（一）建设“光谷”新产业园", "“光谷”新产业园"),  # a description: 5 characters or more
])
def test_a_heading_names_the_body_its_section_reports_on(heading, scope):
    assert heading_scope((heading,)) == scope


def test_a_name_without_a_scope_takes_the_headings_and_one_with_a_scope_keeps_its_own():
    assert with_scope("入驻企业数", "滨江科学城") == "滨江科学城入驻企业数"
    assert with_scope("科学城入驻企业数", "滨江科学城") == "科学城入驻企业数"
    assert with_scope("全区研发投入", "滨江科学城") == "全区研发投入"
    assert with_scope("入驻企业数", None) == "入驻企业数"


def test_the_heading_scope_reaches_the_names_of_its_section_and_their_dependents():
    text = "二、重点工作\n（二）乘势而上，做强滨江科学城核心承载\n全年入驻企业86家，同比增长12%。\n"
    names = {i.value: i.name for i in baseline_extract(_source(text)).indicators}
    assert names[86] == "滨江科学城入驻企业数" and names[12] == "滨江科学城入驻企业数同比增速"


@pytest.mark.parametrize("sentence, figure, event", [
    ("成功举办第三届西湖国际人才交流大会，签约项目58个", "58个", "西湖国际人才交流大会"),
    ("承办2023年度长江流域科普联盟年会,近400位代表参会", "400位", "长江流域科普联盟年会"),
    ("举办“智汇星城”科技活动周，开展各类活动120场，吸引观众3.5万人次", "3.5万", "“智汇星城”科技活动周"),
    ("举办“西溪问技”成果对接活动十二场，签约项目30余项", "30余项", "“西溪问技”成果对接活动"),  # held 12 times
    ("举办创新论坛，服务企业6批220家", "220家", "创新论坛"),
    ("举办论坛6届8万人，签约20项", "20项", None),  # a figure other than the times held
    ("举办科技成果发布会。签约金额8亿元", "8亿", None),  # another sentence
    ("全区新增高新技术企业52家", "52家", None),
    ("组织企业参加大赛，获奖企业15家", "15家", None),  # taking part is not holding
    ("全年新增企业5家，举办人工智能大会，签约金额8亿元", "8亿", "人工智能大会"),  # the event is not the first clause
    ("承办2024年第3届长江科普论坛，参会300人", "300人", "长江科普论坛"),  # year and ordinal in digits dropped
    ("举办300余家企业参加的对接大会，签约金额8亿元", "8亿", None),  # a figure inside the event's clause
    ("举办“星火”路演等对接活动20场，签约项目30个", "30个", None),  # examples of a kind of event
    ("举办2024年年会，参会200人", "200人", "年会"),  # two characters left once the year goes
])
def test_an_event_held_in_an_earlier_clause_scopes_the_sentences_figures(sentence, figure, event):
    assert event_scope(sentence, sentence.index(figure)) == event


def test_an_event_goes_before_a_name_that_does_not_already_say_it():
    assert with_event("签约金额", "西湖国际人才交流大会") == "西湖国际人才交流大会签约金额"
    assert with_event("人才交流大会签约金额", "西湖国际人才交流大会") == "人才交流大会签约金额"
    assert with_event("签约金额", None) == "签约金额"
    assert with_event("交流会签约金额", "西湖人才交流会") == "交流会签约金额"  # three characters running of it
    assert with_event("才交流签约金额", "西湖人才交流大会") == "才交流签约金额"  # three from its middle will do
    text = "举办科技大会，签约金额8亿元"
    assert event_scope(text, text.index("8亿")) == "科技大会"
    assert event_scope(text, text.index("8亿"), floor=text.index("签约")) is None  # nothing before the floor
    text = "二、工作成效\n\n成功举办第三届西湖国际人才交流大会，签约项目58个，签约金额约9.6亿元。\n"
    names = {i.value: i.name for i in baseline_extract(_source(text)).indicators}
    assert names[9.6].startswith("西湖国际人才交流大会") and names[58].startswith("西湖国际人才交流大会")


@pytest.mark.parametrize("rate, count, named", [
    ("结案率", "知识产权纠纷调解案件数", "知识产权纠纷调解案件结案率"),
    ("合格率", "抽检食品数", "抽检食品合格率"),
    ("办理诉求3件，办结率", "群众诉求数", "群众诉求办结率"),  # a rule name that reached back over the count
    ("规上工业企业研发机构覆盖率", "规上工业企业数", "规上工业企业研发机构覆盖率"),  # not bare: it has its object
    ("办结率", "诉求数", "诉求办结率"),  # an object of two characters
    ("办结率", None, "办结率"),
    ("办结率", "件数", "办结率"),  # a count without an object
])
def test_a_bare_rate_after_a_count_rates_what_was_counted(rate, count, named):
    assert rate_of_count(rate, count) == named


def test_the_rate_of_a_count_is_named_in_the_pipeline_only_within_its_sentence():
    text = ("一、工作成效\n\n全年受理企业投诉236件，办结率98.3%，满意率96%。"
            "全区新认定高新技术企业120家。覆盖率达到85%。\n")
    names = {i.value: i.name for i in baseline_extract(_source(text)).indicators}
    assert names[98.3].endswith("投诉办结率") and names[96].endswith("投诉满意率")
    assert names[85] == "覆盖率"  # another sentence: no count of its own to rate


def test_a_name_from_another_sentence_is_not_grounded_and_the_rule_names_the_figure():
    text = ("二、重点工作\n（三）科技金融\n与建设银行签署战略合作协议，共建科技金融服务站。"
            "全年为科技企业新增授信额度12.5亿元。\n")
    source = _source(text)
    outline = split_sections(source, 600)
    (work,) = [w for w in section_work(source, outline.sections, Meta(), find_numbers(source.text)) if w.mentions]
    (n,) = [k for k, i in enumerate(work.asked, start=1)]
    indicators, rejected, _ = assemble(source, work, Named(names={n: "与建设银行签署战略合作协议"}, failed={}))
    (ind,) = indicators
    assert ind.named_by == "rule" and "授信额度" in ind.name
    (why,) = rejected
    assert "无关" in why.reason and why.start is None  # the figure is output once, by rule
    indicators, rejected, _ = assemble(source, work, Named(names={n: "科技企业新增授信额度"}, failed={}))
    assert [(i.name, i.named_by) for i in indicators] == [("科技企业新增授信额度", "model")] and not rejected


@pytest.mark.parametrize("name, own, grounded", [
    ("高新技术企业数", "全区有效高企达1164家", True),  # a short form written out is still its sentence's
    ("技术合同成交额", "技术合同成交额达到367.58亿元", True),
    ("园区规上工业总产值", "（三）张江高新区青浦园\n实现规上工业总产值900亿元", True),
    ("签署战略合作协议数", "全年为科技企业新增授信额度12.5亿元", False),
])
def test_a_name_is_grounded_when_a_third_of_it_stands_in_its_sentence_or_heading(name, own, grounded):
    assert (ungrounded_name(name, own, expand_abbreviations) is None) is grounded


@pytest.mark.parametrize("model, clause, chosen", [
    ("企业家次", "科技政策资金惠及企业家次", "科技政策资金惠及企业家次"),  # the clause says who and what
    ("公民比例", "具备科学素质的公民比例", "具备科学素质的公民比例"),
    ("净增数", "有效高新技术企业达到3,286家，净增数", "净增数"),  # a stretch of sentence is no name
    ("研发投入", "企业研发经费", "研发投入"),  # not the same words: the model's stands
    ("技术合同成交额", "技术合同成交额", "技术合同成交额"),
])
def test_the_rules_name_is_taken_where_it_says_what_the_models_says_and_more(model, clause, chosen):
    assert more_specific(model, clause) == chosen


@pytest.mark.parametrize("model, rule, clause, chosen", [
    # the model's name read from elsewhere in the section; the rule's a name of the clause itself
    ("社区科普大学课程场次", "组织志愿者开展科普讲座场次", "组织志愿者开展科普讲座120场", "组织志愿者开展科普讲座场次"),
    # the model's name stands in its clause: it stays
    ("科普讲座场次", "开展讲座活动场次", "（三）科普讲座场次稳步增长开展科普讲座120场", "科普讲座场次"),
    # the rule's name is no clean name: a fragment, a cut bracket, a stretch with a digit, too short
    ("本地企业比重", "占全市比重", "占全市比重达35%", "本地企业比重"),
    ("规上企业数", "企业数增至数", "企业数增至117家", "规上企业数"),
    ("孵化载体数", "众创空间)数", "众创空间)15家", "孵化载体数"),
    ("专利数", "授权2件专利数", "授权2件专利数3件", "专利数"),
    ("专利数", "专利", "专利3件", "专利数"),
    # the model's name holds the rule's: it says more
    ("院士专家工作站建站总量", "建站总量", "建站总量达128家", "院士专家工作站建站总量"),
])
def test_a_model_name_from_elsewhere_gives_way_to_a_clean_name_of_the_clause(model, rule, clause, chosen):
    assert closer_to_the_clause(model, rule, clause) == chosen


@pytest.mark.parametrize("name, clean", [
    ("科技政策宣讲活动场次", True), ("上市企业(含新三板)数", True), ("占全市比重", False), ("比上年增加数", False),
    ("企业数增至数", False), ("众创空间)数", False), ("“互联网+企业数", False), ("3号线客流量", False),
    ("开展，学习次数", False), ("学习", False), ("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九", False),
])
def test_a_clean_rule_name_is_a_name_not_a_stretch_of_the_clause(name, clean):
    assert clean_rule_name(name) is clean


def test_a_quote_reaches_back_a_clause_but_never_over_another_figure():
    text = ("某区科技局2024年工作总结\n\n一、主要工作\n\n"
            "全年关闭6个老旧机房,迁移上云系统8个。研发投入,达到12.5亿元。\n")
    result = baseline_extract(_source(text))
    quotes = {i.value: i.quote for i in result.indicators}
    assert quotes[8] == "迁移上云系统8个"      # not `关闭6个老旧机房,迁移上云系统8个`
    assert quotes[12.5] == "研发投入,达到12.5亿元"  # a short clause still reaches back to its subject


@pytest.mark.parametrize("sentence, name", [
    ("科技型中小企业达到860家，较上年增加74家。", "科技型中小企业数比上年增加量"),
    ("孵化器在孵企业1,050家，较年初增加132家。", "孵化器在孵企业数较年初增加量"),
    ("规上工业企业研发费用42亿元，比上年减少3亿元。", "规上工业企业研发费用比上年减少量"),
    ("高新技术产业增加值占规上工业比重达48.2%，比上年同期提高2.3个百分点。", "高新技术产业增加值占规上工业比重提高幅度"),
    ("规上工业增加值1,200亿元，同比增长6.2%，增速较上半年回落0.4个百分点。", "规上工业增加值同比增速下降幅度"),
    ("区域创新能力全省排名第9位，较上年提升三位。", "区域创新能力全省排名上升位次"),
])
def test_a_change_is_named_from_the_figure_it_changes(sentence, name):
    """Decision 20 and N3: a change written after a figure (比上年/较年初 + 增加/减少/提高/回落)
    hangs on that figure, in the figure's unit, points or places."""
    result = baseline_extract(_source("一、主要工作\n" + sentence + "\n"))
    assert result.indicators[-1].name == name


@pytest.mark.parametrize("sentence, name", [
    ("在全市营商环境考核中，我区位列第二。", "全市营商环境考核排名"),
    ("在2024年度全省县域经济综合评价中，该县跃居全省县（市）第五。", "全省县域经济综合评价全省县（市）排名"),
    ("在近日发布的中国城市科技创新发展指数评估结果中，我市位居全国城市第十五位。", "中国城市科技创新发展指数评估全国城市排名"),
    ("在全省营商环境评价中，我区在全省排名第五。", "全省营商环境评价全省排名"),
    # an evaluation named at length, reaching far back from the rank
    ("在2024年度全省高新技术产业开发区创新驱动发展综合质量监测评价结果中，某某高新区位列第七。",
     "全省高新技术产业开发区创新驱动发展综合质量监测评价排名"),
])
def test_a_rank_in_a_published_evaluation_is_that_evaluations_rank(sentence, name):
    result = baseline_extract(_source("二、成效\n" + sentence + "\n"))
    [rank] = result.indicators
    assert rank.name == name and "finish.evaluation_rank: " + name in rank.trace


@pytest.mark.parametrize("sentence", [
    "在年度目标考核中，企业研发投入位列全市第一。",  # what is ranked is named: not the place
    "在全区科技大会上，我区位列第一。",  # a meeting, not an evaluation
])
def test_a_rank_whose_clause_names_what_is_ranked_or_that_follows_no_evaluation_keeps_its_name(sentence):
    [rank] = baseline_extract(_source("二、成效\n" + sentence + "\n")).indicators
    assert not any(t.startswith("finish.evaluation_rank") for t in rank.trace)


def test_a_model_name_for_a_rank_in_an_evaluation_gives_way_to_the_evaluations_rank():
    source = _source("二、成效\n在全市营商环境考核中，我区位列第二。\n")
    outline = split_sections(source, 600)
    [work] = [w for w in section_work(source, outline.sections, Meta(), find_numbers(source.text)) if w.mentions]
    [indicator], _, _ = assemble(source, work, Named(names={1: "营商环境考核我区排名"}, failed={}))
    assert indicator.name == "全市营商环境考核排名" and "finish.evaluation_rank: 全市营商环境考核排名" in indicator.trace


@pytest.mark.parametrize("name, category", [
    ("“滨江科创汇”路演等对接活动场次", "对接活动场次"),
    ("工程技术中心等研发平台数", "研发平台数"),
    ("“创客嘉年华”等各类双创活动场次", "双创活动场次"),  # past a kind word
    ("“科技开放日”等活动场次", None),  # 活动 alone says too little
    ("专利代理、质押融资等事项办理时限", None),  # a word for any kind of thing: the examples say which
    ("新能源等领域对接活动场次", None),
    ("获全国大赛一等奖数", None),  # a grade is no list
    ("连续获评优秀等次年数", None),
])
def test_an_example_list_goes_where_the_category_after_it_names_the_figure(name, category):
    from llmx.naming.rules import without_examples

    assert without_examples(name) == (category or name)


def test_a_name_that_lists_examples_before_its_category_is_named_by_the_category_in_both_paths():
    text = "二、成效\n全年举办“滨江科创汇”路演等对接活动32场。\n"
    [rule] = baseline_extract(_source(text)).indicators
    assert rule.name == "对接活动场次" and "finish.example_list: 对接活动场次" in rule.trace
    source = _source(text)
    [work] = [w for w in section_work(source, split_sections(source, 600).sections, Meta(), find_numbers(source.text)) if w.mentions]
    [model], _, _ = assemble(source, work, Named(names={1: "“滨江科创汇”路演等对接活动场次"}, failed={}))
    assert model.name == "对接活动场次"


@pytest.mark.parametrize("sentence, value, name", [
    # a clause too short to say what it measures reaches back to the one before: its subject, not its figure
    ("新建众创空间12个，面积3.5万平方米。", 3.5, "新建众创空间面积"),
    ("全区有效高新技术企业达到1,286家，净增112家。", 112, "有效高新技术企业数比上年增加量"),  # 净增: a change of it
    ("全年技术合同登记2,082项，成交额88.5亿元。", 88.5, "技术合同登记成交额"),
    ("高新技术企业总数达到1,016家，首次突破千家。", 1000, "高新技术企业总数"),
    # a change or a bare verb before it says no subject; a word said in both clauses is said once
    ("技术合同登记成交额68.4亿元，同比增长31.5%，成交额排名全市第五。", 5, "成交额全市排名"),
    ("研发经费支出52.3亿元，占地区生产总值比重为3.56%，比重位列全省第3。", 3, "研发经费支出占地区生产总值比重全省排名"),
])
def test_a_clause_reached_back_over_gives_its_subject_not_its_figure(sentence, value, name):
    result = baseline_extract(_source("二、成效\n" + sentence + "\n"))
    assert {i.value: i.name for i in result.indicators}[value] == name
    assert not result.rejected


@pytest.mark.parametrize("base, rest, out", [
    ("研发经费支出占GDP比重", "比重全省排名", "研发经费支出占GDP比重全省排名"),
    ("研发经费支出占GDP比重", "占GDP比重全省排名", "研发经费支出占GDP比重全省排名"),
    ("营收同比增速", "增速全市排名", "营收同比增速全市排名"),
    ("企业数", "数量全市排名", "企业数数量全市排名"),  # one character is no overlap
])
def test_what_a_name_repeats_of_the_name_it_joins_is_said_once(base, rest, out):
    from llmx.naming.context import joined

    assert joined(base, rest) == out
