"""HTML report pages -> a Document: the article body as lines, every table row as one line of cells.

Government sites wrap the report in navigation, breadcrumbs, share buttons and footers.
The body is found by the report itself: the page is rendered once (link text left out, so
that menus and "related reports" lists do not count), the section finder looks for the six
part headings, and the body is the smallest element that holds all of them (the lowest
common ancestor of the heading elements).  A page where fewer than two headings are found
falls back to the usual article containers (TRS_Editor, article, content, zoom, detail, ...)
with the most non-link text, else the whole <body>.  The report title, when it sits outside
the body (an ``<h1>``/``.title`` above it, ``<meta name="ArticleTitle">``, ``<title>``), is
put back as the first line so that agency and year can be read from it; a signature block
(agency, date) printed just below the body is appended.

Rendering follows the browser: block elements and ``<br>`` end a line (``<pre>`` keeps its
newlines), inline elements (``<span>``, ``<font>``, ``<strong>``, Word's ``<o:p>``, ...) join;
``&nbsp;`` and other spaces collapse, and a space survives only between two ASCII
characters (``Windows 10``), never next to a CJK character.  Scripts, styles, forms' controls,
``<nav>``, ``<aside>``, site ``<footer>``s, comments and hidden elements are dropped.

Tables: every ``<table>`` that holds no other table is a data table; its rows and cells
(``rowspan``, ``colspan``, clamped to the table and to ``MAX_GRID_SLOTS`` in all) are laid out
on the grid, and each grid row becomes one Line whose cells are Tokens, one per grid column
(see ``RowBuilder`` and ``place_text``); a slot covered by a merged cell is an empty Token with
that cell's path.  Tables holding tables, one-column tables and tables with a cell of running
text are page layout and are rendered as paragraphs.  Tables flattened into text with ``|``
between cells (``| 规章 | 0 | 0 | 0 |``) become rows of cells too, without paths (flat text).

Bad input: pages above ``Settings.max_html_bytes`` are refused before parsing; markup nested
deeper than libxml2's limit (256) is refused rather than silently cut; span bombs hit the
grid budget.  Encoding: see ``decode_html``.

This module also holds the pieces the DOCX reader shares: ``squeeze`` and ``join_pieces``
(the whitespace rules), ``place_text`` and ``RowBuilder`` (lines and cells -> Document).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable

from nianbao.errors import DocumentTooLarge, EmptyDocument, UnreadableDocument
from nianbao.model import Source
from nianbao.readers.document import Document
from nianbao.readers.text import Line
from nianbao.settings import Settings
from nianbao.sniff import Sniffed
from nianbao.structure import find_sections
from nianbao.tables.text_rows import Token
from nianbao.tables.values import is_number

__all__ = ["read_html", "squeeze", "join_pieces", "RowBuilder", "decode_html", "MAX_GRID_SLOTS"]

# Upper bound on the grid slots of all tables of one document (rowspan/colspan bombs).
MAX_GRID_SLOTS = 100_000
MAX_COLSPAN = 100
# A data table has no cell with more running text than this (else it is page layout).
_LAYOUT_CELL_CHARS = 600

# --- whitespace ------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_WIDE_SPACE = re.compile(r"[\u00a0\u3000]")


def _punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def _ascii(ch: str) -> bool:
    return "!" <= ch <= "~"


def squeeze(s: str, keep_gaps: bool = False) -> str:
    """Collapse whitespace the way the report reads.

    Leading and trailing whitespace goes; a run between two ASCII characters becomes one
    space; a run next to a CJK character disappears (``商业 企业`` -> ``商业企业``), except
    that with ``keep_gaps`` a run of two or more padding spaces (``&nbsp;``, U+3000) stays
    as one space.
    """
    if not s:
        return ""
    s = _ZERO_WIDTH.sub("", s)

    def rep(m: re.Match) -> str:
        a = s[m.start() - 1] if m.start() > 0 else ""
        b = s[m.end()] if m.end() < len(s) else ""
        if not a or not b:
            return ""
        if _ascii(a) and _ascii(b):
            return " "
        if (keep_gaps and len(m.group()) >= 2 and _WIDE_SPACE.search(m.group())
                and not _punct(a) and not _punct(b)):
            return " "
        return ""

    return _WS.sub(rep, s)


def join_pieces(pieces: Iterable[str]) -> str:
    """Join the paragraphs of one cell: no space between CJK text (商业 / 企业 -> 商业企业),
    one space between two ASCII words."""
    out = ""
    for p in pieces:
        p = squeeze(p)
        if not p:
            continue
        if out and _ascii(out[-1]) and _ascii(p[0]):
            out += " "
        out += p
    return out


# --- lines and rows -> Document --------------------------------------------------------

Cell = tuple[str, str | None]  # (text, element path)


class RowBuilder:
    """Collects the report as lines (paragraphs) and rows (table rows) and builds the Document.

    A row is one Line: its cell texts joined by TAB; its ``cells`` one Token per grid
    column, in column order, each with the offset of its text in the report text (an empty
    cell points at the place between its TABs).
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.lines: list[Line] = []
        self._pos = 0

    def _add(self, text: str, cells: tuple = ()) -> None:
        if self.lines:
            self._parts.append("\n")
            self._pos += 1
        number = len(self.lines) + 1
        if cells:
            cells = tuple(Token(text=t.text, start=t.start + self._pos, line=number, path=t.path) for t in cells)
        self.lines.append(Line(number, self._pos, text, None, (), cells))
        self._parts.append(text)
        self._pos += len(text)

    def line(self, text: str) -> None:
        """A paragraph (already squeezed); empty ones are dropped."""
        text = text.strip()
        if text:
            self._add(text)

    def row(self, cells: list[Cell]) -> None:
        """A table row; a row whose cells are all empty is dropped."""
        if not any(text for text, _ in cells):
            return
        tokens, pos = [], 0
        for text, path in cells:
            tokens.append(Token(text=text, start=pos, line=0, path=path))
            pos += len(text) + 1
        self._add("\t".join(text for text, _ in cells), tuple(tokens))

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def document(self, source: Source) -> Document:
        return Document(source, self.text, self.lines)


