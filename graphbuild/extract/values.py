"""Target values (指标值): the printed text parsed into comparator, number, unit, kind and date.

The raw text is always kept by the caller; ``parse_value`` only adds the parsed form beside it.
Money and other quantities with 万/亿 are expanded (≤60万元 → 600000 元); a percentage keeps
its number (≥95% → 95, unit %); a range keeps both ends (95%-100% → 95 and 100); scientific
notation is read (1.5e3 → 1500). Numbers are finite and below :data:`MAX_MAGNITUDE`: a larger
one (or one that overflows) is no number at all, the value stays text and
:attr:`ParsedValue.overflow` says why, for the caller to report.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from graphbuild.records import ValueKind

_OPS_PREFIX = [
    (re.compile(r"^(≥|>=|=>|不少于|不低于|不小于|至少|大于等于|大于或等于)"), ">="),
    (
        re.compile(
            r"^(≤|<=|=<|不超过|不高于|不多于|不大于|小于等于|小于或等于|控制在|低于等于|最多)"
        ),
        "<=",
    ),
    (re.compile(r"^(>|大于|超过|高于|多于)"), ">"),
    (re.compile(r"^(<|小于|低于|少于)"), "<"),
    (re.compile(r"^(=|等于)"), "="),
]
_OPS_SUFFIX = [
    (re.compile(r"(以上|及以上|或以上)$"), ">="),
    (re.compile(r"(以内|之内|以下|及以下|或以下)$"), "<="),
]
_NUMBER = re.compile(r"(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d{1,4}(?![A-Za-z]))?")
_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*(%|万|亿)?\s*[-~～至到—]\s*(\d+(?:\.\d+)?)(?![\d.])")
MAX_MAGNITUDE = 1e18
"""The largest number a value may hold (a province's budget is below 1e13 yuan)."""
_SCALE = {"万": 1e4, "亿": 1e8}
_PERCENT_WORDS = frozenset({"百分比", "百分率"})
"""Units written out for % (the national self-evaluation form prints ≥95百分比)."""
_PLACEHOLDER = re.compile(
    r"^[≥≤<>=≽≼≪≫]*\s*(\*+|-+|—+|x+|X+|/)?\s*万?(%|个|次|元|人|份|年|月|日|天|项|家|台|套|期|名|方|户)?$"
)

_DATE_FULL = re.compile(r"((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")
_DATE_MONTH = re.compile(
    r"((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*月?(?:份|底|末|前|中旬|上旬|下旬)?"
)
_DATE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_NUMERIC_DATE = re.compile(r"(?:19|20)\d{2}[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?(?:日|前|之前|底|末)?")
_MONTH_ONLY = re.compile(r"(\d{1,2})\s*月(?:份|底|末|前|中旬|上旬|下旬|\b)?")
_PERIOD_WORDS = re.compile(
    r"(持续|按|每|整|本)?(全年|年底|年末|年内|年初|年中|当年|年度内|月底|月末|季度|半年|上半年|下半年|"
    r"月|季|周|年度)(度)?(内|前|之前|完成|开展|按需|支付|发放|实施|执行)?"
)

# Words that grade a result rather than count it: 提高, 有效, 合格, 达标 …
_LIST_SEPARATORS = re.compile(r"[、，,；;/\s]")  # 安全、稳定: a list of qualitative words
_QUALITATIVE = re.compile(
    r"^(明显|显著|有效|逐步|持续|稳步|大幅|进一步|不断|全面|较大|基本|按时|按期|按要求|"
    r"按规定|足额|及时|准确|规范|合规|合格|达标|优良|良好|优秀|提高|提升|增强|增加|改善|"
    r"保障|保证|促进|推进|推动|加快|深化|降低|减少|下降|完善|健全|完整|完成|实现|真实|"
    r"科学|合理|相关|稳定|安全|可持续|持续|长期|到位|满意|达到|符合|无|零|是|否|高|中|低|"
    r"好|优|良|差|加强|巩固|发挥|提供|得到|取得|开展|运行|正常|有序|公开|透明|效果|作用|"
    r"影响|明显|提高|增长|扩大|覆盖|落实|执行|做到|确保|全部|部分|一定|较好|很好|显著性|"
    r"成效|效益|水平|能力|意识|质量|效率|程度|范围|力度|要求|标准|预期|目标|任务|违规|"
    r"安全运行|平稳|可靠|充分|全覆盖|有所|逐年|连续|显现|验收|注册|签约|成功|达成|通过|"
    r"部分达成|未达成|已|未|均|全|各项|预期指标|建立|建成|形成)+$"
)


@dataclass(frozen=True)
class ParsedValue:
    """The parsed form of a value; ``text`` is the cleaned printed text."""

    text: str
    kind: ValueKind
    op: str | None = None
    number: float | None = None
    number_max: float | None = None
    unit: str | None = None
    date: str | None = None
    placeholder: bool = False
    overflow: bool = False
    """The text holds a number too large to keep (kept as text; the caller reports it)."""


class _Overflow(ValueError):
    pass


def _to_number(text: str) -> float:
    """A finite number below MAX_MAGNITUDE, else ``_Overflow``."""
    return _checked(float(text.replace(",", "")))


def _checked(number: float) -> float:
    if not math.isfinite(number) or abs(number) >= MAX_MAGNITUDE:
        raise _Overflow(number)
    return number


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"(?<=\d)\s+(?=[\d.])|(?<=\.)\s+(?=\d)", "", text)
    return re.sub(r"\s+", "", text)


