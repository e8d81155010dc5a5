"""Header fields of a project table (项目名称, 主管部门及代码, 项目资金 …).

Field rows print a label followed by its value, sometimes twice on one row (the implementation
half and the annual half), sometimes with the value glued to the label
(``实施期资金总额：1,650,000``). ``read_fields`` returns every (field, value) pair in order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphbuild.extract.cells import clean, compact
from graphbuild.extract.read import Line

# field name → label forms (compared on compact text, as prefixes)
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称",),
    "department": ("主管部门及代码", "主管部门", "部门名称"),
    "unit": ("实施单位", "预算单位", "项目单位"),
    "attribute": ("项目属性",),
    "term": ("项目期", "项目日期", "项目周期", "实施周期"),
    "funds_header": ("项目资金", "资金情况"),
    "total": ("实施期资金总额", "资金总额"),
    "annual": ("年度资金总额",),
    "central": ("其中中央财政资金", "中央财政资金", "中央资金"),
    "provincial": ("省级财政资金", "省级资金"),
    "local": ("市县区财政资金", "市县财政资金", "市级财政资金", "县级财政资金", "市县区财政资"),
    "own": ("单位自筹", "自筹资金"),
    "other": ("其他资金",),
    "overview": ("项目概况",),
    "basis": ("立项依据",),
    "necessity": ("项目设立必要性", "项目设立的必要性"),
    "measures": ("保证项目实施的制度措施", "保证项目实施的措施与制度"),
    "plan": ("项目实施计划",),
    "goal": ("总体目标", "体目标"),
    "goal_header": ("实施期目标", "年度目标"),
}
_FIELD_OF = {form: name for name, forms in FIELDS.items() for form in forms}
# the longest form first, so 年度资金总额 wins over 资金总额
_LABEL = re.compile("|".join(re.escape(f) for f in sorted(_FIELD_OF, key=len, reverse=True)))


def match_field(text: str) -> tuple[str, str] | None:
    """(field, remainder) when ``text`` starts with a field label, else None."""
    key = compact(text)
    label = _LABEL.match(key)
    if label is None:
        return None
    form = label.group()
    name = _FIELD_OF[form]
    text = clean(text)
    printed = _printed_label(form).match(text)
    rest = text[printed.end() :] if printed else ""
    if name == "goal" and not re.search(r"[:：]", text):
        rest = ""  # 总体目标 with text glued on is a heading, its value is in the next cell
    return name, rest.strip()


@lru_cache(maxsize=256)
def _printed_label(form: str) -> re.Pattern[str]:
    """The label as printed: its characters with spaces, colons or brackets between them,
    then the colon that ends it (其中: 中央财政资金 for the form 其中中央财政资金)."""
    gap = r"[\s:：()（）,，、]*"
    return re.compile(gap.join(re.escape(char) for char in form) + r"[\s:：]*")


def read_fields(lines: list[Line]) -> list[tuple[str, str, int]]:
    """Every (field, value, line) in the rows, in order; a label without a value gives ''."""
    found: list[tuple[str, str, int]] = []
    for line in lines:
        tokens = [t for c in line.cells if (t := clean(c))]
        pending: str | None = None
        for token in tokens:
            matched = match_field(token)
            if matched:
                if pending is not None:
                    found.append((pending, "", line.number))
                name, rest = matched
                if rest:
                    found.append((name, rest, line.number))
                    pending = None
                else:
                    pending = name
            elif pending is not None:
                found.append((pending, token, line.number))
                pending = None
        if pending is not None:
            found.append((pending, "", line.number))
    return found


def department_code(text: str | None) -> tuple[str | None, str | None]:
    """Split '601-侯马经济开发区管理委员会' into ('601', '侯马经济开发区管理委员会')."""
    if not text:
        return None, None
    match = re.match(r"^\s*(\d{2,})\s*[-－—_ ]\s*(.+)$", text)
    if match:
        return match.group(1), match.group(2).strip()
    return None, text.strip()