def place_text(text: str, span: int, after: list[str]) -> int:
    """Which of the `span` grid columns a merged cell's text goes to; `after` are the texts
    of the cells that follow it in its row.

    A cell gives its text to the first column it covers, except a label followed only by
    value cells (numbers or blanks): its text goes to the LAST column it covers, so that
    the values follow the label directly.  The mapping reads a row's values as the cells
    after its last label ([labels..., 7 values]); an empty cover between a label and its
    values would shift them by one.
    """
    if span <= 1 or not text or is_number(text) or not after:
        return 0
    if all(not t or is_number(t) for t in after):
        return span - 1
    return 0


# --- decoding ----------------------------------------------------------------------------

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off at the very end is no reason to refuse the encoding.
        if exc.start >= len(data) - 3:
            return data.decode(enc, errors="replace")
        return None
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None) -> str:
    """The page as text.  A BOM wins; then UTF-8 if the bytes are valid UTF-8 (pages often
    declare gb2312 and are UTF-8, never the other way round by accident); then the declared
    charset; then GB18030 (covers GBK and GB2312) and Big5; else the declared or UTF-8
    charset with replacement characters."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    tried = []
    for enc in ("utf-8", declared, "gb18030", "big5"):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        text = _strict(data, enc)
        if text is not None:
            return text
    try:
        return data.decode(declared or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


# --- the tree ------------------------------------------------------------------------------

_BLOCK = frozenset("""
address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main
menu nav noframes ol p pre section summary table tbody td tfoot th thead tr ul option
""".split())
_SKIP = frozenset("""
script style noscript template head title meta link base iframe frame object embed applet svg
math canvas audio video map select button input textarea nav aside footer
""".split())
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CONTENT_HINT = re.compile(
    r"trs_editor|article|content|zoom|detail|main|maintext|text|con_?txt|neirong|zw|bd", re.I)
_TITLE_HINT = re.compile(r"title|tit|bt|headline", re.I)
_REPORT_TITLE = re.compile(r"(报告|年报)\s*[)）】\]]?$")


def _looks_like_title(text: str) -> bool:
    return len(text) <= 80 and "。" not in text and bool(_REPORT_TITLE.search(text))


def _tag(el) -> str | None:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else None


def _hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


# Inside the report body a <footer> may hold the signature and date; elsewhere it is chrome.
_SKIP_IN_BODY = _SKIP - {"footer"}


def _skipped(el, tag: str | None, skip: frozenset = _SKIP) -> bool:
    return tag is None or tag in skip or _hidden(el)


def _child_rows(table) -> list:
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if _tag(c) == "tr")
    return rows


def _push_children(stack: list, el) -> None:
    """Push an element's text, children and their tails so that they pop in document order."""
    for child in reversed(el):
        if child.tail:
            stack.append(child.tail)
        stack.append(child)
    if el.text:
        stack.append(el.text)


def _span(el, name: str, default: int = 1) -> int:
    raw = el.get(name)
    if raw is None:
        return default
    m = re.match(r"\s*(\d+)", raw)
    if not m:
        return default
    return int(m.group(1))