def _split_op(text: str) -> tuple[str | None, str]:
    for pattern, op in _OPS_PREFIX:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return op, text[match.end() :]
    for pattern, op in _OPS_SUFFIX:
        match = pattern.search(text)
        if match and match.start() > 0:
            return op, text[: match.start()]
    return None, text


def _date(text: str) -> tuple[str | None, bool]:
    """ISO date (or year-month, year) fixed by the text, and whether the text is a date.

    Dotted or dashed forms (2024.12.31, 2024-12) count only when they are the whole text, so
    that 1957.01个 stays a quantity.
    """
    numeric = not re.search(r"(?:19|20)\d{2}\s*年", text)
    if numeric and not _NUMERIC_DATE.fullmatch(text):
        return None, False
    if match := _DATE_FULL.search(text):
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}", True
    if match := _DATE_MONTH.search(text):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return f"{year:04d}-{month:02d}", True
    if match := _DATE_YEAR.search(text):
        return match.group(1), True
    return None, False


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> ParsedValue:
    """Parse a printed target value.

    >>> v = parse_value("≤60万元"); (v.kind, v.op, v.number, v.unit)
    ('quantity', '<=', 600000.0, '元')
    >>> v = parse_value("≥95%"); (v.kind, v.op, v.number, v.unit)
    ('percent', '>=', 95.0, '%')
    >>> v = parse_value("2024年12月31日前"); (v.kind, v.op, v.date)
    ('date', '<=', '2024-12-31')
    >>> parse_value("明显提高").kind, parse_value("安全、稳定").kind
    ('qualitative', 'qualitative')
    >>> v = parse_value("95%-100%"); (v.kind, v.number, v.number_max, v.unit)
    ('percent', 95.0, 100.0, '%')
    >>> v = parse_value("≥95百分比"); (v.kind, v.op, v.number, v.unit)
    ('percent', '>=', 95.0, '%')
    >>> v = parse_value("1" * 400); (v.kind, v.number, v.overflow)
    ('text', None, True)
    """
    text = _normalise(raw)
    try:
        return _parse(text)
    except _Overflow:
        return ParsedValue(text=text, kind="text", op=_split_op(text)[0], overflow=True)


