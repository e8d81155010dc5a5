"""What the documents of the synthetic corpus say; ``benchmarks/corpus.py`` prints them.

Places, departments by sector, project names, indicators and the fixed text of the tables, as
plain data, and the content model: :func:`indicator` draws one 三级指标 with its value (about a
third from a Zipf-weighted head of very common indicators such as 服务对象满意度 and 资金到位率,
the rest from a long tail composed from the sector's objects, people and aims), :func:`blocks`
lays indicators out in the framework of DESIGN.md §2, :func:`evaluate` gives final-accounts
weights, actual values and scores. Values take the forms of DESIGN.md §2: ≥95%, ≤60万元, 12次,
不少于3次, 2024年12月31日前, ≤12月份, 提高, 有效 …

>>> import random
>>> name, value, kind = indicator(random.Random(3), "数量指标", SECTORS[0], 2024)
>>> kind, value.endswith(("人", "人次", "平方米", "台", "册", "套", "所", "以上"))
('count', True)
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _entries(text: str) -> list[tuple[str, ...]]:
    """Entries separated by ';' or line ends, their fields by spaces."""
    return [tuple(e.split()) for e in text.replace("\n", ";").split(";") if e.strip()]


def _rows(text: str) -> list[list[str]]:
    """Template rows: one per line, cells separated by '|'."""
    return [line.split("|") for line in text.strip().splitlines()]


SHANXI_CITIES = _words(
    "太原市 大同市 阳泉市 长治市 晋城市 朔州市 晋中市 运城市 忻州市 临汾市 吕梁市"
)
SHANXI_COUNTIES = _words(
    "清徐县 阳曲县 娄烦县 古交市 天镇县 广灵县 灵丘县 浑源县 左云县 平定县 盂县 襄垣县 "
    "平顺县 黎城县 壶关县 长子县 武乡县 沁县 沁源县 沁水县 阳城县 陵川县 泽州县 高平市 "
    "山阴县 应县 右玉县 怀仁市 榆社县 左权县 和顺县 昔阳县 寿阳县 祁县 平遥县 灵石县 介休市 "
    "临猗县 万荣县 闻喜县 稷山县 新绛县 绛县 垣曲县 夏县 平陆县 芮城县 永济市 河津市 定襄县 "
    "五台县 代县 繁峙县 宁武县 静乐县 神池县 五寨县 岢岚县 河曲县 保德县 偏关县 原平市 "
    "曲沃县 翼城县 襄汾县 洪洞县 古县 安泽县 浮山县 吉县 乡宁县 大宁县 隰县 永和县 蒲县 "
    "汾西县 侯马市 霍州市 文水县 交城县 兴县 临县 柳林县 石楼县 岚县 方山县 中阳县 交口县 "
    "孝义市 汾阳市"
)
SHANXI_ZONES = _words("侯马经济开发区 晋城经济技术开发区 太原高新技术产业开发区 大同经济技术开发区")
HENAN_CITIES = _words(
    "郑州市 开封市 洛阳市 平顶山市 安阳市 鹤壁市 新乡市 焦作市 濮阳市 许昌市 漯河市 "
    "三门峡市 南阳市 商丘市 信阳市 周口市 驻马店市 济源市"
)
HENAN_COUNTIES = _words(
    "中牟县 巩义市 荥阳市 新密市 新郑市 登封市 杞县 通许县 尉氏县 兰考县 新安县 栾川县 "
    "嵩县 汝阳县 宜阳县 洛宁县 伊川县 宝丰县 叶县 鲁山县 郏县 舞钢市 汝州市 林州市 汤阴县 "
    "滑县 内黄县 浚县 淇县 获嘉县 原阳县 延津县 封丘县 卫辉市 辉县市 长垣市 修武县 博爱县 "
    "武陟县 温县 沁阳市 孟州市 清丰县 南乐县 范县 台前县 鄢陵县 襄城县 禹州市 长葛市 舞阳县 "
    "临颍县 渑池县 卢氏县 义马市 灵宝市 南召县 方城县 西峡县 镇平县 内乡县 淅川县 社旗县 "
    "唐河县 新野县 桐柏县 邓州市 民权县 睢县 宁陵县 柘城县 虞城县 夏邑县 永城市 罗山县 "
    "光山县 新县 商城县 固始县 潢川县 淮滨县 息县 扶沟县 西华县 商水县 沈丘县 郸城县 太康县 "
    "鹿邑县 项城市 西平县 上蔡县 平舆县 正阳县 确山县 泌阳县 汝南县 遂平县 新蔡县"
)
HENAN_DISTRICTS = _words(
    "新乡市凤泉区 新乡市红旗区 郑州市金水区 郑州市二七区 洛阳市西工区 洛阳市涧西区 "
    "开封市龙亭区 安阳市文峰区 焦作市山阳区 许昌市魏都区 南阳市卧龙区 商丘市梁园区 "
    "周口市川汇区 信阳市浉河区"
)


@dataclass(frozen=True)
class Sector:
    """A kind of department: its names, projects, objects (with units), people and aims."""

    key: str
    departments: tuple[str, ...]
    projects: tuple[str, ...]
    objects: tuple[tuple[str, str], ...]
    people: tuple[str, ...]
    aims: tuple[str, ...]


# One block per sector, fields separated by '|' (lines starting with spaces continue a field):
# key | department kinds | project templates | objects:units | people | aims.
_SECTORS = """
edu | 教育局 教育和体育局 第一中学 实验小学 职业中学 教师进修学校
  | 义务教育薄弱环节改善与能力提升 学生资助补助经费 教师培训经费 校舍维修改造
    营养改善计划 {place}中小学校园安全建设 学前教育发展资金 {year}年教育信息化建设
    乡村教师生活补助 普通高中改造计划
  | 学生资助:人 教师培训:人次 校舍维修:平方米 教学设备购置:台 图书配备:册 营养餐供应:人
    校园监控:套 课桌椅更新:套 乡村学校:所 寄宿生补助:人
  | 学生 家长 教师 受助学生 | 办学条件 教育教学质量 教师专业素质 学生营养健康水平 教育公平