class _Budget:
    def __init__(self, slots: int) -> None:
        self.left = slots

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise DocumentTooLarge(
                f"网页中的表格过大（合并单元格展开后超过 {MAX_GRID_SLOTS} 格），拒绝解析 "
                "(table grid too large after expanding rowspan/colspan)")


class _Renderer:
    """One pass over a subtree: paragraphs to `on_line(text, owner)`, tables to `on_row(cells, owner)`."""

    def __init__(self, tree, budget: _Budget,
                 on_line: Callable[[str, object], None],
                 on_row: Callable[[list[Cell], object], None], with_paths: bool = True,
                 skip_links: bool = False, skip: frozenset = _SKIP) -> None:
        self.with_paths = with_paths
        self.skip_links = skip_links
        self.skip = skip
        self.tree = tree
        self.budget = budget
        self.on_line = on_line
        self.on_row = on_row
        self._paths: dict[object, str] = {}  # keyed by element: keeps the proxy alive

    def path(self, el) -> str | None:
        if not self.with_paths:
            return None
        got = self._paths.get(el)
        if got is None:
            got = self._paths[el] = self.tree.getpath(el)
        return got

    # -- cells --------------------------------------------------------------------------

    def cell_text(self, cell) -> str:
        pieces: list[str] = []
        cur: list[str] = []
        stack: list = [cell]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                cur.append(item)
                continue
            if isinstance(item, tuple):  # end of a block
                pieces.append("".join(cur))
                cur = []
                continue
            tag = _tag(item)
            if _skipped(item, tag):
                continue
            if tag == "br":
                pieces.append("".join(cur))
                cur = []
                continue
            block = tag in _BLOCK and item is not cell
            if block:
                pieces.append("".join(cur))
                cur = []
                stack.append(("end",))
            _push_children(stack, item)
        pieces.append("".join(cur))
        return join_pieces(pieces)

    def table_grid(self, table) -> list[list[tuple[str, object]]] | None:
        """The grid of a data table: per row, one (text, element) per column; None for layout tables."""
        trs = _child_rows(table)
        if not trs:
            return None
        n = len(trs)
        covered: dict[int, dict[int, object]] = {}  # row -> column -> the cell spanning down into it
        grid: list[dict[int, tuple[str, object]]] = []
        width = 0
        for r, tr in enumerate(trs):
            slots: dict[int, tuple[str, object]] = {}
            below = covered.pop(r, {})
            c = 0
            cells = [cell for cell in tr if _tag(cell) in ("td", "th") and not _hidden(cell)]
            texts = [self.cell_text(cell) for cell in cells]
            if any(len(t) > _LAYOUT_CELL_CHARS for t in texts):
                return None
            for i, (cell, text) in enumerate(zip(cells, texts)):
                while c in below:
                    slots[c] = ("", below.pop(c))
                    c += 1
                cs = min(max(_span(cell, "colspan"), 1), MAX_COLSPAN)
                rs = _span(cell, "rowspan")
                rs = n - r if rs == 0 else min(max(rs, 1), n - r)
                self.budget.take(cs * rs)
                at = place_text(text, cs, texts[i + 1:])
                for k in range(cs):
                    slots[c + k] = (text if k == at else "", cell)
                for rr in range(r + 1, r + rs):
                    row_cover = covered.setdefault(rr, {})
                    for k in range(cs):
                        row_cover[c + k] = cell
                c += cs
            for cc, cell in below.items():
                slots[cc] = ("", cell)
            if slots:
                width = max(width, max(slots) + 1)
            grid.append(slots)
        if width <= 1:
            return None
        self.budget.take(width * len(grid))
        return [[row.get(c, ("", trs[r])) for c in range(width)] for r, row in enumerate(grid)]

    # -- the walk ---------------------------------------------------------------------------

    def render(self, root) -> None:
        buf: list[str] = []
        owner: list[object] = [None]
        blocks: list[object] = [root]

        def flush() -> None:
            if buf:
                raw = "".join(buf)
                buf.clear()
                self._line(raw, owner[0])
            owner[0] = None

        pre = [0]  # depth of <pre> elements: their newlines end lines

        def text(s: str) -> None:
            if not buf:
                owner[0] = blocks[-1]
            buf.append(s)

        stack: list = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if pre[0] and "\n" in item:
                    first, *rest = item.split("\n")
                    text(first)
                    for piece in rest:
                        flush()
                        text(piece)
                else:
                    text(item)
                continue
            if isinstance(item, tuple):  # end of a block element
                flush()
                if blocks.pop() is not None and item[1] == "pre":
                    pre[0] -= 1
                continue
            el = item
            tag = _tag(el)
            if _skipped(el, tag, self.skip) or (self.skip_links and tag == "a" and el.get("href")):
                continue
            if tag == "br":
                flush()
                continue
            if tag == "table" and el.find(".//table") is None:
                grid = self.table_grid(el)
                if grid is not None:
                    flush()
                    for row in grid:
                        self.on_row([(text, self.path(cell)) for text, cell in row], row[0][1])
                    continue
            if tag in _BLOCK:
                flush()
                blocks.append(el)
                stack.append(("end", tag))
                if tag == "pre":
                    pre[0] += 1
            _push_children(stack, el)
        flush()

    def _line(self, raw: str, owner) -> None:
        text = squeeze(raw, keep_gaps=True)
        if not text:
            return
        cells = _pipe_cells(text)
        if cells is not None:
            if cells:
                # Flat text, not a grid: no element per cell, so no path (the cells count as
                # read from text, with their offsets).
                self.on_row([(c, None) for c in cells], owner)
            return
        self.on_line(text, owner)


