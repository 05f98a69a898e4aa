"""Figures named from the figure they hang on, on phrasings written for these tests (none is
in the seeds, the dev set or a held-out set): a whole scope's share and a total after a count
(`naming.rate_of_count`), a streak of years and the rank after it (`naming.streak`,
`extract._dependencies`), verbs of reaching at a name's end (`context.TRAILING_VERBS`), and
an event held a number of times (`naming.event_scope`)."""

import pytest

from llmx.pipeline.extract import baseline_extract
from llmx.naming.context import baseline_name
from llmx.pipeline.work import section_work
from llmx.models import Meta
from llmx.naming.dependents import compared_level, dependent_suffix, join_name, rate_of_count, respective_name, streak
from llmx.naming.rules import event_scope, sentence_subject, tidy_name
from llmx.finder.numbers import find_numbers
from llmx.text.sections import split_sections
from llmx.text.source import clean_text


def _names(text: str) -> dict[float, str]:
    result = baseline_extract(clean_text("一、工作成效\n\n" + text + "\n", "t.txt"))
    return {i.value: i.name for i in result.indicators}


def _work(text: str):
    source = clean_text("一、工作成效\n\n" + text + "\n", "t.txt")
    outline = split_sections(source, 600)
    works = [w for w in section_work(source, outline.sections, Meta(), find_numbers(source.text)) if w.mentions]
    assert len(works) == 1
    return works[0]


@pytest.mark.parametrize("rate, count, named", [
    ("全省占比", "入选省级专精特新企业数", "入选省级专精特新企业数全省占比"),  # a whole scope's share keeps the measure
    ("全市比重", "技术合同数", "技术合同数全市比重"),
    ("占比", "技术合同数", "占比"),  # no scope: `tidy_name` joins it to the figure before
    ("全市占比", "件数", "全市占比"),  # a count without an object
    ("总数", "新增孵化器数", "孵化器总数"),  # the total counts the object, not what was added
    ("累计数", "新认定科技小巨人企业数", "科技小巨人企业总数"),
    ("累计总数", "孵化器数", "孵化器总数"),
    ("企业总数", "新增孵化器数", "企业总数"),  # not bare: it has its object
    ("总量", "企业科协新成立数", "企业科协总数"),  # what was added, written after the object
    ("总数", "新增数", "总数"),  # nothing counted is left once `新增` goes
    ("总数", None, "总数"),
])
def test_a_bare_share_or_total_after_a_count_is_named_from_what_was_counted(rate, count, named):
    assert rate_of_count(rate, count) == named


def test_a_total_and_a_scope_share_are_named_in_the_pipeline_within_their_sentence():
    names = _names("全年新增瞪羚企业14家，总数达到61家，居全省第二。"
                   "9项成果获省科技进步奖，全省占比12.5%。新增孵化器3家。累计达到40家。")
    assert names[61] == "瞪羚企业总数"
    assert names[2] == "瞪羚企业总数全省排名"  # the rank hangs on the total
    assert names[12.5].endswith("全省占比") and names[12.5].startswith(names[9][:-1])
    assert names[40] == "累计数"  # another sentence: no count of its own to total


@pytest.mark.parametrize("sentence, figure, subject, suffix", [
    ("并连续五年获评全省科技进步先进县", "五年", "", "连续获评全省科技进步先进县年数"),
    ("专利授权量连续3年保持两位数增长", "3年", "专利授权量", "连续保持两位数增长年数"),
    ("出口额连续十个月下降", "十个月", "出口额", "连续下降月数"),
    ("已连续两年居全市首位", "两年", "", "连续居全市首位年数"),  # linking words are no subject
    ("近三年累计投入8亿元", "8亿", None, None),  # not a streak
    ("三年来连续举办", "三年", None, None),  # 连续 after, not before
])
def test_a_streak_is_named_as_what_was_kept_up_and_the_years(sentence, figure, subject, suffix):
    m = next(x for x in find_numbers(sentence) if x.text.startswith(figure))
    assert streak(sentence, m) == (None if subject is None else (subject, suffix))


