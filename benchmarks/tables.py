"""Table recovery benchmark: nianbao beside pdfplumber's extract_tables and camelot.

    .venv/bin/python benchmarks/tables.py [--n 40] [--seed 7] [--no-baselines]

Inputs:
* generated reports with known values (nianbao.synth.corpus: DOCX rendered to PDF by
  LibreOffice, both format versions and the hybrids, ruled / unruled / partly ruled,
  narrow and wide columns, tables split across pages, blank cells), cached under
  benchmarks/.cache/;
* the real reports of ../shared/corpus/dev (when that folder is there) against the
  hand-verified annotations in corpus/annotations/tables/;
* the real HTML reports in the shapes people also download them: printed to PDF by
  Chromium, converted by LibreOffice to DOCX, DOC and PDF, and (the first --real-scans)
  the printed PDF scanned; made in benchmarks/.cache/derived (never committed: they are
  copies of others' reports), scored against the same annotations.

For every PDF, each method's table output is mapped to canonical keys by the SAME
code (nianbao's label alignment, slot reading and repair), so that only the table
recovery differs.  Printed: cells right, reports with all three tables fully right,
seconds per page, per method and source; the rows are written to
benchmarks/results/tables.md and tables.json, with every report that is not fully
right and the reason.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.pipeline import process  # noqa: E402
from nianbao.readers.dispatch import read  # noqa: E402
from nianbao.settings import Settings  # noqa: E402
from nianbao.structure import extract_meta, find_sections  # noqa: E402
from nianbao.tables.extract import extract_table  # noqa: E402
from nianbao.tables.text_rows import TextRow, Token  # noqa: E402

SHARED_DEV = ROOT.parent / "shared" / "corpus" / "dev"
ANNOTATIONS = ROOT / "corpus" / "annotations" / "tables"
CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results"
TABLE_PARTS = {"active": 2, "applications": 3, "review_litigation": 4}


@dataclass
class Case:
    name: str
    source: str  # "generated" | "real"
    path: Path
    truth: dict
    pages: int = 0


@dataclass
class Score:
    right: int = 0
    total: int = 0
    full: int = 0
    reports: int = 0
    seconds: float = 0.0
    pages: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, case: Case, tables: dict, seconds: float, reason: str = "") -> None:
        wrong = []
        for t, kv in case.truth["tables"].items():
            for k, v in kv.items():
                self.total += 1
                if tables.get(t, {}).get(k, "MISSING") == v:
                    self.right += 1
                else:
                    wrong.append(f"{t}.{k}={tables.get(t, {}).get(k, 'MISSING')} (truth {v})")
        self.reports += 1
        self.seconds += seconds
        self.pages += case.pages
        if not wrong and not reason:
            self.full += 1
        else:
            self.failures.append(f"{case.name}: {reason or ''}{len(wrong)} cells wrong"
                                 + (f", e.g. {'; '.join(wrong[:3])}" if wrong else ""))


# --- cases -------------------------------------------------------------------------

def generated_cases(n: int, seed: int, scans: int = 0) -> list[Case]:
    """Generated PDFs and DOCX (the same reports), and scans of the first `scans` PDFs
    (150 and 200 dpi alternately, tilted ±1°, noise, JPEG artefacts)."""
    from nianbao.synth.corpus import generate

    out = CACHE / f"generated-n{n}-s{seed}-docx"
    if not (out / "done").exists():
        generate(out, n, seed, formats=("docx", "pdf"))
        (out / "done").write_text("ok")
    cases = []
    for i, truth_path in enumerate(sorted(out.glob("*.json"))):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        pdf = truth_path.with_suffix(".pdf")
        cases.append(Case(truth_path.stem, "generated-pdf", pdf, truth))
        cases.append(Case(truth_path.stem, "generated-docx", truth_path.with_suffix(".docx"), truth))
        if i < scans:
            scan = truth_path.with_name(truth_path.stem + "-scan.pdf")
            if not scan.exists():
                from nianbao.synth.scan import simulate_scan

                scan.write_bytes(simulate_scan(pdf.read_bytes(), dpi=(150, 200)[i % 2],
                                               angle=(1.0, -1.0)[i % 2], noise=0.04, jpeg_quality=60, seed=i))
            cases.append(Case(truth_path.stem, "generated-scan", scan, truth))
    return cases


def real_cases() -> list[Case]:
    if not SHARED_DEV.exists():
        print(f"note: {SHARED_DEV} is not there; the real reports are left out", file=sys.stderr)
        return []
    cases = []
    for ann in sorted(ANNOTATIONS.glob("*.json")):
        truth = json.loads(ann.read_text(encoding="utf-8"))
        path = SHARED_DEV / truth["file"]
        if path.exists() and truth.get("national_format", True):
            kind = {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(path.suffix.lower(), "text")
            cases.append(Case(truth["id"], f"real-{kind}", path, truth))
    return cases


CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
# real HTML report -> (suffix of the derived file, how it is made)
DERIVED = {"chrome-pdf": ".chrome.pdf", "lo-docx": ".docx", "lo-doc": ".doc", "lo-pdf": ".pdf",
           "scan": ".scan.pdf"}


def _derive(src: Path, out: Path, kind: str) -> bool:
    """Make one derived file of a real HTML report (kept in the benchmark cache only: it is a
    copy of somebody else's report).  False when the tool for it is not installed."""
    import shutil

    from nianbao.synth.pdf import SofficeNotFoundError, find_soffice

    if kind == "chrome-pdf":
        browser = next((b for b in CHROMIUM if shutil.which(b)), None)
        if browser is None:
            return False
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", src.resolve().as_uri()], capture_output=True, timeout=180)
        return out.exists()
    if kind == "scan":
        chrome = out.with_name(out.name.replace(".scan.pdf", ".chrome.pdf"))
        if not chrome.exists() and not _derive(src, chrome, "chrome-pdf"):
            return False
        from nianbao.synth.scan import simulate_scan

        out.write_bytes(simulate_scan(chrome.read_bytes(), dpi=200, angle=0.7, noise=0.03, jpeg_quality=70, seed=1))
        return True
    try:
        soffice = find_soffice()
    except SofficeNotFoundError:
        return False
    target = {"lo-docx": "docx:MS Word 2007 XML", "lo-doc": "doc:MS Word 97", "lo-pdf": "pdf:writer_web_pdf_Export"}[kind]
    tmp = out.parent / f"tmp-{kind}"
    tmp.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation={(CACHE / 'lo-profile').resolve().as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(tmp), str(src)], capture_output=True, timeout=300)
    made = tmp / (src.stem + "." + target.split(":")[0])
    if not made.exists():
        return False
    made.replace(out)
    return True


