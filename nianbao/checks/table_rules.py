"""The single-report rules of the format (spec/template.md), evaluated on a report's tables."""

from __future__ import annotations

from nianbao.model import ERROR, INFO, CheckSummary, Finding, Report
from nianbao.template.rules import RULE_TITLES, equations, subject_name

RULE_IDS = tuple(RULE_TITLES)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def check_table_rules(report: Report) -> tuple[list[Finding], list[CheckSummary]]:
    findings: list[Finding] = []
    summaries = {rule: CheckSummary(rule) for rule in RULE_IDS}
    for table, version in report.table_templates.items():
        values = report.tables.get(table, {})
        not_assessable: dict[str, list[str]] = {}
        for eq in equations(table, version):
            summary = summaries[eq.rule]
            if any(values.get(k) is None for k in eq.keys):
                summary.not_assessable += 1
                not_assessable.setdefault(eq.rule, []).append(subject_name(eq))
                continue
            reported = sum(values[k] for k in eq.lhs)
            computed = sum(values[k] for k in eq.rhs)
            if abs(reported - computed) < 1e-9:
                summary.passed += 1
                continue
            summary.failed += 1
            refs = [f"{table}.{k}" for k in eq.keys]
            findings.append(Finding(
                eq.rule, ERROR,
                f"{RULE_TITLES[eq.rule]}不成立（{subject_name(eq)}）：报告数 {_fmt(reported)}，"
                f"按规则应为 {_fmt(computed)}",
                refs, status="failed", reported=reported, computed=computed))
        for rule, subjects in not_assessable.items():
            findings.append(Finding(
                rule, INFO,
                f"因单元格为空，无法核验“{RULE_TITLES[rule]}”：{'、'.join(subjects)}",
                [], status="not_assessable"))
    return findings, [summaries[r] for r in RULE_IDS]