health | 卫生健康局 人民医院 疾病预防控制中心 妇幼保健院 中医院
  | 基本公共卫生服务 家庭医生签约服务 重大疾病防控经费 {place}基层医疗卫生机构能力建设
    免费孕前优生健康检查 计划生育家庭奖励扶助 医疗设备购置 {year}年健康体检项目
  | 健康档案建档:份 疫苗接种:剂次 家庭医生签约:人 孕前检查:对 医疗设备购置:台
    健康体检:人次 慢病随访:人次 奖励扶助:人 卫生室改造:所
  | 患者 群众 签约居民 受检对象 | 群众健康水平 基层医疗服务能力 传染病防控能力 就医环境

market | 市场监督管理局 市场监管综合行政执法队 检验检测中心
  | 食品安全抽检经费 特种设备安全监察 {place}消费维权体系建设 市场主体登记注册
    知识产权保护专项 计量检定设备购置 {year}年“双随机”抽查经费
  | 食品抽检:批次 特种设备检验:台 消费投诉处理:件 计量器具检定:台件 执法检查:次
    市场主体年报:户 商标培育:件
  | 企业 消费者 市场主体 群众 | 食品安全水平 市场秩序 消费环境 营商环境

agri | 农业农村局 农业综合行政执法大队 畜牧兽医服务中心 农业技术推广中心
  | 高标准农田建设 耕地地力保护补贴 {place}农村人居环境整治 动物疫病防控
    农业技术推广与培训 {year}年乡村振兴衔接资金 农机购置补贴 种粮农民一次性补贴
  | 高标准农田:亩 耕地保护补贴:亩 农民培训:人次 动物免疫:万头只 农机补贴:台
    农村厕所改造:户 技术推广示范点:个 种粮补贴:户
  | 农户 农民 种植户 养殖户 村民 | 农民收入 粮食生产能力 农村人居环境 农业综合生产能力

housing | 住房和城乡建设局 城市管理局 园林绿化中心 住房保障服务中心
  | 老旧小区改造 城市道路维修 {place}公共租赁住房维护 市政设施维护 园林绿化养护
    {year}年城镇燃气管网改造 农村危房改造 环卫保洁经费
  | 老旧小区改造:个 道路维修:平方米 公租房维修:套 路灯维护:盏 绿化养护:平方米
    燃气管网改造:公里 危房改造:户 垃圾清运:吨
  | 居民 群众 住户 市民 | 城市面貌 居住环境 市政设施完好水平 城市承载能力

transport | 交通运输局 公路管理段 道路运输服务中心
  | 农村公路养护 {place}公路安全生命防护工程 客运站运营补贴 {year}年道路桥梁维修
    城乡公交运营补贴 治超站运行经费
  | 农村公路养护:公里 安防设施:公里 桥梁维修:座 公交线路:条 治超检测:车次
  | 群众 乘客 运输企业 沿线群众 | 道路通行条件 群众出行便利程度 道路运输安全水平

civil | 民政局 社会福利院 救助管理站 殡葬服务中心
  | 城乡居民最低生活保障 特困人员救助供养 {place}困难群众临时救助 高龄老人补贴
    孤儿基本生活保障 {year}年养老服务体系建设 残疾人两项补贴
  | 低保保障:人 特困供养:人 临时救助:人次 高龄补贴:人 孤儿保障:人 养老服务站点:个
    残疾人补贴:人
  | 困难群众 老年人 救助对象 残疾人 | 困难群众基本生活 社会救助水平 养老服务能力