def derived_cases(real: list[Case], scans: int) -> list[Case]:
    """The real HTML reports as people also get them: printed to PDF by Chromium, converted by
    LibreOffice to DOCX, DOC and PDF (its web export), and the Chromium PDF scanned (200 dpi,
    tilted 0.7 degrees, noise, JPEG) for the first `scans` of them.  Same hand truth."""
    out = []
    folder = CACHE / "derived"
    folder.mkdir(parents=True, exist_ok=True)
    for i, case in enumerate(c for c in real if c.source == "real-html"):
        for kind, suffix in DERIVED.items():
            if kind == "scan" and i >= scans:
                continue
            path = folder / (case.path.stem + suffix)
            if not path.exists() and not _derive(case.path, path, kind):
                print(f"note: cannot make the {kind} of {case.path.name} (tool missing)", file=sys.stderr)
                continue
            out.append(Case(case.name, f"real-html-as-{kind}", path, case.truth))
    return out


# --- methods -----------------------------------------------------------------------

def run_nianbao(case: Case) -> tuple[dict, float]:
    data = case.path.read_bytes()
    t0 = time.perf_counter()
    report = process(data, case.path.name, Settings())
    dt = time.perf_counter() - t0
    case.pages = report.source.pages or 1
    return report.tables, dt


