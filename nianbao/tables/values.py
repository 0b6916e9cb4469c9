"""Printed cell text -> a number (or "none", or not a number)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nianbao.template.formats import AMOUNT, COUNT, SIGNED

_NUMBER = re.compile(
    r"^(?P<sign>[+\-±]?)\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>万元|元|件|个|项|条|次|宗|起|人次|%)?$")
_NONE_MARKS = re.compile(r"^[\-—–－/／\\]+$|^无$")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")


@dataclass(frozen=True)
class Parsed:
    value: int | float | None
    unit: str | None = None
    none_mark: bool = False  # printed as a dash, slash or 无: "none"


def clean(raw: str) -> str:
    s = unicodedata.normalize("NFKC", raw)
    return _SPACES.sub("", s)


def parse_number(raw: str) -> Parsed | None:
    """The number a cell prints, or None when the text is not a number."""
    s = clean(raw)
    if not s:
        return None
    if _NONE_MARKS.match(s):
        return Parsed(0, none_mark=True)
    m = _NUMBER.match(s)
    if not m:
        return None
    num = m.group("num").replace(",", "")
    value: int | float = float(num) if "." in num else int(num)
    if m.group("sign") == "-":
        value = -value
    return Parsed(value, m.group("unit"))


def is_number(raw: str) -> bool:
    return parse_number(raw) is not None


def value_for(parsed: Parsed, kind: str, unit: str | None = None) -> tuple[int | float | None, str | None]:
    """Convert to the column's kind (and unit, "万元" for fees); returns (value, problem)."""
    v = parsed.value
    if v is None:
        return None, None
    if kind == AMOUNT:
        if unit == "万元" and parsed.unit == "元":
            return round(v / 10000, 6), "unit_converted"
        return v, None
    if isinstance(v, float):
        if v.is_integer():
            v = int(v)
        else:
            return v, "not_integer"
    if kind == COUNT and v < 0:
        return v, "negative"
    if kind == SIGNED:
        return v, None
    return v, None
