"""Claim annotations: draft from the extractor, list for review, apply the reviewer's corrections.

    python -m corpus.claims_annotations draft      # writes corpus/annotations/claims/draft/<id>.jsonl
    python -m corpus.claims_annotations review ID  # the draft with context, and uncovered numbers
    python -m corpus.claims_annotations apply      # draft + corrections.json -> <id>.jsonl
    python -m corpus.claims_annotations amend      # corrections.json "amendments" -> the frozen <id>.jsonl

The drafts are never the truth: `apply` writes an annotation file only for the reports whose
entry in corrections.json says `"reviewed": true`, after the reviewer's deletions, changes and
additions (see GUIDELINE.md).  Once written, the files are frozen; a gold line later found wrong
by the guideline is corrected by an entry of corrections.json's "amendments" (report id, start
offset, the quantity's text, the old and new fields, the reason), which `amend` applies.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
OUT = REPO / "corpus" / "annotations" / "claims"
CORRECTIONS = OUT / "corrections.json"
FIELDS = ("metric", "value", "unit", "scope", "bound")


def sources() -> dict[str, tuple[Path, str]]:
    """id -> (path, path relative to ../shared or to tests/fixtures)."""
    out = {}
    for p in sorted((REPO / "tests" / "fixtures" / "seeds").glob("*.txt")):
        out["seed-" + p.stem[:3]] = (p, f"seeds/{p.name}")
    dev = SHARED / "corpus" / "dev"
    for p in sorted(dev.glob("*")):
        if p.suffix not in (".txt", ".html", ".pdf") or p.name == "MANIFEST.tsv":
            continue
        if p.suffix == ".html" and (dev / (p.stem + ".txt")).exists():
            continue  # twin pair: the .txt is annotated
        out[p.stem] = (p, f"corpus/dev/{p.name}")
    for p in sorted((SHARED / "corpus" / "narratives").glob("*.txt")):
        out[p.stem] = (p, f"corpus/narratives/{p.name}")
    return out


def split_of(rid: str) -> str:
    if rid.startswith("seed-") or not (SHARED / "corpus" / "narratives" / f"{rid}.txt").exists():
        return "dev"
    return "test" if int(hashlib.sha256(rid.encode()).hexdigest(), 16) % 2 == 0 else "dev"


def load_report(path: Path):
    import nianbao

    return nianbao.parse_file(path)


def draft(ids=None) -> None:
    from nlp.claims import claim_details
    from nianbao.checks.claims import classify, table_key
    from nianbao.model import Claim

    (OUT / "draft").mkdir(parents=True, exist_ok=True)
    for rid, (path, rel) in sources().items():
        if ids and rid not in ids:
            continue
        r = load_report(path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        lines = []
        for d in claim_details(r):
            s, e = d["q_start"], d["q_end"]
            row = {"file": rel, "sha256": sha, "start": s, "end": e, "text": r.text[s:e],
                   **{k: d[k] for k in FIELDS}}
            c = Claim(d["metric"], d["value"], d["unit"], r.text[d["start"]:d["end"]], d["start"], d["end"],
                      d["scope"], d["bound"])
            if table_key(c) and r.tables:
                row["check"] = classify(r, c)[0]
            lines.append(row)
        (OUT / "draft" / f"{rid}.jsonl").write_text(
            "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")


def review(rid: str) -> None:
    from nlp.claims import narrative_regions

    path, _ = sources()[rid]
    r = load_report(path)
    t = r.text
    rows = [json.loads(x) for x in (OUT / "draft" / f"{rid}.jsonl").read_text(encoding="utf-8").splitlines()]
    print(f"## {rid} ({len(rows)})")
    for i, x in enumerate(rows):
        ctx = t[max(0, x["start"] - 18):x["start"]].replace("\n", "⏎")
        print(f"{x['start']:>5} …{ctx}[{x['text']}]  {x['metric']} {x['value']} {x['unit'] or '-'} "
              f"{x['scope'] or '-'} {x['bound'] or '-'} {x.get('check', '')}")
    covered = [(x["start"], x["end"]) for x in rows]
    print("  -- numbers not drafted:")
    for a, b in narrative_regions(r):
        for m in re.finditer(r"[\d０-９]+(?:[.,][\d]+)*|[零一二两三四五六七八九十百千万]+", t[a:b]):
            s, e = a + m.start(), a + m.end()
            if any(cs <= s < ce for cs, ce in covered):
                continue
            after = t[e:e + 3]
            if re.match(r"\s*(年|月|日|号|是|、|）|\)|\.|部分|时)", after) or "第" in t[s - 1:s]:
                continue
            if m.group() in ("一",) and not re.match(r"[件名人场期篇封起次条]", after):
                continue
            print(f"     @{s} …{t[max(0, s - 15):s]}[{m.group()}]{t[e:e + 8]}".replace("\n", "⏎"))


def apply(force: bool = False) -> dict[str, int]:
    """Write <id>.jsonl from the drafts and the corrections.  The annotations are frozen once
    written: a later extractor change must not move the truth, so existing files are kept
    unless `force` (and then every report must be reviewed again)."""
    corr = json.loads(CORRECTIONS.read_text(encoding="utf-8"))
    counts = {}
    for rid, c in corr["reports"].items():
        if not c.get("reviewed") or ((OUT / f"{rid}.jsonl").exists() and not force):
            continue
        path, rel = sources()[rid]
        rows = [json.loads(x) for x in (OUT / "draft" / f"{rid}.jsonl").read_text(encoding="utf-8").splitlines()]
        by_start = {x["start"]: x for x in rows}
        for s, ch in c.get("change", {}).items():
            by_start[int(s)].update(ch)  # KeyError: the draft moved, review again
        drop = {int(s) for s in c.get("drop", [])}
        missing = drop - set(by_start)
        assert not missing, (rid, missing)
        rows = [x for x in rows if x["start"] not in drop]
        if c.get("add"):
            r = load_report(path)
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            for a in c["add"]:
                s = _find(r.text, a["text"], a.get("after"))
                rows.append({"file": rel, "sha256": sha, "start": s, "end": s + len(a["text"]), "text": a["text"],
                             **{k: a.get(k) for k in FIELDS}, **({"check": a["check"]} if "check" in a else {})})
        rows.sort(key=lambda x: x["start"])
        for x in rows:
            x["split"] = split_of(rid)
        (OUT / f"{rid}.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows),
                                          encoding="utf-8")
        counts[rid] = len(rows)
    return counts


def amend() -> dict[str, int]:
    """Apply corrections.json's "amendments" to the frozen annotation files: each names a line by
    report id, start offset and text, and gives the fields it had (`old`) and must have (`new`).
    Idempotent: a line that already has the new fields is left as it is."""
    corr = json.loads(CORRECTIONS.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for a in corr.get("amendments", []):
        path = OUT / f"{a['id']}.jsonl"
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        hits = [x for x in rows if x["start"] == a["start"] and x["text"] == a["text"]]
        assert len(hits) == 1, (a["id"], a["start"], a["text"])
        row = hits[0]
        if all(row.get(k) == v for k, v in a["new"].items()):
            continue
        assert all(row.get(k) == v for k, v in a["old"].items()), (a["id"], a["start"], a["old"])
        row.update(a["new"])
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")
        counts[a["id"]] = counts.get(a["id"], 0) + 1
    return counts


def _find(text: str, needle: str, after: str | None) -> int:
    if after:
        i = text.index(after)
        return text.index(needle, i + len(after) - len(needle) if needle in after else i)
    return text.index(needle)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "draft":
        draft(sys.argv[2:] or None)
    elif cmd == "review":
        for rid in sys.argv[2:]:
            review(rid)
    elif cmd == "apply":
        print(json.dumps(apply("--force" in sys.argv), indent=1))
    elif cmd == "amend":
        print(json.dumps(amend(), indent=1))