def _regions(case: Case):
    """Where each table's part lies: (page, top) of its heading and of the next heading."""
    doc = read(case.path.read_bytes(), case.path.name, Settings())
    sections = find_sections(doc.lines, len(doc.text))
    meta = extract_meta(doc.lines, doc.text, sections)
    starts = []
    for s in sections:
        line = next(ln for ln in doc.lines if ln.start == s.start)
        part = line.parts[0] if line.parts else None
        starts.append((s.number, (line.page or 1, part.top if part else 0.0)))
    return starts, meta


def _table_of(page: int, top: float, starts) -> str | None:
    current = None
    for number, pos in starts:
        if (page, top) >= pos:
            current = number
    for table, part in TABLE_PARTS.items():
        if current == part:
            return table
    return None


def _map(grids: list[tuple[int, float, list[list[str | None]]]], starts, meta) -> dict:
    """Baseline grids (page, top, rows of cell texts) -> canonical tables via nianbao's mapping."""
    by_table: dict[str, list[TextRow]] = {t: [] for t in TABLE_PARTS}
    for page, top, rows in sorted(grids, key=lambda g: (g[0], g[1])):
        table = _table_of(page, top, starts)
        if table is None:
            continue
        for row in rows:
            tokens = [Token(" ".join((c or "").split()).replace(" ", "") if c else "", -1, 0, page)
                      for c in row]
            by_table[table].append(TextRow(tokens))
    out = {}
    template = None
    for table in ("active", "applications", "review_litigation"):
        rows = by_table[table]
        text = "\n".join("\t".join(t.text for t in r.tokens) for r in rows)
        res = extract_table(table, rows, text, meta.year, template if table == "review_litigation" else None)
        if table == "applications":
            template = res.version
        out[table] = res.values
    return out


def run_pdfplumber(case: Case) -> tuple[dict, float]:
    import pdfplumber

    t0 = time.perf_counter()
    grids = []
    with pdfplumber.open(case.path) as pdf:
        for page in pdf.pages:
            for t in page.find_tables():
                grids.append((page.page_number, t.bbox[1], t.extract()))
    dt = time.perf_counter() - t0
    starts, meta = _regions(case)
    return _map(grids, starts, meta), dt


def run_camelot(case: Case) -> tuple[dict, float]:
    import camelot

    t0 = time.perf_counter()
    grids = []
    for flavor in ("lattice",):
        tables = camelot.read_pdf(str(case.path), pages="all", flavor=flavor)
        for t in tables:
            height = _page_height(case.path, int(t.page))
            top = height - t._bbox[3]
            grids.append((int(t.page), top, t.df.values.tolist()))
    dt = time.perf_counter() - t0
    starts, meta = _regions(case)
    return _map(grids, starts, meta), dt


_HEIGHTS: dict[tuple[str, int], float] = {}


def _page_height(path: Path, page: int) -> float:
    key = (str(path), page)
    if key not in _HEIGHTS:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for p in pdf.pages:
                _HEIGHTS[(str(path), p.page_number)] = float(p.height)
    return _HEIGHTS[key]


METHODS = {"nianbao": run_nianbao, "pdfplumber": run_pdfplumber, "camelot": run_camelot}


# --- memory --------------------------------------------------------------------------

