"""The arithmetic rules of the format, as equations over canonical keys.

One definition serves both the repair stage (which cells do the rules force?)
and the checks (does the printed table obey them?).  An equation says
``sum(lhs) == sum(rhs)``; keys are the cell keys of one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nianbao.template.formats import (
    APPLICANT_COLUMNS,
    APPLICANT_KEYS,
    REVIEW_GROUPS,
    TableFormat,
    table_format,
)


@dataclass(frozen=True)
class Equation:
    """sum(lhs) == sum(rhs); lhs is what the report prints as the total, rhs what it is computed from."""

    rule: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    subject: str  # the row or column the instance is about, e.g. "natural_person"

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


# Human descriptions of the rules (Chinese, shown to users), keyed by rule id.
RULE_TITLES = {
    "applications.balance": "第一项加第二项之和等于第三项加第四项之和（勾稽关系）",
    "applications.row_total": "总计等于自然人与法人或其他组织各列之和",
    "applications.results_sum": "（七）总计等于各项办理结果之和",
    "review_litigation.group_total": "总计等于结果维持、结果纠正、其他结果、尚未审结之和",
}

COLUMN_NAMES = {c.key: c.labels[0] for c in APPLICANT_COLUMNS}
GROUP_NAMES = {g.key: g.labels[0] for g in REVIEW_GROUPS}


def _applications(fmt: TableFormat) -> tuple[Equation, ...]:
    rows = [r.key for r in fmt.rows]
    results = rows[2:-2]
    eqs: list[Equation] = []
    for c in (col.key for col in APPLICANT_COLUMNS):
        eqs.append(Equation("applications.balance",
                            (f"results_total.{c}", f"carried_forward.{c}"),
                            (f"new_received.{c}", f"carried_over.{c}"), c))
    for r in rows:
        eqs.append(Equation("applications.row_total", (f"{r}.total",),
                            tuple(f"{r}.{c}" for c in APPLICANT_KEYS), r))
    for c in (col.key for col in APPLICANT_COLUMNS):
        eqs.append(Equation("applications.results_sum", (f"results_total.{c}",),
                            tuple(f"{r}.{c}" for r in results), c))
    return tuple(eqs)


def _review() -> tuple[Equation, ...]:
    return tuple(
        Equation("review_litigation.group_total", (f"{g.key}.total",),
                 tuple(f"{g.key}.{c}" for c in ("upheld", "corrected", "other", "pending")), g.key)
        for g in REVIEW_GROUPS
    )


@lru_cache(maxsize=None)
def equations(table: str, version: str) -> tuple[Equation, ...]:
    fmt = table_format(table, version)
    if table == "applications":
        return _applications(fmt)
    if table == "review_litigation":
        return _review()
    return ()


def subject_name(eq: Equation) -> str:
    if eq.rule == "applications.row_total":
        return eq.subject
    if eq.rule == "review_litigation.group_total":
        return GROUP_NAMES.get(eq.subject, eq.subject)
    return COLUMN_NAMES.get(eq.subject, eq.subject)
