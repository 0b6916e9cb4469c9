"""Rules across years (spec/template.md), checked on two reports of the same agency for
consecutive years, and reported as findings on the later one, citing both reports.

| rule id | rule |
|---|---|
| active.in_force_continuity | (2021 table 二 in both years) in_force(y) = in_force(y-1) + issued(y) - repealed(y) |
| applications.carry_continuity | carried_over(y) = carried_forward(y-1), every applicant column and the total |
| active.prev_count_chain | (2019 table 二 in both years) prev_count(y) = prev_count(y-1) + change(y-1) |

A rule whose cells are empty in either report is "not assessable" (one `info` finding that
says which), never "passed"; a rule whose table is on another format version in one of the
years is not applicable and says nothing.
"""

from __future__ import annotations

from typing import Any

from nianbao.model import INFO, WARNING, Finding, Report
from nianbao.template.formats import APPLICANT_KEYS

IN_FORCE, CARRY, PREV_COUNT = ("active.in_force_continuity", "applications.carry_continuity",
                               "active.prev_count_chain")
RULES = (IN_FORCE, CARRY, PREV_COUNT)
RULE_TITLES = {
    IN_FORCE: "现行有效件数的跨年衔接（本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数）",
    CARRY: "申请结转的跨年衔接（本年“上年结转”= 上年“结转下年度继续办理”）",
    PREV_COUNT: "项目数量的跨年衔接（本年“上一年项目数量”= 上年“上一年项目数量”+ 上年“本年增/减”）",
}
IN_FORCE_ROWS = ("art20_1.rules", "art20_1.normative_documents")
PREV_COUNT_ROWS = ("art20_5.licensing", "art20_5.other_services", "art20_6.penalty", "art20_6.enforcement",
                   "art20_8.fees")
ROW_NAMES = {"art20_1.rules": "规章", "art20_1.normative_documents": "行政规范性文件",
             "art20_5.licensing": "行政许可", "art20_5.other_services": "其他对外管理服务事项",
             "art20_6.penalty": "行政处罚", "art20_6.enforcement": "行政强制", "art20_8.fees": "行政事业性收费"}
COLUMN_NAMES = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
                "social_welfare": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
                "total": "总计"}


def report_ref(report: Report, role: str, report_id: int | None = None) -> dict[str, Any]:
    return {"role": role, "report_id": report_id, "sha256": report.source.sha256,
            "filename": report.source.filename, "agency": report.meta.agency, "year": report.meta.year}


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _who(report: Report) -> str:
    return f"{report.meta.year}年报告（{report.source.filename}）"


def cross_year_findings(earlier: Report, later: Report, earlier_id: int | None = None,
                        later_id: int | None = None) -> list[Finding]:
    """The cross-year findings of `later` against `earlier` (the same agency, the year before)."""
    if earlier.meta.year is None or later.meta.year is None or later.meta.year != earlier.meta.year + 1:
        return []
    refs = [report_ref(earlier, "earlier", earlier_id), report_ref(later, "later", later_id)]
    findings: list[Finding] = []
    blank: dict[str, list[str]] = {}
    a_prev, a_now = earlier.tables.get("active", {}), later.tables.get("active", {})
    p_prev, p_now = earlier.table_templates.get("active"), later.table_templates.get("active")

    def check(rule: str, subject: str, ref_keys: list[str], reported, computed, detail: str) -> None:
        if reported is None or computed is None:
            blank.setdefault(rule, []).append(subject)
            return
        if abs(reported - computed) < 1e-9:
            return
        findings.append(Finding(
            rule, WARNING,
            f"{RULE_TITLES[rule]}不成立（{subject}）：本年报告数 {_fmt(reported)}，按{_who(earlier)}"
            f"应为 {_fmt(computed)}（{detail}）",
            ref_keys, status="failed", reported=reported, computed=computed, reports=refs))

    if p_prev == "2021" and p_now == "2021":
        for row in IN_FORCE_ROWS:
            prev_in_force = a_prev.get(f"{row}.in_force")
            issued, repealed, in_force = (a_now.get(f"{row}.{c}") for c in ("issued", "repealed", "in_force"))
            computed = None if None in (prev_in_force, issued, repealed) else prev_in_force + issued - repealed
            check(IN_FORCE, ROW_NAMES[row], [f"active.{row}.in_force", f"active.{row}.issued",
                                             f"active.{row}.repealed"], in_force, computed,
                  f"上年现行有效 {_fmt(prev_in_force)} + 本年制发 {_fmt(issued)} − 本年废止 {_fmt(repealed)}")
    if p_prev == "2019" and p_now == "2019":
        for row in PREV_COUNT_ROWS:
            if f"{row}.prev_count" not in a_now and f"{row}.prev_count" not in a_prev:
                continue
            prev, change = a_prev.get(f"{row}.prev_count"), a_prev.get(f"{row}.change")
            computed = None if None in (prev, change) else prev + change
            check(PREV_COUNT, ROW_NAMES.get(row, row), [f"active.{row}.prev_count"],
                  a_now.get(f"{row}.prev_count"), computed,
                  f"上年“上一年项目数量” {_fmt(prev)} + 上年“本年增/减” {_fmt(change)}")
    if "applications" in earlier.table_templates and "applications" in later.table_templates:
        app_prev, app_now = earlier.tables.get("applications", {}), later.tables.get("applications", {})
        for col in (*APPLICANT_KEYS, "total"):
            forward = app_prev.get(f"carried_forward.{col}")
            check(CARRY, COLUMN_NAMES.get(col, col), [f"applications.carried_over.{col}"],
                  app_now.get(f"carried_over.{col}"), forward, f"上年结转下年度继续办理 {_fmt(forward)}")
    for rule, subjects in blank.items():
        findings.append(Finding(rule, INFO, f"因单元格为空，无法跨年核验“{RULE_TITLES[rule]}”：{'、'.join(subjects)}",
                                [], status="not_assessable", reports=refs))
    return findings


def replace_cross_year(report: Report, findings: list[Finding]) -> bool:
    """Put `findings` in place of the report's earlier cross-year findings; True if changed."""
    kept = [f for f in report.findings if not (f.rule in RULES and f.reports)]
    old = [f.to_dict() for f in report.findings if f.rule in RULES and f.reports]
    if old == [f.to_dict() for f in findings]:
        return False
    report.findings = kept + findings
    return True
