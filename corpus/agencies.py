"""The same agency across years: a normalised key and a similarity.

Names change a little from year to year: 交通局 becomes 交通运输局, a report prints 廣州市 in
traditional characters, one year's title carries the region prefix (鄂尔多斯市交通运输局) and
the next does not (交通运输局), whitespace and brackets wander.  `agency_core` folds those
differences away; `agency_key` adds the region; `similarity` scores two names (1.0 = same
core); `group_agencies` clusters stored reports into agencies over years.

The renamings are data (`RENAMES`): each maps the tail of a name onto a canonical tail, so
交通运输局 and 交通局 meet at 交通局.  Only renamings of the same office belong there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# (pattern at the end of a normalised name, canonical tail): old and new names of one office.
RENAMES: tuple[tuple[str, str], ...] = (
    ("交通运输局", "交通局"),
    ("交通运输厅", "交通厅"),
    ("交通运输委员会", "交通局"),
    ("卫生和计划生育委员会", "卫健委"),
    ("卫生健康委员会", "卫健委"),
    ("卫生健康局", "卫健委"),
    ("卫生计生委", "卫健委"),
    ("卫生健康委", "卫健委"),
    ("市场监督管理局", "市场监管局"),
    ("工商行政管理局", "市场监管局"),
    ("生态环境局", "环保局"),
    ("环境保护局", "环保局"),
    ("自然资源和规划局", "自然资源局"),
    ("国土资源局", "自然资源局"),
    ("人力资源和社会保障局", "人社局"),
    ("住房和城乡建设局", "住建局"),
    ("住房城乡建设局", "住建局"),
    ("人民政府办公室", "政府办"),
    ("人民政府办公厅", "政府办"),
    ("政府办公室", "政府办"),
    ("文化和旅游局", "文旅局"),
    ("文化广电和旅游局", "文旅局"),
    ("文化广电旅游局", "文旅局"),
    ("农业农村局", "农业局"),
    ("发展和改革委员会", "发改委"),
    ("发展改革委", "发改委"),
    ("教育体育局", "教育局"),
    ("统计局", "统计局"),
)

# A place name at the start of an agency name (province, prefecture, county level).
_ADMIN_PREFIX = re.compile(
    r"^([\u4e00-\u9fff]{2,10}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|省|市|州|盟|县|区|旗))")
_DROP = re.compile(r"[\s\u3000·•．.,，、:：;；'\"“”‘’()（）\[\]【】〔〕<>《》-]+")


def normalize_name(name: str | None) -> str:
    """Simplified characters, half-width forms, no whitespace or punctuation."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name)
    try:
        import zhconv

        text = zhconv.convert(text, "zh-cn")
    except Exception:  # zhconv is a dependency; fall back to the text as it is
        pass
    return _DROP.sub("", text)


def _region_parts(region: str | None) -> list[str]:
    """鄂尔多斯市 -> ["鄂尔多斯市", "鄂尔多斯"]; 内蒙古自治区鄂尔多斯市 -> both levels too."""
    region = normalize_name(region)
    if not region:
        return []
    parts = [region]
    rest = region
    while True:
        m = _ADMIN_PREFIX.match(rest)
        if not m or m.group(1) == rest and rest != region:
            break
        parts.append(m.group(1))
        rest = rest[m.end():]
        if not rest:
            break
    parts += [rest] if rest and rest not in parts else []
    # the bare place name without its level suffix (鄂尔多斯市 -> 鄂尔多斯)
    bare = [re.sub(r"(特别行政区|自治区|自治州|省|市|州|盟|县|区|旗)$", "", p) for p in parts]
    out = [p for p in dict.fromkeys(parts + bare) if len(p) >= 2]
    return sorted(out, key=len, reverse=True)


def region_key(region: str | None, agency: str | None = None) -> str:
    """The lowest-level place of the region (内蒙古自治区鄂尔多斯市 -> 鄂尔多斯), else the one
    the agency name begins with, else ""."""
    text = normalize_name(region)
    if not text and agency:
        m = _ADMIN_PREFIX.match(normalize_name(agency))
        text = m.group(1) if m else ""
    last = text
    while True:
        m = _ADMIN_PREFIX.match(last)
        if not m or m.end() == len(last):
            break
        last = last[m.end():]
    return re.sub(r"(特别行政区|自治区|自治州|省|市|州|盟|县|区|旗)$", "", last) or last