_PIPES = "|｜"
_PIPE_SPLIT = re.compile(r"[|｜]")
_RULE_CELL = re.compile(r"^:?-{2,}:?$|^[-—=+:]+$")


def _pipe_cells(text: str) -> list[str] | None:
    """The cells of a table row flattened into text with '|' between cells, else None.

    Returns [] for a rule line (``|---|---|``), which is dropped."""
    n = sum(text.count(p) for p in _PIPES)
    if n < 2:
        return None
    edged = text[0] in _PIPES or text[-1] in _PIPES
    if not edged and n < 3:
        return None
    parts = [p.strip() for p in _PIPE_SPLIT.split(text)]
    if text[0] in _PIPES:
        parts = parts[1:]
    if text[-1] in _PIPES:
        parts = parts[:-1]
    filled = [p for p in parts if p]
    if not filled or (not edged and len(filled) < 2):
        return None
    if all(_RULE_CELL.match(p) for p in filled):
        return []
    return [squeeze(p) for p in parts]


# --- finding the body ----------------------------------------------------------------------

class _Collected:
    def __init__(self) -> None:
        self.builder = RowBuilder()
        self.owners: list[object] = []

    def on_line(self, text: str, owner) -> None:
        n = len(self.builder.lines)
        self.builder.line(text)
        if len(self.builder.lines) > n:
            self.owners.append(owner)

    def on_row(self, cells: list[Cell], owner) -> None:
        n = len(self.builder.lines)
        self.builder.row(cells)
        if len(self.builder.lines) > n:
            self.owners.append(owner)


def _lowest_common_ancestor(elements: list) -> object | None:
    chains = []
    for el in elements:
        if el is None:
            continue
        chain = [el] + list(el.iterancestors())
        chain.reverse()
        chains.append(chain)
    if not chains:
        return None
    common = chains[0]
    for chain in chains[1:]:
        k = 0
        while k < len(common) and k < len(chain) and common[k] is chain[k]:
            k += 1
        common = common[:k]
    return common[-1] if common else None


def _text_len(el) -> tuple[int, int]:
    """(all text, text inside links) of an element, whitespace excluded."""
    total = len(_WS.sub("", el.text_content() or ""))
    links = sum(len(_WS.sub("", a.text_content() or "")) for a in el.iter("a") if a.get("href"))
    return total, links


def _fallback_body(body):
    """Without headings: the content container with the most non-link text."""
    total, links = _text_len(body)
    best, best_score = body, 0
    for el in body.iter("div", "article", "section", "main", "td"):
        hint = (el.get("class") or "") + " " + (el.get("id") or "")
        if not _CONTENT_HINT.search(hint):
            continue
        t, ln = _text_len(el)
        score = t - 2 * ln
        if score > best_score:
            best, best_score = el, score
    if best is not body and best_score >= 0.4 * (total - links):
        return best
    return body


_DATE_LINE = re.compile(r"^(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"
                        r"|^[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$")


def _inside(collected: _Collected, container) -> list[int]:
    return [i for i, owner in enumerate(collected.owners)
            if owner is not None and (owner is container or container in owner.iterancestors())]


def _signature_after(collected: _Collected, container) -> list[str]:
    """A signature block (agency, date) printed just after the body, outside it: the lines up
    to a date line among the next three, if they are short and not sentences."""
    inside = _inside(collected, container)
    if not inside:
        return []
    lines = collected.builder.lines
    out: list[str] = []
    for i in range(inside[-1] + 1, min(len(lines), inside[-1] + 4)):
        t = lines[i].text
        if lines[i].cells or len(t) > 30 or "。" in t or "：" in t or ":" in t:
            return []
        out.append(t)
        if _DATE_LINE.match(t.replace(" ", "")):
            return out
    return []