hr | 人力资源和社会保障局 就业服务中心 社会保险中心
  | 就业创业补贴 职业技能培训 {place}公益性岗位补贴 社保经办服务
    {year}年高校毕业生就业见习 劳动保障监察经费
  | 技能培训:人次 公益性岗位:个 就业见习:人 创业担保贷款:笔 劳动监察检查:户次
  | 参训人员 求职者 企业 参保群众 | 就业质量 劳动者技能水平 社会保障水平

water | 水利局 河道管理所 水土保持站
  | 农村饮水安全维修养护 {place}河道清淤治理 小型水库除险加固 水土流失治理
    {year}年防汛物资储备 河长制工作经费
  | 饮水工程维修:处 河道清淤:公里 水库加固:座 水土流失治理:平方公里 防汛物资:批
  | 群众 受益群众 沿河群众 | 防洪能力 饮水安全保障水平 水生态环境

env | 生态环境局 生态环境监测站 环境保护综合行政执法队
  | 大气污染防治 {place}环境空气质量监测 水污染防治专项 土壤污染调查
    {year}年环境执法装备购置 秸秆禁烧监管
  | 空气监测站点:个 执法检查:家次 污水处理设施:座 土壤调查点位:个 执法装备:台套
  | 群众 企业 周边居民 | 空气质量 生态环境质量 污染防治能力

culture | 文化和旅游局 图书馆 文化馆 博物馆 融媒体中心
  | 公共文化服务体系建设 {place}文物保护修缮 图书馆免费开放 送戏下乡
    {year}年全域旅游宣传推广 非物质文化遗产保护
  | 文化活动:场次 文物修缮:处 图书采购:册 送戏下乡:场 宣传推广:次 非遗传承人:人
  | 群众 游客 读者 观众 | 公共文化服务水平 群众文化生活 文化影响力

emergency | 应急管理局 消防救援大队 地震局
  | 安全生产监管执法 {place}应急物资储备 森林防火专项 应急救援队伍建设
    {year}年安全生产宣传培训
  | 执法检查:家次 应急物资:批次 防火巡查:人次 救援演练:次 宣传培训:人次
  | 企业 群众 辖区居民 | 安全生产水平 应急处置能力 防灾减灾能力

gov | 人民政府办公室 委员会办公室 机关事务服务中心 档案馆 信访局 党群工作部 综合工作部
  | 机关运行经费 办公设备购置 {place}电子政务网络运行 档案数字化 信访工作经费
    党报党刊征订 公务用车运行维护 {year}年综合业务经费 法律顾问服务 食堂改造
  | 办公设备购置:台 档案数字化:卷 网络运维:条 信访接待:人次 报刊征订:份 公务用车维护:辆
    会议保障:次 督查事项:件
  | 干部职工 机关人员 工作人员 来访群众 | 机关运转效率 办公条件 政务服务水平 工作效能

finance | 财政局 发展和改革局 统计局 审计局 商务局
  | 财政信息化运维 {place}预算绩效评价 统计调查专项 审计业务经费
    {year}年招商引资工作经费 价格监测经费
  | 信息系统运维:套 绩效评价项目:个 统计调查:次 审计项目:个 招商活动:场
  | 预算单位 企业 调查对象 被审计单位 | 资金使用效益 统计数据质量 招商引资成效 财政管理水平
