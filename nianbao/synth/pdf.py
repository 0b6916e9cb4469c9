"""DOCX -> PDF with LibreOffice headless, and where the tables of a rendered report landed.

LibreOffice and a CJK font come from Debian (what CI installs):

    apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk

``docx_to_pdf_many`` converts several files in one ``soffice`` start (the start is most of the
cost).  Each call uses its own throw-away LibreOffice profile
(``-env:UserInstallation=file:///tmp/...``), so parallel calls do not collide.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Sequence

from nianbao.readers import office

INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk"


class ConversionError(RuntimeError):
    """LibreOffice could not turn a DOCX into a PDF."""


class SofficeNotFoundError(ConversionError):
    """No LibreOffice on this machine."""


def find_soffice() -> str:
    """The soffice executable (nianbao.readers.office.find_soffice), or SofficeNotFoundError."""
    found = office.find_soffice()
    if found:
        return found
    raise SofficeNotFoundError(
        "LibreOffice is not installed (no soffice or libreoffice on PATH, NIANBAO_SOFFICE unset); "
        f"install it with: {INSTALL_HINT}")


def docx_to_pdf(docx_bytes: bytes, timeout: float = 120.0) -> bytes:
    return docx_to_pdf_many([docx_bytes], timeout=timeout)[0]


def docx_to_pdf_many(docs: Sequence[bytes], timeout: float | None = None) -> list[bytes]:
    """Convert DOCX files (as bytes) to PDFs in one LibreOffice run, in order."""
    if not docs:
        return []
    soffice = find_soffice()
    timeout = timeout if timeout is not None else 60.0 + 15.0 * len(docs)
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        tmp_path = Path(tmp)
        profile, src, out = tmp_path / "profile", tmp_path / "in", tmp_path / "out"
        src.mkdir()
        out.mkdir()
        names = []
        for i, data in enumerate(docs):
            name = f"doc{i:04d}"
            (src / f"{name}.docx").write_bytes(data)
            names.append(name)
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out)]
        cmd += [str(src / f"{n}.docx") for n in names]
        env = dict(os.environ, HOME=str(tmp_path))
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            raise ConversionError(f"soffice did not finish converting {len(docs)} file(s) in {timeout:.0f} s")
        results = []
        for n in names:
            pdf = out / f"{n}.pdf"
            if not pdf.exists() or pdf.stat().st_size == 0:
                raise ConversionError(
                    f"soffice made no PDF for {n}.docx (exit {proc.returncode}): "
                    f"{(stderr or stdout).decode('utf-8', 'replace').strip()[-500:]}")
            results.append(pdf.read_bytes())
        return results


# --- where things landed ---------------------------------------------------------------------

# The first printed line of each table, and the heading whose part holds it.
TABLE_MARKERS = {"active": (1, "第二十条第（一）项"), "applications": (2, "申请人情况"),
                 "review_litigation": (3, "行政复议")}


def text_lines(pdf_bytes: bytes, footer_cm: float = 3.0) -> list[dict]:
    """Every text line of the body area: {"page" (1-based), "top", "bottom", "text" (no spaces)}."""
    import pdfplumber

    lines = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            limit = page.height - footer_cm / 2.54 * 72
            for line in page.extract_text_lines(strip=True):
                if line["top"] > limit:
                    continue
                lines.append({"page": number, "top": round(line["top"], 1),
                              "bottom": round(line["bottom"], 1),
                              "text": "".join(line["text"].split())})
    return lines


def pdf_layout(pdf_bytes: bytes, headings: Sequence[str]) -> dict:
    """Page count, the position of each part heading and the pages each table covers.

    A table covers the pages from its first printed line (``TABLE_MARKERS``) to the last line
    before the next part heading; ``header_pages`` lists the pages on which its header
    line (申请人情况 for table 三) is printed, so a repeated header shows as two pages.
    """
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        n_pages = len(pdf.pages)
        page_height = float(pdf.pages[0].height) if n_pages else 0.0
    lines = text_lines(pdf_bytes)
    wanted = ["".join(h.split()) for h in headings]
    found: list[int | None] = []
    start = 0
    for h in wanted:
        idx = next((i for i in range(start, len(lines)) if lines[i]["text"] == h), None)
        found.append(idx)
        if idx is not None:
            start = idx + 1
    out = {
        "pages": n_pages,
        "page_height": page_height,
        "headings": [
            {"text": h, "page": lines[i]["page"], "top": lines[i]["top"]} if i is not None else
            {"text": h, "page": None, "top": None}
            for h, i in zip(headings, found)
        ],
        "tables": {},
    }
    for table, (part, marker) in TABLE_MARKERS.items():
        begin, end = found[part], found[part + 1] if part + 1 < len(found) else None
        if begin is None or end is None:
            continue
        body = lines[begin + 1:end]
        first = next((i for i, ln in enumerate(body) if marker in ln["text"]), None)
        if first is None:
            continue
        rows = body[first:]
        out["tables"][table] = {
            "start": {"page": rows[0]["page"], "top": rows[0]["top"]},
            "end": {"page": rows[-1]["page"], "bottom": rows[-1]["bottom"]},
            "pages": list(range(rows[0]["page"], rows[-1]["page"] + 1)),
            "header_pages": sorted({ln["page"] for ln in rows if marker in ln["text"]}),
        }
    return out


__all__ = ["ConversionError", "SofficeNotFoundError", "docx_to_pdf", "docx_to_pdf_many", "find_soffice",
           "pdf_layout", "text_lines", "INSTALL_HINT"]
