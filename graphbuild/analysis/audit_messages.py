"""Audit messages for people: in Chinese, with amounts formatted (English kept alongside).

The rules (``queries/audit_*.rq``) write one English message per finding with raw numbers
(``… summing to 45000000 yuan``). :func:`chinese` rewrites a message of every rule in Chinese
with money in 万元 (``4,500万元``), :func:`english` formats its amounts (``45,000,000 yuan``). A
message no pattern knows is returned with its rule's Chinese title in front, never dropped.

>>> chinese("indicator 按期完成 has no value")
'指标「按期完成」未填写指标值'
>>> chinese("project 养老服务: spent 450000 of 500000 yuan, execution rate printed 95, computed 90")
'项目「养老服务」：执行 45万元 / 预算 50万元，执行率填报 95，计算为 90'
>>> english("summing to 45000000 yuan")
'summing to 45,000,000 yuan'
>>> money(45000000), money(3500.5), money(0)
('4,500万元', '3,500.5元', '0元')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

N = r"(-?\d+(?:\.\d+)?)"
_YUAN = re.compile(N + r" yuan\b")


def money(value: str | float | Decimal) -> str:
    """An amount in yuan as people read it: 万元 from 10,000 yuan up, else 元."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if abs(amount) >= 10000:
        return f"{_plain(amount / 10000)}万元"
    return f"{_plain(amount)}元"


def _plain(amount: Decimal) -> str:
    """Thousands separators, at most four decimals, no trailing zeros."""
    rounded = amount.quantize(Decimal("0.0001")).normalize()
    text = f"{rounded:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def english(message: str) -> str:
    """The message with its amounts in yuan written with thousands separators."""
    return _YUAN.sub(lambda m: f"{_plain(Decimal(m.group(1)))} yuan", message)


def _levels(text: str) -> str:
    return {"level 1": "一级指标", "level 2": "二级指标"}.get(text, text)


def _period(text: str) -> str:
    return {"annual": "年度", "implementation-period": "实施期", "implementation": "实施期"}.get(
        text, text
    )


def _deviation(m: re.Match[str]) -> str:
    what = m.group(4)
    if what.startswith("scored"):
        done = f"得分 {m.group(5)}（满分 {m.group(6)}）"
    elif what.startswith("missed"):
        done = "未完成目标"
    else:
        done = "大幅超额完成"
    actual = "未填写" if m.group(3) == "not given" else m.group(3)
    return f"指标「{m.group(1)}」（目标 {m.group(2)}，实际 {actual}）{done}，未说明偏差原因"


def _execution(m: re.Match[str]) -> str:
    text = f"项目「{m.group(1)}」：执行 {money(m.group(2))} / 预算 {money(m.group(3))}"
    if m.group(4):
        text += f"，执行率填报 {m.group(5)}，计算为 {m.group(6)}"
    if m.group(7):
        text += f"，执行得分填报 {m.group(8)}，计算为 {m.group(9)}"
    return text


