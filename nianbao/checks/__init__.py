"""Checks: Report -> findings.  Each check has a rule id such as applications.balance."""

from nianbao.checks.claims import check_claims
from nianbao.checks.structure import check_parts
from nianbao.checks.table_rules import RULE_IDS, check_table_rules

__all__ = ["RULE_IDS", "check_claims", "check_parts", "check_table_rules", "run_checks"]


def run_checks(report) -> None:
    report.findings.extend(check_parts(report))
    findings, summaries = check_table_rules(report)
    report.findings.extend(findings)
    report.checks = summaries
    report.findings.extend(check_claims(report))
