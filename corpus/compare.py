"""Problems and measures compared across agencies and years (`nianbao compare FOLDER... --out DIR`).

Parses every report in the folders (txt, pdf, html/htm, docx, doc; not recursive into
hidden files), labels the statements of part 五 (nianbao's "statements" stage) and writes:

* ``topic_counts.csv`` - one row per report and topic: agency, region, year, topic and the
  number of problems, measures and other statements (pivot it by agency, region or year);
* ``repeated.csv`` - statements repeated across reports (another agency or another year):
  pairs of problem/measure statements whose character-3-gram Jaccard similarity is at least
  ``THRESHOLD`` (0.6: the same sentence with a few words changed; boilerplate shared by
  unrelated reports stays below it), the similarity rounded to 3 decimals; statements of
  fewer than 12 characters (10 3-grams, enumeration mark and punctuation not counted) are
  left out, since short item titles like 提升信息公开质量 recur everywhere;
* ``unanswered.csv`` - problems with no measure of the same topic in the same report;
* ``topics_by_year.svg`` - problems (and measures) per topic and year, a grouped bar chart
  drawn here (no plotting library); ``topics_by_year.png`` too when matplotlib is installed.

A file that cannot be parsed is reported on stderr in one line and skipped.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TextIO

from nianbao.model import Report

EXTENSIONS = {".txt", ".pdf", ".html", ".htm", ".docx", ".doc"}
THRESHOLD = 0.6
MIN_SHINGLES = 10  # statements shorter than 12 characters (e.g. "提升信息公开质量") are too generic to pair
TOPIC_ORDER = ("staffing", "awareness", "content_quality", "timeliness", "policy_interpretation",
               "interaction", "platform", "applications", "mechanism", "digital", "boilerplate")
COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
          "#9c755f", "#bab0ac", "#d3d3d3")


@dataclass
class Item:
    file: str
    report: Report

    @property
    def agency(self) -> str:
        return self.report.meta.agency or ""

    @property
    def region(self) -> str:
        return self.report.meta.region or ""

    @property
    def year(self) -> str:
        return "" if self.report.meta.year is None else str(self.report.meta.year)


def collect(folders: list[str | Path], err: TextIO | None = None) -> list[Item]:
    """Parse every report file in the folders, sorted by path; bad files -> one line on err."""
    from nianbao import parse_file

    err = err or sys.stderr
    items = []
    for folder in folders:
        folder = Path(folder)
        files = [folder] if folder.is_file() else sorted(
            p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS
            and not p.name.startswith("."))
        for path in files:
            try:
                report = parse_file(path)
            except Exception as exc:  # unusable input or a bug: report it, go on
                msg = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
                err.write(f"nianbao compare: skipped {path}: {' '.join(str(msg).split())}\n")
                continue
            items.append(Item(str(path), report))
    return items


# -- tables ---------------------------------------------------------------------------

def topic_counts(items: list[Item]) -> list[list]:
    rows = []
    for it in items:
        c = Counter((s.topic, s.kind) for s in it.report.statements)
        for topic in TOPIC_ORDER:
            n = [c[(topic, k)] for k in ("problem", "measure", "other")]
            if any(n):
                rows.append([it.agency, it.region, it.year, topic, *n, it.file])
    return rows


def shingles(text: str, n: int = 3) -> set[str]:
    from nlp.classify import strip_enum

    t = "".join(ch for ch in strip_enum(text) if ch.isalnum())
    return {t[i:i + n] for i in range(len(t) - n + 1)} if len(t) >= n else {t}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def repeated(items: list[Item], threshold: float = THRESHOLD) -> list[list]:
    """Pairs of problem/measure statements in different reports (another agency or year)."""
    pool = []
    for k, it in enumerate(items):
        for s in it.report.statements:
            if s.kind in ("problem", "measure"):
                g = shingles(s.text)
                if len(g) >= MIN_SHINGLES:
                    pool.append((k, s, g))
    rows = []
    for i in range(len(pool)):
        ki, si, gi = pool[i]
        for j in range(i + 1, len(pool)):
            kj, sj, gj = pool[j]
            a, b = items[ki], items[kj]
            if ki == kj or (a.agency == b.agency and a.year == b.year):
                continue
            sim = jaccard(gi, gj)
            if sim >= threshold:
                rows.append([f"{sim:.3f}", si.kind, si.topic, a.agency, a.year, a.file, si.start, si.end, si.text,
                             b.agency, b.year, b.file, sj.start, sj.end, sj.text])
    rows.sort(key=lambda r: (-float(r[0]), r[5], r[6], r[11], r[12]))
    return rows


def unanswered(items: list[Item]) -> list[list]:
    rows = []
    for it in items:
        sts = it.report.statements
        for s in sts:
            if s.kind != "problem" or s.topic == "boilerplate":
                continue
            if not any(m.kind == "measure" and m.topic == s.topic for m in sts):
                rows.append([it.agency, it.region, it.year, s.topic, it.file, s.start, s.end, s.text])
    return rows


HEADERS = {
    "topic_counts.csv": ["agency", "region", "year", "topic", "problems", "measures", "other", "file"],
    "repeated.csv": ["similarity", "kind", "topic", "agency_a", "year_a", "file_a", "start_a", "end_a", "text_a",
                     "agency_b", "year_b", "file_b", "start_b", "end_b", "text_b"],
    "unanswered.csv": ["agency", "region", "year", "topic", "file", "start", "end", "text"],
}


# -- chart -----------------------------------------------------------------------------

def by_year(items: list[Item], kind: str = "problem") -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for it in items:
        c = out.setdefault(it.year or "?", Counter())
        c.update(s.topic for s in it.report.statements if s.kind == kind)
    return dict(sorted(out.items()))


def svg_chart(items: list[Item]) -> str:
    """Grouped bars: for each year, one bar per topic (problems solid, measures light)."""
    years = by_year(items, "problem")
    meas = by_year(items, "measure")
    for y in meas:
        years.setdefault(y, Counter())
    years = dict(sorted(years.items()))
    topics = [t for t in TOPIC_ORDER if any(years[y][t] or meas.get(y, Counter())[t] for y in years)]
    bar, gap, left, top, h = 10, 24, 50, 30, 220
    group_w = max(1, len(topics)) * bar * 2 + gap
    width = left + max(1, len(years)) * group_w + 200
    peak = max([1] + [c[t] for c in years.values() for t in topics] + [c[t] for c in meas.values() for t in topics])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + h + 60}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="18" font-size="13">问题与改进措施的主题（按年度）problems (solid) and measures '
           f'(light) by topic and year</text>',
           f'<line x1="{left}" y1="{top + h}" x2="{width - 190}" y2="{top + h}" stroke="#333"/>']
    for step in range(0, peak + 1, max(1, peak // 5)):
        y = top + h - step * h / peak
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{step}</text>')
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 190}" y2="{y:.1f}" stroke="#eee"/>')
    for g, year in enumerate(years):
        x0 = left + g * group_w + gap / 2
        for t_i, topic in enumerate(topics):
            color = COLORS[TOPIC_ORDER.index(topic)]
            for k, (counts, opacity) in enumerate(((years[year], "1"), (meas.get(year, Counter()), "0.45"))):
                n = counts[topic]
                if not n:
                    continue
                x = x0 + (t_i * 2 + k) * bar
                bh = n * h / peak
                out.append(f'<rect x="{x:.1f}" y="{top + h - bh:.1f}" width="{bar - 1}" height="{bh:.1f}" '
                           f'fill="{color}" fill-opacity="{opacity}"><title>{escape(year)} {topic} '
                           f'{"problems" if k == 0 else "measures"}: {n}</title></rect>')
        out.append(f'<text x="{x0 + (group_w - gap) / 2:.1f}" y="{top + h + 16}" text-anchor="middle">'
                   f'{escape(year)}</text>')
    lx = width - 180
    for i, topic in enumerate(topics):
        y = top + i * 16
        out.append(f'<rect x="{lx}" y="{y}" width="10" height="10" fill="{COLORS[TOPIC_ORDER.index(topic)]}"/>')
        out.append(f'<text x="{lx + 14}" y="{y + 9}">{topic}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def png_chart(items: list[Item], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    years = by_year(items, "problem")
    topics = [t for t in TOPIC_ORDER if any(c[t] for c in years.values())]
    fig, ax = plt.subplots(figsize=(8, 4))
    w = 0.8 / max(1, len(topics))
    for i, t in enumerate(topics):
        ax.bar([k + i * w for k in range(len(years))], [c[t] for c in years.values()], w, label=t,
               color=COLORS[TOPIC_ORDER.index(t)])
    ax.set_xticks([k + 0.4 - w / 2 for k in range(len(years))], list(years))
    ax.set_ylabel("problems")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


# -- entry -----------------------------------------------------------------------------

def collect_store(store, page: int = 500) -> list[Item]:
    """Every report in the store (the service's and the batch's), oldest first."""
    items: list[Item] = []
    offset = 0
    while True:
        summaries, total = store.list_reports(limit=page, offset=offset)
        for summary in summaries:
            report = store.get_report(summary["id"])
            if report is not None:
                items.append(Item(f"store:{summary['id']}:{report.source.filename}", report))
        offset += page
        if offset >= total:
            break
    items.sort(key=lambda it: it.file)
    return items


def compare(folders: list[str | Path], out: str | Path, err: TextIO | None = None,
            items: list[Item] | None = None) -> dict[str, Path]:
    """Write the CSV files and the chart to `out`; returns name -> path of what was written.

    `items` (for instance `collect_store(store)`) replaces parsing the folders.
    """
    from corpus.duplicates import duplicates_of_reports, write_duplicates_csv

    items = collect(folders, err) if items is None else items
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, rows in (("topic_counts.csv", topic_counts(items)), ("repeated.csv", repeated(items)),
                       ("unanswered.csv", unanswered(items))):
        path = out / name
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADERS[name])
            w.writerows(rows)
        written[name] = path
    # whole narratives repeating another year's or another agency's (内容雷同), part by part
    dup = out / "duplicate_reports.csv"
    write_duplicates_csv(duplicates_of_reports([it.report for it in items]), dup)
    written[dup.name] = dup
    svg = out / "topics_by_year.svg"
    svg.write_text(svg_chart(items), encoding="utf-8")
    written[svg.name] = svg
    png = out / "topics_by_year.png"
    if png_chart(items, png):
        written[png.name] = png
    return written
