"""Value parsing (指标值): examples from the documents and properties over generated values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphbuild.extract.values import parse_number, parse_value


@pytest.mark.parametrize(
    ("text", "kind", "op", "number", "unit"),
    [
        ("≥12次", "quantity", ">=", 12, "次"),
        ("≤60万元", "quantity", "<=", 600000, "元"),
        ("≤60 万元", "quantity", "<=", 600000, "元"),
        ("6.75平方米", "quantity", None, 6.75, "平方米"),
        ("=1人", "quantity", "=", 1, "人"),
        (">1500份", "quantity", ">", 1500, "份"),
        ("不少于3次", "quantity", ">=", 3, "次"),
        ("3次以上", "quantity", ">=", 3, "次"),
        ("≤3.5万元/人/年", "quantity", "<=", 35000, "元/人/年"),
        ("568元/人/月", "quantity", None, 568, "元/人/月"),
        ("≥15万平方米", "quantity", ">=", 150000, "平方米"),
        ("≥95%", "percent", ">=", 95, "%"),
        ("100%", "percent", None, 100, "%"),
        ("≥９５％", "percent", ">=", 95, "%"),
        ("16. 935", "quantity", None, 16.935, None),
        ("≤12月份", "date", "<=", 12, "月"),
    ],
)
def test_quantities_and_percentages(
    text: str, kind: str, op: str | None, number: float, unit: str | None
) -> None:
    value = parse_value(text)
    assert (value.kind, value.op, value.unit) == (kind, op, unit)
    assert value.number == pytest.approx(number)


@pytest.mark.parametrize(
    ("text", "date", "op"),
    [
        ("2024年12月31日前", "2024-12-31", "<="),
        ("2024 年 12 月 31 日", "2024-12-31", None),
        ("2024年9月", "2024-09", None),
        ("2024年全年", "2024", None),
        ("全年", None, None),
        ("12月末", None, None),
    ],
)
def test_dates_and_periods(text: str, date: str | None, op: str | None) -> None:
    value = parse_value(text)
    assert value.kind == "date"
    assert (value.date, value.op) == (date, op)


@pytest.mark.parametrize(
    "text",
    [
        "提高",
        "有效",
        "合格",
        "达标",
        "保障",
        "可持续",
        "明显提高",
        "明显 提高",
        "按要求完成",
        "达成预期指标",
    ],
)
def test_grades_are_qualitative(text: str) -> None:
    assert parse_value(text).kind == "qualitative"


@pytest.mark.parametrize("text", ["*", "-", "XX", "≥%", "≥次", "≤万元"])
def test_placeholders_are_flagged(text: str) -> None:
    value = parse_value(text)
    assert value.placeholder and value.number is None


@pytest.mark.parametrize(
    "text",
    [
        "创优20条生活补贴兑现",
        "7月底前完成2024年省级文化产业发展专项资金支付工作",
        "案件办理及时性",
        "提供专项法律服务",
    ],
)
def test_prose_is_text(text: str) -> None:
    assert parse_value(text).kind == "text"


def test_empty_value() -> None:
    assert parse_value("  ").kind == "empty"


_units = st.sampled_from(["个", "次", "人", "元", "平方米", "台", "元/人/月", "份"])
_ops = st.sampled_from(
    [
        ("≥", ">="),
        ("≤", "<="),
        (">", ">"),
        ("<", "<"),
        ("", None),
        ("不少于", ">="),
        ("不超过", "<="),
    ]
)
_amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


@given(_ops, _amounts, _units, st.booleans())
def test_quantity_round_trip(op: tuple[str, str | None], amount, unit: str, wan: bool) -> None:
    text = f"{op[0]}{amount}{'万' if wan else ''}{unit}"
    value = parse_value(text)
    assert value.kind == "quantity"
    assert value.op == op[1]
    assert value.unit == unit
    assert value.number == pytest.approx(float(amount) * (1e4 if wan else 1))


@given(_ops, st.integers(min_value=0, max_value=100))
def test_percent_round_trip(op: tuple[str, str | None], amount: int) -> None:
    value = parse_value(f"{op[0]}{amount}%")
    assert (value.kind, value.op, value.number, value.unit) == ("percent", op[1], amount, "%")


@given(st.text(max_size=40))
def test_never_raises_and_keeps_text(text: str) -> None:
    value = parse_value(text)
    assert value.kind in ("quantity", "percent", "date", "qualitative", "text", "empty")


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_number_reads_thousands_separators(n: int) -> None:
    assert parse_number(f"{n:,}") == n
