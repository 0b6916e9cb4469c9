"""DOCX -> a Document: paragraphs in body order with the tables between them, each table row
one Line of cells on the real grid.

The package is opened with ``zipfile`` and its parts parsed with lxml (no DTDs, no entity
expansion, no network, libxml2's depth and text-size limits on); python-docx is not
needed here.  Before anything is decompressed the central directory is checked: the
number of entries, the total unpacked size and the compression ratio (zip bombs).

Body order: ``w:body`` children are read in order; ``w:p`` gives a paragraph, ``w:tbl`` a
table, content controls (``w:sdt``) and ``w:customXml`` are read through.  In a
paragraph: ``w:t`` text, ``w:tab`` a TAB, ``w:br``/``w:cr`` a new line, inserted revisions
read and deleted ones dropped, hidden runs (``w:vanish``), field codes, drawings, text boxes,
footnote marks dropped.  Headers and footers (page numbers) are not part of the text.
A paragraph with TABs between its parts (a table aligned with tab stops) or with ``|``
between cells is a flattened table row: one Line whose cells have no path (flat text).

Numbering: a paragraph numbered by Word's list numbering (``w:numPr`` on the paragraph or
on its style, through ``w:basedOn``) gets its number rendered from ``numbering.xml``: level
counters per list (restarting deeper levels, ``w:startOverride``, ``w:lvlRestart``),
``w:lvlText`` such as ``%1、`` or ``（%1）`` or ``%1.%2``, ``w:isLgl``.  Number formats:
decimal, decimalZero, decimalFullWidth, decimalEnclosedCircle(Chinese) ①, decimalEnclosedParen
⑴, decimalEnclosedFullstop ⒈, chineseCounting, chineseCountingThousand, japaneseCounting,
taiwaneseCounting(Thousand) 一、十一, ideographDigital 一〇, chineseLegalSimplified 壹,
ideographTraditional 甲, ideographZodiac 子, lower/upperLetter, lower/upperRoman; bullets
render nothing; any other format falls back to decimal.

Tables: the grid is ``w:tblGrid`` widened to the widest row; ``w:gridBefore``/``w:gridAfter``
leave empty grid columns; ``w:gridSpan`` gives the text to one column and empty Tokens (with
the same element path) to the others (see ``nianbao.readers.html.place_text`` for which
one); ``w:vMerge`` continuation cells are empty Tokens with their own path; the legacy
``w:hMerge`` is read like ``w:gridSpan``.  A table holding another table, a one-column table,
or one with a cell of running text is page layout: its cells are read as paragraphs.
Paths look like ``body/tbl[2]/tr[5]/tc[3]`` (1-based among siblings of the same name).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile

from nianbao.errors import DocumentTooLarge, EmptyDocument, UnreadableDocument
from nianbao.model import Source
from nianbao.readers.document import Document
from nianbao.readers.html import (
    MAX_GRID_SLOTS,
    RowBuilder,
    _pipe_cells,
    join_pieces,
    place_text,
    squeeze,
)
from nianbao.settings import Settings
from nianbao.sniff import Sniffed

__all__ = ["read_docx", "read_docx_document", "check_zip", "MAX_UNPACKED_BYTES", "MAX_RATIO"]

# Zip bomb limits, checked on the central directory before anything is decompressed.
MAX_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # all entries together
MAX_PART_BYTES = 32 * 1024 * 1024  # one XML part that is read (a report's is 0.1-2 MB)
MAX_RATIO = 200  # unpacked / packed, for the package and for any entry above RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024
_LAYOUT_CELL_CHARS = 600

_W_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                 "http://purl.oclc.org/ooxml/wordprocessingml/main")
_REL_OFFICE_DOC = re.compile(r"/officeDocument$")
_REL_STYLES = re.compile(r"/styles$")
_REL_NUMBERING = re.compile(r"/numbering$")


# --- the package -----------------------------------------------------------------------------

def check_zip(zf: zipfile.ZipFile, packed_size: int) -> None:
    """Refuse zip bombs before decompressing: entry count, total unpacked size, ratio."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnreadableDocument(f"DOCX 中的文件过多（{len(infos)} 个），疑似恶意压缩包 (too many zip entries)")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise DocumentTooLarge(
            f"DOCX 解压后过大（{total / 1048576:.0f} MB，上限 {MAX_UNPACKED_BYTES / 1048576:.0f} MB），"
            "疑似压缩炸弹 (unpacked size over the limit: zip bomb?)")
    if total > RATIO_FLOOR and total > MAX_RATIO * max(packed_size, 1):
        raise DocumentTooLarge(
            f"DOCX 压缩比异常（{total / max(packed_size, 1):.0f} 倍），疑似压缩炸弹 (compression ratio too high)")
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise DocumentTooLarge(
                f"DOCX 中的 {i.filename} 压缩比异常（{i.file_size / max(i.compress_size, 1):.0f} 倍），"
                "疑似压缩炸弹 (compression ratio too high)")


