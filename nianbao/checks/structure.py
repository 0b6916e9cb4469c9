"""Checks on the report's shape: the six parts and the three tables."""

from __future__ import annotations

from nianbao.model import WARNING, Finding, Report
from nianbao.template.formats import PARTS


def check_parts(report: Report) -> list[Finding]:
    found = {s.number for s in report.sections}
    missing = [p for p in PARTS if p.number not in found]
    if not missing:
        return []
    if len(missing) == len(PARTS):
        return [Finding("report.not_annual_report", WARNING,
                        "未找到年度报告的任何组成部分（总体情况、主动公开、依申请公开、复议诉讼、问题及改进、其他事项），"
                        "该文本可能不是政府信息公开工作年度报告", [], status="missing")]
    return [Finding("report.part_missing", WARNING,
                    f"未找到第{p.number}部分“{p.title}”", [], status="missing") for p in missing]