"""


def _sectors() -> tuple[Sector, ...]:
    found = []
    for block in _SECTORS.strip().split("\n\n"):
        key, depts, projects, objects, people, aims = (f.strip() for f in block.split("|"))
        pairs = tuple(tuple(o.split(":")) for o in objects.split())
        found.append(
            Sector(key, _words(depts), _words(projects), pairs, _words(people), _words(aims))
        )  # type: ignore[arg-type]
    return tuple(found)


SECTORS = _sectors()
PROJECT_PATTERNS = ("{obj}专项经费", "{year}年{obj}项目", "{place}{obj}工程", "{obj}补助资金")
# Very common indicators (the head of the Zipf-like mix), most common first.
HEAD = _entries("""
    服务对象满意度指标 服务对象满意度 pct_hi; 质量指标 资金到位率 pct_100; 时效指标 完成时间 date
    质量指标 资金使用合规性 qual; 服务对象满意度指标 群众满意度 pct_hi
    可持续影响指标 项目可持续性 qual; 服务对象满意度指标 职工满意度 pct_hi
    质量指标 项目验收合格率 pct_100; 时效指标 资金拨付及时率 pct_hi; 社会效益指标 提升服务质量 qual
    质量指标 预算执行率 pct_hi; 时效指标 项目完成及时性 qual_time
    服务对象满意度指标 工作人员满意度 pct_hi; 可持续影响指标 长效管理机制 qual
    社会效益指标 保障单位正常运转 qual; 质量指标 资金使用规范性 qual
    时效指标 资金支付时间 date; 社会效益指标 提高工作效率 qual
    """)
HEAD_WEIGHTS = tuple(itertools.accumulate(1.0 / (rank + 1) ** 1.1 for rank in range(len(HEAD))))

UNIT_MAX = {"人": 3000, "人次": 8000, "平方米": 20000, "台": 60, "册": 5000, "套": 80, "所": 30}
QUALITATIVE = _words(
    "提高 有效 合格 达标 保障 可持续 明显提高 有效提升 逐步改善 规范 合规 健全 长期 "
    "显著提升 持续发挥作用 稳步提高 按要求完成"
)
QUAL_TIME = _words("及时 按时完成 按期完成 及时完成")
MODIFIERS = _words(
    "新建 改造 全县 全区 乡镇 村级 重点 年度 专项 城区 农村 市级 示范 标准化 智慧 规范化 "
    "一期 二期 续建 应急 日常 基层 困难 特殊 中心 东区 西区 南片 北片 试点"
)
SUFFIX = {
    "数量指标": ("数量", "规模", "完成数"),
    "质量指标": ("合格率", "达标率", "完成率", "覆盖率", "验收合格率"),
    "时效指标": ("完成时间", "完成及时率", "及时性"),
    "成本指标": ("费用", "成本", "补助标准", "资金"),
}
TEMPLATES = {
    "经济效益指标": ("带动{p}增收", "节约{o}支出", "促进{a}提升", "降低{o}运行成本"),
    "生态效益指标": ("{o}节能减排", "改善{a}", "减少环境污染", "提升生态环境质量"),
    "可持续影响指标": ("{o}长效管理", "{a}持续改善", "{o}可持续运行", "持续发挥{o}效益"),
    "社会效益指标": (
        "提升{a}",
        "改善{a}",
        "保障{p}权益",
        "{o}社会知晓率",
        "提高{a}",
        "增强{p}获得感",
    ),
    "社会成本指标": ("{o}社会成本", "对{p}生活的影响"),
    "生态环境成本指标": ("{o}环境影响", "{o}能耗"),
}


def pick(rng: random.Random, items: tuple | list) -> Any:
    """One element, uniformly."""
    return items[int(rng.random() * len(items))]


def money_text(rng: random.Random, yuan: float) -> str:
    """A cost value for an amount in yuan: ≤60万元, 103450元, ≤3.5万元/人/年 …"""
    if yuan >= 20000 and rng.random() < 0.7:
        wan = round(yuan / 1e4, 2 if yuan < 1e6 else 1)
        return ("≤" if rng.random() < 0.75 else "") + f"{wan:g}万元"
    if rng.random() < 0.25:
        per = pick(rng, ("元/人/月", "元/人/年", "元/人", "元/平方米", "元/次"))
        return ("≤" if rng.random() < 0.5 else "") + f"{rng.randint(5, 200) * 10}{per}"
    return ("≤" if rng.random() < 0.5 else "") + f"{max(100, round(yuan, -1)):.0f}元"


def count_text(rng: random.Random, unit: str) -> str:
    """A count such as ≥12次, 60人, ≤8套, 不少于3次, 50人以上, =1人, >1500份."""
    number = max(1, int(rng.lognormvariate(0, 1.3) * UNIT_MAX.get(unit, 400) / 12))
    roll = rng.random()
    for limit, form in ((0.45, "≥{}"), (0.75, "{}"), (0.83, "≤{}"), (0.89, "不少于{}")):
        if roll < limit:
            return form.format(f"{number}{unit}")
    return (
        f"{number}{unit}以上" if roll < 0.94 else ("=" if roll < 0.97 else ">") + f"{number}{unit}"
    )


def date_text(rng: random.Random, year: int) -> str:
    """A date or period: 2024年12月31日前, ≤12月份, 12月末, 2024年全年, 全年 …"""
    month = pick(rng, (6, 9, 10, 11, 12, 12, 12))
    forms = f"{year}年12月31日前|{year}年{month}月底前|≤12月份|{month}月末|{year}年全年|全年|"
    forms += f"{year}年{month}月|{year}年12月31日|12月底前"
    return forms.split("|")[int(rng.random() ** 1.5 * 9)]


def value_for(rng: random.Random, kind: str, year: int, funds: float) -> tuple[str, str]:
    """(value text, value kind) for a head indicator's kind."""
    if kind == "pct_hi":
        return pick(rng, ("≥95%", "≥90%", "≥98%", "100%", "≥85%", "≥99%", "≥80%", "≥96%")), "pct"
    if kind == "pct_100":
        return pick(rng, ("100%", "100%", "≥95%", "=100%", "≥98%")), "pct"
    if kind == "money":
        return money_text(rng, funds * rng.uniform(0.05, 0.9)), "money"
    if kind == "date":
        return date_text(rng, year), "date"
    return pick(rng, QUAL_TIME if kind == "qual_time" else QUALITATIVE), "qual"


