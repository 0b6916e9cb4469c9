"""Constraint repair: place lost numbers and compute the cells the rules force.

The solver never changes a printed value.  It decides

* where the numbers of a row that lost some of them belong (order kept), and
* the value of cells that were not printed legibly, when the equations of the
  format leave exactly one non-negative answer.

When several placements satisfy every rule and disagree on a cell, that cell
stays unknown and is reported as ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import time
from itertools import combinations

from nianbao.template.rules import Equation

Number = int | float


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "?"


UNKNOWN = _Unknown()

MAX_SECONDS = 3.0  # the longest one table's search may take before it decides nothing


@dataclass
class Solution:
    values: dict[str, Number | None]  # every non-printed key: value or None (not determined)
    derived: dict[str, str]  # key -> rule id that computed it
    # key -> the source (Alternative.source value) of the printed number every solution puts there
    placements: dict[str, object]
    ambiguous: set[str] = field(default_factory=set)
    consistent: bool = True
    solutions_seen: int = 0
    cut_short: bool = False  # the search hit its bound (readings or seconds) before finishing


@dataclass(frozen=True)
class Alternative:
    """One reading of a row: an order-preserving placement of its printed numbers, or one
    way to split digits that were printed run together."""

    values: dict  # key -> number or UNKNOWN
    source: dict  # key -> where the number placed there was printed (an index, a token)


def placements(numbers: list[Number], keys: tuple[str, ...]) -> list[Alternative]:
    """All order-preserving ways to put `numbers` into the columns `keys` (missing -> UNKNOWN)."""
    n, k = len(keys), len(numbers)
    if k > n:
        return []
    out = []
    for chosen in combinations(range(n), k):
        vals: dict = {key: UNKNOWN for key in keys}
        source: dict = {}
        for idx, col in enumerate(chosen):
            vals[keys[col]] = numbers[idx]
            source[keys[col]] = idx
        out.append(Alternative(vals, source))
    return out


def _known_sum(keys, values: dict) -> tuple[float, list[str]]:
    """The sum of the known values among `keys`, and the keys whose value is unknown."""
    total, unknown = 0.0, []
    for k in keys:
        v = values.get(k, UNKNOWN)
        if v is UNKNOWN:
            unknown.append(k)
        else:
            total += v
    return total, unknown


def _sides(eq: Equation, values: dict) -> tuple[float, float, list[str], list[str]]:
    lsum, lu = _known_sum(eq.lhs, values)
    rsum, ru = _known_sum(eq.rhs, values)
    return lsum, rsum, lu, ru


def _applicable(eq: Equation, blanks: set[str]) -> bool:
    return not any(k in blanks for k in eq.keys)


def propagate(values: dict, equations: tuple[Equation, ...], blanks: set[str],
              derived: dict[str, str]) -> bool:
    """Fill UNKNOWN keys that single equations force.  Returns False on a contradiction."""
    changed = True
    while changed:
        changed = False
        for eq in equations:
            if not _applicable(eq, blanks):
                continue
            lsum, rsum, lu, ru = _sides(eq, values)
            if not lu and not ru:
                continue
            if len(lu) + len(ru) == 1:
                key = (lu or ru)[0]
                v = rsum - lsum if lu else lsum - rsum
                if v < 0:
                    return False
                values[key] = int(v) if float(v).is_integer() else v
                derived[key] = eq.rule
                changed = True
            else:
                if lu and ru:
                    continue
                residual = rsum - lsum if lu else lsum - rsum
                if residual < 0:
                    return False
                if residual == 0:
                    # unknowns on one side that must sum to 0: non-negative counts are all 0
                    for key in lu or ru:
                        values[key] = 0
                        derived[key] = eq.rule
                    changed = True
    return True


def violations(values: dict, equations: tuple[Equation, ...], blanks: set[str],
               involved: set[str]) -> int:
    """Equations that fail among those touching a non-printed key."""
    bad = 0
    for eq in equations:
        if not _applicable(eq, blanks) or not any(k in involved for k in eq.keys):
            continue
        lsum, rsum, lu, ru = _sides(eq, values)
        if lu or ru:
            continue
        if abs(lsum - rsum) > 1e-9:
            bad += 1
    return bad


def solve(equations: tuple[Equation, ...], printed: dict[str, Number | None],
          rows: list[tuple[tuple[str, ...], list[Number] | list[Alternative]]], missing: set[str],
          max_combinations: int = 200_000, max_solutions: int = 256) -> Solution:
    """Choose a reading for each of `rows` and resolve the `missing` keys by the rules.

    A row is (keys, printed numbers), read by every order-preserving placement, or
    (keys, alternatives) when the caller has its own readings (digits run together).
    `printed` holds the cells read in place (None = printed blank, which no rule uses).
    Rows that no rule connects are solved apart (so that, say, each row of table 二,
    which has no rules, is judged on its own readings).
    """
    parent = list(range(len(rows) + len(missing)))
    missing_list = sorted(missing)
    node_of: dict[str, int] = {}
    for i, (keys, _) in enumerate(rows):
        for k in keys:
            node_of[k] = i
    for j, k in enumerate(missing_list):
        node_of[k] = len(rows) + j

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for eq in equations:
        nodes = {node_of[k] for k in eq.keys if k in node_of}
        first = next(iter(nodes), None)
        for n in nodes:
            parent[find(n)] = find(first)
    groups: dict[int, list[int]] = {}
    for n in range(len(parent)):
        groups.setdefault(find(n), []).append(n)
    if len(groups) <= 1:
        return _solve_component(equations, printed, rows, missing, max_combinations, max_solutions)
    total = Solution(values={}, derived={}, placements={})
    for nodes in groups.values():
        part_rows = [rows[n] for n in nodes if n < len(rows)]
        part_missing = {missing_list[n - len(rows)] for n in nodes if n >= len(rows)}
        sol = _solve_component(equations, printed, part_rows, part_missing, max_combinations, max_solutions)
        total.values.update(sol.values)
        total.derived.update(sol.derived)
        total.placements.update(sol.placements)
        total.ambiguous |= sol.ambiguous
        total.consistent = total.consistent and sol.consistent
        total.cut_short = total.cut_short or sol.cut_short
        total.solutions_seen += sol.solutions_seen
    return total


def _solve_component(equations, printed, rows, missing, max_combinations, max_solutions,
                     max_seconds: float = MAX_SECONDS) -> Solution:
    blanks = {k for k, v in printed.items() if v is None}
    base: dict = {k: v for k, v in printed.items() if v is not None}
    for k in missing:
        base[k] = UNKNOWN
    involved = set(missing) | {k for keys, _ in rows for k in keys}

    def signature(alt: Alternative, keys: tuple[str, ...], local: tuple[Equation, ...]):
        trial = dict(base)
        trial.update(alt.values)
        if not propagate(trial, local, blanks, {}) or violations(trial, local, blanks, set(keys)):
            return None
        return tuple(None if trial[k] is UNKNOWN else trial[k] for k in keys)

    # Per row: every placement consistent with the row's own rules, and one representative
    # per distinct value vector (placements that differ only in where a 0 sits are one).
    all_alts: list[list[tuple[Alternative, tuple | None]]] = []
    row_alts: list[list[Alternative]] = []
    for keys, readings in rows:
        local = tuple(eq for eq in equations if set(eq.keys) <= set(keys))
        alts = readings if readings and isinstance(readings[0], Alternative) else placements(readings, keys)
        scored = [(alt, signature(alt, keys, local)) for alt in alts]
        all_alts.append(scored)
        seen, reps = set(), []
        for alt, sig in scored:
            if sig is not None and sig not in seen:
                seen.add(sig)
                reps.append(alt)
        row_alts.append(reps)

    found: list[tuple[int, dict, dict[str, str], tuple]] = []
    cut_short = [False]
    deadline = time.monotonic() + max_seconds

    def search(alternatives: list[list[Alternative]], strict: bool) -> None:
        budget = [max_combinations]

        def dfs(i: int, assign: dict, choice: tuple) -> None:
            if len(found) >= max_solutions:
                return
            budget[0] -= 1
            if budget[0] <= 0 or (budget[0] % 256 == 0 and time.monotonic() > deadline):
                cut_short[0] = True
                budget[0] = 0
                return
            if i == len(alternatives):
                trial = dict(assign)
                derived: dict[str, str] = {}
                ok = propagate(trial, equations, blanks, derived)
                bad = violations(trial, equations, blanks, involved) + (0 if ok else 1)
                if not (strict and bad):
                    found.append((bad, trial, derived, choice))
                return
            for a_idx, alt in enumerate(alternatives[i]):
                nxt = dict(assign)
                nxt.update(alt.values)
                if strict and violations(nxt, equations, blanks, involved):
                    continue
                dfs(i + 1, nxt, choice + (a_idx,))

        dfs(0, base, ())

    if all(row_alts):
        search(row_alts, strict=True)
    lenient = not found and not cut_short[0]
    if lenient:
        # No placement satisfies every rule (the source is wrong somewhere as well):
        # keep the placements that break the fewest rules.
        row_alts = [[alt for alt, _ in scored] for scored in all_alts]
        if all(row_alts):
            search(row_alts, strict=False)
        if found:
            least = min(f[0] for f in found)
            found[:] = [f for f in found if f[0] == least]

    result = Solution(values={}, derived={}, placements={}, solutions_seen=len(found),
                      consistent=not lenient, cut_short=cut_short[0])
    if not found or cut_short[0]:
        # Nothing fits, or the search had to stop before seeing every reading: decide nothing.
        result.values = {k: None for k in involved}
        return result
    for k in sorted(involved):
        vals = {(None if t[k] is UNKNOWN else t[k]) for _, t, _, _ in found}
        if len(vals) == 1:
            v = vals.pop()
            result.values[k] = v
            rules = {d[k] for _, _, d, _ in found if k in d}
            if v is not None and rules:
                result.derived[k] = sorted(rules)[0]
        else:
            result.values[k] = None
            result.ambiguous.add(k)
    # A printed number counts as read in place when every placement that yields the
    # solution's values for its row puts it in the same cell.
    for r_idx, (rkeys, _) in enumerate(rows):
        finals = {tuple(None if t[k] is UNKNOWN else t[k] for k in rkeys) for _, t, _, _ in found}
        matching = [alt for alt, sig in all_alts[r_idx]
                    if lenient or (sig is not None and any(_compatible(sig, f) for f in finals))]
        for k in rkeys:
            positions = {alt.source.get(k) for alt in matching}
            if len(positions) == 1 and None not in positions and k not in result.derived:
                result.placements[k] = positions.pop()
    return result


def _compatible(local: tuple, final: tuple) -> bool:
    return all(a is None or a == b for a, b in zip(local, final))
