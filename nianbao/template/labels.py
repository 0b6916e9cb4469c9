"""Label normalisation and matching by meaning.

Row and column labels arrive numbered in many ways (一、/1、/3、/（一）/(一)/①),
full-width or half-width, in traditional characters, with spaces inside
(结 果 维 持), broken across lines, and with typos (不掌控, 公开出物, 以获取,
预期不补正).  Everything here reduces a label to a comparable core and scores
how well two cores agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import zhconv

# Known typos in the wild: the wrong form -> the form of the national label.
TYPOS = {
    "不掌控": "不掌握",
    "公开出物": "公开出版物",
    "以获取": "已获取",
    "预期不补正": "逾期不补正",
    "预期未按": "逾期未按",
    "行政止公开": "行政法规禁止公开",
    "法规禁公开": "法规禁止公开",
    "先行有效": "现行有效",
    "办结结果": "办理结果",
    "钩稽": "勾稽",
    "不子公开": "不予公开",
    "总结": "总计",
}

_CN_DIGITS = "〇零一二三四五六七八九十"
# Leading enumeration: 一、 （一） (一) 1、 1. 1．  ① 第一  3、
_NUMBERING = re.compile(
    r"^\s*(?:"
    r"[（(]\s*[" + _CN_DIGITS + r"\d]+\s*[)）]\s*[、.．]?"  # （一） (1)
    r"|[" + _CN_DIGITS + r"]+\s*[、.．]"  # 一、
    r"|\d+\s*[、.．](?!\d)"  # 1、 1.  (not 1.5)
    r"|[\u2460-\u2473\u2776-\u277f]"  # ①
    r")\s*"
)
_DROP = re.compile(r"[\s\u3000\u00a0\u200b\ufeff\"'“”‘’「」『』《》〈〉<>（）()\[\]【】、，,。.．:：;；/／\\|·・_\-—–~～…]+")


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters (廣州市交通運輸局 -> 广州市交通运输局)."""
    return zhconv.convert(text, "zh-cn") if text else text


def fold_width(text: str) -> str:
    """Full-width ASCII and ideographic space -> half-width (NFKC keeps CJK as is)."""
    return unicodedata.normalize("NFKC", text)


def strip_numbering(text: str) -> str:
    """Remove all leading enumerations: '三、（一）1.予以公开' -> '予以公开'."""
    prev = None
    out = text
    while prev != out:
        prev = out
        out = _NUMBERING.sub("", out, count=1)
    return out


def enumeration(text: str) -> str | None:
    """The first enumeration mark of a label, normalised: '（三）' -> '(三)', '2.' -> '2'."""
    m = _NUMBERING.match(text)
    if not m:
        return None
    mark = fold_width(m.group(0)).strip()
    mark = mark.rstrip("、.．").strip()
    return mark


@lru_cache(maxsize=20000)
def core(label: str) -> str:
    """A label reduced to its meaning-bearing characters."""
    s = fold_width(label or "")
    s = to_simplified(s)
    s = re.sub(r"\[bookmark:[^\]]*\]", "", s)
    s = strip_numbering(s)
    s = _DROP.sub("", s)
    s = strip_numbering(s)
    for wrong, right in TYPOS.items():
        if wrong in s:
            s = s.replace(wrong, right)
    return s


def _lcs(a: str, b: str) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=50000)
def similarity(observed: str, canonical: str) -> float:
    """Dice coefficient over the longest common subsequence of the two cores (0..1)."""
    a, b = core(observed), core(canonical)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return 2.0 * _lcs(a, b) / (len(a) + len(b))


@lru_cache(maxsize=50000)
def coverage(observed: str, canonical: str) -> float:
    """Share of the canonical label's characters found, in order, in the observed text."""
    a, b = core(observed), core(canonical)
    if not a or not b:
        return 0.0
    return _lcs(a, b) / len(b)


def best_score(observed: str, variants: tuple[str, ...]) -> float:
    return max((similarity(observed, v) for v in variants), default=0.0)
