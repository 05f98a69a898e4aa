"""The regex number finder: real phrases from the five seeds, edge cases, properties."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmx.finder.numbers import Mention, find_numbers, find_quantities, parse_chinese_number
from llmx.finder.units import family, to_base

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CATEGORIES = {"quantity", "rank", "year", "date", "ordinal", "list_marker", "doc_number", "contact", "name", "other",
              "furniture", "identifier", "placeholder", "power"}
APPROX = {"exact", "over", "about", "under"}


def mention(text: str, span: str) -> Mention:
    """The one mention of `text` whose text is `span`."""
    found = [m for m in find_numbers(text) if m.text == span]
    assert len(found) == 1, (span, [m.text for m in find_numbers(text)])
    return found[0]


def check(text, span, value, unit, approx, category):
    m = mention(text, span)
    assert (m.value, m.unit, m.approx, m.category) == (value, unit, approx, category), m
    assert text[m.start:m.end] == m.text


# (sentence from a seed, mention text, value, unit, approx, category)
QUANTITIES = [
    # minhang-2023-summary
    ("推动各类主体加强研发创新,全社会研发投入304.45亿元,占GDP达10.6%,全市第一;", "304.45亿元", 304.45, "亿元", "exact", "quantity"),
    ("推动各类主体加强研发创新,全社会研发投入304.45亿元,占GDP达10.6%,全市第一;", "10.6%", 10.6, "%", "exact", "quantity"),
    ("全年技术合同成交额达到320亿元,增长20%;", "20%", 20, "%", "exact", "quantity"),
    ("累计建设5G基站7581座,全市第二;", "7581座", 7581, "座", "exact", "quantity"),
    ("完成住宅小区地下车库移动通信网络覆盖工程168;完成31个智能便民电话亭建设。", "168", 168, None, "exact", "quantity"),
    ("推进科研资源开放共享,全区共享仪器达2386台(套)。", "2386台(套)", 2386, "台(套)", "exact", "quantity"),
    ("85项(人)获“2022年度上海市科学技术奖”,占全市奖项总数的27%,其中", "85项(人)", 85, "项(人)", "exact", "quantity"),
    ("58项（人）获2023年度上海市科学技术奖，全市占比27.1%。", "58项（人）", 58, "项（人）", "exact", "quantity"),
    ("组建“大零号湾”科创金融联盟,基金总规模超150亿元。", "超150亿元", 150, "亿元", "over", "quantity"),
    ("“大零号湾”区域累计汇聚4000余家硬科技企业,估值亿元以上企业112家", "4000余家", 4000, "家", "over", "quantity"),
    ("聚焦科技节、科普日两大主题活动,组织开展近300场科普活动,9万多人次参加。", "近300场", 300, "场", "about", "quantity"),
    ("聚焦科技节、科普日两大主题活动,组织开展近300场科普活动,9万多人次参加。", "9万多人次", 9, "万人次", "over", "quantity"),
    ("获上海市青少年科技创新大赛一等奖121项,8个项目和9名同学获上海市", "121项", 121, "项", "exact", "quantity"),
    ("获上海市青少年科技创新大赛一等奖121项,8个项目和9名同学获上海市", "9名", 9, "名", "exact", "quantity"),
    ("举办11届科普微童话大赛、闵行区科学秀大赛", "11届", 11, "届", "exact", "quantity"),
    ("提升一体化大数据分析服务能力,开发7大类69个数据模型。", "69个", 69, "个", "exact", "quantity"),
    ("全区累计归集28.33亿条数据,治理近80.5亿条数据;", "近80.5亿条", 80.5, "亿条", "about", "quantity"),
    ("外国人来华工作许可发证3950张,其中外国高端人才(A类)520张。", "520张", 520, "张", "exact", "quantity"),
    ("2023年核心区25家企业完成融资超13亿元。", "超13亿元", 13, "亿元", "over", "quantity"),
    # minhang-2024-summary
    ("推动科技企业高质量发展，有效期内高新技术企业数超3668家，全市第二；", "超3668家", 3668, "家", "over", "quantity"),
    ("全年共为40个创业项目提供首贷支持1405万元；", "1405万元", 1405, "万元", "exact", "quantity"),
    ("截至目前，已汇聚硬科技企业4300余家，其中高新技术企业数量超700家", "4300余家", 4300, "家", "over", "quantity"),
    ("全区共三类医疗器械39件、二类医疗器械69件、2款一类创新药品获批上市。", "2款", 2, "款", "exact", "quantity"),
    ("4家企业获市重大投资项目扶持，全市占比1/4。", "1/4", 25, "%", "exact", "quantity"),
    ("提升全民科学素质，2023年闵行区具备科学素质的公民比例达28.4%，高于全市平均值1.6个百分点。",
     "1.6个百分点", 1.6, "个百分点", "exact", "quantity"),
    ("“大零号湾华东师大孵化器”已有20余个项目注册落地；", "20余个", 20, "个", "over", "quantity"),
    ("13项科技成果获2023年度国家科学技术奖，全市占比26.53%，", "26.53%", 26.53, "%", "exact", "quantity"),
    # putuo-2022-plan
    ("智能软件和研发服务产业占区税比重合计提升2个百分点", "2个百分点", 2, "个百分点", "exact", "quantity"),
    ("新认定高新技术企业 45 家，力争 60 家；", "60 家", 60, "家", "exact", "quantity"),
    ("招商引资企业 2022 年合计产区税 7100 万元；", "7100 万元", 7100, "万元", "exact", "quantity"),
    ("实现区域软件信息服务业平稳较快发展，力争产业全年营收同比增长超 20%；", "超 20%", 20, "%", "over", "quantity"),
    ("吸引更多社会物业、市场资本向科创孵化培育加大投入，力争新认定1-2个科技园区（孵化器）；",
     "1-2个", 2, "个", "under", "quantity"),
    ("以中心组学习会、机关支部建设、共建联建为三个抓手形成科技系统党建新局面", "三个", 3, "个", "exact", "name"),  # decision 15
    ("信息传输、软件和信息技\n\n服务业营收同比增长 18%，科学研究", "18%", 18, "%", "exact", "quantity"),
    # putuo-2024-summary
    ("区科委荣获“2024 年上海市高新技术成果转化工作先进集体”等荣誉称号，并连续四年获评区年度考核优秀单位。",
     "四年", 4, "年", "exact", "quantity"),
    ("软件和信息技术服务业（含移动 24%）营收同比增长 6.6%，", "24%", 24, "%", "exact", "quantity"),
    ("2023 年普陀区全社会 R&D 经费支出占 GDP 比重达到 4.11%，提升 1.04 个百分点，",
     "1.04 个百分点", 1.04, "个百分点", "exact", "quantity"),
    ("新认定高新技术企业 68 家，同比增加 7.07%，", "68 家", 68, "家", "exact", "quantity"),
    ("会同科技部科技评估中心开展中以专项政策评估工作；有序推进三批中以联合研发项目开展。", "三批", 3, "批", "exact", "quantity"),
    ("全年园区累计引入企业、机构、项目共计 207 家，落地各类知识产权 831 余项。", "831 余项", 831, "项", "over", "quantity"),
    ("清华大学上海校友会年会、战新项目全球科创路演等12场活动，千余名清华校友参加；", "千余名", 1000, "名", "over", "quantity"),
    ("区领导带队走访清华大学软件学院、自动化系等7所院系，", "7所", 7, "所", "exact", "quantity"),
    ("全年累计开通 5G 室外基站 2828 个；", "2828 个", 2828, "个", "exact", "quantity"),
    ("完成非高企年报 479 家，其中营收超 2 亿元企业 26 家。", "超 2 亿元", 2, "亿元", "over", "name"),  # decision 16
    ("全年累计认定技术合同1114件，成交金额197.54亿，同比增长49.8%。", "197.54亿", 197.54, "亿元", "exact", "quantity"),
    ("开展 8 场科技政策宣传培训，近 790 人次参加；", "近 790 人次", 790, "人次", "about", "quantity"),
    ("完成 2 轮“3+5+X”产业政策体系中科技创新", "2 轮", 2, "轮", "exact", "quantity"),
    ("办理人大建议、政协提案 33 件，两代表一委员 2 件，主办件回复满意率达 100%；", "2 件", 2, "件", "exact", "quantity"),
    # qingpu-2024-summary-2025-plan
    ("1-11月,园区规上工业总产值630.77亿元,同比上升18.7%,", "630.77亿元", 630.77, "亿元", "exact", "quantity"),
    ("规模以上服务业企业营收530.95亿元,同比增长61.36%,利润总额101.95亿元,增长1.43倍。", "1.43倍", 1.43, "倍", "exact", "quantity"),
    ("布置数字科普点位100个,共传播科普资源189.65万次,", "189.65万次", 189.65, "万次", "exact", "quantity"),
    ("区科技馆累计开展AI编程等线下科普活动330场,超1.5万人次参与。", "超1.5万人次", 1.5, "万人次", "over", "quantity"),
    ("通过科技主题馆开展科普活动60余场,覆盖人数超2万人次。", "60余场", 60, "场", "over", "quantity"),
    ("增强示范区科普护照普惠效能(23家科普基地入选),印发1万册惠及三地百姓。", "1万册", 1, "万册", "exact", "quantity"),
    ("规上软信业实现营收646.6亿元,同比增长28%,连续24个月保持两位数高速增长,", "24个月", 24, "个月", "exact", "quantity"),
    ("承办第32届海峡两岸都市交通学术研讨会,近300位业内专家为示范区和青浦建设发展出谋划策。",
     "近300位", 300, "位", "about", "quantity"),
    ("共开展专题培训30余场,覆盖企业近2000家次。", "近2000家次", 2000, "家次", "about", "quantity"),
    ("另对44家企业拨付2022年度首次四上高企市级配套资金754余万元。", "754余万元", 754, "万元", "over", "quantity"),
    ("比上年度(4.41%)提高0.12个百分点,超过全市平均水平(4.34%),", "4.41%", 4.41, "%", "exact", "quantity"),
    ("比上年度(4.41%)提高0.12个百分点,超过全市平均水平(4.34%),", "4.34%", 4.34, "%", "exact", "quantity"),
    ("孵化场地总面积约33万平方米。", "约33万平方米", 33, "万平方米", "about", "quantity"),
    ("鼓励科普内容聚焦数字产业,力争创建不少于10家高质量科普阵地。", "不少于10家", 10, "家", "over", "quantity"),
    ("打造区高素质科普人才队伍,争取年内成立一支专业科普讲师团。", "一支", 1, "支", "exact", "other"),  # 一 as an article
    ("力争全年传播科普资源达200万次。", "200万次", 200, "万次", "exact", "quantity"),
]

RANKS = [
    ("全社会研发投入266.18亿元，占GDP达8.87%，全市第一；", "全市第一", 1, "名", "exact", "rank"),
    ("有效期内高新技术企业数超3668家，全市第二；", "全市第二", 2, "名", "exact", "rank"),
    ("2024年全区共有115家院士专家工作站（其中8家院士工作站），全市排名第一。", "全市排名第一", 1, "名", "exact", "rank"),
    ("提升 1.04 个百分点，提高率在中心城区排名第 1。", "中心城区排名第 1", 1, "名", "exact", "rank"),
    ("新认定高新技术企业 68 家，同比增加 7.07%，增幅排名位列全市第 3。", "排名位列全市第 3", 3, "名", "exact", "rank"),
    ("政务信息报送分在全区各委办局排名第三；", "委办局排名第三", 3, "名", "exact", "rank"),
    ("同比增长11.3%,增速排名全市第6。", "排名全市第6", 6, "名", "exact", "rank"),
    ("连续24个月保持两位数高速增长,增速全市排名第二。体量升至全市前五,保持郊区第一;", "全市排名第二", 2, "名", "exact", "rank"),
    ("连续24个月保持两位数高速增长,增速全市排名第二。体量升至全市前五,保持郊区第一;", "全市前五", 5, "名", "under", "rank"),
    ("连续24个月保持两位数高速增长,增速全市排名第二。体量升至全市前五,保持郊区第一;", "郊区第一", 1, "名", "exact", "rank"),
    ("有效高企数达1164家,同比增长6.11%,增速排名全市第4;", "排名全市第4", 4, "名", "exact", "rank"),
    ("新增上海市高新技术成果转化项目108项,全市第一。", "全市第一", 1, "名", "exact", "rank"),
]

NOT_QUANTITIES = [
    # years, dates, times
    ("2024年，是“十四五”规划任务目标全面推进、承上启下的关键之年", "2024年", 2024, "年", "exact", "year"),
    ("2024 年是新中国成立 75 周年", "2024 年", 2024, "年", "exact", "year"),
    ("2024 年是新中国成立 75 周年", "75 周年", 75, "周年", "exact", "ordinal"),
    ("形成《张江高新区普陀园改革发展行动方案（2025-2026 年）》", "2025-2026 年", 2025, "年", "exact", "year"),
    ("研究制定《张江高新区青浦园改革创新发展行动方案(2025-2026年)》", "2025-2026年", 2025, "年", "exact", "year"),
    ("完成 2022、2023 年度张江项目区级配套二次拨付", "2022", 2022, None, "exact", "year"),
    ("完成 2022、2023 年度张江项目区级配套二次拨付", "2023 年度", 2023, "年", "exact", "year"),
    ("完成 2022、2023 年度张江项目区级配套二次拨付", "二次", 2, "次", "exact", "ordinal"),
    ("支持举办上海市产业技术创新大会、2024中国人形机器人技术应用峰会", "2024", 2024, None, "exact", "year"),
    ("青科委〔2025〕1号\n2025-01-16 19:37:14\n", "2025-01-16", 2025, None, "exact", "date"),
    ("青科委〔2025〕1号\n2025-01-16 19:37:14\n", "19:37:14", 19, None, "exact", "date"),
    ("上海市青浦区科学技术委员会\n2025.01.22\n2024年工作总结", "2025.01.22", 2025, None, "exact", "date"),
    ("青科委〔2025〕1号\n2025-01-1619:37:14\n", "2025-01-16", 2025, None, "exact", "date"),  # as cleaned
    ("青科委〔2025〕1号\n2025-01-1619:37:14\n", "19:37:14", 19, None, "exact", "date"),
    ("形成20条具体政策措施，于7月11日起正式实施。", "7月11日", 7, None, "exact", "date"),
    ("会同市规划资源局、市科委联合研究编制“大零号湾”专项规划，于10月完成公示。", "10月", 10, None, "exact", "date"),
    ("2024年(1-11月),全区60家规模以上科技服务业企业实现营收59.63亿元", "1-11月", 1, None, "exact", "date"),
    ("2024年(1-11月),全区60家规模以上科技服务业企业实现营收59.63亿元", "2024年", 2024, "年", "exact", "year"),
    ("闵行区科学技术委员会                                    2025年2月6日印发", "2025年2月6日", 2025, None, "exact", "date"),
    ("上海市普陀区科学技术委员会\n\n2025 年 3 月 24 日\n", "2025 年 3 月 24 日", 2025, None, "exact", "date"),
    ("2023年12月至2024年11月累计认定登记技术合同839项", "2023年12月", 2023, None, "exact", "date"),
    ("2023年12月至2024年11月累计认定登记技术合同839项", "2024年11月", 2024, None, "exact", "date"),
    # document numbers
    ("上海市普陀区科学技术委员会文件\n\n普科委〔2025〕4号\n", "4号", 4, "号", "exact", "doc_number"),
    ("上海市普陀区科学技术委员会文件\n\n普科委〔2025〕4号\n", "2025", 2025, None, "exact", "doc_number"),
    ("《“大零号湾”专项资金使用和管理办法》（沪科合〔2024〕29号）已经市政府常务会议审议通过", "29号", 29, "号", "exact", "doc_number"),
    ("\n闵科委〔202414 \n", "202414", 202414, None, "exact", "doc_number"),
    ("青浦区科委、科协2024年工作总结和2025年工作要点\nQA530100020250001\n主动公开",
     "QA530100020250001", 530100020250001, None, "exact", "doc_number"),
    # list markers
    ("一是用好政策“指挥棒”，落实中以（上海）创新园专项政策项目兑现；", "一是", 1, None, "exact", "list_marker"),
    ("专班全力保障中心运作。二是营造“清华+”双创生态", "二是", 2, None, "exact", "list_marker"),
    ("\n（一）扎实推进“大零号湾”科技创新策源功能区建设\n", "（一）", 1, None, "exact", "list_marker"),
    ("\n(三)加快推动张江高新区青浦园建设。", "(三)", 3, None, "exact", "list_marker"),
    ("“三科之城”。\n一、主要目标完成情况\n", "一、", 1, None, "exact", "list_marker"),
    ("\n    一主要目标完成情况\n", "一", 1, None, "exact", "list_marker"),
    # ordinals
    ("区科委荣获“第七届长三角国际创新挑战赛最佳组织奖”", "第七届", 7, "届", "exact", "ordinal"),
    ("承办第32届海峡两岸都市交通学术研讨会", "第32届", 32, "届", "exact", "ordinal"),
    ("完成第一批2024年度3项高端装备领域关键核心技术攻关项目合同签署", "第一批", 1, "批", "exact", "ordinal"),
    ("上海交大毛军发院士牵头的项目获国家科学技术进步一等奖；", "一等奖", 1, None, "exact", "ordinal"),
    ("重点围绕党的二十届三中全会、习近平文化思想", "二十届", 20, "届", "exact", "ordinal"),
    ("配合开展“海纳小镇”数字交通重点场景一期项目建设", "一期", 1, "期", "exact", "ordinal"),
    # names and slogans
    ("累计建设5G基站7581座,全市第二;", "5G", 5, None, "exact", "name"),
    ("2024中国科技青年论坛暨TR35中国区发布仪式", "TR35", 35, None, "exact", "name"),
    ("完成全区政务外网底层基础网络IPv6支持能力建设", "IPv6", 6, None, "exact", "name"),
    ("联合举办 The 7th AutoCS 2024 智能汽车信息安全大会", "7th", 7, None, "exact", "name"),
    ("完成 2 轮“3+5+X”产业政策体系中科技创新", "3+5+X", 3, None, "exact", "name"),
    ("建立五大投促中心为子园的“1+5”管理体制；", "1+5", 1, None, "exact", "name"),
    ("建立五大投促中心为子园的“1+5”管理体制；", "五大", 5, "大", "exact", "name"),
    ("深化“3+X”科技信贷融资服务体系", "3+X", 3, None, "exact", "name"),
    ("受理“12345”热线工单件 11 件", "12345", 12345, None, "exact", "name"),
    ("开展12345热线办理", "12345", 12345, None, "exact", "name"),
    ("2024年，是“十四五”规划任务目标全面推进", "十四五", 14, None, "exact", "name"),
    ("形成创建国家网络安全产业园区总体方案、“十五五”网络安全产业前期预研报告", "十五五", 15, None, "exact", "name"),
    ("形成创建国家网络安全产业园区总体方案、“十\n\n五五”网络安全产业前期预研报告", "五五", 5, None, "exact", "name"),  # two bare digits are no numeral: the readable prefix (cn_value),
    ("智能软件、研发服务两大产业合计占区税比重 22.74%", "两大", 2, "大", "exact", "name"),
    ("2023年是全面贯彻落实党的二十大精神的开局之年", "二十大", 20, "大", "exact", "name"),
    ("着力打造科学、科技、科创“三科之城”。", "三", 3, None, "exact", "name"),
    ("梳理“五类”(注册、实地、规上、待纳统、有潜力)企业名单", "五类", 5, "类", "exact", "name"),
    ("全区共三类医疗器械39件、二类医疗器械69件", "三类", 3, "类", "exact", "name"),
    ("持续做好“海纳 12 条”政策宣传。", "12 条", 12, "条", "exact", "name"),
    ("累计开展 AI 编程活动，打造15分钟科普生态圈。", "15分钟", 15, "分钟", "exact", "name"),
    ("深化曹杨新村街道15分钟数字生活圈等示范项目", "15分钟", 15, "分钟", "exact", "name"),
    ("总时长达3847小时,打通科普资源“最后一公里”。", "一公里", 1, "公里", "exact", "name"),
    ("交大“大零号湾一公里孵化器”已有21个项目注册落地", "一公里", 1, "公里", "exact", "name"),
    ("加强与 360、奇安信、临港集团等龙头企业对接", "360", 360, None, "exact", "name"),
    ("开展“学深悟透‘十一个坚持’全面践行习近平法治思想”主题学习", "十一个", 11, "个", "exact", "name"),
    ("开展《“十五五”期间青浦加强科技创新推动产业高质量发展的目标、思路和举措研究》等“十五五”规划前期I类、II类课题研究",
     "II", 2, None, "exact", "name"),
    ("按照六届区委九次全会部署", "九次", 9, "次", "exact", "name"),
    ("深化科技创新“从0到10”金融方案合作实践", "0到10", 10, None, "under", "name"),
    ("1个项目获评2024年上海市院士(专家)工作站(服务中心)协同创新“十佳”优秀案例;", "十佳", 10, "佳", "exact", "name"),
    # other
    ("                闵行区科学技术委员会\n\n \n\n      202426\n\n", "202426", 202426, None, "exact", "other"),
    ("2025年是“十四五”规划的收官之年。实施“十四五”规划承上启下的关键一年", "一年", 1, "年", "exact", "other"),
    ("挖掘一批优秀科普项目和人才", "一批", 1, "批", "exact", "other"),
]


@pytest.mark.parametrize("text,span,value,unit,approx,category", QUANTITIES)
def test_seed_quantities(text, span, value, unit, approx, category):
    check(text, span, value, unit, approx, category)


@pytest.mark.parametrize("text,span,value,unit,approx,category", RANKS)
def test_seed_ranks(text, span, value, unit, approx, category):
    check(text, span, value, unit, approx, category)


@pytest.mark.parametrize("text,span,value,unit,approx,category", NOT_QUANTITIES)
def test_seed_non_quantities(text, span, value, unit, approx, category):
    check(text, span, value, unit, approx, category)


@pytest.mark.parametrize("text,span,number", [
    ("超3668家", "超3668家", "3668"),
    ("成交金额197.54亿", "197.54亿", "197.54"),
    ("千余名清华校友", "千余名", "千"),
    ("全市第一", "全市第一", "一"),
    ("超1.5万人次参与", "超1.5万人次", "1.5"),
    ("新增三千万元", "三千万元", "三千"),
    ("力争新认定1-2个科技园区", "1-2个", "1-2"),
])
def test_number_is_the_numeral_as_written(text, span, number):
    assert mention(text, span).number == number


@pytest.mark.parametrize("text,span,value,unit,approx", [
    ("约30%", "约30%", 30, "%", "about"),
    ("30%左右", "30%左右", 30, "%", "about"),
    ("不足5家", "不足5家", 5, "家", "under"),
    ("不到10%", "不到10%", 10, "%", "under"),
    ("逾百家", "逾百家", 100, "家", "over"),
    ("突破1000亿元", "突破1000亿元", 1000, "亿元", "over"),
    ("投资1亿元以上", "1亿元以上", 1, "亿元", "over"),
    ("不超过3项", "不超过3项", 3, "项", "under"),
    ("10家以内", "10家以内", 10, "家", "under"),
    ("投入资金1.2万余", "1.2万余", 1.2, "万元", "over"),
    ("二十多个", "二十多个", 20, "个", "over"),
    ("奖励一万", "一万", 1, "万元", "exact"),
    ("一亿二千万元", "一亿二千万元", 120_000_000, "元", "exact"),
    ("百分之十五", "百分之十五", 15, "%", "exact"),
    ("约三分之一", "约三分之一", 33.33, "%", "about"),  # two decimals (decision 25)
    ("增长一倍", "一倍", 1, "倍", "exact"),
    ("提高两成", "两成", 20, "%", "exact"),  # tenths as a percentage (decision 23)
    ("三至五家", "三至五家", 5, "家", "under"),
    ("10%-15%", "10%-15%", 15, "%", "under"),
    ("３６８家", "３６８家", 368, "家", "exact"),
    ("占８．５％", "８．５％", 8.5, "％", "exact"),
    ("1,234家", "1,234家", 1234, "家", "exact"),
    ("2024.5亿元", "2024.5亿元", 2024.5, "亿元", "exact"),
    ("均价50元/平方米", "50元/平方米", 50, "元/平方米", "exact"),
    ("新增5个", "5个", 5, "个", "exact"),
    ("最近3年", "3年", 3, "年", "exact"),
    ("签约5家", "5家", 5, "家", "exact"),
])
def test_approximations_and_forms(text, span, value, unit, approx):
    m = mention(text, span)
    assert (m.value, m.unit, m.approx, m.category) == (value, unit, approx, "quantity")


@pytest.mark.parametrize("text,span,category", [
    ("获得第一名", "第一名", "rank"),
    ("排名前10名", "排名前10名", "rank"),
    ("全国第一家", "第一家", "ordinal"),
    ("位居全区第一", "位居全区第一", "rank"),
    ("前三季度", "三季度", "date"),
    ("二〇二四年", "二〇二四年", "year"),
    ("Ⅱ类课题", "Ⅱ", "name"),
    ("一人一档", "一人", "name"),
    ("《关于支持100家企业的若干措施》", "100家", "name"),
])
def test_other_readings(text, span, category):
    assert mention(text, span).category == category


@pytest.mark.parametrize("text", [
    "市委市政府统一部署", "进一步提升科技创新", "积极对接长三角一体化发展", "惠及三地百姓", "建成具有国际一流水平",
    "新一轮关键核心技术攻关", "新一代信息技术", "一站式服务功能", "本届为其中之一",
])
def test_words_that_merely_contain_a_numeral_give_nothing(text):
    assert [m for m in find_numbers(text) if m.category not in ("name", "other")] == []
    assert find_quantities(text) == []


def test_garbled_rank_then_list_marker():
    text = "送服务进园区、进企业支持145家科技企业获得银行授信7.3亿元,全市第二二是提高科创人才服务水平。"
    got = [(m.text, m.category) for m in find_numbers(text)]
    assert got == [("145家", "quantity"), ("7.3亿元", "quantity"), ("全市第二", "rank"), ("二是", "list_marker")]


def test_page_break_keeps_the_figure():
    text = "科技服务业营\n\n收同比增长 5%。"
    assert [(m.text, m.value, m.unit) for m in find_quantities(text)] == [("5%", 5.0, "%")]


def test_sentence_with_everything():
    text = "2024年，区科委完成兴感半导体等 6 个重点项目签约落地，全年招商引资企业区税完成比 101.5%，新落地企业 522 家。"
    assert [(m.text, m.category) for m in find_numbers(text)] == [
        ("2024年", "year"), ("6 个", "quantity"), ("101.5%", "quantity"), ("522 家", "quantity")]


def test_is_quantity_and_find_quantities():
    text = "2024年新认定高新技术企业 68 家，增幅排名位列全市第 3。一是推进“十四五”规划。"
    ms = find_numbers(text)
    assert [m.is_quantity for m in ms] == [False, True, True, False, False]
    assert find_quantities(text) == [m for m in ms if m.is_quantity]


def test_mention_is_frozen_with_slots():
    m = find_numbers("68 家")[0]
    with pytest.raises(AttributeError):
        m.value = 1  # type: ignore[misc]
    assert not hasattr(m, "__dict__")


def test_magnitude_applies_through_units():
    m = mention("超1.5万人次参与", "超1.5万人次")
    assert to_base(m.value, m.unit) == 15000 and family(m.unit) == "人次"
    m = mention("成交金额197.54亿", "197.54亿")
    assert to_base(m.value, m.unit) == pytest.approx(19_754_000_000) and family(m.unit) == "元"


# ---------------------------------------------------------------- whole seeds


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def test_every_seed_is_scanned_soundly(seed_texts):
    assert len(seed_texts) == 5
    for name, text in seed_texts.items():
        ms = find_numbers(text)
        assert sum(m.is_quantity for m in ms) >= 17, name  # putuo-2022-plan's gold has 17
        for m in ms:
            assert text[m.start:m.end] == m.text
        assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))


def test_every_digit_in_the_seeds_is_in_a_mention(seed_texts):
    for name, text in seed_texts.items():
        covered = bytearray(len(text))
        for m in find_numbers(text):
            covered[m.start:m.end] = b"\x01" * (m.end - m.start)
        missed = [text[max(0, i - 5):i + 5] for i, c in enumerate(text) if c.isdigit() and not covered[i]]
        assert missed == [], name


# Gold figures the regex cannot reproduce: the unit was inferred from a later restatement.
GOLD_UNIT_INFERRED = {"完成住宅小区地下车库移动通信网络覆盖工程168;"}


def test_seed_gold_figures_are_found():
    """Each figure of the hand-made gold is a regex quantity inside its quote, with the gold's value, unit, approx."""
    gold_dir = ROOT / "eval" / "gold"
    golds = sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []
    if not golds:
        pytest.skip("no gold files")
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (SEEDS / gold["doc"]).read_text(encoding="utf-8")
        for ind in gold["indicators"]:
            quote_at = text.find(ind["quote"])
            assert quote_at >= 0, ind["quote"]
            inside = [m for m in find_quantities(text)
                      if quote_at <= m.start and m.end <= quote_at + len(ind["quote"])]
            unit_ok = (lambda m: m.unit in (ind["unit"], None)) if ind["quote"] in GOLD_UNIT_INFERRED else \
                (lambda m: m.unit == ind["unit"])
            assert any(math.isclose(m.value, ind["value"]) and unit_ok(m) and m.approx == ind["approx"]
                       for m in inside), (ind, inside)