def test_a_streak_and_the_rank_after_it_hang_on_what_the_streak_is_of():
    names = _names("全区研发投入强度达到4.2%，较上年提高0.3个百分点，连续三年位居全市第一。")
    assert names[3] == "研发投入强度连续位居全市第一年数"  # not the change's: what changed
    assert names[1] == "研发投入强度全市排名"
    names = _names("新认定高新技术企业320家，认定数量连续两年居全省首位。")
    assert names[2] == "新认定高新技术企业数连续居全省首位年数"  # `认定数量` restates the count before
    assert names[1] == "新认定高新技术企业数全省排名"
    names = _names("全区技术合同成交额达到50亿元，服务满意度连续四年保持全市第一。")
    assert names[4] == "服务满意度连续保持全市第一年数"  # a subject of its own
    assert names[1] == "服务满意度全市排名"
    names = _names("各项工作稳步推进，连续两年获评全市先进集体。")
    assert names[2] == "连续获评全市先进集体年数"  # no figure before: the streak alone


def test_streaks_and_their_ranks_are_not_asked_of_the_model():
    work = _work("全区研发投入强度达到4.2%，连续三年位居全市第一；新增孵化器3家。")
    asked = [work.mentions[i].text for i in work.asked]
    assert asked == ["4.2%", "3家"]
    assert work.depends == {1: (0, "连续位居全市第一年数"), 2: (0, "全市排名")}


@pytest.mark.parametrize("clause, name", [
    ("技术合同成交额力争", "技术合同成交额"),
    ("研发投入强度保持在", "研发投入强度"),
    ("平均审批时间压缩至", "平均审批时间"),
    ("企业满意度稳定在", "企业满意度"),
    ("高新技术企业总数增至", "高新技术企业总数"),
    ("专精特新企业、小巨人企业分别", "专精特新企业、小巨人企业"),
    ("平均审批用时由上年的", "平均审批用时"),  # from last year's figure: the name is the measure's
])
def test_a_verb_of_reaching_or_aiming_at_a_names_end_is_dropped(clause, name):
    assert baseline_name(clause) == name
    assert tidy_name(clause, None) == name


def test_a_name_that_is_nothing_but_a_verb_of_reaching_is_no_name():
    assert baseline_name("保持在") == ""  # the rule falls back to the figure's words
    assert tidy_name("保持在", None) == "保持在"  # a model's name is kept rather than emptied
    assert _names("全年服务满意度保持在95%以上。")[95] == "服务满意度"


@pytest.mark.parametrize("sentence, figure, event", [
    ("开展12场知识产权宣讲会，覆盖企业300家", "300家", "知识产权宣讲会"),  # times held before the event
    ("组织开展科技金融路演8场，促成融资5亿元", "5亿", "科技金融路演"),  # and after it
    ("开展各类活动40场，参与2万人次", "2万", None),  # a kind of event with nothing more to it
    ("举办各类科普讲座60场，参与群众1.2万人次", "1.2万", "科普讲座"),  # the kind is the scope
    ("开展专利导航服务，服务企业30家", "30家", None),  # no event
])
def test_an_event_held_a_number_of_times_scopes_the_figures_after_it(sentence, figure, event):
    assert event_scope(sentence, sentence.index(figure)) == event


@pytest.mark.parametrize("sentence, named", [
    ("全区创新能力评价位列全省区县第7，较上年前移三位。", {7: "创新能力评价全省区县排名", 3: "创新能力评价全省区县排名上升位次"}),
    ("综合评价居全国第12，较上年后退2位。", {12: "综合评价全国排名", 2: "综合评价全国排名下降位次"}),
])
def test_a_place_moved_is_named_from_the_rank_it_moved(sentence, named):
    assert _names(sentence) == named


def test_only_a_place_moves_forward():
    assert not _names("专利授权量达到300件，较上年前移4件。")[4].endswith(("位次", "增加量", "增幅"))


@pytest.mark.parametrize("sentence, figure, subject", [
    ("“星河孵化器”已有35个项目入驻", "35个", "“星河孵化器”"),
    ("南湖“智谷众创空间”累计孵化企业80家", "80家", "南湖“智谷众创空间”"),
    ("滨江人工智能创新平台累计引进企业42家", "42家", "滨江人工智能创新平台"),
    ("海洋科技成果转化中心入驻机构26家", "26家", "海洋科技成果转化中心"),
    ("依托“星河孵化器”引进企业35家", "35家", None),  # the opening words are a verb's
    ("指导并协同中心举办活动12场", "12场", None),
    ("孵化器和众创空间新增在孵企业90家", "90家", None),  # two bodies joined
    ("平台的服务企业达到120家", "120家", None),  # `的` makes it a qualifier
    ("全区新增高新技术企业52家", "52家", None),  # no body
    ("星河孵化器。已有35个项目入驻", "35个", None),  # another sentence
])
def test_a_body_opening_the_sentence_is_its_figures_subject(sentence, figure, subject):
    assert sentence_subject(sentence, sentence.index(figure)) == subject