def indicator(
    rng: random.Random, level2: str, sector: Sector, year: int, funds: float = 5e5
) -> tuple[str, str, str]:
    """(name, value, value kind) of one indicator under ``level2`` for a department of
    ``sector``; the kind is count, pct, money, date or qual."""
    if rng.random() < 0.33:
        index = bisect.bisect(HEAD_WEIGHTS, rng.random() * HEAD_WEIGHTS[-1])
        head_level2, name, kind = HEAD[min(index, len(HEAD) - 1)]
        if head_level2 == level2:
            return (name, *value_for(rng, kind, year, funds))
    obj, unit = pick(rng, sector.objects)
    obj = (pick(rng, MODIFIERS) if rng.random() < 0.3 else "") + obj  # the long tail
    fill = {"o": obj, "p": pick(rng, sector.people), "a": pick(rng, sector.aims)}
    if level2 == "数量指标":
        suffix = "人数" if unit in ("人", "人次") else pick(rng, SUFFIX[level2])
        return obj + suffix, count_text(rng, unit), "count"
    if level2 == "质量指标":
        if rng.random() < 0.25:
            return obj + pick(rng, ("质量", "规范性", "标准")), pick(rng, QUALITATIVE), "qual"
        return obj + pick(rng, SUFFIX[level2]), value_for(rng, "pct_hi", year, funds)[0], "pct"
    if level2 == "时效指标":
        suffix = pick(rng, SUFFIX[level2])
        kind = "date" if suffix == "完成时间" else ("pct_hi" if "率" in suffix else "qual_time")
        return (obj + suffix, *value_for(rng, kind, year, funds))
    if level2 in ("成本指标", "经济成本指标"):
        name = obj + pick(rng, SUFFIX["成本指标"])
        return name, money_text(rng, funds * rng.uniform(0.05, 0.9)), "money"
    if level2 == "服务对象满意度指标":
        return fill["p"] + "满意度", value_for(rng, "pct_hi", year, funds)[0], "pct"
    name = pick(rng, TEMPLATES.get(level2, TEMPLATES["社会效益指标"])).format(**fill)
    low = level2.endswith("成本指标")
    return name, pick(rng, ("无", "低", "可控") if low else QUALITATIVE), "qual"


@dataclass
class Ctx:
    """Who publishes the document: year, place, department, its code and sector."""

    year: int
    place: str
    dept: str
    code: str
    sector: Sector
    used: Counter[str] = field(default_factory=Counter)  # project names so far

    def project_name(self, rng: random.Random) -> str:
        """A sector template or a generic pattern around one of the sector's objects."""
        templates = self.sector.projects if rng.random() < 0.6 else PROJECT_PATTERNS
        obj = pick(rng, self.sector.objects)[0]
        name = pick(rng, templates).format(place=self.place, year=self.year, obj=obj)
        if self.used[name] and rng.random() < 0.9:  # else two projects share a name
            name += pick(rng, ("（续建）", "二期", "运维", "（追加）"))
        self.used[name] += 1
        return name


def context(rng: random.Random, family: str) -> Ctx:
    """A publisher for a document of ``family``: Henan places for Henan budgets."""
    sector = pick(rng, SECTORS)
    kind = pick(rng, sector.departments)
    if family == "henan_budget" or (family == "final_accounts" and rng.random() < 0.4):
        places = HENAN_CITIES if rng.random() < 0.25 else HENAN_COUNTIES
        place = pick(rng, HENAN_DISTRICTS if rng.random() < 0.3 else places)
    elif sector.key == "gov" and rng.random() < 0.3:
        place = pick(rng, SHANXI_ZONES)
    else:
        place = pick(rng, SHANXI_CITIES if rng.random() < 0.25 else SHANXI_COUNTIES)
    code = str(100 + zlib.crc32((place + kind).encode()) % 800)
    return Ctx(rng.randint(2021, 2025), place, place + kind, code, sector)


# ---- fixed text of the tables ------------------------------------------------------------------

# Level 2 spans of project tables in framework order: level 1, level 2, weight, least count.
LEVEL2_SPANS = [
    (l1, l2, float(weight), int(least))
    for l1, l2, weight, least in _entries("""
    产出指标 数量指标 .27 1; 产出指标 质量指标 .17 0; 产出指标 时效指标 .10 0
    产出指标 成本指标 .14 0; 效益指标 经济效益指标 .04 0; 效益指标 社会效益指标 .15 1
    效益指标 生态效益指标 .02 0; 效益指标 可持续影响指标 .05 0
    满意度指标 服务对象满意度指标 .06 1""")
]
NEW_COST = ("经济成本指标", "社会成本指标", "生态环境成本指标")
SHORT_L2 = {
    label + "指标": label
    for label in _words("社会效益 可持续影响 经济效益 生态效益 服务对象满意度")
}
OCR = str.maketrans({"级": "級", "标": "標", "满": "満", "项": "項", "预": "預"})
GARBLE = str.maketrans({"满": "清", "意": "怠", "益": "盖", "经": "経", "开": "升", "竞": "竟"})
PAGE_STYLES = ("- {} -", "第 {} 页", "{}", "— {} —", "第{}页")
WATERMARKS = _words("[watermark] [stamp] [signature] [illegible] 公开 样本 预算公开专用 仅供公示")
DEVIATION_REASONS = _words(
    "项目实施进度滞后 部分资金尚未支付 受客观因素影响未全部完成 实际需求少于预期 "
    "政策调整导致任务减少 采购程序延迟 节约资金"
)
FA_WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}