def peak_memory_of(path: Path) -> tuple[int, float]:
    """Peak RSS (MB) of parsing one file in a fresh process."""
    # VmHWM of the child's own address space (ru_maxrss would carry the parent's over fork+exec)
    code = ("import sys;from nianbao import parse_file;r=parse_file(sys.argv[1]);"
            "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1];"
            "print(r.source.pages, hwm)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    return int(out[0]), int(out[1]) / 1024


def peak_memory_20_pages() -> tuple[int, float]:
    """Peak RSS (MB) of parsing a generated 20-page report in a fresh process."""
    import random

    from nianbao.synth.docx import DocxOptions, render_docx
    from nianbao.synth.pdf import docx_to_pdf
    from nianbao.synth.text import TextReportSpec
    from nianbao.synth.values import random_tables

    path = CACHE / "long-20pages.pdf"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        # About 20 pages: the narrative of part 一 made long enough to fill them.
        sentence = "本机关坚持以公开为常态、不公开为例外，持续深化政务公开，推动政府信息公开工作提质增效。"
        spec = TextReportSpec(narrative=sentence * 215)
        docx = render_docx(random_tables(random.Random(1)), spec, DocxOptions(seed=1))
        path.write_bytes(docx_to_pdf(docx))
    return peak_memory_of(path)


# --- main ------------------------------------------------------------------------------

def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=40, help="generated reports")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--scans", type=int, default=4, help="how many generated PDFs to scan and OCR (slow)")
    ap.add_argument("--real-scans", type=int, default=9, help="how many real HTML reports to print, scan and OCR")
    args = ap.parse_args(argv)
    real = real_cases()
    cases = generated_cases(args.n, args.seed, args.scans) + real + derived_cases(real, args.real_scans)
    methods = ["nianbao"] if args.no_baselines else list(METHODS)
    for m in [m for m in methods if m != "nianbao" and not _importable(m)]:
        print(f"note: {m} is not installed (pip install -e '.[bench]'); it is left out", file=sys.stderr)
        methods.remove(m)
    scores: dict[tuple[str, str], Score] = {}
    for case in cases:
        pages = None
        for m in methods:
            if m != "nianbao" and (case.path.suffix.lower() != ".pdf" or case.source.endswith("scan")):
                continue  # the baselines read PDFs with a text layer only
            score = scores.setdefault((m, case.source), Score())
            try:
                tables, dt = METHODS[m](case)
                reason = ""
            except Exception as exc:  # a method that fails on a file scores 0 for it
                tables, dt, reason = {}, 0.0, f"{type(exc).__name__}: {exc}; "
            if m == "nianbao":
                pages = case.pages
            case.pages = pages or case.pages
            score.add(case, tables, dt, reason)
    lines = ["| source | method | reports | cells right | reports fully right | s/page (s/file for html, text) |",
             "|---|---|---|---|---|---|"]
    for (m, src), s in sorted(scores.items(), key=lambda kv: (kv[0][1], kv[0][0] != "nianbao", kv[0][0])):
        lines.append(f"| {src} | {m} | {s.reports} | {s.right}/{s.total} = {100 * s.right / max(s.total, 1):.2f}% "
                     f"| {s.full}/{s.reports} | {s.seconds / max(s.pages, 1):.3f} |")
    pages, rss = peak_memory_20_pages()
    scan_cases = [c for c in cases if c.source == "generated-scan"]
    if scan_cases:
        scan_pages, scan_rss = peak_memory_of(scan_cases[0].path)
        lines.append("")
        lines.append(f"peak memory, nianbao parsing a {scan_pages}-page scan (OCR): {scan_rss:.0f} MB")
    lines.append("")
    lines.append(f"peak memory, nianbao parsing a generated {pages}-page report: {rss:.0f} MB")
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"(benchmark process peak {self_rss:.0f} MB)")
    lines.append("")
    lines.append("reports not fully right:")
    for (m, src), s in sorted(scores.items()):
        for f in s.failures:
            lines.append(f"- [{m}, {src}] {f}")
    if not SHARED_DEV.exists():
        lines.append("(../shared/corpus/dev not found: real reports not measured)")
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tables.md").write_text(
        f"# benchmarks/tables.py ({time.strftime('%Y-%m-%d')}, n={args.n}, seed={args.seed})\n\n" + text + "\n",
        encoding="utf-8")
    (RESULTS / "tables.json").write_text(json.dumps({
        f"{m}/{src}": {"right": s.right, "total": s.total, "full": s.full, "reports": s.reports,
                       "seconds_per_page": s.seconds / max(s.pages, 1), "failures": s.failures}
        for (m, src), s in scores.items()}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