def test_the_sentences_subject_goes_before_a_name_without_it():
    names = _names("“星河孵化器”已有35个项目注册落地。")
    assert names[35].startswith("“星河孵化器”")


@pytest.mark.parametrize("clause, name", [
    ("3.城南科创走廊新引进新型研发机构", "城南科创走廊新引进新型研发机构"),
    ("2. 技术合同成交额", "技术合同成交额"),
    ("（4）园区孵化企业", "园区孵化企业"),
    ("(2)园区孵化企业", "园区孵化企业"),
    ("二、规上企业研发机构覆盖率", "规上企业研发机构覆盖率"),
    ("②有研发活动的企业占比", "有研发活动的企业占比"),
    ("3.5亿元以上项目", "3.5亿元以上项目"),  # a number, not a marker
    ("5G基站", "5G基站"),
])
def test_a_list_items_marker_is_no_part_of_a_name(clause, name):
    assert baseline_name(clause) == name


@pytest.mark.parametrize("sentence, named", [
    ("全区发明专利拥有量占比达到6.2%，比上年(5.9%)提高0.3个百分点，高于全国平均水平(4.1%)，增速全省排名第3。",
     {6.2: "发明专利拥有量占比", 5.9: "发明专利拥有量占比", 0.3: "发明专利拥有量占比提高幅度",
      4.1: "全国发明专利拥有量占比平均水平", 3: "发明专利拥有量占比增速全省排名"}),
    ("区域每万人发明专利拥有量达到21.5件，略低于全省平均值（23.0件）。",
     {21.5: "区域每万人发明专利拥有量", 23.0: "全省区域每万人发明专利拥有量平均水平"}),  # 区域 is no scope
    ("全县企业研发覆盖率为46%，较去年同期（41%）有所提高。", {46: "企业研发覆盖率", 41: "企业研发覆盖率"}),
])
def test_a_level_in_brackets_is_named_from_the_figure_it_is_compared_with(sentence, named):
    assert _names(sentence) == named


def test_a_bracketed_figure_compared_with_nothing_is_no_comparison():
    text = "全区新增孵化器3家（其中国家级2家），专利授权量达到（1200件）。"
    m = next(x for x in find_numbers(text) if x.value == 2)
    assert compared_level(text, m) is None
    m = next(x for x in find_numbers(text) if x.value == 1200)
    assert compared_level(text, m) is None
    text = "比上年(5.9%"  # no closing bracket
    assert compared_level(text, find_numbers(text)[0]) is None


@pytest.mark.parametrize("sentence, rank_name", [
    ("全区研发投入强度达到4.1%，提升0.5个百分点，提高率在中心城区排名第1。", "研发投入强度提高率中心城区排名"),
    ("全区公民科学素质比例达到28%，在全市各区中排名第二。", "公民科学素质比例全市各区排名"),
    ("全区技术合同成交额达到50亿元，在全省排名第三。", "技术合同成交额全省排名"),
])
def test_a_rank_said_in_a_scope_hangs_on_the_figure_before(sentence, rank_name):
    names = _names(sentence)
    assert names[min(names, key=lambda v: (v != 1 and v != 2 and v != 3, v))] == rank_name


@pytest.mark.parametrize("clause, name", [
    ("2023 年全区全社会 R&D 经费支出占 GDP 比重达到", "全区全社会R&D经费支出占GDP比重"),  # a PDF's spaces and the period's year
    ("5G 室外基站", "5G室外基站"),
    ("Micro LED 项目", "Micro LED项目"),  # a space between Latin words stays
    ("较2020年提高", "较2020年提高"),  # a year compared with stays
    ("2021年以来累计培育示范企业", "2021年以来累计培育示范企业"),  # and one counted from
    ("2024年度区级项目", "区级项目"),
])
def test_a_names_loose_spaces_and_leading_year_go(clause, name):
    assert baseline_name(clause) == name