Rewrite = Callable[[re.Match[str]], str]
PATTERNS: list[tuple[re.Pattern[str], Rewrite]] = [
    (
        re.compile(rf"^cost (.+) (\S+) \({N} yuan\) is above the project's (.+) of {N} yuan$"),
        lambda m: (
            f"成本指标「{m.group(1)}」{m.group(2)}（{money(m.group(3))}）高于项目的"
            f"{m.group(4)} {money(m.group(5))}"
        ),
    ),
    (
        re.compile(
            r"^not checkable: the document prints no department-wide annual budget \(年度预算情况\); "
            rf"(\d+) projects, (\d+) with annual funds \(or a 全年预算数\) summing to {N} yuan$"
        ),
        lambda m: (
            f"无法核对：文档未列出部门整体年度预算（年度预算情况）；共 {m.group(1)} 个项目，"
            f"其中 {m.group(2)} 个有年度资金（或全年预算数），合计 {money(m.group(3))}"
        ),
    ),
    (
        re.compile(
            rf"^the department-wide table gives 项目支出 {N} yuan, the (\d+) project tables' "
            rf"annual funds sum to {N} yuan$"
        ),
        lambda m: (
            f"部门整体绩效目标表列项目支出 {money(m.group(1))}，{m.group(2)} 个项目表的年度资金"
            f"合计 {money(m.group(3))}"
        ),
    ),
    (
        re.compile(
            rf"^the department-wide table's 合计 {N} yuan is not 基本支出 {N} \+ 项目支出 {N} yuan$"
        ),
        lambda m: (
            f"部门整体绩效目标表合计 {money(m.group(1))} 不等于基本支出 {money(m.group(2))} + "
            f"项目支出 {money(m.group(3))}"
        ),
    ),
    (
        re.compile(
            rf"^indicator (.+?) \(target (.*), actual (.*)\) (scored {N} of {N}|missed its target"
            r"|far exceeded its target) without a stated reason$"
        ),
        _deviation,
    ),
    (re.compile(r"^indicator (.+) has no value$"), lambda m: f"指标「{m.group(1)}」未填写指标值"),
    (
        re.compile(
            rf"^project (.+?): spent {N} of {N} yuan(, execution rate printed {N}, computed {N})?"
            rf"(, execution score printed {N}, computed {N})?$"
        ),
        _execution,
    ),
    (
        re.compile(
            rf"^project (.+?): the (.+?) total of {N} yuan is not the sum of its (\d+) funding "
            rf"lines, {N} yuan$"
        ),
        lambda m: (
            f"项目「{m.group(1)}」：{_period(m.group(2))}资金合计 {money(m.group(3))} 不等于"
            f" {m.group(4)} 项资金来源之和 {money(m.group(5))}"
        ),
    ),
    (
        re.compile(rf"^project (.+?) is graded (.+?) with a total score of {N}, which is (.+)$"),
        lambda m: (
            f"项目「{m.group(1)}」评为「{m.group(2)}」，但总分 {m.group(3)} 应为「{m.group(4)}」"
        ),
    ),
    (
        re.compile(r"^level 2 (.+?) belongs under (.+?), not under (.+)$"),
        lambda m: f"二级指标「{m.group(1)}」应属于「{m.group(2)}」，而非「{m.group(3)}」",
    ),
    (
        re.compile(r"^(\S+) (.+) is an amount of money \((.*)\): an input, not an output$"),
        lambda m: f"{m.group(1)}「{m.group(2)}」是金额（{m.group(3)}）：属于投入，不是产出",
    ),
    (
        re.compile(
            r"^annual target (.+) (\S+) (is above|points the other way than) the "
            r"implementation-period target (.+) \(line (\d+)\)$"
        ),
        lambda m: (
            f"年度目标「{m.group(1)}」{m.group(2)}"
            f"{'高于' if m.group(3) == 'is above' else '与'}实施期目标 {m.group(4)}"
            f"{'' if m.group(3) == 'is above' else '方向相反'}（第 {m.group(5)} 行）"
        ),
    ),
    (
        re.compile(r"^indicator (.+?) has a placeholder value: (.*)$"),
        lambda m: f"指标「{m.group(1)}」的指标值是占位符：{m.group(2)}",
    ),
    (
        re.compile(r"^the row prints level 1 (.+?) but the target is filed under (.+)$"),
        lambda m: f"该行印的一级指标是「{m.group(1)}」，但目标归入「{m.group(2)}」",
    ),
    (
        re.compile(r"^project (.+?) has no (.+?) target$"),
        lambda m: f"项目「{m.group(1)}」没有{m.group(2)}目标",
    ),
    (
        re.compile(r"^(\S+) (.+?) is not a number( or a date)?: (.*)$"),
        lambda m: (
            f"{m.group(1)}「{m.group(2)}」不是数字{'或日期' if m.group(3) else ''}：{m.group(4)}"
        ),
    ),
    (
        re.compile(r"^indicator (.+?) has a number without a unit: (.*)$"),
        lambda m: f"指标「{m.group(1)}」的数字没有单位：{m.group(2)}",
    ),
    (
        re.compile(r"^indicator (.+?) has a unit not in the unit scheme \((.+?)\): (.*)$"),
        lambda m: f"指标「{m.group(1)}」的单位（{m.group(2)}）不在计量单位表中：{m.group(3)}",
    ),
    (
        re.compile(rf"^indicator (.+?) scores {N}, above its weight {N}$"),
        lambda m: f"指标「{m.group(1)}」得分 {m.group(2)}，高于其权重 {m.group(3)}",
    ),
    (
        re.compile(r"^project (.+?) has (\d+) indicators? \(fewer than (\d+)\)$"),
        lambda m: f"项目「{m.group(1)}」只有 {m.group(2)} 个指标（少于 {m.group(3)} 个）",
    ),
    (
        re.compile(
            rf"^project (.+?) reports a total score of {N}; its indicator scores \({N}\) and "
            rf"execution score \({N}\) make {N}$"
        ),
        lambda m: (
            f"项目「{m.group(1)}」自报总分 {m.group(2)}；指标得分 {m.group(3)} 加预算执行得分"
            f" {m.group(4)} 为 {m.group(5)}"
        ),
    ),
    (
        re.compile(
            rf"^project (.+?): the weights of its (\d+) indicators sum to {N}, with budget "
            rf"execution \({N}\) {N}, not 100$"
        ),
        lambda m: (
            f"项目「{m.group(1)}」：{m.group(2)} 个指标的权重合计 {m.group(3)}，加预算执行"
            f" {m.group(4)} 为 {m.group(5)}，不是 100"
        ),
    ),
    (
        re.compile(r"^(level 1|level 2) label (.+) is not in the level scheme$"),
        lambda m: f"{_levels(m.group(1))}名称「{m.group(2)}」不在指标体系中",
    ),
]


def chinese(message: str, title: str = "") -> str:
    """The message in Chinese; an unknown one as ``title：message``."""
    for pattern, rewrite in PATTERNS:
        found = pattern.match(message)
        if found:
            return rewrite(found)
    return f"{title}：{english(message)}" if title else english(message)