def _parse(text: str) -> ParsedValue:
    if not text:
        return ParsedValue(text="", kind="empty")
    if _PLACEHOLDER.fullmatch(text) and not re.search(r"\d", text):
        op, _ = _split_op(text)
        return ParsedValue(text=text, kind="text", op=op, placeholder=True)

    op, body = _split_op(text)
    if op is None and body.endswith(("前", "之前", "以前")) and re.search(r"\d", body):
        op, body = "<=", re.sub(r"(之前|以前|前)$", "", body)

    date, is_date = _date(body) if len(body) <= 16 else (None, False)
    month = _MONTH_ONLY.fullmatch(body)
    period_word = not re.search(r"\d", body) and _PERIOD_WORDS.fullmatch(body)
    if is_date or month or period_word:
        number = None
        unit = None
        if month and not is_date:
            number, unit = float(month.group(1)), "月"
        return ParsedValue(text=text, kind="date", op=op, number=number, unit=unit, date=date)

    if (range_match := _RANGE.match(body)) and _range_units_agree(range_match, body):
        low, high = _to_number(range_match.group(1)), _to_number(range_match.group(3))
        unit, scale = _unit(body[range_match.end() :])
        if range_match.group(2) == "%":
            unit = "%"
        kind: ValueKind = "percent" if unit == "%" else "quantity"
        return ParsedValue(text, kind, op, _scaled(low, scale), _scaled(high, scale), unit)

    number_match = _NUMBER.search(body)
    if number_match and number_match.start() == 0:
        number = _to_number(number_match.group(0))
        unit, scale = _unit(body[number_match.end() :])
        if unit is not None and len(unit) > 8:
            return ParsedValue(text=text, kind="text", op=op)
        if unit == "%":
            return ParsedValue(text, "percent", op, number, None, "%")
        return ParsedValue(text, "quantity", op, _scaled(number, scale), None, unit)

    if (
        not re.search(r"\d", body)
        and len(body) <= 12
        and _QUALITATIVE.fullmatch(_LIST_SEPARATORS.sub("", body))
    ):
        return ParsedValue(text=text, kind="qualitative", op=op)
    return ParsedValue(text=text, kind="text", op=op)


def _scaled(number: float, scale: float) -> float:
    return _checked(number * scale)


def _range_units_agree(match: re.Match[str], body: str) -> bool:
    """95%-100% and 3万-5万元 are ranges; 3万-5% is not (the first unit is the second's)."""
    first = match.group(2)
    if first is None:
        return True
    rest = body[match.end() :].strip()
    return rest == "" or rest.startswith(first) or (first in _SCALE and rest[:1] != "%")


def _unit(rest: str) -> tuple[str | None, float]:
    """The unit after a number with its 万/亿 scale: '万元' → ('元', 1e4)."""
    rest = rest.strip()
    rest = re.sub(r"(以上|以内|之内|以下|左右)$", "", rest)
    if not rest:
        return None, 1.0
    if rest in _PERCENT_WORDS:
        return "%", 1.0
    scale = 1.0
    if rest[0] in _SCALE and len(rest) > 1:
        scale, rest = _SCALE[rest[0]], rest[1:]
    elif rest in _SCALE:
        return None, _SCALE[rest]
    return rest, scale


@lru_cache(maxsize=65536)
def looks_like_value(text: str) -> str:
    """How strongly a cell looks like a value: 'strong', 'qualitative' or 'no'."""
    parsed = parse_value(text)
    if parsed.overflow:
        return "strong"  # a number by its shape, only too large to keep
    if parsed.kind in ("quantity", "percent", "date") or parsed.placeholder:
        if (
            parsed.kind == "date"
            and parsed.number is None
            and parsed.date is None
            and len(text) > 8
        ):
            return "no"
        return "strong" if len(text) <= 24 else "no"
    if parsed.kind == "qualitative":
        return "qualitative"
    if parsed.op is not None and len(text) <= 12:
        return "qualitative"
    return "no"


def parse_number(text: str | None) -> float | None:
    """A plain number from a cell (weights, scores, amounts): '9. 5' → 9.5, '1,950,000' → 1950000."""
    if not text:
        return None
    cleaned = _normalise(text).rstrip("%分")
    match = re.fullmatch(r"-?\d+(?:,\d{3})*(?:\.\d+)?", cleaned)
    if not match:
        return None
    try:
        return _to_number(match.group(0))
    except _Overflow:
        return None