@pytest.mark.parametrize("model, name", [
    ("5G 室外基站数", "5G室外基站数"),
    ("2024 年专利授权量", "专利授权量"),
    ("公民科学素质比例较2020年提高幅度", "公民科学素质比例较2020年提高幅度"),
    ("2021年以来培育示范企业数", "2021年以来培育示范企业数"),
])
def test_a_model_names_loose_spaces_and_period_year_go(model, name):
    assert tidy_name(model, None) == name


@pytest.mark.parametrize("clause, unit, name", [
    ("力争新增瞪羚企业", "家", "新增瞪羚企业数"),  # aiming goes, what is aimed at stays
    ("确保全年规上工业总产值", "亿元", "规上工业总产值"),
    ("争取国家级科研项目立项", "项", "国家级科研项目立项数"),
    ("软件业营收同比增长", "%", "软件业营收同比增速"),  # a growth rate is a 增速 (N3)
    ("工业投资增长", "%", "工业投资增幅"),
    ("工业投资增长", "亿元", "工业投资增长"),  # an amount is no rate
    ("增长", "%", "增长"),  # nothing grew
    ("电子信息制造业产值同比下降", "%", "电子信息制造业产值同比降幅"),
    ("出口额回落", "%", "出口额降幅"),
    ("上半年新增企业研发机构", "家", "新增企业研发机构数"),  # the period is a field, no part of the name
    ("年末全县户籍人口", "万人", "全县户籍人口数"),
])
def test_aiming_words_go_and_a_growth_rate_is_named_as_one(clause, unit, name):
    assert baseline_name(clause, "", unit) == name


@pytest.mark.parametrize("sentence, names", [
    ("全区瞪羚企业、独角兽企业分别达到120家、6家。", ["全区瞪羚企业数", "独角兽企业数"]),
    ("软件、集成电路产业分别实现营收同比增长8.5%、12.1%。", ["软件营收同比增速", "集成电路产业营收同比增速"]),
    ("新认定国家级、省级孵化器分别为2家、5家。", ["新认定国家级孵化器数", "新认定省级孵化器数"]),  # levels share the head and the words before them
    ("国家级、省级、市级孵化器分别为2家、5家。", [None, None]),  # three items, two figures
    ("瞪羚企业、独角兽企业分别达到120家，6家。", [None, None]),  # not one list of figures
    ("全区企业分别达到120家、6家。", [None, None]),  # one item
])
def test_figures_given_respectively_are_named_by_their_items(sentence, names):
    ms = [m for m in find_numbers(sentence)]
    spans = [(m.start, m.end) for m in ms]
    assert [respective_name(sentence, m.start, spans, 0, m.unit) for m in ms] == names


@pytest.mark.parametrize("sentence, named", [
    ("实际使用外资3.2亿美元，完成年度目标的64%。", {3.2: "实际使用外资", 64: "实际使用外资年度目标完成率"}),
    ("新增就业青年人才9.5万人，完成全年任务的92%。", {9.5: "新增就业青年人才数", 92: "新增就业青年人才数全年任务完成率"}),
    ("技术合同成交额45亿元，是2021年的1.8倍。", {45: "技术合同成交额", 1.8: "技术合同成交额与2021年之比"}),
    ("参与群众12万人次，是上年的1.5倍。", {12: "参与群众人次", 1.5: "参与群众人次与上年之比"}),
    ("有效发明专利拥有量达到52件，是全省平均水平的2倍。", {52: "有效发明专利拥有量", 2: "有效发明专利拥有量与全省平均水平之比"}),
])
def test_a_share_of_a_target_and_a_multiple_of_a_level_hang_on_the_figure_before(sentence, named):
    assert _names(sentence) == named


@pytest.mark.parametrize("model, name", [
    ("前三季度出口二手车", "出口二手车"),
    ("上半年兑现科技创新专项资金", "兑现科技创新专项资金"),
    ("年末全市有效高新技术企业数", "全市有效高新技术企业数"),
])
def test_a_period_word_at_a_model_names_start_goes(model, name):
    assert tidy_name(model, None) == name


@pytest.mark.parametrize("name, named", [
    ("规上软件和信息服务业实现营收", "规上软件和信息服务业营收"),
    ("全市实现进出口总额", "全市进出口总额"),
    ("工单办结实现先行联系率", "工单办结实现先行联系率"),  # not an economy's yield: the words stay
])
def test_achieved_before_an_economys_yield_is_no_part_of_a_name(name, named):
    assert tidy_name(name, None) == named
    assert baseline_name(name) == named


