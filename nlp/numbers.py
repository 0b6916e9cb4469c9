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


# --- finding quantities in running text --------------------------------------------
#
# `find_quantities(text)` is the scanner the claims pipeline builds on: every printed
# quantity with its exact offsets, value, bound and counter word, after the exclusions
# of spec/claims.md that can be decided from the characters around the number (dates,
# document numbers, ordinals, phones, URLs, slogans, time limits, report part counts).
# Metric, scope and narrative region are decided later (nlp/claims.py).

from dataclasses import dataclass  # noqa: E402
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402

_DATA = Path(__file__).with_name("data")

# Full-width ASCII -> ASCII, one character for one (offsets are kept).
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20

AT_LEAST, AT_MOST, ABOUT = "at_least", "at_most", "about"

# Counter words (simplified); the regex also accepts their traditional forms.
COUNTERS = [
    "个百分点", "万元", "亿元", "千元", "元", "人次", "篇次", "条次", "家次", "户次", "场次", "个次", "件次", "批次",
    "版面", "件", "条", "篇", "份", "次", "个", "项", "场", "期", "名", "人", "家", "封", "宗", "起", "户", "册",
    "则", "处", "类", "批", "台", "部", "所", "块", "套", "本", "张", "幅", "页", "栏", "组", "支", "座", "轮",
    "例", "位", "笔", "通", "单", "种", "分", "版", "班", "届", "万人", "余人", "余条", "大类", "大项", "小项",
]
# Counters that make the number no claim: dates, times, time limits, levels, report parts.
EXCLUDED_COUNTERS = {
    "年", "年度", "月", "月份", "日", "号", "时", "点", "分钟", "小时", "秒", "天", "周", "工作日", "个工作日",
    "个月", "届", "部分", "个部分", "方面", "个方面", "级", "大", "岁", "楼", "层", "号线", "季度", "个季度",
    "周年", "代", "星", "倍",
}
# With the bare numeral 一 these counters are mostly the indefinite article (一个机制, 一项制度).
_WEAK_ONE = {"个", "项", "批", "种", "类", "张", "本", "部", "套", "支", "组", "块", "页", "单", "通", "所", "座",
             "位", "轮", "例", "幅", "处", "台", "班", "版", "栏", "分", "户", "家"}
_BEFORE_ONE = set("再每逐同某任哪另这那此之其单统唯万专")

_PRE_BOUND = {"超过": AT_LEAST, "突破": AT_LEAST, "超": AT_LEAST, "逾": AT_LEAST, "多达": None,
              "将近": AT_MOST, "接近": AT_MOST, "不到": AT_MOST, "不足": AT_MOST, "近": AT_MOST,
              "大约": ABOUT, "约": ABOUT, "约占": ABOUT, "約佔": ABOUT, "约为": ABOUT, "約": ABOUT, "超過": AT_LEAST, "將近": AT_MOST}
_SUF_BOUND = {"余": AT_LEAST, "餘": AT_LEAST, "多": AT_LEAST, "以上": AT_LEAST, "左右": ABOUT, "以下": AT_MOST}

_CN_NUM = "零〇○一二两俩三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億"


def _variants(words):
    out = set()
    try:
        import zhconv
    except ImportError:  # pragma: no cover - zhconv is a dependency
        zhconv = None
    for w in words:
        out.add(w)
        if zhconv is not None:
            out.add(zhconv.convert(w, "zh-tw"))
            out.add(zhconv.convert(w, "zh-hk"))
    return sorted(out, key=len, reverse=True)


def simplified(word: str) -> str:
    try:
        import zhconv
        return zhconv.convert(word, "zh-cn")
    except ImportError:  # pragma: no cover
        return word


_UNIT_RE = "|".join(map(re.escape, _variants(COUNTERS + sorted(EXCLUDED_COUNTERS))))
_PRE_RE = "|".join(map(re.escape, sorted(_PRE_BOUND, key=len, reverse=True)))
_QTY = re.compile(
    rf"(?P<pre>{_PRE_RE})?"
    rf"(?P<pct>百分之)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN_NUM}]+(?:[点點][零〇一二三四五六七八九]+)?)"
    rf"(?P<suf0>余|餘|多)?"
    rf"(?:\s?(?P<mult>万|萬|亿|億|千))?"
    rf"(?P<suf1>余|餘|多)?"
    rf"(?:\s?(?P<sign>%|‰))?"
    rf"(?:\s?(?P<unit>{_UNIT_RE}))?"
    rf"(?P<suf2>以上|以下|左右|余|餘|多)?"
)
_ZERO_FEE = re.compile(r"零收费|零收費")
_UNITLESS_CUE = re.compile(r"(数|量|总量|总数|人数|次数|数量|數|量)(达到|已达|达|为|是|共|计|約|约|超过|突破|逾)?[：:\s]*$")