SHANXI_FIELDS = _rows("""
项目名称||{name}|||||
主管部门及代码||{dept}||实施单位|{unit}|
项目属性||{attr}||{term_label}|{term}|
{funds_label}|实施期资金总额:|{total}||年度资金总额:|{annual}|
|其中: 中央财政资金|0||其中: 中央财政资金|0
|省级财政资金|0||省级财政资金|0
|市县(区)财政资金|{total}||市县(区)财政资金|{annual}
|单位自筹|0||单位自筹|0
|其他资金|||其他资金|
项目概况||本项目用于{obj}，预算{total}元。|||
立项依据||《关于做好{year}年{aim}工作的通知》|||
项目设立必要性||保障{aim}，满足{people}需求。||
保证项目实施的制度、措施||项目管理制度；资金管理制度；合同管理制度。||
项目实施计划||{plan}||
实施期目标||||年度目标||
总体目标|{goal}||||{goal}|
""")


def shanxi_fields(rng: random.Random, ctx: Ctx, name: str, funds: int, years: int) -> list[str]:
    """The header-field rows of a Shanxi project table (项目名称 … 总体目标), TAB-separated."""
    values = {"name": name, "dept": f"{ctx.code}-{ctx.dept}", "unit": ctx.dept, "year": ctx.year}
    once = "一次性项目（1年结束）"
    values["attr"] = once if years == 1 else pick(rng, ("经常性项目(长期开展)", "延续性项目"))
    values["term"] = pick(rng, ("99年", "长期")) if years == 99 else f"{years}年"
    values["term_label"] = pick(rng, ("项目期", "项目期", "项目日期"))
    values["funds_label"] = pick(rng, ("项目资金 (元)", "项目资金（元）"))
    values |= {"total": f"{funds * (years if years < 99 else 1):,}", "annual": f"{funds:,}"}
    values |= {"obj": pick(rng, ctx.sector.objects)[0], "aim": pick(rng, ctx.sector.aims)}
    values |= {"people": pick(rng, ctx.sector.people), "plan": pick(rng, ("全年", "按季度推进"))}
    values["goal"] = f"完成{values['obj']}等工作，提升{values['aim']}。"
    pad = [""] * rng.randint(0, 3)  # empty spacer cells after the labels of the first rows
    rows = [cells[:2] + pad * (i < 4) + cells[2:] for i, cells in enumerate(SHANXI_FIELDS)]
    return ["\t".join(cells).format(**values) for cells in rows]