def _title_before(collected: _Collected, container, tree) -> str | None:
    """A report title printed above the body (an h1 or a .title element), or from <title>."""
    inside = set(_inside(collected, container))
    first_inside = min(inside) if inside else len(collected.owners)
    lines = collected.builder.lines
    # The body's own first lines may already be the title.
    for i in sorted(inside)[:3]:
        if not lines[i].cells and _looks_like_title(lines[i].text):
            return None
    for i in range(first_inside - 1, max(-1, first_inside - 15), -1):
        t = lines[i].text
        if lines[i].cells or not _looks_like_title(t):
            continue
        owner = collected.owners[i]
        tag = _tag(owner) if owner is not None else None
        hint = ((owner.get("class") or "") + " " + (owner.get("id") or "")) if owner is not None else ""
        if tag in ("h1", "h2", "h3") or _TITLE_HINT.search(hint) or "政府信息公开" in t:
            return t
    for meta in tree.getroot().iter("meta"):  # TRS and similar CMSs: <meta name="ArticleTitle" content=…>
        if (meta.get("name") or "").lower() in ("articletitle", "title", "dc.title"):
            piece = squeeze(meta.get("content") or "")
            if _looks_like_title(piece):
                return piece
    title = tree.getroot().find(".//title")
    if title is not None and title.text_content():
        for piece in re.split(r"\s*[_|｜—–-]{1,2}\s*", title.text_content()):
            piece = squeeze(piece)
            if _looks_like_title(piece):
                return piece
    return None


# --- the reader ------------------------------------------------------------------------------

def _parse(text: str):
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(recover=True, remove_comments=False, huge_tree=False,
                                  no_network=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        if not text.strip():
            raise EmptyDocument("网页为空：没有可解析的内容 (the HTML page is empty)") from exc
        raise UnreadableDocument(f"网页无法解析 (HTML could not be parsed: {exc})".replace("\n", " ")) from exc
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in (err.message or ""):
            raise UnreadableDocument(
                "网页标记嵌套过深（超过 256 层），无法可靠解析 (HTML nested too deeply to be read reliably)")
    return root


def read_html(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    """Read an HTML page: the report body as lines, tables as rows of cells."""
    limit = min(settings.max_upload_bytes, getattr(settings, "max_html_bytes", settings.max_upload_bytes))
    if len(data) > limit:
        raise DocumentTooLarge(
            f"网页过大（{len(data) / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB）"
            "(HTML page larger than the size limit)")
    text = decode_html(data, kind.detail if kind else None)
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if not text.strip():
        raise EmptyDocument("网页为空：没有可解析的内容 (the HTML page is empty)")
    root = _parse(text)
    tree = root.getroottree()
    body = root.find("body")
    if body is None:
        body = root

    # Pass 1: the whole page, to find the part headings and the element that holds them.
    budget = _Budget(MAX_GRID_SLOTS)
    page = _Collected()
    # Link text is left out here: menus and related-report lists repeat the part headings.
    # Footers are kept here, for a signature printed in the article's <footer>; the section
    # finder prefers the earliest of equally good headings, so a site footer repeating a
    # heading does not win.
    _Renderer(tree, budget, page.on_line, page.on_row, with_paths=False, skip_links=True,
              skip=_SKIP_IN_BODY).render(body)
    if not page.builder.lines:
        raise EmptyDocument("网页中没有正文文字 (the HTML page has no text)")
    sections = find_sections(page.builder.lines, len(page.builder.text))
    by_start = {ln.start: i for i, ln in enumerate(page.builder.lines)}
    heading_owners = [page.owners[by_start[s.start]] for s in sections if s.start in by_start]
    container = None
    if len(heading_owners) >= 2:
        container = _lowest_common_ancestor(heading_owners)
    if container is None:
        container = _fallback_body(body)
    # Pass 2: the body only.
    out = RowBuilder()
    title = _title_before(page, container, tree) if container is not body else None
    if title:
        out.line(title)
    _Renderer(tree, _Budget(MAX_GRID_SLOTS), lambda t, o: out.line(t), lambda c, o: out.row(c),
              skip=_SKIP_IN_BODY if container is not body else _SKIP).render(container)
    if container is not body:
        for line in _signature_after(page, container):
            out.line(line)
    if not out.lines:
        raise EmptyDocument("网页中没有正文文字 (the HTML page has no text)")
    source = Source(filename=filename, sha256=hashlib.sha256(data).hexdigest(), format="html",
                    pages=None, bytes=len(data))
    return out.document(source)
