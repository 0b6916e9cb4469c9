"""Numbers as Chinese reports print them: Arabic, full-width, Chinese numerals, mixed.

`parse_chinese_number("一万三千五百六十八") == 13568`, `parse_number_text("1.2万") == 12000`,
`parse_number_text("百分之十一点一") == 11.1` (a percentage), `parse_number_text("两千") == 2000`.
"""

from __future__ import annotations

import re
import unicodedata

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
          "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"

_ARABIC_WITH_UNIT = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万|亿|千|百)?$")


def parse_chinese_number(text: str) -> int | float | None:
    """A Chinese numeral (一万三千五百六十八, 二〇二五, 十一点一) -> its value, or None."""
    s = text.strip()
    if not s or any(ch not in CHINESE_NUMERAL_CHARS for ch in s):
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = parse_chinese_number(whole) if whole else 0
        if w is None or not frac or any(ch not in DIGITS for ch in frac):
            return None
        return float(f"{w}.{''.join(str(DIGITS[ch]) for ch in frac)}")
    if all(ch in DIGITS for ch in s):
        # digit by digit: 二〇二五 -> 2025 (a single digit is just itself)
        return int("".join(str(DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:  # big unit
            section += digit or 0
            unit = BIG_UNITS[ch]
            if section == 0 and total:
                total *= unit
            else:
                total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number_text(text: str) -> int | float | None:
    """Arabic, full-width, mixed (1.2万) or Chinese numerals; 百分之N is returned as N."""
    s = unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "").strip()
    if s.startswith("百分之"):
        return parse_number_text(s[3:])
    m = _ARABIC_WITH_UNIT.match(s)
    if m:
        num = float(m.group(1)) if "." in m.group(1) else int(m.group(1))
        if m.group(2):
            mult = {"万": 10_000, "亿": 100_000_000, "千": 1000, "百": 100}[m.group(2)]
            num = num * mult
            if isinstance(num, float) and num.is_integer():
                num = int(num)
        return num
    return parse_chinese_number(s)