SHANXI_HEADER = _words("绩效指标 一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值")
SHANXI_DEPARTMENT = _rows("""
部门基本信息|部门名称|{dept}||
|内设职能部门数|{offices}个|所属预算单位数|{units}个
部门职责|负责{aim}相关工作。|||
年度预算情况|按资金来源划分|资金总额(万元)|按资金方向划分|资金总额(万元)
|合计|{total}|合计|{total}
|其中:一般公共预算资金|{total}|其中:基本支出|{basic}
|政府性基金预算资金|0.00|项目支出|{projects}
年度绩效目标|全面完成{aim}各项任务。|||
年度绩效指标|一级指标|二级指标|三级指标|指标值
""")
HENAN_HEADER = _rows("""
单位编码(项目编码)|项目单位（项目名称）|项目金额（万元）||||绩效目标||||||||
||||||成本指标||产出指标||效益指标||满意度指标|
||资金总额|政府预算资金|财政专户管理资金|单位资金
""")
HENAN_HEADER[2] += ["三级指标", "指标值"] * 4
HENAN_BLOCKS = ("成本指标", "产出指标", "效益指标", "满意度指标")
HENAN_DEPARTMENT = {  # level 2 of 投入管理指标: its indicators and values
    "工作目标管理": "年度履职目标相关性=相关 工作任务科学性=科学 绩效指标合理性=合理",
    "预算和财务管理": "预算编制完整性=完整 专项资金细化率=100% 预算执行率=≥95% 预算调整率=≤10% "
    "结转结余率=≤5% “三公经费”控制率=≤100% 政府采购执行率=≥90% 决算真实性=真实 "
    "资金使用合规性=合规 管理制度健全性=健全 预决算信息公开性=按要求公开 资产管理规范性=规范",
    "绩效管理": "绩效目标编制完成率=100% 绩效监控完成率=100% 绩效自评完成率=100% "
    "部门绩效评价完成率=100% 评价结果应用率=100%",
}
HENAN_DESCRIPTIONS = (
    "反映部门年度履职目标与国家、省宏观政策及部门职责的相关程度。",
    "预算执行率=（预算完成数/预算数）× 100%。预算完成数指部门实际执行的预算数。",
    "反映部门资金使用是否符合国家财经法规和财务管理制度规定以及有关专项资金管理办法。",
    "部门（单位）按要求实施绩效监控的项目数量占应实施绩效监控项目总数的比重。",
    "反映本部门负责的重点工作任务进展情况，相关情况应予以细化、量化表述。",
    "反映社会公众或服务对象在部门履职效果等方面的满意程度。",
)
HENAN_BENEFITS = (("社会效益", "提高"), ("经济效益", "有效促进"), ("生态效益", "改善"))
FA_REPORT_TOP = (
    "{year}年12月|一、项目基本信息|(一) 项目概况|项目概况:{goal}|(二)项目绩效目标|"
    "(1) 项目实施期绩效目标|{goal}|(2) 项目年度目标|{goal}|二、项目绩效完成情况|(一) 预算执行情况"
)
FA_EXECUTION = _rows("""
资金来源|年初预算数||全年预算数(元)|全年执行数(元)|资金结(转)余(元)|执行率|得分
|目标申报(元)|预算编制(元)|||||
""")
FA_HEADER = _rows("""
一级|二级指标|指标名称|年度|指标|实际完成值|权重|得分|偏差原因分析及改
指标|||年初指标|调整后指标||||进措施
""")
FA_RESULT = (
    "综合考虑预算执行情况得分 {execution} 分、产出、效益、服务对象满意度各方面因素,指标完成情况"
    '得分 {points} 分,最终评分结果:{name}项目绩效自评价结果为:总得分 {total} 分,属于"{grade}"。'
)
FA_TABLE_TOP = _rows("""
|项目名|称||{name}
主|管部门。|及代码|{dept}|预算单位|{unit}
|项目资金 (万元)||资金总额:|{money}
|一級指标|二级指标|三級指标|年初指 标值|调整后 指标值|实际完成值|分值|得分|偏差原因分析及改进措施
""")


# ---- the content model: indicators in their framework, and final-accounts results -------------


@dataclass
class Item:
    """One indicator: its annual (or only) name and value, and how the layout printed it."""

    name: str
    value: str
    kind: str
    impl: tuple[str, str] | None = None  # Shanxi left half (implementation); None: not printed
    annual: bool = True  # printed in the annual (right or only) half
    extra: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)  # the noise kinds that touched it


Block = tuple[str, list[tuple[str, list[Item]]]]  # level 1, [(level 2, indicators)]


def fmt(number: float) -> str:
    """A number as tables print it.

    >>> fmt(10.0), fmt(9.5), fmt(16.9351)
    ('10', '9.5', '16.935')
    """
    return f"{round(number, 3):.3f}".rstrip("0").rstrip(".")


def blocks(
    rng: random.Random, sector: Sector, year: int, n: int, funds: float, new_cost: bool
) -> list[Block]:
    """``n`` indicators in framework order (成本指标 a level 1 with ``new_cost``); a level 2 span
    may be empty, printed as a row of labels only."""
    counts = [least for *_, least in LEVEL2_SPANS]
    weights = [weight for *_, weight, _ in LEVEL2_SPANS]
    for index in rng.choices(range(len(counts)), weights, k=max(0, n - sum(counts))):
        counts[index] += 1
    out: list[Block] = []
    names: set[str] = set()
    for (l1, l2, *_), count in zip(LEVEL2_SPANS, counts, strict=True):
        labels = NEW_COST if l2 == "成本指标" and new_cost else (l2,)
        for position, label in enumerate(labels):
            items = []
            for _ in range(0 if position else count):
                for _attempt in range(3):  # names differ within a table, mostly
                    drawn = indicator(rng, label, sector, year, funds)
                    if drawn[0] not in names:
                        break
                items.append(Item(*drawn))
                names.add(drawn[0])
            if not items and rng.random() < 0.5:
                continue  # an empty span not printed at all
            level1 = "成本指标" if len(labels) > 1 else l1
            if out and out[-1][0] == level1:
                out[-1][1].append((label, items))
            else:
                out.append((level1, [(label, items)]))
    return out