def _read_part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise DocumentTooLarge(f"DOCX 中的 {name} 过大（{info.file_size / 1048576:.0f} MB）(part too large)")
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
    except RuntimeError as exc:  # an encrypted zip entry
        raise UnreadableDocument(f"DOCX 已加密，无法读取 (encrypted zip entry {name})") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise UnreadableDocument(f"DOCX 已损坏，无法解压 {name} (corrupt entry: {exc})") from exc
    if len(data) > MAX_PART_BYTES:
        raise DocumentTooLarge(f"DOCX 中的 {name} 过大 (part too large)")
    return data


def _xml(data: bytes, name: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(f"DOCX 中的 {name} 不是有效的 XML，无法读取 (invalid XML: {exc})"
                                 .replace("\n", " ")) from exc


def _rels(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    """(type, target part name) of the relationships of `part`."""
    folder, base = posixpath.split(part)
    data = _read_part(zf, posixpath.join(folder, "_rels", base + ".rels"))
    if data is None:
        return []
    try:
        root = _xml(data, base + ".rels")
    except UnreadableDocument:
        return []
    out = []
    for rel in root:
        if not isinstance(rel.tag, str) or not rel.tag.endswith("Relationship"):
            continue
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out.append((rel.get("Type") or "", name))
    return out


def _open(data: bytes) -> tuple[object, object | None, object | None]:
    """(document root, styles root, numbering root) of a DOCX package."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(f"DOCX 已损坏，无法打开 (corrupt zip container: {exc})") from exc
    with zf:
        check_zip(zf, len(data))
        main = next((t for typ, t in _rels(zf, "") if _REL_OFFICE_DOC.search(typ)), None)
        names = set(zf.namelist())
        if main not in names:
            main = "word/document.xml"
        doc_bytes = _read_part(zf, main)
        if doc_bytes is None:
            raise UnreadableDocument("DOCX 中缺少正文部分 word/document.xml，无法读取 (no main document part)")
        rels = _rels(zf, main)
        styles_name = next((t for typ, t in rels if _REL_STYLES.search(typ)), "word/styles.xml")
        numbering_name = next((t for typ, t in rels if _REL_NUMBERING.search(typ)), "word/numbering.xml")
        styles = _read_part(zf, styles_name)
        numbering = _read_part(zf, numbering_name)
    doc = _xml(doc_bytes, main)
    return (doc, _xml(styles, styles_name) if styles else None,
            _xml(numbering, numbering_name) if numbering else None)


# --- numbering ---------------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _cn_count(n: int, digits: str = _CN_DIGITS, units: tuple[str, ...] = ("", "十", "百", "千")) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 21 -> 二十一, 101 -> 一百零一 (up to 9999)."""
    if n <= 0:
        return digits[0] if n == 0 else str(n)
    if n >= 10000:
        return str(n)
    s = str(n)
    out = []
    zero = False
    for i, ch in enumerate(s):
        d = int(ch)
        unit = units[len(s) - 1 - i]
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(digits[d] + unit)
    text = "".join(out)
    if 10 <= n < 20 and digits is _CN_DIGITS:
        text = text[1:]  # 十一, not 一十一
    return text


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    vals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = []
    for v, sym in vals:
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    ch = chr(ord("a") + (n - 1) % 26)
    return ch * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One level's number in a w:numFmt."""
    if fmt in ("decimal", "ordinal", "cardinalText", "ordinalText", "decimalHalfWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord("０") + int(c)) for c in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _cn_count(n)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_CN_DIGITS[int(c)] for c in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _cn_count(n, _CN_LEGAL, ("", "拾", "佰", "仟"))
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n >= 1 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n >= 1 else str(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Level:
    __slots__ = ("start", "fmt", "text", "legal", "restart", "style")

    def __init__(self, start=1, fmt="decimal", text="%1.", legal=False, restart=None, style=None):
        self.start, self.fmt, self.text, self.legal = start, fmt, text, legal
        self.restart, self.style = restart, style


class Numbering:
    """Word list numbering: numId/ilvl of a paragraph -> the number text Word shows."""

    def __init__(self, numbering, styles, W: str):
        self.W = W
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNum with w:numStyleLink -> style id
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.styles: dict[str, tuple[str | None, tuple[str | None, int | None] | None]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self._resolved: dict[str, tuple[str, dict[int, _Level]] | None] = {}
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    def _val(self, el, name: str) -> str | None:
        child = el.find(f"{{{self.W}}}{name}")
        return None if child is None else child.get(f"{{{self.W}}}val")

    def _read_level(self, lvl, base: _Level | None = None) -> _Level:
        b = base or _Level()
        start = self._val(lvl, "start")
        fmt = self._val(lvl, "numFmt")
        text = self._val(lvl, "lvlText")
        restart = self._val(lvl, "lvlRestart")
        legal = lvl.find(f"{{{self.W}}}isLgl")
        return _Level(
            start=_int(start, b.start),
            fmt=fmt or b.fmt,
            text=text if text is not None else b.text,
            legal=(legal is not None and legal.get(f"{{{self.W}}}val") not in ("0", "false", "off")) or b.legal,
            restart=_int(restart, None) if restart is not None else b.restart,
            style=self._val(lvl, "pStyle") or b.style,
        )

    def _read_numbering(self, root) -> None:
        W = self.W
        for an in root.iter(f"{{{W}}}abstractNum"):
            aid = an.get(f"{{{W}}}abstractNumId")
            levels = {}
            for lvl in an.iter(f"{{{W}}}lvl"):
                levels[_int(lvl.get(f"{{{W}}}ilvl"), 0)] = self._read_level(lvl)
            self.abstract[aid] = levels
            link = self._val(an, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in root.iter(f"{{{W}}}num"):
            nid = num.get(f"{{{W}}}numId")
            aid = self._val(num, "abstractNumId")
            starts, levels = {}, {}
            for ov in num.iter(f"{{{W}}}lvlOverride"):
                ilvl = _int(ov.get(f"{{{W}}}ilvl"), 0)
                so = self._val(ov, "startOverride")
                if so is not None:
                    starts[ilvl] = _int(so, 1)
                lvl = ov.find(f"{{{W}}}lvl")
                if lvl is not None:
                    levels[ilvl] = lvl
            self.nums[nid] = (aid, starts, levels)

    def _read_styles(self, root) -> None:
        W = self.W
        for st in root.iter(f"{{{W}}}style"):
            sid = st.get(f"{{{W}}}styleId")
            based = self._val(st, "basedOn")
            numpr = st.find(f"{{{W}}}pPr/{{{W}}}numPr")
            num = None
            if numpr is not None:
                nid = self._val(numpr, "numId")
                ilvl = self._val(numpr, "ilvl")
                num = (nid, _int(ilvl, None) if ilvl is not None else None)
            self.styles[sid] = (based, num)

    def _style_num(self, style: str | None) -> tuple[str | None, int | None] | None:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            based, num = self.styles.get(style, (None, None))
            if num is not None:
                return num
            style = based
        return None

    def _levels(self, nid: str) -> tuple[str, dict[int, _Level]] | None:
        """The counter key and the levels of list instance `nid`."""
        if nid in self._resolved:
            return self._resolved[nid]
        entry = self.nums.get(nid)
        got = None
        if entry is not None:
            aid, starts, overrides = entry
            seen = set()
            while aid in self.style_link and aid not in seen:  # numStyleLink -> the style's list
                seen.add(aid)
                num = self._style_num(self.style_link[aid])
                if not num or num[0] not in self.nums:
                    break
                aid = self.nums[num[0]][0]
            if aid in self.abstract:
                levels = dict(self.abstract[aid])
                for ilvl, lvl in overrides.items():
                    levels[ilvl] = self._read_level(lvl, levels.get(ilvl))
                for ilvl, start in starts.items():
                    b = levels.get(ilvl) or _Level()
                    levels[ilvl] = _Level(start, b.fmt, b.text, b.legal, b.restart, b.style)
                # A list instance with its own start values counts on its own; the others
                # continue the list of their abstract numbering (as Word does).
                key = f"num:{nid}" if starts or overrides else f"abs:{aid}"
                got = (key, levels)
        self._resolved[nid] = got
        return got

    def label(self, ppr, style: str | None) -> str:
        """The number text of a paragraph (advancing the counters), or ''."""
        nid, ilvl = None, None
        numpr = ppr.find(f"{{{self.W}}}numPr") if ppr is not None else None
        if numpr is not None:
            nid = self._val(numpr, "numId")
            il = self._val(numpr, "ilvl")
            ilvl = _int(il, None) if il is not None else None
        if nid is None:
            snum = self._style_num(style)
            if snum is not None:
                nid = snum[0]
                if ilvl is None:
                    ilvl = snum[1]
        if not nid or nid == "0":
            return ""
        got = self._levels(nid)
        if got is None:
            return ""
        key, levels = got
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if style and lv.style == style), 0)
        ilvl = max(0, min(9, ilvl))
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(key, [None] * 10)
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1
        for d in range(ilvl + 1, 10):
            lv = levels.get(d)
            # w:lvlRestart: 0 never restarts; n restarts after level n-1 (0-based) or a higher one.
            if lv is not None and lv.restart is not None and (lv.restart == 0 or lv.restart - 1 < ilvl):
                continue
            counters[d] = None
        if level.fmt == "bullet":
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if not 0 <= k < 10:
                return ""
            lv = levels.get(k) or level
            n = counters[k] if counters[k] is not None else lv.start
            fmt = "decimal" if level.legal and lv.fmt != "none" else lv.fmt
            return format_number(n, fmt)

        return re.sub(r"%(\d)", sub, level.text or "")


def _int(s, default):
    if s is None:
        return default
    try:
        return int(str(s).strip())
    except ValueError:
        return default


# --- the body ------------------------------------------------------------------------------------

_LEAD_TAB = re.compile(r"^([（(]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．]?)\t+")
_TABS = re.compile(r"\t+")


class _Reader:
    def __init__(self, W: str, numbering: Numbering, out: RowBuilder):
        self.W = W
        self.q = {name: f"{{{W}}}{name}" for name in (
            "p", "tbl", "tr", "tc", "r", "t", "tab", "br", "cr", "sdt", "sdtContent", "customXml",
            "hyperlink", "smartTag", "ins", "moveTo", "fldSimple", "dir", "bdo", "pPr", "pStyle",
            "rPr", "vanish", "noBreakHyphen", "tcPr", "gridSpan", "vMerge", "hMerge", "trPr",
            "gridBefore", "gridAfter", "tblGrid", "gridCol", "val", "ptab", "sym", "body")}
        self.numbering = numbering
        self.out = out
        self.slots = MAX_GRID_SLOTS

    def _take(self, n: int) -> None:
        self.slots -= n
        if self.slots < 0:
            raise DocumentTooLarge("DOCX 中的表格过大，拒绝解析 (table grid too large)")

    # -- paragraphs ---------------------------------------------------------------------------

    def para_lines(self, p) -> list[str]:
        """The lines of one paragraph (split at breaks), its list number in front, raw."""
        q = self.q
        ppr = p.find(q["pPr"])
        style = None
        if ppr is not None:
            ps = ppr.find(q["pStyle"])
            style = ps.get(q["val"]) if ps is not None else None
        label = self.numbering.label(ppr, style)
        lines: list[list[str]] = [[label]] if label else [[]]
        containers = {q["hyperlink"], q["smartTag"], q["ins"], q["moveTo"], q["fldSimple"], q["dir"],
                      q["bdo"], q["customXml"], q["sdtContent"], q["sdt"]}
        stack = list(reversed(list(p)))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == q["r"]:
                rpr = el.find(q["rPr"])
                if rpr is not None:
                    v = rpr.find(q["vanish"])
                    if v is not None and v.get(q["val"]) not in ("0", "false", "off"):
                        continue
                for child in el:
                    ct = child.tag
                    if ct == q["t"]:
                        lines[-1].append(child.text or "")
                    elif ct in (q["tab"], q["ptab"]):
                        lines[-1].append("\t")
                    elif ct in (q["br"], q["cr"]):
                        lines.append([])
                    elif ct == q["noBreakHyphen"]:
                        lines[-1].append("-")
            elif tag in containers:
                stack.extend(reversed(list(el)))
        return ["".join(parts) for parts in lines]

    def paragraph(self, p) -> None:
        for raw in self.para_lines(p):
            pieces = [squeeze(part, keep_gaps=True) for part in raw.split("\t")]
            text = "\t".join(pieces)
            text = _TABS.sub("\t", text).strip("\t ")
            text = _LEAD_TAB.sub(r"\1", text)
            if not text:
                continue
            # A paragraph with TABs between its parts, or with '|' between cells, is a table
            # row flattened into text: its parts are cells (no element each, so no path).
            cells = text.split("\t") if "\t" in text else _pipe_cells(text)
            if cells is not None:
                if cells:
                    self.out.row([(c, None) for c in cells])
                continue
            self.out.line(text)

    def cell_text(self, tc) -> str:
        pieces = []
        for p in self._paragraphs_of(tc):
            for raw in self.para_lines(p):
                pieces.extend(raw.split("\t"))
        return join_pieces(pieces)

    def _paragraphs_of(self, container):
        q = self.q
        stack = list(reversed(list(container)))
        while stack:
            el = stack.pop()
            if el.tag == q["p"]:
                yield el
            elif el.tag in (q["sdt"], q["sdtContent"], q["customXml"], q["tbl"], q["tr"], q["tc"]):
                stack.extend(reversed(list(el)))

    # -- tables -------------------------------------------------------------------------------

    def _children(self, el, names: set[str]) -> list[tuple[object, str]]:
        """Children of `el` named in `names`, looking through sdt/customXml, with their path step."""
        q = self.q
        out, counts = [], {}
        stack = [(child, "") for child in reversed(list(el))]
        while stack:
            child, prefix = stack.pop()
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = tag.rsplit("}", 1)[-1]
            if tag in names:
                key = prefix + local
                counts[key] = counts.get(key, 0) + 1
                out.append((child, f"{prefix}{local}[{counts[key]}]"))
            elif tag in (q["sdt"], q["customXml"], q["sdtContent"]):
                key = prefix + local
                counts[key] = counts.get(key, 0) + 1
                step = f"{prefix}{local}[{counts[key]}]/"
                stack.extend((c, step) for c in reversed(list(child)))
        return out

    def _int_val(self, parent, name: str, default: int) -> int:
        if parent is None:
            return default
        el = parent.find(self.q[name])
        if el is None:
            return default
        return _int(el.get(self.q["val"]), default)

    def table(self, tbl, path: str) -> None:
        q = self.q
        grid_el = tbl.find(q["tblGrid"])
        grid_cols = len(grid_el.findall(q["gridCol"])) if grid_el is not None else 0
        rows = self._children(tbl, {q["tr"]})
        nested = tbl.find(f".//{q['tbl']}") is not None
        parsed = None if nested else self._grid(rows, path, grid_cols)
        if parsed is None:
            # Page layout: the cells are read as paragraphs, in order.
            for tr, rstep in rows:
                for tc, cstep in self._children(tr, {q["tc"]}):
                    self.block_children(tc, f"{path}/{rstep}/{cstep}")
            return
        for row in parsed:
            self.out.row(row)

    def _grid(self, rows, path: str, grid_cols: int) -> list[list[tuple[str, str | None]]] | None:
        q = self.q
        grid: list[dict[int, tuple[str, str | None]]] = []
        width = grid_cols
        for tr, rstep in rows:
            rpath = f"{path}/{rstep}"
            trpr = tr.find(q["trPr"])
            c = self._int_val(trpr, "gridBefore", 0)
            slots: dict[int, tuple[str, str | None]] = {}
            cells = []
            for tc, cstep in self._children(tr, {q["tc"]}):
                tcpr = tc.find(q["tcPr"])
                span = max(1, min(self._int_val(tcpr, "gridSpan", 1), 100))
                vm = tcpr.find(q["vMerge"]) if tcpr is not None else None
                hm = tcpr.find(q["hMerge"]) if tcpr is not None else None
                cont = vm is not None and (vm.get(q["val"]) or "continue") == "continue"
                hcont = hm is not None and (hm.get(q["val"]) or "continue") == "continue"
                text = "" if cont or hcont else self.cell_text(tc)
                if len(text) > _LAYOUT_CELL_CHARS:
                    return None
                cells.append((tc, f"{rpath}/{cstep}", span, text, hcont))
            self._take(sum(s for _, _, s, _, _ in cells) + c)
            for i, (tc, cpath, span, text, hcont) in enumerate(cells):
                if hcont and c > 0 and c - 1 in slots:
                    cpath = slots[c - 1][1]  # a legacy horizontal merge: cover of the cell before
                at = place_text(text, span, [t for _, _, _, t, _ in cells[i + 1:]])
                for k in range(span):
                    slots[c + k] = (text if k == at else "", cpath)
                c += span
            if slots:
                width = max(width, max(slots) + 1)
            grid.append(slots)
        if width <= 1 or not grid:
            return None
        self._take(width * len(grid))
        return [[row.get(c, ("", f"{path}/{rows[r][1]}")) for c in range(width)] for r, row in enumerate(grid)]

    # -- the body ------------------------------------------------------------------------------

    def block_children(self, container, path: str) -> None:
        q = self.q
        for el, step in self._children(container, {q["p"], q["tbl"]}):
            if el.tag == q["p"]:
                self.paragraph(el)
            else:
                self.table(el, f"{path}/{step}")


def read_docx(data: bytes, filename: str, fmt: str = "docx", settings: Settings | None = None) -> Document:
    """Read DOCX bytes; `fmt` is the format recorded in the source ("doc" after conversion)."""
    if settings is not None and len(data) > settings.max_upload_bytes:
        raise DocumentTooLarge("文件过大 (file larger than the size limit)")
    doc, styles, numbering = _open(data)
    W = doc.tag.split("}", 1)[0].lstrip("{") if isinstance(doc.tag, str) and doc.tag.startswith("{") else ""
    if W not in _W_NAMESPACES:
        raise UnreadableDocument("DOCX 正文不是 WordprocessingML 文档，无法读取 (not a WordprocessingML document)")
    body = doc.find(f"{{{W}}}body")
    if body is None:
        raise EmptyDocument("DOCX 中没有正文 (the document has no body)")
    out = RowBuilder()
    _Reader(W, Numbering(numbering, styles, W), out).block_children(body, "body")
    if not out.lines:
        raise EmptyDocument("文档中没有文字：没有可解析的内容 (the document has no text)")
    source = Source(filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                    pages=None, bytes=len(data))
    return out.document(source)


def read_docx_document(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    return read_docx(data, filename, "docx", settings)