def strip_region(name: str, region: str | None = None) -> str:
    """The agency name without the place it begins with (the report's region first, then
    any administrative prefix, while at least two characters remain)."""
    text = normalize_name(name)
    for part in _region_parts(region):
        if text.startswith(part) and len(text) - len(part) >= 2:
            text = text[len(part):]
            break
    while True:
        m = _ADMIN_PREFIX.match(text)
        if not m or len(text) - m.end() < 3:
            break
        text = text[m.end():]
    return text


def agency_core(name: str | None, region: str | None = None) -> str:
    """The office itself: normalised, region prefix stripped, renamings folded."""
    if not name:
        return ""
    text = strip_region(name, region)
    for tail, canonical in RENAMES:
        if text.endswith(tail):
            text = text[: len(text) - len(tail)] + canonical
            break
    return text


def agency_key(name: str | None, region: str | None = None) -> str:
    """`region|core`; the region part is empty when neither the report nor the name gives one."""
    return f"{region_key(region, name)}|{agency_core(name, region)}"


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a: str | None, b: str | None, region_a: str | None = None, region_b: str | None = None) -> float:
    """1.0 for the same office in the same place; the Dice coefficient of character bigrams of
    the two cores otherwise; 0.0 when both places are known and differ."""
    ra, rb = region_key(region_a, a), region_key(region_b, b)
    if ra and rb and ra != rb:
        return 0.0
    ca, cb = agency_core(a, region_a), agency_core(b, region_b)
    if not ca or not cb:
        return 0.0
    if ca == cb:
        return 1.0
    ga, gb = _bigrams(ca), _bigrams(cb)
    return round(2 * len(ga & gb) / (len(ga) + len(gb)), 4)


SAME_AGENCY = 0.85  # similarity at or above which two names are taken as one agency


@dataclass
class Agency:
    key: str
    names: list[str] = field(default_factory=list)
    region: str = ""
    reports: list[dict[str, Any]] = field(default_factory=list)

    def by_year(self) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {}
        for r in self.reports:
            if r.get("year") is not None:
                out.setdefault(int(r["year"]), []).append(r)
        return out


def group_agencies(reports: Iterable[dict[str, Any]], threshold: float = SAME_AGENCY) -> list[Agency]:
    """Cluster report summaries (dicts with id, agency, region, year) into agencies.

    A report joins the agency whose core it shares (or resembles at `threshold` or more) in
    the same place; a report whose place is unknown joins the one agency of that core when
    exactly one exists.  Reports without an agency name stay alone."""
    agencies: list[Agency] = []
    by_core: dict[str, list[Agency]] = {}
    pending_unknown: list[dict[str, Any]] = []
    ordered = sorted(reports, key=lambda r: (r.get("year") or 0, r.get("id") or 0))
    for r in ordered:
        name, region = r.get("agency"), r.get("region")
        if not name:
            agencies.append(Agency(key=f"report:{r.get('id')}", reports=[r]))
            continue
        rk = region_key(region, name)
        if not rk:
            pending_unknown.append(r)
            continue
        core = agency_core(name, region)
        target = next((a for a in by_core.get(core, []) if a.region == rk), None)
        if target is None:
            best, best_score = None, 0.0
            for a in agencies:
                if a.region != rk or not a.names:
                    continue
                score = similarity(a.names[-1], name, a.region, rk)
                if score >= threshold and score > best_score:
                    best, best_score = a, score
            target = best
        if target is None:
            target = Agency(key=f"{rk}|{core}", region=rk)
            agencies.append(target)
        by_core.setdefault(core, []).append(target)
        target.reports.append(r)
        if name not in target.names:
            target.names.append(name)
    for r in pending_unknown:  # no place: join the single agency of the same core, if one
        core = agency_core(r["agency"], r.get("region"))
        candidates = list({id(a): a for a in by_core.get(core, [])}.values())
        if len(candidates) == 1:
            target = candidates[0]
        else:
            target = next((a for a in agencies if a.key == f"|{core}"), None)
            if target is None:
                target = Agency(key=f"|{core}")
                agencies.append(target)
                by_core.setdefault(core, []).append(target)
        target.reports.append(r)
        if r["agency"] not in target.names:
            target.names.append(r["agency"])
    for a in agencies:
        a.reports.sort(key=lambda r: (r.get("year") or 0, r.get("id") or 0))
    return agencies