# ---------------------------------------------------------------- Chinese numerals


@pytest.mark.parametrize("s,value", [
    ("三", 3), ("十四", 14), ("一万", 10000), ("两", 2), ("十", 10), ("二十", 20), ("一百零五", 105),
    ("三千五", 3500), ("两百五", 250), ("一万五", 15000), ("十万", 100000), ("三千万", 30_000_000),
    ("一亿二千万", 120_000_000), ("一千零一", 1001), ("五万零三百", 50300), ("二〇二四", 2024), ("零", 0),
    ("千", 1000), ("百", 100), ("三点五", 3.5), ("壹佰贰拾", 120), ("一万亿", 10**12),
])
def test_parse_chinese_number(s, value):
    assert parse_chinese_number(s) == value


@pytest.mark.parametrize("s", ["", "十四五", "abc", "三点", "一二三万四五"])
def test_parse_chinese_number_rejects(s):
    with pytest.raises(ValueError):
        parse_chinese_number(s)


_DIG = "零一二三四五六七八九"


def _to_chinese(n: int) -> str:
    """A reference writer of Chinese numerals (below 10**12)."""
    if n == 0:
        return "零"

    def below_10k(x: int, lead: bool) -> str:
        out, zero = "", False
        for unit, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d:
                if zero and out:
                    out += "零"
                out += ("" if (d == 1 and word == "十" and not out and lead) else _DIG[d]) + word
                zero = False
            elif out:
                zero = True
        return out

    parts = [(n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")]
    out = ""
    for value, word in parts:
        if value:
            if out and value < 1000:
                out += "零"
            out += below_10k(value, lead=not out) + word
    return out


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_parse_chinese_number_roundtrip(n):
    assert parse_chinese_number(_to_chinese(n)) == n


# ---------------------------------------------------------------- properties

_ALPHABET = ("0123456789０１２３４５６７８９.．%％,，、。；：:()（）〔〕“”‘’《》-—~+ \n\t\u3000"
             "零〇一二两三四五六七八九十百千万亿第前超近约余多以上左右不足到逾突破是年月日号届批次个项件家元人名位"
             "大类全市排名位列中心城区GQATRXIVⅡ分钟圈热线之")


def _check_invariants(text: str) -> None:
    ms = find_numbers(text)
    prev_end = 0
    for m in ms:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.start >= prev_end
        prev_end = m.end
        assert m.category in CATEGORIES and m.approx in APPROX
        assert isinstance(m.value, float) and math.isfinite(m.value)
        assert m.unit is None or (isinstance(m.unit, str) and m.unit)
        assert m.is_quantity == (m.category in ("quantity", "rank"))
    assert find_quantities(text) == [m for m in ms if m.is_quantity]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_invariants_on_report_like_text(text):
    _check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_invariants_on_arbitrary_text(text):
    _check_invariants(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([q[0] for q in QUANTITIES + RANKS + NOT_QUANTITIES]), st.text(alphabet=_ALPHABET, max_size=20),
       st.text(alphabet=_ALPHABET, max_size=20))
def test_invariants_around_seed_sentences(sentence, before, after):
    _check_invariants(before + sentence + after)


@pytest.mark.parametrize("text, value", [("三五家", 5), ("一两个", 2), ("两三家", 3), ("五六十人", 60), ("七八项", 8)])
def test_an_approximate_count_of_two_numerals_is_its_upper_bound(text, value):
    (m,) = find_quantities(text)
    assert (m.value, m.approx) == (value, "about")


@pytest.mark.parametrize("text, value", [("二十三家", 23), ("三十五家", 35), ("一百二十家", 120)])
def test_an_exact_chinese_count_is_not_taken_for_an_approximate_one(text, value):
    (m,) = find_quantities(text)
    assert (m.value, m.approx) == (value, "exact")


# Rules named for recurring patterns (labelling decisions 15 and 16), on phrasings that are
# in none of the seeds or dev excerpts.
@pytest.mark.parametrize("text,span,category", [
    # the parts of a rhetorical frame are labels
    ("围绕机制、平台、人才三个方面持续发力", "三个", "name"),
    ("形成“五个维度”协同推进格局", "五个", "name"),
    ("以项目、人才为两大支柱", "两大", "name"),
    ("坚持4个导向", "4个", "name"),
    ("建成3个市级重点实验室", "3个", "quantity"),
    ("从三个层面推进数字化转型", "三个", "name"),
    # 一 as an article
    ("组建一支科技特派员队伍", "一支", "other"),
    ("新增1支创业投资基金", "1支", "quantity"),
    # a threshold that defines a category of firms
    ("年销售收入超5000万元的企业达到86家", "超5000万元", "name"),
    ("产值超百亿元企业3家", "超百亿元", "name"),
    ("营业收入1亿元以上的科技型企业新增12家", "1亿元以上", "name"),
    ("其中5家企业市值超50亿元", "超50亿元", "name"),
    ("实现技术交易额超80亿元", "超80亿元", "quantity"),
    ("12家企业完成融资超6亿元", "超6亿元", "quantity"),
    # N大 + noun written with a digit
    ("重点发展6大产业集群", "6大", "name"),
])
def test_labels_thresholds_and_articles_are_not_figures(text, span, category):
    assert mention(text, span).category == category


@pytest.mark.parametrize("text, figure, value, unit", [
    ("全年接待参观人次达3.5万，同比增长12%", "3.5万", 3.5, "万人次"),  # not 万元
    ("科普讲座听众人次突破一万二千", "突破一万二千", 12000, "人次"),
    ("服务企业家次超过2,400", "超过2,400", 2400, "家次"),
    ("参赛人数为860", "860", 860, "人"),
    ("年末在册志愿者户数约1.2万", "约1.2万", 1.2, "万户"),
    ("技术交易额达3.5亿", "3.5亿", 3.5, "亿元"),  # no measure before it: a bare 亿 stays money
    ("港口集装箱吞吐量完成86.4万标准箱", "86.4万标准箱", 86.4, "万标准箱"),
    ("全年开行中欧班列1,226列", "1,226列", 1226, "列"),
])
def test_a_unit_written_before_its_number_or_of_its_own_kind_is_read(text, figure, value, unit):
    m = next(m for m in find_numbers(text) if m.text == figure)
    assert (m.value, m.unit, m.category) == (value, unit, "quantity")


@pytest.mark.parametrize("text, figure, category", [
    ("近五年累计培育科技型企业800家", "近五年", "date"),
    ("近两年，全区新增孵化器6家", "近两年", "date"),
    ("五年来服务企业3000余家", "五年", "date"),
    ("3年以来累计投入", "3年", "date"),
    ("连续四年获评优秀", "四年", "quantity"),  # a count of years
    ("项目建设历时近三年", "近三年", "quantity"),  # a duration
])
def test_a_span_of_years_a_figure_covers_is_a_period_not_a_count(text, figure, category):
    m = next(m for m in find_numbers(text) if m.text == figure)
    assert m.category == category


@pytest.mark.parametrize("text, figure, unit", [
    ("全年生猪出栏28.6万头，比上年增长", "28.6万头", "万头"),  # not 万元: 头 is the unit
    ("家禽出栏120万羽", "120万羽", "万羽"),
    ("全年供水量3.2亿立方米", "3.2亿立方米", "亿立方米"),
])
def test_livestock_and_volume_units_are_read_not_taken_for_money(text, figure, unit):
    m = next(m for m in find_numbers(text) if m.text == figure)
    assert m.unit == unit


def test_two_ends_of_an_idiom_are_no_count_of_heads():
    found = find_numbers("坚持两手抓两头硬，新增企业3家")
    assert [m.text for m in found if m.is_quantity] == ["3家"] and not any(m.unit == "头" for m in found)


def test_a_table_cell_takes_its_rows_unit_and_a_four_digit_count_is_no_year():
    text = "指标 2023年 2024年\n高新技术企业（家） 1,180 1986\n"
    cells = {m.text: m for m in find_numbers(text) if m.start > text.index("（家）")}
    assert (cells["1,180"].unit, cells["1,180"].category) == ("家", "quantity")
    assert (cells["1986"].unit, cells["1986"].category) == ("家", "quantity")  # not the year 1986
    assert [m.category for m in find_numbers(text) if m.start < text.index("\n")] == ["year", "year"]


@pytest.mark.parametrize("text, figure, unit, category", [
    ("人次达3.5万", "3.5万", "万人次", "quantity"),  # the measure at the very start of the text
    ("历时近三年", "近三年", "年", "quantity"),  # a duration at the very start of the text
])
def test_the_words_before_a_number_are_read_from_the_texts_first_character(text, figure, unit, category):
    m = next(m for m in find_numbers(text) if m.text == figure)
    assert (m.unit, m.category) == (unit, category)


@pytest.mark.parametrize("text, figure, unit", [
    ("成交金额197.54亿，同比增长", "197.54亿", "亿元"),  # a clause of money: the guide's 亿元
    ("全区GDP达1,234.5亿", "1,234.5亿", "亿元"),
    ("实现3.5亿营收", "3.5亿", "亿元"),  # the money word after the number
    ("累计服务企业3.5万，覆盖全区", "3.5万", "万"),  # no money said: no 元 invented
    ("全年接待游客1.2亿", "1.2亿", "亿"),
    ("参观人次达3.5万", "3.5万", "万人次"),  # the measure before it says what is counted
])
def test_a_bare_magnitude_is_money_only_where_its_clause_speaks_of_money(text, figure, unit):
    m = next(m for m in find_numbers(text) if m.text == figure)
    assert m.unit == unit


def test_a_class_of_magnitude_is_a_label_with_or_without_money():
    assert [m.category for m in find_numbers("培育百亿级产业集群")] == ["name"]
    assert [m.category for m in find_numbers("打造千亿级产业，营收百亿级企业")] == ["name", "name"]
