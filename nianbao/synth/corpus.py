"""A corpus of generated reports with known truth: DOCX, PDF and a truth JSON each.

    python -m nianbao.synth.corpus OUT_DIR --n 20 --seed 1 [--formats docx,pdf]

For report ``synth_NNN`` it writes ``synth_NNN.docx``, ``synth_NNN.pdf`` and
``synth_NNN.json``::

    {"tables": {...},            # what the files print; null where a cell is printed empty
     "table_templates": {...},   # the format version of each table (hybrids included)
     "meta": {"agency", "year", "published", "title", "headings", "blank_cells",
              "files": {...}, "pdf_layout": {...}},   # pdf_layout: pages each table covers
     "options": {...}}           # the DocxOptions it was rendered with

Options are drawn from the seed so that a set of reports covers every value of each
dimension about equally: format versions (2021, 2019, and the two hybrids), rules
(all / none / partial), column widths (normal / narrow / wide), table 三 placement (forced
split with and without repeated header, top of page, free flow), blank cells, font sizes,
heading numbering.  Same ``(n, seed)``, same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Sequence

from nianbao.synth.docx import NUMBERING_STYLES, DocxOptions, printed_tables, render_docx, report_meta
from nianbao.synth.text import TextReportSpec
from nianbao.synth.values import random_tables

V21 = {"active": "2021", "applications": "2021", "review_litigation": "2021"}
V19 = {"active": "2019", "applications": "2019", "review_litigation": "2019"}
VERSION_SETS = (
    ("2021", V21),
    ("2019", V19),
    ("hybrid_applications_2019", {**V21, "applications": "2019"}),
    ("hybrid_active_2019", {**V21, "active": "2019"}),
)
RULES = (True, False, "partial")
WIDTHS = ("normal", "narrow", "wide")
# (split_tables, repeat_header)
PLACEMENTS = ((True, True), (True, False), (False, True), (None, True), (None, False))
BLANKS = (0.0, 0.0, 0.0, 0.4)
TABLE_FONTS = (9.0, 10.5, 10.5, 12.0)
BODY_FONTS = (12.0, 14.0, 16.0, 16.0)

_PLACES = ("示例", "临江", "青山", "东湖", "南岭", "白河", "云岭", "金沙")
_LEVELS = ("市", "县", "区")
_DEPTS = ("人民政府办公室", "交通运输局", "生态环境局", "市场监督管理局", "自然资源和规划局", "教育局",
          "卫生健康委员会", "住房和城乡建设局", "人力资源和社会保障局", "财政局")
_NARRATIVES = (
    "全年政务公开工作平稳有序推进，各项任务按期完成。",
    "本机关将政务公开作为转变政府职能、建设法治政府的重要抓手，持续提升公开质效。",
    "围绕中心工作，以公开促落实、促规范、促服务，政府透明度进一步提高。",
)
_PROBLEMS = (
    "一是公开内容不够全面；二是政策解读形式单一。",
    "一是信息发布的及时性有待加强；二是依申请公开答复的规范化水平仍需提高。",
    "一是基层政务公开标准化建设仍需深化；二是公众参与的渠道不够丰富。",
)


def _balanced(rng: random.Random, values: Sequence, n: int) -> list:
    """n draws in which every value appears about equally often, in a seeded order."""
    out = [values[i % len(values)] for i in range(n)]
    rng.shuffle(out)
    return out


def plan(n: int, seed: int) -> list[dict]:
    """The spec, versions and options of each report (no rendering)."""
    rng = random.Random(f"corpus:{seed}")
    versions = _balanced(rng, VERSION_SETS, n)
    rules = _balanced(rng, RULES, n)
    widths = _balanced(rng, WIDTHS, n)
    placements = _balanced(rng, PLACEMENTS, n)
    blanks = _balanced(rng, BLANKS, n)
    table_fonts = _balanced(rng, TABLE_FONTS, n)
    body_fonts = _balanced(rng, BODY_FONTS, n)
    numbering = _balanced(rng, NUMBERING_STYLES, n)
    out = []
    for i in range(n):
        name, vs = versions[i]
        vs = dict(vs)
        if name == "2019":
            year = rng.choice((2019, 2020))
        else:
            year = rng.randint(2021, 2024)
        agency = rng.choice(_PLACES) + rng.choice(_LEVELS) + rng.choice(_DEPTS)
        spec = TextReportSpec(agency=agency, year=year, published=f"{year + 1}年1月{rng.randint(10, 31)}日",
                              versions=vs, narrative=rng.choice(_NARRATIVES), problems=rng.choice(_PROBLEMS))
        split, repeat = placements[i]
        options = DocxOptions(seed=rng.randrange(1 << 30), rules=rules[i], widths=widths[i],
                              font_size=body_fonts[i], table_font_size=table_fonts[i],
                              split_tables=split, repeat_header=repeat, blank_share=blanks[i],
                              numbering=numbering[i]).resolved()
        out.append({"name": f"synth_{i:03d}", "version_set": name, "spec": spec, "options": options,
                    "values_seed": rng.randrange(1 << 30)})
    return out


def generate(out_dir: str | Path, n: int, seed: int, formats: Sequence[str] = ("docx", "pdf"),
             batch: int = 10) -> list[Path]:
    """Write n reports (DOCX and/or PDF, and always the truth JSON); return every path written."""
    formats = tuple(formats)
    unknown = set(formats) - {"docx", "pdf"}
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    items = []
    for index, item in enumerate(plan(n, seed)):
        spec, options = item["spec"], item["options"]
        tables = random_tables(random.Random(item["values_seed"]), spec.versions)
        printed = printed_tables(tables, options)
        docx = render_docx(tables, spec, options)
        meta = report_meta(spec, options, tables)
        meta["version_set"] = item["version_set"]
        meta["corpus"] = {"seed": seed, "n": n, "index": index}
        meta["blank_cells"] = sorted(f"{t}.{k}" for t, vals in printed.items() for k, v in vals.items()
                                     if v is None and tables[t][k] is not None)
        meta["files"] = {f: f"{item['name']}.{f}" for f in formats}
        items.append({"name": item["name"], "docx": docx, "truth": {
            "tables": printed, "table_templates": dict(spec.versions), "meta": meta,
            "options": options.to_dict()}})

    pdfs: list[bytes | None] = [None] * len(items)
    if "pdf" in formats:
        from nianbao.synth.pdf import docx_to_pdf_many, pdf_layout

        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            for k, pdf in enumerate(docx_to_pdf_many([it["docx"] for it in chunk])):
                pdfs[start + k] = pdf
        for it, pdf in zip(items, pdfs):
            it["truth"]["meta"]["pdf_layout"] = pdf_layout(pdf, it["truth"]["meta"]["headings"])

    written: list[Path] = []
    for it, pdf in zip(items, pdfs):
        if "docx" in formats:
            p = out / f"{it['name']}.docx"
            p.write_bytes(it["docx"])
            written.append(p)
        if pdf is not None:
            p = out / f"{it['name']}.pdf"
            p.write_bytes(pdf)
            written.append(p)
        p = out / f"{it['name']}.json"
        p.write_text(json.dumps(it["truth"], ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(p)
    return written


def options_matrix(truth_files: Sequence[Path]) -> list[dict]:
    """One row per report: the options that matter, and where table 三 landed in the PDF."""
    rows = []
    for p in truth_files:
        t = json.loads(Path(p).read_text(encoding="utf-8"))
        o, m = t["options"], t["meta"]
        apps = m.get("pdf_layout", {}).get("tables", {}).get("applications", {})
        rows.append({"name": Path(p).stem, "versions": m["version_set"], "rules": o["rules"],
                     "widths": o["widths"], "split": o["split_tables"], "repeat": o["repeat_header"],
                     "blank": o["blank_share"], "fonts": f"{o['font_size']:g}/{o['table_font_size']:g}",
                     "numbering": o["numbering"], "pages": m.get("pdf_layout", {}).get("pages"),
                     "t3_pages": apps.get("pages"), "t3_header_pages": apps.get("header_pages")})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nianbao.synth.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default="docx,pdf", help="comma-separated: docx,pdf")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    paths = generate(args.out_dir, args.n, args.seed, tuple(f for f in args.formats.split(",") if f))
    truth = [p for p in paths if p.suffix == ".json"]
    for row in options_matrix(truth):
        print("\t".join(f"{k}={v}" for k, v in row.items()))
    print(f"{len(truth)} reports, {len(paths)} files in {args.out_dir} ({time.monotonic() - t0:.1f} s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