_MASKS = [
    re.compile(r"https?://[^\s，。；、）)\]>\u4e00-\u9fff]+|www\.[^\s，。；、）)\]>\u4e00-\u9fff]+"
               r"|[\w.-]+\.(?:gov|com|net|org|cn)(?:\.cn)?(?:/[^\s，。；、）)\u4e00-\u9fff]*)?"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)|0\d{2,3}[-－—])\s?\d{7,8}(?:[-－转]\d{1,5})?(?!\d)"),  # fixed-line phones
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # mobiles
    re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d*\s*号?"),  # 〔2021〕30号
    # ordinals, articles: 第二十条, 第1位; an enumeration of articles goes on without 第 (第十九条、二十条)
    re.compile(r"第\s*[\d" + _CN_NUM + r"]+(?:\s*[条條款项項章节節](?:\s*[、和及与]\s*第?\s*[\d" + _CN_NUM
               + r"]+\s*(?=[条條款项項章节節]))+)?"),
    # a frequency is a rule, not a count: 每天至少1次, 每月不少于2次
    re.compile(r"每(?:天|日|周|月|季度?|年|个?工作日)(?:至少|不少于|最少|不低于)(?=\s*[\d" + _CN_NUM + r"])"),
    re.compile(r"令第?\d+号|\d+号令"),
    re.compile(r"[“\"‘][\d·.\s]+[”\"’]"),  # “6·5”
    # a quoted slogan of counted parts and the brackets that spell it out: “3个100%”（100%渠道畅通、…）
    re.compile(r"[“‘「][^“”‘’「」\n]{0,6}[\d" + _CN_NUM + r"]+个[^“”‘’「」\n]{0,6}[”’」]"
               r"\s*[（(][^（()）\n]{0,80}(?:[）)]|$)", re.M),
    re.compile(r"[“‘「][^“”‘’「」\n]{0,12}[”’」]"),  # quoted names: “三个一”, “12345”
    re.compile(r"\d+[·•]\d+"),
    re.compile(r"(?:(?:邮编|邮政编码|郵政編碼|邮箱|电话|電話|传真|傳真|热线|地址|联系方式|Tel|TEL)[：:\s]*)[\d\-－—()（）\s]{5,}"),
    re.compile(r"\d+\s*[-－—~～至到]\s*\d+\s*(?:年|月|日|号)"),
    re.compile(r"\d+(?:\.\d+)?\s*[Gg][Bb]?|[A-Za-z]+\d+|\d+[A-Za-z]+"),
]


@lru_cache(maxsize=1)
def _slogans() -> re.Pattern:
    words = []
    for line in (_DATA / "slogans.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return re.compile("|".join(map(re.escape, _variants(words))))


def mask_text(text: str) -> str:
    """`text` with every span that can hold no claim replaced by '□' (same length)."""
    chars = list(text.translate(_FULLWIDTH))
    s = "".join(chars)
    for rx in _MASKS + [_slogans()]:
        for m in rx.finditer(s):
            for i in range(m.start(), m.end()):
                chars[i] = "□"
        s = "".join(chars)
    return s


@dataclass
class Quantity:
    """One printed quantity: text[start:end] is the number with its bound and counter."""

    start: int
    end: int
    value: int | float
    unit: str | None  # counter as printed, read as simplified; None when none printed
    bound: str | None
    percent: bool
    num_start: int
    num_end: int
    chinese: bool  # written in Chinese numerals
    step: int | float  # place of the last printed significant digit (for rounded bounds)

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]


def _step(num: str, mult: int) -> int | float:
    if "." in num:
        return 10 ** -len(num.split(".")[1]) * mult
    digits = num.rstrip("0")
    return 10 ** (len(num) - len(digits)) * mult if digits else mult


