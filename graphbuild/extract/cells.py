"""Cell text: splitting a line into cells and cleaning the layout out of each cell.

PDF-to-text output separates table cells by TAB and wraps long cells with spaces; OCR adds
traditional or variant characters and spaces inside numbers. ``clean`` removes the layout and
keeps the words; ``fold_variants`` maps variant characters to the simplified forms used by the
label vocabulary (labels only: level 3 names and values keep what was printed).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》（）【】、，。：；？！"
_IS_CJK = re.compile(rf"[{_CJK}]")
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)\s*([.．,，])\s+(?=\d)|(?<=\d)\s+([.．])\s*(?=\d)")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)\s+(?=[%％])")
_SPACE_AFTER_OP = re.compile(r"(?<=[≥≤<>=＞＜])\s+(?=\d)")
_HTML_TAG = re.compile(r"</?p>|<br\s*/?>", re.IGNORECASE)
_MULTISPACE = re.compile(r"\s+")
_LAYOUT = re.compile(r"[\s<\u00a0\u3000]")  # a cell without these is clean already
_PUNCTUATION = re.compile(r"[\s,，、.。:：;；()（）\"“”'‘’《》<>\-—_/]")

# Traditional, variant and OCR-confused characters seen in performance tables, folded onto the
# simplified characters the vocabulary uses. Applied to labels, never to level 3 text or values.
_VARIANTS = str.maketrans(
    {
        "級": "级",
        "標": "标",
        "満": "满",
        "滿": "满",
        "項": "项",
        "預": "预",
        "質": "质",
        "數": "数",
        "時": "时",
        "經": "经",
        "濟": "济",
        "會": "会",
        "態": "态",
        "續": "续",
        "響": "响",
        "務": "务",
        "對": "对",
        "產": "产",
        "績": "绩",
        "評": "评",
        "價": "价",
        "傚": "效",
        "効": "效",
        "嚮": "向",
        "値": "值",
        "總": "总",
        "體": "体",
        "實": "实",
        "際": "际",
        "資": "资",
        "設": "设",
        "備": "备",
    }
)
# Whole-word OCR confusions of label words (消怠度 for 满意度 and the like).
_LABEL_OCR = [
    (re.compile(r"[消清满溝滴]?[怠意息竟]度"), "满意度"),
    (re.compile(r"双益|效盖|效溢"), "效益"),
]


def split_cells(line: str) -> list[str]:
    """Split one text line into raw cells (TAB-separated), keeping empty cells."""
    return line.split("\t")


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Remove layout whitespace and markup from a cell, keeping its words.

    >>> clean("≤60 万元")
    '≤60万元'
    >>> clean("2024 年 12 月 31 日")
    '2024年12月31日'
    >>> clean("16. 935")
    '16.935'
    >>> clean("明显 提高")
    '明显提高'
    """
    if not _LAYOUT.search(text):
        return text
    text = _HTML_TAG.sub(" ", text).replace("\u00a0", " ").replace("\u3000", " ")
    text = text.strip()
    if not text:
        return ""
    words = text.split()
    text = words[0]
    for word in words[1:]:  # a space next to a CJK character is layout, not a word break
        glue = "" if _IS_CJK.match(text[-1]) or _IS_CJK.match(word[0]) else " "
        text += glue + word
    if " " not in text:
        return text
    text = _SPACE_IN_NUMBER.sub(lambda m: m.group(1) or m.group(2), text)
    text = _SPACE_BEFORE_PERCENT.sub("", text)
    return _SPACE_AFTER_OP.sub("", text)


@lru_cache(maxsize=65536)
def fold_variants(text: str) -> str:
    """Fold full-width forms, variant and OCR-confused characters for label matching.

    >>> fold_variants("二級指標")
    '二级指标'
    >>> fold_variants("消怠度 指标")
    '满意度指标'
    """
    text = _MULTISPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_VARIANTS)
    if "度" in text or "益" in text or "效" in text:
        for pattern, replacement in _LABEL_OCR:
            text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """A key for comparing names: variants folded, punctuation and spaces removed."""
    return _PUNCTUATION.sub("", fold_variants(text))
