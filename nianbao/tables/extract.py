"""Table regions of flat text -> canonical cells, repaired by the rules.

For each of the three tables: pick the format version the printed table
follows, align its rows to the canonical rows, read each row's values into its
columns, let the repair stage place lost numbers and compute forced cells, and
record every cell with its provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.model import (
    INFO,
    ORIGIN_INFERRED,
    ORIGIN_LAYOUT,
    ORIGIN_TEXT,
    WARNING,
    Cell,
    Finding,
)
from nianbao.tables.mapping import Observed, align, observe
from nianbao.tables.repair import Alternative, placements, solve
from nianbao.tables.text_rows import TextRow, Token, split_run
from nianbao.tables.values import parse_number, value_for
from nianbao.template.formats import (
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    V2019,
    V2021,
    Block,
    TableFormat,
    table_format,
)
from nianbao.template.labels import core
from nianbao.template.rules import RULE_TITLES, equations

Number = int | float

OCR_UNSURE = 0.6  # OCR readings of a cell below this character confidence go to the rules


@dataclass
class TableResult:
    table: str
    version: str
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def values(self) -> dict[str, Number | None]:
        return {c.key: c.value for c in self.cells}


@dataclass
class _Printed:
    """What the text says about one canonical row."""

    # one per column; an empty token (or None) is a cell printed blank
    tokens: list[Token | None] | None = None
    lost: list[Token] | None = None  # printed numbers of a row that lost some
    observed: Observed | None = None
    splits: list[list[Token]] | None = None  # readings of digits printed run together
    run: str | None = None  # those digits as printed
    keys: tuple[str, ...] | None = None  # the keys it covers, when not one canonical row


# --- reading one row's values ------------------------------------------------------

def _slot_variants(slots: list[Token]) -> list[list[Token]]:
    variants = [slots]
    trail = list(slots)
    while trail and not trail[-1].stripped:
        trail.pop()
    lead = list(slots)
    while lead and not lead[0].stripped:
        lead.pop(0)
    both = list(trail)
    while both and not both[0].stripped:
        both.pop(0)
    for v in (trail, lead, both):
        if v not in variants:
            variants.append(v)
    return variants


def read_row(obs: Observed, columns: tuple) -> _Printed:
    numbers = obs.numbers
    width = len(columns)
    if len(numbers) == 1 and numbers[0].joined and width > 1:
        return _Printed(splits=split_run(numbers[0], width, [c.kind for c in columns]),
                        run=numbers[0].text, observed=obs)
    if len(numbers) == width:
        return _Printed(tokens=list(numbers), observed=obs)
    for variant in _slot_variants(obs.row.value_slots()):
        if len(variant) == width and all(not t.stripped or parse_number(t.text) for t in variant):
            return _Printed(tokens=list(variant), observed=obs)
    if len(numbers) < width:
        return _Printed(lost=list(numbers), observed=obs)
    # More numbers than columns: the row's own numbers are the last ones printed.
    return _Printed(tokens=list(numbers[-width:]), observed=obs)


# --- choosing the version ----------------------------------------------------------

def _marker_hits(fmt: TableFormat, region_core: str) -> int:
    return sum(1 for m in fmt.markers if core(m) in region_core)


def _fit(fmt: TableFormat, observed: list[Observed]) -> float:
    score, pairs = align(observed, fmt.rows)
    fit = 0
    for c_idx, o_idx in pairs.items():
        width = len(fmt.block_of(fmt.rows[c_idx].key).columns)
        if len(observed[o_idx].numbers) == width:
            fit += 1
    return score + 0.5 * fit


def choose_version(table: str, rows: list[TextRow], region_text: str, year: int | None) -> str:
    region_core = core(region_text.replace("\n", ""))
    fmts = {v: table_format(table, v) for v in (V2021, V2019)}
    hits = {v: _marker_hits(f, region_core) for v, f in fmts.items()}
    if hits[V2021] != hits[V2019] and table == "active":
        return V2021 if hits[V2021] > hits[V2019] else V2019
    fits = {v: _fit(f, observe(rows, f)) + hits[v] for v, f in fmts.items()}
    if abs(fits[V2021] - fits[V2019]) > 1e-6:
        return V2021 if fits[V2021] > fits[V2019] else V2019
    return V2019 if year is not None and year < 2021 else V2021


# --- cells -------------------------------------------------------------------------

def _text_cell(table: str, key: str, token: Token | None, fmt: TableFormat,
               findings: list[Finding], blank_at: Token | None = None) -> Cell:
    if token is None:
        at = blank_at
        if at is not None and (at.bbox or at.path):
            return Cell(table, key, None, "", ORIGIN_LAYOUT, page=at.page, bbox=at.bbox, path=at.path)
        placed = at is not None and at.start >= 0
        return Cell(table, key, None, "", ORIGIN_TEXT, page=at.page if at else None,
                    start=at.start if placed else None, end=at.start if placed else None,
                    line=at.line if placed else None)
    parsed = parse_number(token.text)
    col = fmt.column(key)
    value, problem = value_for(parsed, col.kind, col.unit)
    ref = f"{table}.{key}"
    if problem == "negative":
        findings.append(Finding("value.negative", WARNING, f"{ref} 为负数 {token.text}，计数不应为负",
                                [ref], status="failed", reported=value))
    elif problem == "not_integer":
        findings.append(Finding("value.not_integer", WARNING, f"{ref} 为小数 {token.text}，计数应为整数",
                                [ref], status="failed", reported=value))
    elif problem == "unit_converted":
        findings.append(Finding("value.unit_converted", INFO,
                                f"{ref} 印为“{token.text}”，已按万元换算为 {value}", [ref],
                                status="inferred", reported=parsed.value, computed=value))
    placed = token.start >= 0
    origin = ORIGIN_LAYOUT if token.bbox or token.path else ORIGIN_TEXT
    return Cell(table, key, value, token.text, origin, page=token.page, bbox=token.bbox,
                start=token.start if placed else None, end=token.end if placed else None,
                line=token.line if placed else None, path=token.path)


def _block_keys(block: Block, row_key: str) -> tuple[str, ...]:
    return tuple(f"{row_key}.{c.key}" for c in block.columns)


def _read_table(table: str, fmt: TableFormat, observed: list[Observed]) -> dict[str, _Printed]:
    _, pairs = align(observed, fmt.rows)
    out: dict[str, _Printed] = {}
    for c_idx, crow in enumerate(fmt.rows):
        if c_idx in pairs:
            out[crow.key] = read_row(observed[pairs[c_idx]], fmt.block_of(crow.key).columns)
    return out


def _unmatched_findings(table: str, observed: list[Observed], used: set[int]) -> list[Finding]:
    out = []
    for i, o in enumerate(observed):
        if i in used or not o.numbers:
            continue
        out.append(Finding("table.unmatched_row", WARNING,
                           f"表格中有一行无法对应到标准行（第{o.row.line}行：{o.row.text()[:60]}），其数字未采用",
                           [], status="failed"))
    return out


def _blank_pattern(fmt: TableFormat, printed: dict[str, _Printed]) -> tuple[bool, ...] | None:
    """The columns a table leaves blank in (nearly) every row it prints in place, if any.

    Some reports fill only the 总计 column (or leave it blank); a row that then prints
    fewer numbers follows the same pattern rather than having lost numbers.
    """
    patterns: dict[tuple[bool, ...], int] = {}
    total = 0
    for p in printed.values():
        if p.tokens is None:
            continue
        total += 1
        pat = tuple(t is None or not t.stripped for t in p.tokens)
        patterns[pat] = patterns.get(pat, 0) + 1
    if total < 3:
        return None
    pat, count = max(patterns.items(), key=lambda kv: kv[1])
    if any(pat) and not all(pat) and count >= 0.8 * total:
        return pat
    return None


def _apply_pattern(printed: dict[str, _Printed], pattern: tuple[bool, ...]) -> None:
    filled = sum(1 for blank in pattern if not blank)
    for p in printed.values():
        if p.lost is not None and len(p.lost) == filled and len(p.lost) > 0:
            it = iter(p.lost)
            p.tokens = [None if blank else next(it) for blank in pattern]
            p.lost = None


def _ocr_cell(table: str, key: str, read: tuple[Token, Number | None], solved: Number | None,
              fmt: TableFormat, findings: list[Finding]) -> Cell:
    """An OCR reading the rules were asked about: agreed, corrected, or kept and flagged."""
    tok, value = read
    ref = f"{table}.{key}"
    if solved is not None and solved == value:
        return _text_cell(table, key, tok, fmt, findings)
    if solved is not None:
        findings.append(Finding(
            "ocr.corrected_by_rules", INFO,
            f"{ref} 扫描识别为“{tok.text}”，按表格规则应为 {solved}，已采用规则推算值", [ref],
            status="inferred", reported=value, computed=solved))
        return Cell(table, key, solved, tok.text, ORIGIN_INFERRED, page=tok.page, bbox=tok.bbox,
                    confidence=tok.confidence)
    cell = _text_cell(table, key, tok, fmt, findings)
    return cell


def _alternatives(keys: tuple[str, ...], fmt: TableFormat, p: _Printed) -> tuple[list, dict]:
    """The readings of a row that did not print one number per column, and their tokens."""
    cols = [fmt.column(k) for k in keys]
    if p.splits is not None:
        alts, tokens = [], {}
        for cand in p.splits:
            values = {k: value_for(parse_number(t.text), c.kind, c.unit)[0] for k, t, c in zip(keys, cand, cols)}
            source = {k: (t.start, t.text) for k, t in zip(keys, cand)}
            tokens.update({(t.start, t.text): t for t in cand})
            alts.append(Alternative(values, source))
        return alts, tokens
    toks = p.lost or []
    nums = [value_for(parse_number(t.text), c.kind, c.unit)[0] for t, c in zip(toks, cols)]
    alts = placements(nums, keys)
    return alts, dict(enumerate(toks))


def build_table(table: str, fmt: TableFormat, printed: dict[str, _Printed],
                max_combinations: int) -> TableResult:
    """Cells of one table from what was printed per canonical row, repaired by the rules."""
    result = TableResult(table, fmt.version)
    if len(fmt.blocks) == 1:
        pattern = _blank_pattern(fmt, printed)
        if pattern:
            _apply_pattern(printed, pattern)
    findings = result.findings
    fixed: dict[str, Number | None] = {}
    fixed_tokens: dict[str, Token | None] = {}
    open_rows: list[tuple[tuple[str, ...], list]] = []  # rows to be read by the rules
    sources: dict[tuple[str, ...], dict] = {}
    split_rows: list[tuple[tuple[str, ...], str]] = []
    missing: set[str] = set()
    covered: set[str] = set()
    blank_at: dict[str, Token] = {}
    unsure: dict[str, tuple[Token, Number | None]] = {}
    for crow in fmt.rows:
        p = printed.get(crow.key)
        keys = p.keys if p is not None and p.keys else _block_keys(fmt.block_of(crow.key), crow.key)
        if set(keys) <= covered:
            continue
        if p is None:
            missing.update(k for k in keys if k not in covered)
            continue
        covered.update(keys)
        if p.tokens is not None:
            for key, tok in zip(keys, p.tokens):
                if tok is None or not tok.stripped:
                    fixed[key] = None
                    fixed_tokens[key] = None
                    if tok is not None:
                        blank_at[key] = tok
                else:
                    col = fmt.column(key)
                    value, problem = value_for(parse_number(tok.text), col.kind, col.unit)
                    if tok.confidence is not None and (problem in ("not_integer", "negative")
                                                       or tok.confidence < OCR_UNSURE):
                        # an OCR reading that cannot be right, or is unsure: let the rules decide
                        unsure[key] = (tok, value)
                        missing.add(key)
                        continue
                    fixed[key] = value
                    fixed_tokens[key] = tok
        else:
            alts, srcs = _alternatives(keys, fmt, p)
            open_rows.append((keys, alts))
            sources[keys] = srcs
            if p.splits is not None and len(p.splits) > 1:
                split_rows.append((keys, p.run or ""))
    missing -= covered - set(unsure)

    solution = None
    if open_rows or missing:
        solution = solve(equations(table, fmt.version), fixed, open_rows, missing,
                         max_combinations=max_combinations)

    cells: dict[str, Cell] = {}
    for key, tok in fixed_tokens.items():
        cells[key] = _text_cell(table, key, tok, fmt, findings, blank_at.get(key))
    for keys, _ in open_rows:
        for key in keys:
            if solution is not None and key in solution.placements:
                cells[key] = _text_cell(table, key, sources[keys][solution.placements[key]], fmt, findings)
                continue
            value = solution.values.get(key) if solution else None
            cells[key] = Cell(table, key, value, None, ORIGIN_INFERRED if value is not None else ORIGIN_TEXT)
    for key in missing:
        value = solution.values.get(key) if solution else None
        if key in unsure:
            cells[key] = _ocr_cell(table, key, unsure[key], value, fmt, findings)
            continue
        cells[key] = Cell(table, key, value, None, ORIGIN_INFERRED if value is not None else ORIGIN_TEXT)

    if solution is not None:
        _repair_findings(table, fmt, solution, cells, findings)
    for keys, run in split_rows:
        if all(cells[k].value is not None for k in keys):
            refs = [f"{table}.{k}" for k in keys]
            findings.append(Finding(
                "repair.split", INFO,
                f"{table} 行 {keys[0].rsplit('.', 1)[0]} 的数字连写为“{run}”，可拆分方式不止一种，"
                "已按使表格规则成立的唯一方式拆分", refs, status="inferred"))
    missing_rows = sorted({k.rsplit(".", 1)[0] for k in missing if cells[k].value is None})
    if missing_rows:
        findings.append(Finding(
            "table.rows_missing", WARNING,
            f"{table} 表中未找到以下行的数字：{'、'.join(missing_rows)}",
            [f"{table}.{k}" for k in sorted(missing) if cells[k].value is None], status="missing"))
    result.cells = [cells[k] for k in fmt.keys]
    return result


def _repair_findings(table, fmt, solution, cells, findings) -> None:
    by_rule: dict[str, list[str]] = {}
    placed: list[str] = []
    for key, cell in cells.items():
        if cell.origin != ORIGIN_INFERRED or cell.value is None:
            continue
        rule = solution.derived.get(key)
        if rule:
            by_rule.setdefault(rule, []).append(key)
        else:
            placed.append(key)
    for rule, keys in sorted(by_rule.items()):
        refs = [f"{table}.{k}" for k in sorted(keys)]
        findings.append(Finding(
            rule, INFO,
            f"以下单元格未能从原文读出，已按规则“{RULE_TITLES.get(rule, rule)}”推算：" + "、".join(refs),
            refs, status="inferred"))
    if placed:
        rules = sorted({eq.rule for eq in equations(table, fmt.version)})
        refs = [f"{table}.{k}" for k in sorted(placed)]
        findings.append(Finding(
            "repair.placement", INFO,
            "以下单元格所在行印出的数字少于列数，已按使 " + "、".join(rules) + " 均成立的唯一方式确定：" + "、".join(refs),
            refs, status="inferred"))
    if solution.ambiguous:
        refs = [f"{table}.{k}" for k in sorted(solution.ambiguous)]
        findings.append(Finding(
            "repair.ambiguous", WARNING,
            "以下单元格所在行的数字不全或连写，表格规则不能唯一确定其取值，留空：" + "、".join(refs), refs,
            status="ambiguous"))
    if solution.cut_short:
        findings.append(Finding(
            "repair.gave_up", WARNING,
            f"{table} 表缺失或连写的数字过多，可能的读法太多，未能在限定时间内逐一核对；相应单元格留空",
            [], status="ambiguous"))
    elif not solution.consistent:
        findings.append(Finding(
            "repair.inconsistent", WARNING,
            f"{table} 表有数字缺失，且任何放置方式都无法使全部规则成立；已采用违反规则最少的放置",
            [], status="failed"))


# --- the three tables ----------------------------------------------------------------

def _review_printed(rows: list[TextRow], fmt: TableFormat) -> dict[str, _Printed]:
    """Table 四 prints its 15 values in one row (rarely split over rows): find them."""
    keys = fmt.keys
    width = len(keys)
    data_rows = [r for r in rows if r.numbers()]
    slots: list[Token | None] | None = None
    exact = [r for r in data_rows if len(r.numbers()) == width]
    positional = [r for r in data_rows if len(r.value_slots()) == width]
    joined = [r for r in data_rows if len(r.numbers()) == 1 and r.numbers()[0].joined]
    if exact:
        slots = list(exact[-1].numbers())
    elif positional:
        slots = list(positional[-1].value_slots())
    elif joined:
        run = joined[-1].numbers()[0]
        return {"review": _Printed(splits=split_run(run, width, ["count"] * width), run=run.text, keys=keys)}
    else:
        numbers = [t for r in data_rows for t in r.numbers()]
        if len(numbers) == width:
            slots = list(numbers)
        elif numbers and len(numbers) < width:
            return {"review": _Printed(lost=numbers, keys=keys)}
        elif numbers:
            slots = list(numbers[-width:])
    if slots is None:
        return {}
    n = len(REVIEW_COLUMNS)
    return {g.key: _Printed(tokens=slots[i * n:(i + 1) * n]) for i, g in enumerate(REVIEW_GROUPS)}


def extract_table(table: str, rows: list[TextRow], region_text: str, year: int | None,
                  version_hint: str | None, max_combinations: int = 200_000) -> TableResult:
    """One table from the rows of its region (flat-text rows or layout rows alike)."""
    if table == "review_litigation":
        version = version_hint or (V2019 if year is not None and year < 2021 else V2021)
        fmt = table_format(table, version)
        printed = _review_printed(rows, fmt)
        res = build_table(table, fmt, printed, max_combinations)
        if not printed:
            res.findings = [f for f in res.findings if f.rule != "table.rows_missing"]
            res.findings.append(Finding("table.values_missing", WARNING,
                                        "表四（行政复议、行政诉讼情况）未印出任何数字，全部单元格留空",
                                        [f"{table}.{k}" for k in fmt.keys], status="missing"))
        return res
    version = choose_version(table, rows, region_text, year)
    fmt = table_format(table, version)
    observed = observe(rows, fmt, blank_row_width=min(len(b.columns) for b in fmt.blocks))
    printed = _read_table(table, fmt, observed)
    res = build_table(table, fmt, printed, max_combinations)
    _, pairs = align(observed, fmt.rows)
    res.findings.extend(_unmatched_findings(table, observed, set(pairs.values())))
    return res