def test_a_share_fragment_after_a_rate_is_the_share_of_what_the_rate_is_of():
    names = _names("全市进出口总额达到5200亿元，同比增长8.1%，占全省比重10.2%。")
    assert names[10.2] == "全市进出口总额占全省比重"  # not the rate's (`…同比增速占全省比重`)


def test_a_ranks_model_name_has_its_short_forms_written_out():
    text = "规上软信业营收全市第五"
    m = next(x for x in find_numbers(text) if x.category == "rank")
    assert tidy_name("规上软信业营收排名", None, m, text) == "规上软件和信息服务业营收排名"


# Tests owed from a mutation run of llmx/naming/dependents.py (`scripts/mutation.py --modules dependents`:
# 347 of 394 killed, 88.8 %, before them): the edges of the new rules.

def _mention(text: str, span: str):
    return next(m for m in find_numbers(text) if m.text == span)


def test_a_compared_level_needs_its_own_brackets():
    text = "比上年同期：4.1%）"  # the words of a comparison, but no opening bracket
    assert compared_level(text, _mention(text, "4.1%")) is None
    text = "高于全省平均水平（25.9%"  # no closing bracket
    assert compared_level(text, _mention(text, "25.9%")) is None


@pytest.mark.parametrize("rate, count, named", [
    ("全市占比", "专利数", "专利数全市占比"),  # an object of two characters is enough
    ("总数", "新增孵化器", "孵化器总数"),
    ("总数", "专利数", "专利总数"),  # two characters once the measure goes
])
def test_the_object_of_a_count_of_two_characters_is_an_object(rate, count, named):
    assert rate_of_count(rate, count) == named


def test_figures_given_respectively_read_only_their_own_clause_and_section():
    text = "前缀瞪羚企业、独角兽企业分别达到120家、6家"
    ms = find_numbers(text)
    spans = [(m.start, m.end) for m in ms]
    floor = text.index("瞪羚")
    assert [respective_name(text, m.start, spans, floor, m.unit) for m in ms] == ["瞪羚企业数", "独角兽企业数"]
    text = "瞪羚企业、独角兽企业分别达到120家、6家，孵化器为7家"  # a figure of the next clause is no item's
    ms = find_numbers(text)
    spans = [(m.start, m.end) for m in ms]
    assert [respective_name(text, m.start, spans, 0, m.unit) for m in ms] == ["瞪羚企业数", "独角兽企业数", None]


def test_three_levels_share_the_last_items_head():
    text = "国家级、省级、市级孵化器分别为2家、5家、9家"
    ms = find_numbers(text)
    spans = [(m.start, m.end) for m in ms]
    assert [respective_name(text, m.start, spans, 0, m.unit) for m in ms] == ["国家级孵化器数", "省级孵化器数", "市级孵化器数"]


def test_a_streak_reads_its_own_clause_within_the_section():
    text = "研发投入强度连续三年居全省首位"
    m = _mention(text, "三年")
    assert streak(text, m, floor=text.index("连续")) == ("", "连续居全省首位年数")  # the subject before the floor is not read
    assert streak(text, m, ceiling=text.index("首位")) == ("研发投入强度", "连续居全省年数")  # nor the words past the ceiling
    text = "研发投入强度达到连续三年居全省首位"
    assert streak(text, _mention(text, "三年"))[0] == "研发投入强度"  # a verb of reaching before 连续 is no subject


def test_a_streak_of_a_rate_counts_the_years_of_what_grew():
    assert join_name("软件业营收同比增速", "连续保持两位数增长月数") == "软件业营收连续保持两位数增长月数"
    assert join_name("软件业营收同比增速", "全市排名") == "软件业营收同比增速全市排名"  # only a streak drops it


@pytest.mark.parametrize("text, span, suffix", [
    ("同比增加56家", "56家", "同比增加量"),  # a change in the figure's own unit
    ("环比增加3家", "3家", "同比增加量"),
    ("较上年增长1.5倍", "1.5倍", "增幅"),  # a multiple is a rate, not an amount
])
def test_a_change_in_its_own_unit_says_since_when(text, span, suffix):
    assert dependent_suffix(text, _mention(text, span)) == suffix