def find_quantities(text: str, masked: str | None = None) -> list[Quantity]:
    """Every quantity of `text` that can be a claim, in order (spec/claims.md)."""
    s = masked if masked is not None else mask_text(text)
    out: list[Quantity] = []
    for m in _ZERO_FEE.finditer(s):
        out.append(Quantity(m.start(), m.end(), 0, None, None, False, m.start(), m.start() + 1, True, 1))
    for m in _QTY.finditer(s):
        q = _quantity(m, s)
        if q is not None and not any(o.start <= q.num_start < o.end for o in out):
            out.append(q)
    out.sort(key=lambda q: q.start)
    return out


def _quantity(m: re.Match, s: str) -> Quantity | None:
    num = m.group("num")
    ns, ne = m.start("num"), m.end("num")
    chinese = not num[0].isdigit()
    unit = m.group("unit")
    unit_s = simplified(unit) if unit else None
    percent = bool(m.group("pct") or m.group("sign"))
    before = s[max(0, ns - 12):ns - (len(m.group("pre") or "") + len(m.group("pct") or ""))]
    prev = s[m.start() - 1] if m.start() > 0 else ""
    nxt = s[m.end()] if m.end() < len(s) else ""
    if unit_s in EXCLUDED_COUNTERS or (unit_s and unit_s.endswith(("工作日", "小时", "分钟"))):
        return None
    if (prev and prev in "第□") or (prev.isascii() and prev.isalnum()) or (nxt.isascii() and nxt.isalpha()):
        return None
    if nxt and nxt in "年月日号时" and not unit:
        return None
    if s[ne:ne + 1] in (".", "、") and not unit and not percent:
        return None
    if chinese:
        if "点" in num or "點" in num:
            num = num.replace("點", "点")
        value = parse_chinese_number(num.replace("○", "〇").replace("俩", "两"))
        if value is None or num in ("万", "萬", "亿", "億", "千", "百", "十"):
            return None
        if not (unit or m.group("pct")):
            return None
        if unit_s == "分" or (num in ("一", "壹") and (unit_s in _WEAK_ONE or prev in _BEFORE_ONE)):
            return None
        if all(ch in "零〇○一二三四五六七八九" for ch in num) and len(num) > 1:
            return None  # 二〇二五: digit by digit, a year or a code
        mult = 1
    else:
        mult_s = m.group("mult")
        mult = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000, "千": 1000, None: 1}[mult_s]
        value = parse_number_text(num + ("万" if mult == 10_000 else "亿" if mult == 100_000_000 else ""))
        if mult == 1000:
            value = value * 1000
        if value is None:
            return None
        if not unit and not percent and not m.group("mult") and not _UNITLESS_CUE.search(before):
            return None
        if not unit and not percent and re.fullmatch(r"(19|20)\d\d", num):
            return None
    if unit_s in ("万元", "亿元", "千元") and not chinese and m.group("mult"):
        pass
    if isinstance(value, float) and value.is_integer() and not percent and "." not in num:
        value = int(value)
    if isinstance(value, float) and value.is_integer() and mult > 1:
        value = int(value)
    if unit_s == "元" and m.group("mult") in ("万", "萬", "亿", "億") and not chinese:
        unit_s = ("万" if m.group("mult") in ("万", "萬") else "亿") + "元"  # 万元 is the unit: value as printed
        value = parse_number_text(num)
    bound = _PRE_BOUND.get(m.group("pre") or "")
    suf = m.group("suf0") or m.group("suf1") or m.group("suf2")
    if suf:
        bound = _SUF_BOUND.get(suf, bound)
    if unit_s in ("余人", "余条"):
        bound = AT_LEAST
        unit_s = unit_s[1:]
    start = m.start() if m.group("pre") and _PRE_BOUND.get(m.group("pre")) else m.start("pct") if m.group("pct") else ns
    if m.group("pre") and not _PRE_BOUND.get(m.group("pre")):
        start = ns
    end = m.end()
    if percent:
        unit_s = "%" if (m.group("sign") or m.group("pct")) and not unit else unit_s
        if m.group("sign") == "‰":
            unit_s = "‰"
        if unit and m.group("sign"):
            end = m.end("sign") + (len(m.group("suf2") or "") if m.group("suf2") in ("左右", "以上") else 0)
    if m.group("pre") == "近" and not unit and not percent:
        return None
    step = _step(num.replace(",", ""), mult) if not chinese else 1
    return Quantity(start, end, value, unit_s, bound, percent, ns, ne, chinese, step)
