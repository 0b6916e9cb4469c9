"""The central model: a parsed report and its parts.

`Report.to_dict()` produces the JSON contract of ``spec/output.md`` and
`Report.from_dict()` reads it back; the two round-trip exactly.  Fields the
contract does not name (provenance offsets, check summaries, stage errors) are
additions the contract allows.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1

TABLE_NAMES = ("active", "applications", "review_litigation")

# Severity of a finding.
ERROR, WARNING, INFO = "error", "warning", "info"

# Where a cell value came from.
ORIGIN_LAYOUT, ORIGIN_TEXT, ORIGIN_INFERRED = "layout", "text", "inferred"

Number = int | float


def _drop_none(d: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None or k in keep}


def _from(cls, data: dict[str, Any]):
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Source:
    filename: str
    sha256: str
    format: str  # pdf-text | pdf-scanned | docx | doc | html | text
    pages: int | None = None
    bytes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(asdict(self), keep=("pages",))


@dataclass
class Meta:
    agency: str | None = None
    region: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date
    template: str | None = None  # "2021" | "2019"
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["title"] is None:
            del d["title"]
        return d


@dataclass
class Section:
    number: int
    title: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Cell:
    """One canonical table cell and where its value was read."""

    table: str
    key: str
    value: Number | None
    raw: str | None
    origin: str
    page: int | None = None
    bbox: list[float] | None = None
    confidence: float | None = None
    # Provenance in flat inputs: offsets of `raw` in Report.text and its line.
    start: int | None = None
    end: int | None = None
    line: int | None = None
    # Provenance in structured inputs (DOCX/HTML): the element path.
    path: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.table}.{self.key}"

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(asdict(self), keep=("value", "raw", "page", "bbox"))


@dataclass
class Claim:
    metric: str
    value: Number | None
    unit: str | None
    text: str
    start: int
    end: int
    scope: str | None = None
    bound: str | None = None  # "at_least" | "at_most" | "about" | None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(asdict(self), keep=("value", "unit"))


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    cells: list[str] = field(default_factory=list)
    claims: list[int] = field(default_factory=list)
    status: str = "failed"  # failed | not_assessable | inferred | ambiguous | missing
    reported: Number | None = None
    computed: Number | None = None
    # Cross-year findings cite the reports they compare: [{"role": "earlier" | "later",
    # "report_id", "sha256", "filename", "agency", "year"}]; None on single-report findings.
    reports: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(asdict(self))


@dataclass
class Statement:
    text: str
    kind: str
    topic: str | None
    start: int
    end: int
    # On a problem: indices (into Report.statements) of the measures that answer it;
    # [] = unanswered; None = not paired (omitted from the JSON).
    answered_by: list[int] | None = None
    # The part of the report (1-6, Section.number) the statement is in: 5 for part 五, another
    # number for a problem stated elsewhere; None = not known (omitted from the JSON).
    part: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(asdict(self))


@dataclass
class CheckSummary:
    """How one rule fared over all its instances in this report."""

    rule: str
    passed: int = 0
    failed: int = 0
    not_assessable: int = 0

    @property
    def status(self) -> str:
        if self.failed:
            return "failed"
        if self.passed and not self.not_assessable:
            return "passed"
        if self.passed:
            return "partly_assessable"
        return "not_assessable"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "status": self.status, "passed": self.passed,
                "failed": self.failed, "not_assessable": self.not_assessable}


@dataclass
class StageError:
    """A stage that failed on this report; the rest of the report still stands."""

    stage: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    source: Source
    text: str = ""
    meta: Meta = field(default_factory=Meta)
    table_templates: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, dict[str, Number | None]] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    checks: list[CheckSummary] = field(default_factory=list)
    stage_errors: list[StageError] = field(default_factory=list)
    parser_version: str | None = None
    schema_version: int = SCHEMA_VERSION

    # -- convenience -----------------------------------------------------
    @property
    def status(self) -> str:
        return "partial" if self.stage_errors else "ok"

    def cell(self, table: str, key: str) -> Cell | None:
        for c in self.cells:
            if c.table == table and c.key == key:
                return c
        return None

    def value(self, table: str, key: str) -> Number | None:
        return self.tables.get(table, {}).get(key)

    def section(self, number: int) -> Section | None:
        for s in self.sections:
            if s.number == number:
                return s
        return None

    def section_text(self, number: int) -> str:
        s = self.section(number)
        return self.text[s.start:s.end] if s else ""

    def findings_for(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    # -- JSON ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "parser_version": self.parser_version,
            "status": self.status,
            "source": self.source.to_dict(),
            "meta": self.meta.to_dict(),
            "table_templates": dict(self.table_templates),
            "sections": [s.to_dict() for s in self.sections],
            "text": self.text,
            "tables": {t: dict(v) for t, v in self.tables.items()},
            "cells": [c.to_dict() for c in self.cells],
            "claims": [c.to_dict() for c in self.claims],
            "findings": [f.to_dict() for f in self.findings],
            "statements": [s.to_dict() for s in self.statements],
            "checks": [c.to_dict() for c in self.checks],
            "stage_errors": [e.to_dict() for e in self.stage_errors],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        checks = []
        for c in data.get("checks", []):
            checks.append(CheckSummary(rule=c["rule"], passed=c.get("passed", 0),
                                       failed=c.get("failed", 0),
                                       not_assessable=c.get("not_assessable", 0)))
        return cls(
            schema_version=data.get("schema_version", SCHEMA_VERSION),
            parser_version=data.get("parser_version"),
            source=_from(Source, data["source"]),
            meta=_from(Meta, data.get("meta", {})),
            table_templates=dict(data.get("table_templates", {})),
            sections=[_from(Section, s) for s in data.get("sections", [])],
            text=data.get("text", ""),
            tables={t: dict(v) for t, v in data.get("tables", {}).items()},
            cells=[_from(Cell, c) for c in data.get("cells", [])],
            claims=[_from(Claim, c) for c in data.get("claims", [])],
            findings=[_from(Finding, f) for f in data.get("findings", [])],
            statements=[_from(Statement, s) for s in data.get("statements", [])],
            checks=checks,
            stage_errors=[_from(StageError, e) for e in data.get("stage_errors", [])],
        )

    @classmethod
    def from_json(cls, text: str) -> "Report":
        return cls.from_dict(json.loads(text))