def henan_department(rng: random.Random, sector: Sector, tasks: list[str]) -> list[Block]:
    """The indicators of a Henan department-wide table (投入管理指标 → 工作目标管理 …)."""
    table: list[Block] = [("投入管理指标", [])]
    for l2, pairs in HENAN_DEPARTMENT.items():
        items = [Item(*pair.split("="), "fixed") for pair in pairs.split()]
        keep = [it for it in items if l2 != "预算和财务管理" or rng.random() < 0.7]
        table[0][1].append((l2, keep))
    done = [Item(t, "完成" if rng.random() < 0.6 else count_text(rng, "项"), "qual") for t in tasks]
    goal = Item(f"主要承担{'、'.join(tasks)}等工作。", "完成", "qual")
    table.append(("产出指标", [("重点工作任务完成", done), ("履职目标实现", [goal])]))
    benefits = [Item(name, value, "qual") for name, value in HENAN_BENEFITS[: rng.randint(1, 3)]]
    happy = Item("服务对象满意度", pick(rng, ("≥95%", "≥98%", "≥90%")), "pct")
    table.append(("效益指标", [("履职效益", benefits), ("满意度", [happy])]))
    return table


def henan_plans(rng: random.Random, ctx: Ctx, size: int) -> list[tuple]:
    """The projects of a Henan consolidated table, about ``size`` indicators in all: (21-digit
    code, name, amount in 万元, [成本, 产出, 效益, 满意度 indicators])."""
    area, serial = f"41{zlib.crc32(ctx.place.encode()) % 9000 + 1000}", rng.randint(1000, 90000)
    plans = []
    while size > 0:
        n = min(max(4, int(rng.lognormvariate(math.log(6), 0.4))), max(4, size))
        amount = round(rng.lognormvariate(math.log(20), 1.1), 2)
        name = ("专项-" if rng.random() < 0.5 else "") + ctx.project_name(rng)
        outputs = [
            pick(rng, ("数量指标", "数量指标", "质量指标", "时效指标")) for _ in range(n - 3)
        ]
        level2s = ["成本指标", *outputs, "社会效益指标", "服务对象满意度指标"]
        items = [Item(*indicator(rng, l2, ctx.sector, ctx.year, amount * 1e4)) for l2 in level2s]
        serial += rng.randint(1, 400)
        code = f"{area}{ctx.year % 100}{serial:013d}"
        plans.append((code, name, amount, [items[:1], items[1:-2], items[-2:-1], items[-1:]]))
        size -= n
    return plans


def split_weight(rng: random.Random, total: int, k: int) -> list[int]:
    """``k`` positive integer weights summing to ``total`` (multiples of 5 where they fit).

    >>> sum(split_weight(random.Random(1), 50, 7)), len(split_weight(random.Random(1), 10, 2))
    (50, 2)
    """
    unit = 5 if k <= total // 5 else 1
    cuts = sorted(rng.sample(range(1, total // unit), k - 1))
    return [(b - a) * unit for a, b in zip([0, *cuts], [*cuts, total // unit], strict=True)]


def evaluate(rng: random.Random, table: list[Block]) -> float:
    """Weights (outputs 50, outcomes 30, satisfaction 10), actual values, scores and deviation
    reasons of a final-accounts table (DESIGN.md §5); returns the sum of the scores."""
    points = 0.0
    for l1, spans in table:
        items = [item for _, span in spans for item in span]
        for item, weight in zip(items, split_weight(rng, FA_WEIGHTS[l1], len(items)), strict=True):
            actual, ratio = _actual(rng, item)
            score = round(weight * ratio, 1)
            why = pick(rng, DEVIATION_REASONS) if score < weight else ""
            item.extra |= {"actual": actual, "weight": float(weight), "score": score, "why": why}
            points += score
    return round(points, 2)


def _actual(rng: random.Random, item: Item) -> tuple[str, float]:
    """The actual value as printed and the share of the weight it earns."""
    number = re.search(r"\d+(\.\d+)?", item.value)
    if item.kind not in ("count", "pct", "money") or not number:
        roll = rng.random()
        if roll < 0.8:
            return "达成预期指标", 1.0
        if roll < 0.95:
            return "部分达成预期指标并具有一定效果", rng.uniform(0.6, 0.8)
        return "未达成预期指标", rng.uniform(0.0, 0.6)
    met, target = rng.random() < 0.85, float(number.group())
    ratio = 1.0 if met else rng.uniform(0.4, 0.95)
    ceiling = item.kind == "money" or item.value.startswith(("≤", "<", "不超过"))
    if ceiling:  # met under the ceiling, missed above it (the mirror rule)
        done = target * (rng.uniform(0.6, 1.0) if met else 2 - ratio)
    else:
        done = target * (rng.uniform(1.0, 1.2) if met else ratio)
    if item.kind != "money":
        done = round(min(done, 100) if item.kind == "pct" else done)
    actual = fmt(done)
    if rng.random() < 0.3:  # printed with its unit
        prefix = item.value[: number.start()].lstrip("≥≤=><不少于")
        actual = prefix + actual + item.value[number.end() :]
    return actual, ratio
