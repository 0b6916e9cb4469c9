"""Render a report with known values as a DOCX laid out like a real annual report.

The three tables are built the way the national format prints them, with real merged
cells (``w:gridSpan`` across columns, ``w:vMerge`` down rows):

* table 二 (``active``): one grid of 4 columns; each 第二十条第（…）项 sub-heading spans the
  width, followed by its 信息内容 header row and its rows; a block with fewer columns than
  the grid lets its last column span the rest (2021: 本年处理决定数量 over 3 columns);
* table 三 (``applications``): 3 label columns + 7 value columns; three header rows
  (申请人情况 spanning 7; 自然人 and 总计 merged down 2 rows; 法人或其他组织 spanning the
  five sub-columns 商业企业 … 其他); 三、本年度办理结果 merged down over every result row;
  （三）不予公开 / （四）无法提供 / （五）不予处理 / （六）其他处理 merged down over their
  sub-rows; in the 2019 layout the single （六）其他处理 row spans both label columns;
* table 四 (``review_litigation``): 15 columns; 行政复议 spanning 5, 行政诉讼 spanning 10;
  未经复议直接起诉 and 复议后起诉 spanning 5 each; the five 行政复议 sub-headers merged down
  two rows; one row of 15 values.

Each table follows ``spec.versions`` on its own, so hybrids come out as in the wild.
What is printed is ``printed_tables(tables, options)``: the values with some zero cells
replaced by ``None`` when ``options.blank_share`` asks for it (``None`` prints as an empty
cell).  Use that function to get the known truth of a rendered file.
"""

from __future__ import annotations

import copy
import io
import random
from dataclasses import asdict, dataclass, field
from typing import Literal

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from nianbao.synth.text import (
    _ACTIVE_HEAD,
    _APP_LABELS,
    TextReportSpec,
    _active_rows,
    _application_rows,
    _review_rows,
)
from nianbao.template.formats import (
    APPLICANT_COLUMNS,
    PARTS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SIGNED,
    table_format,
)

Rules = bool | Literal["partial"]
NUMBERING_STYLES = ("一、", "1、", "（一）")
WIDTHS = ("normal", "narrow", "wide")

_CN_NUM = "一二三四五六七八九十"

# Page: A4 with the margins of the 党政机关公文格式 (GB/T 9704).
PAGE_W, PAGE_H = 21.0, 29.7
MARGIN_T, MARGIN_B, MARGIN_L, MARGIN_R = 3.7, 3.5, 2.8, 2.6
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R  # 15.6 cm
TEXT_H = PAGE_H - MARGIN_T - MARGIN_B  # 22.5 cm

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


@dataclass
class DocxOptions:
    """How one report is laid out.  Everything random is drawn from ``seed``."""

    seed: int = 0
    # True: every cell border; False: no border at all; "partial": the outer frame and
    # the lines under the header rows (and around the sub-headings of table 二) only.
    rules: Rules = True
    # "narrow": label columns narrow, labels wrap over 2-3 lines; "wide": label columns
    # wide (labels on one line, the table a little wider than the text block).
    widths: str = "normal"
    font_size: float = 16.0  # body text, pt (三号 as in 公文)
    table_font_size: float = 10.5  # table cells, pt (五号)
    # True: enough narrative before table 三 that it starts low on a page and goes on on
    # the next; False: table 三 starts at the top of a page; None: wherever the flow puts it.
    split_tables: bool | None = None
    repeat_header: bool = True  # repeat the header rows of table 三 on a new page
    blank_share: float = 0.0  # share of zero cells printed empty (see printed_tables)
    numbering: str | None = None  # "一、" | "1、" | "（一）"; None: drawn from seed
    heading_styles: bool | None = None  # use Word's Heading 1 style; None: drawn from seed
    signed_plus: bool | None = None  # print positive 本年增/减 as +12; None: drawn from seed
    page_numbers: bool = True  # "- N -" in the footer

    def resolved(self) -> "DocxOptions":
        """A copy with every seed-drawn choice fixed."""
        rng = random.Random(f"docx-options:{self.seed}")
        out = copy.copy(self)
        n, h, s = rng.choice(NUMBERING_STYLES), rng.random() < 0.5, rng.random() < 0.5
        if out.numbering is None:
            out.numbering = n
        if out.heading_styles is None:
            out.heading_styles = h
        if out.signed_plus is None:
            out.signed_plus = s
        if out.widths not in WIDTHS:
            raise ValueError(f"widths must be one of {WIDTHS}, not {out.widths!r}")
        if out.numbering not in NUMBERING_STYLES:
            raise ValueError(f"numbering must be one of {NUMBERING_STYLES}, not {out.numbering!r}")
        if out.rules not in (True, False, "partial"):
            raise ValueError(f"rules must be True, False or 'partial', not {out.rules!r}")
        return out

    def to_dict(self) -> dict:
        return asdict(self)


# --- values ----------------------------------------------------------------------------

def printed_tables(tables: dict[str, dict], options: DocxOptions) -> dict[str, dict]:
    """The values as the DOCX prints them: with ``blank_share`` of the zero cells set to None."""
    out = {name: dict(values) for name, values in tables.items()}
    if options.blank_share <= 0:
        return out
    rng = random.Random(f"docx-blanks:{options.seed}")
    for name in sorted(out):
        for key in sorted(out[name]):
            if out[name][key] == 0 and rng.random() < options.blank_share:
                out[name][key] = None
    return out


def _fmt(value, signed_plus: bool = False) -> str:
    if value is None:
        return ""
    if signed_plus and isinstance(value, int) and value > 0:
        return f"+{value}"
    return str(value)


# --- headings and narrative --------------------------------------------------------------

def heading_text(number: int, title: str, style: str) -> str:
    if style == "一、":
        return f"{_cn(number)}、{title}"
    if style == "1、":
        return f"{number}、{title}"
    return f"（{_cn(number)}）{title}"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n - 1]
    return "十" + _CN_NUM[n - 11]


def _sub_number(i: int, style: str) -> str:
    """Numbering of the sub-items of part 一, one level below the part headings."""
    if style == "（一）":
        return f"{i}."
    if style == "1、":
        return f"（{i}）"
    return f"（{_cn(i)}）"


def part_headings(style: str) -> list[str]:
    return [heading_text(p.number, p.title, style) for p in PARTS]


_SUBJECTS = ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障")

_POOL = {
    "主动公开": (
        "本机关坚持以公开为常态、不公开为例外，全年通过门户网站主动公开政府信息{a}条，其中政策文件{b}件，政策解读{c}篇",
        "围绕优化营商环境、重大项目建设和民生保障等重点领域，及时发布权威信息{c}条，回应社会关切{d}次",
        "通过政务新媒体发布各类信息{a}条，召开新闻发布会{d}场，发布会全文均在门户网站同步公开",
        "严格落实政府信息公开属性源头认定机制，公文在拟制环节同步明确公开属性，主动公开率保持在较高水平",
        "持续做好财政预决算、“三公”经费、重大建设项目批准和实施等领域的信息公开，按时完成年度公开任务",
        "开展政策文件集中梳理，对现行有效的行政规范性文件实行目录化、动态化管理并在网站专栏集中公开",
    ),
    "依申请公开": (
        "本年度共收到政府信息公开申请{n}件，上年结转{m}件，均在法定期限内依法依规予以答复",
        "进一步规范依申请公开办理流程，严格执行登记、审核、办理、答复、归档各环节要求，提升答复质量",
        "对申请内容不明确的，及时告知申请人补正并说明理由；对涉及第三方权益的，依法征求第三方意见",
        "加强与申请人的沟通，坚持办理前主动联系、办理中及时释明、办理后跟踪回访，减少行政争议",
        "建立疑难申请会商机制，邀请法律顾问参与研判，确保答复内容合法、依据充分、表述规范",
    ),
    "政府信息管理": (
        "健全政府信息发布保密审查机制，坚持“先审查、后公开”和“一事一审”原则，全年未发生失泄密事件",
        "开展政府信息公开目录和指南的更新工作，对已公开信息进行全面排查，及时更新失效信息{d}条",
        "落实政策解读与政策文件同步起草、同步审签、同步发布制度，采用图解、视频等形式提升解读效果",
        "规范信息发布流程，严格执行信息拟稿、审核、签发三级审核制度，确保发布信息准确无误",
    ),
    "平台建设": (
        "持续优化政府门户网站信息公开专栏，完善栏目设置，全年网站总访问量达{a}人次",
        "加强政务新媒体规范化管理，定期开展内容巡查，确保账号运行安全、信息更新及时",
        "完善政务服务热线与网站留言办理机制，全年办理网民留言{c}件，办结率百分之百",
        "推进政府信息公开查阅点规范化建设，在办事大厅设置公开查阅点，为群众提供查阅服务",
    ),
    "监督保障": (
        "将政府信息公开工作纳入年度绩效考核，主要负责同志定期听取工作汇报，研究解决重点问题",
        "组织开展政府信息公开业务培训{d}次，参训人员{c}人次，进一步提升工作人员业务能力",
        "主动接受社会监督，畅通投诉举报渠道，全年未发生因政府信息公开工作引起的责任追究情况",
        "聘请社会监督员对公开工作进行评议，根据评议意见及时整改，不断提高公开工作质量",
    ),
    "问题": (
        "主动公开的深度和广度仍需拓展，部分领域信息更新不够及时",
        "政策解读形式较为单一，图文、音视频等多元化解读产品偏少",
        "依申请公开答复的规范性还有提升空间，个别答复说理不够充分",
        "工作人员业务能力有待进一步提高，培训的针对性和实效性不强",
    ),
    "改进": (
        "下一步，本机关将进一步健全公开工作机制，加大重点领域信息公开力度，确保信息发布及时准确",
        "丰富政策解读形式，综合运用图表图解、音频视频、新闻发布会等方式，提高政策知晓度",
        "严格规范依申请公开办理程序，加强答复文书的合法性审查，切实降低行政争议风险",
        "加强业务培训和工作交流，不断提升政府信息公开工作队伍的专业化水平",
    ),
}


def _fill(sentence: str, rng: random.Random, facts: dict) -> str:
    nums = {"a": rng.randint(800, 60000), "b": rng.randint(5, 300), "c": rng.randint(10, 900),
            "d": rng.randint(2, 60)}
    nums.update(facts)
    return sentence.format(**nums)


def _shuffled(rng: random.Random, pool: tuple[str, ...]) -> list[str]:
    picks = list(pool)
    rng.shuffle(picks)
    return picks


def _paragraph(rng: random.Random, picks: list[str], facts: dict) -> str:
    return "。".join(_fill(s, rng, facts) for s in picks) + "。"


def _filler(rng: random.Random, lines: int, cpl: int, facts: dict) -> list[str]:
    """Whole-sentence paragraphs filling about ``lines`` lines of ``cpl`` characters
    (first lines indented by two characters); used to push a table down the page."""
    pool = _POOL["依申请公开"][1:] + _POOL["政府信息管理"] + _POOL["监督保障"]
    sentences = [_fill(s, rng, facts) + "。" for s in _shuffled(rng, pool)]
    out: list[str] = []
    current = ""
    used = 0
    for sentence in sentences:
        candidate = current + sentence
        if used + -(-(len(candidate) + 2) // cpl) <= lines:
            current = candidate
            if len(current) > 3 * cpl:  # paragraphs of a few lines
                out.append(current)
                used += -(-(len(current) + 2) // cpl)
                current = ""
        elif current:
            out.append(current)
            used += -(-(len(current) + 2) // cpl)
            current = ""
            if used + -(-(len(sentence) + 2) // cpl) <= lines:
                current = sentence
    if current:
        out.append(current)
    return out


# --- low-level XML helpers ---------------------------------------------------------------

def _set_fonts(run_or_style_element, family: str) -> None:
    rpr = run_or_style_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)


def _run(paragraph, text: str, size: float, family: str = SERIF, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    _set_fonts(run._r, family)
    return run


_TCPR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
               "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
_TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def _insert_ordered(parent, child, order: tuple[str, ...]) -> None:
    tag = child.tag
    old = parent.find(tag)
    if old is not None:
        parent.remove(old)
    later = {qn(t) for t in order[order.index(_prefixed(tag)) + 1:]}
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, child)
            return
    parent.append(child)


def _prefixed(clark: str) -> str:
    return "w:" + clark.split("}", 1)[1]


def _border_el(tag: str, on: bool, size: int = 4):
    el = OxmlElement(tag)
    if on:
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
    else:
        el.set(qn("w:val"), "nil")
    return el


def _table_borders(table, outer: bool, inner: bool) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right"):
        borders.append(_border_el(f"w:{side}", outer, 8 if outer and not inner else 4))
    for side in ("insideH", "insideV"):
        borders.append(_border_el(f"w:{side}", inner))
    _insert_ordered(table._tbl.tblPr, borders, _TBLPR_ORDER)


def _cell_border(tc, **sides: bool) -> None:
    tcpr = tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        _insert_ordered(tcpr, borders, _TCPR_ORDER)
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            old = borders.find(qn(f"w:{side}"))
            if old is not None:
                borders.remove(old)
            # top, left, bottom, right is the schema order
            el = _border_el(f"w:{side}", sides[side])
            later = [borders.find(qn(f"w:{s}")) for s in ("top", "left", "bottom", "right")
                     [("top", "left", "bottom", "right").index(side) + 1:]]
            later = [x for x in later if x is not None]
            if later:
                later[0].addprevious(el)
            else:
                borders.append(el)


def _row_flag(row, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn(tag)) is None:
        trpr.append(OxmlElement(tag))


# --- tables ----------------------------------------------------------------------------------

class _Grid:
    """A table of fixed column widths whose cells are merged as rectangles, then filled."""

    def __init__(self, doc, n_rows: int, widths_cm: list[float], options: DocxOptions):
        self.options = options
        self.widths = widths_cm
        self.style_id = _table_style(doc, options).style_id
        self.table = doc.add_table(rows=n_rows, cols=len(widths_cm))
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        tblpr = self.table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        _insert_ordered(tblpr, layout, _TBLPR_ORDER)
        tblw = tblpr.find(qn("w:tblW"))
        if tblw is None:
            tblw = OxmlElement("w:tblW")
            _insert_ordered(tblpr, tblw, _TBLPR_ORDER)
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(int(sum(widths_cm) / 2.54 * 1440)))
        mar = OxmlElement("w:tblCellMar")
        for side, w in (("left", 60), ("right", 60)):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(w))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        _insert_ordered(tblpr, mar, _TBLPR_ORDER)
        for i, w in enumerate(widths_cm):
            self.table.columns[i].width = Cm(w)
        # Cell objects taken once, before any merge (table.cell() rebuilds the whole grid on
        # every call).  Merged rectangles never overlap, so a cell used here is never one
        # that an earlier merge has swallowed.
        self.cells = []
        for row in self.table.rows:
            cells = row.cells
            for i, cell in enumerate(cells):
                cell.width = Cm(widths_cm[i])
            self.cells.append(cells)
            _row_flag(row, "w:cantSplit")
        if options.rules is True:
            _table_borders(self.table, outer=True, inner=True)
        elif options.rules == "partial":
            _table_borders(self.table, outer=True, inner=False)
        else:
            _table_borders(self.table, outer=False, inner=False)

    def put(self, r0: int, c0: int, text: str, r1: int | None = None, c1: int | None = None,
            align: str = "center", bold: bool = False):
        """Merge rows r0..r1 and columns c0..c1 (inclusive) and write ``text`` there."""
        r1 = r0 if r1 is None else r1
        c1 = c0 if c1 is None else c1
        cell = self.cells[r0][c0]
        if (r1, c1) != (r0, c0):
            cell = cell.merge(self.cells[r1][c1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p._p.style = self.style_id  # (p.style = ... looks the style up every time)
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        if text:
            _run(p, text, self.options.table_font_size, SERIF, bold)
        return cell

    def separator_below(self, row: int) -> None:
        """A line under ``row`` (used for the "partial" rules)."""
        for tc in self.table.rows[row]._tr.tc_lst:
            _cell_border(tc, bottom=True)
        if row + 1 < len(self.table.rows):
            for tc in self.table.rows[row + 1]._tr.tc_lst:
                _cell_border(tc, top=True)

    def header_rows(self, n: int) -> None:
        if self.options.repeat_header:
            for row in self.table.rows[:n]:
                _row_flag(row, "w:tblHeader")


def _table_style(doc, options: DocxOptions):
    """The paragraph style of every table cell (so that empty cells are as high as full ones)."""
    name = "Table Text"
    if name in [s.name for s in doc.styles]:
        return doc.styles[name]
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(options.table_font_size)
    _set_fonts(style.element, SERIF)
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.first_line_indent = Pt(0)
    return style


def _active_widths(options: DocxOptions) -> list[float]:
    label = {"normal": 4.6, "narrow": 2.2, "wide": 6.6}[options.widths]
    total = TEXT_W if options.widths != "wide" else TEXT_W + 1.0
    return [label] + [(total - label) / 3] * 3


def _active_table(doc, values: dict, version: str, options: DocxOptions) -> _Grid:
    fmt = table_format("active", version)
    text_rows = _active_rows(values, version)  # per block: heading, 信息内容 + column labels, rows
    n_rows = sum(2 + len(b.rows) for b in fmt.blocks)
    grid = _Grid(doc, n_rows, _active_widths(options), options)
    r = 0
    i = 0
    for block in fmt.blocks:
        head, columns = text_rows[i], text_rows[i + 1]
        i += 2 + len(block.rows)
        assert head == [_ACTIVE_HEAD[block.name]]
        grid.put(r, 0, head[0], c1=3, bold=True)
        if options.rules == "partial" and r > 0:
            for tc in grid.table.rows[r]._tr.tc_lst:
                _cell_border(tc, top=True)
        spans = _spans(len(block.columns), 3)
        grid.put(r + 1, 0, columns[0])
        for (c0, c1), label in zip(spans, columns[1:]):
            grid.put(r + 1, c0, label, c1=c1)
        if options.rules == "partial":
            grid.separator_below(r + 1)
        for k, row in enumerate(block.rows):
            rr = r + 2 + k
            # the 2019 format prints 规范性文件 where the 2021 one prints 行政规范性文件
            label = row.labels[-1] if version == "2019" else row.labels[0]
            grid.put(rr, 0, label)
            for (c0, c1), col in zip(spans, block.columns):
                grid.put(rr, c0, _fmt(values.get(f"{row.key}.{col.key}"),
                                      options.signed_plus and col.kind == SIGNED), c1=c1)
        r += 2 + len(block.rows)
    return grid


def _spans(n_cols: int, n_grid: int) -> list[tuple[int, int]]:
    """Grid columns (1-based after the label column) of n_cols value columns: the last spans the rest."""
    spans = [(1 + k, 1 + k) for k in range(n_cols)]
    spans[-1] = (n_cols, n_grid)
    return spans


def _applications_widths(options: DocxOptions) -> list[float]:
    labels = {"normal": [1.2, 2.0, 4.4], "narrow": [0.9, 1.4, 2.6], "wide": [1.5, 2.6, 5.4]}[options.widths]
    total = TEXT_W if options.widths != "wide" else TEXT_W + 1.4
    return labels + [(total - sum(labels)) / 7] * 7


def _applications_table(doc, values: dict, version: str, options: DocxOptions) -> _Grid:
    fmt = table_format("applications", version)
    head = _application_rows(values, version, "tabs")[:3]
    rows = [r.key for r in fmt.rows]
    grid = _Grid(doc, 3 + len(rows), _applications_widths(options), options)
    # header: corner (3 label columns x 3 rows), 申请人情况, 自然人 | 法人或其他组织 | 总计, sub-columns
    grid.put(0, 0, head[0][0], r1=2, c1=2)
    grid.put(0, 3, head[0][1], c1=9)
    grid.put(1, 3, head[1][1], r1=2)
    grid.put(1, 4, head[1][2], c1=8)
    grid.put(1, 9, head[1][3], r1=2)
    for k, label in enumerate(head[2][2:7]):
        grid.put(2, 4 + k, label)
    grid.header_rows(3)
    if options.rules == "partial":
        grid.separator_below(2)

    first = 3
    labels = {key: _APP_LABELS[key] for key in rows}
    # group cells: column 0 over the result rows, column 1 over each group's sub-rows
    results = [k for k in rows if len(labels[k]) > 1]
    r_res0, r_res1 = first + rows.index(results[0]), first + rows.index(results[-1])
    grid.put(r_res0, 0, labels[results[0]][0], r1=r_res1)
    k = 0
    while k < len(rows):
        key, lab = rows[k], labels[rows[k]]
        r = first + k
        if len(lab) == 1:
            grid.put(r, 0, lab[0], c1=2, align="left")
            k += 1
        elif len(lab) == 2:
            grid.put(r, 1, lab[1], c1=2, align="left")
            k += 1
        else:
            end = k + 1
            while end < len(rows) and len(labels[rows[end]]) == 3 and labels[rows[end]][1] == "":
                end += 1
            grid.put(r, 1, lab[1], r1=first + end - 1)
            for j in range(k, end):
                grid.put(first + j, 2, labels[rows[j]][2], align="left")
            k = end
    for k, key in enumerate(rows):
        for c, col in enumerate(APPLICANT_COLUMNS):
            grid.put(first + k, 3 + c, _fmt(values.get(f"{key}.{col.key}")))
    return grid


def _review_widths(options: DocxOptions) -> list[float]:
    total = {"normal": TEXT_W, "narrow": TEXT_W - 1.2, "wide": TEXT_W + 1.4}[options.widths]
    return [total / 15] * 15


def _review_table(doc, values: dict, options: DocxOptions) -> _Grid:
    head = _review_rows(values)
    grid = _Grid(doc, 4, _review_widths(options), options)
    grid.put(0, 0, head[0][0], c1=4)
    grid.put(0, 5, head[0][1], c1=14)
    for c in range(5):
        grid.put(1, c, head[1][c], r1=2)
    grid.put(1, 5, head[1][5], c1=9)
    grid.put(1, 10, head[1][6], c1=14)
    for c in range(5, 15):
        grid.put(2, c, head[2][c])
    grid.header_rows(3)
    if options.rules == "partial":
        grid.separator_below(2)
    for c, (g, col) in enumerate((g, col) for g in REVIEW_GROUPS for col in REVIEW_COLUMNS):
        grid.put(3, c, _fmt(values.get(f"{g.key}.{col.key}")))
    return grid


# --- the document ------------------------------------------------------------------------

class _Writer:
    def __init__(self, options: DocxOptions):
        self.o = options
        self.doc = Document()
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Cm(PAGE_W), Cm(PAGE_H)
        sec.top_margin, sec.bottom_margin = Cm(MARGIN_T), Cm(MARGIN_B)
        sec.left_margin, sec.right_margin = Cm(MARGIN_L), Cm(MARGIN_R)
        sec.footer_distance = Cm(2.2)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(options.font_size)
        _set_fonts(normal.element, SERIF)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        if options.page_numbers:
            p = sec.footer.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, "- ", 12)
            run = _run(p, "", 12)
            for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                elif text.strip() == "PAGE":
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = text
                else:
                    el = OxmlElement("w:t")
                    el.text = text
                run._r.append(el)
            _run(p, " -", 12)

    @property
    def line_pitch(self) -> float:
        return round(self.o.font_size * 1.75)

    def body(self, text: str, page_break_before: bool = False, align: str = "justify", indent: bool = True):
        p = self.doc.add_paragraph()
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(self.line_pitch)
        if indent:
            pf.first_line_indent = Pt(2 * self.o.font_size)
        pf.page_break_before = page_break_before
        p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
        _run(p, text, self.o.font_size)
        return p

    def heading(self, text: str, page_break_before: bool = False, level: int = 1):
        if self.o.heading_styles and level == 1:
            p = self.doc.add_paragraph(style="Heading 1")
            p.style.font.color.rgb = None
        else:
            p = self.doc.add_paragraph()
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(self.line_pitch)
        pf.space_before = pf.space_after = Pt(0)
        pf.first_line_indent = Pt(2 * self.o.font_size)
        pf.keep_with_next = True
        pf.page_break_before = page_break_before
        run = _run(p, text, self.o.font_size, SANS if level == 1 else SERIF, bold=level > 1)
        run.font.color.rgb = None
        return p

    def title(self, text: str):
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf = p.paragraph_format
        pf.space_after = Pt(self.line_pitch)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(round(22 * 1.6))
        _run(p, text, 22, SANS, bold=True)

    def gap(self):
        """An empty line after a table, as reports have."""
        p = self.doc.add_paragraph()
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(self.o.table_font_size * 1.2)

    def lines_per_page(self) -> int:
        return int(TEXT_H / 2.54 * 72 // self.line_pitch)

    def chars_per_line(self) -> int:
        return int(TEXT_W / 2.54 * 72 // self.o.font_size)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def render_docx(tables: dict[str, dict], spec: TextReportSpec | None = None,
                options: DocxOptions | None = None) -> bytes:
    """The report as DOCX bytes.  The printed values are ``printed_tables(tables, options)``."""
    spec = spec or TextReportSpec()
    o = (options or DocxOptions()).resolved()
    values = printed_tables(tables, o)
    rng = random.Random(f"docx-text:{o.seed}")
    w = _Writer(o)
    heads = part_headings(o.numbering)
    apps = tables["applications"]
    facts = {"n": apps.get("new_received.total") or 0, "m": apps.get("carried_over.total") or 0}

    w.title(f"{spec.agency}{spec.year}年政府信息公开工作年度报告")
    w.body(f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息公开办公室"
           f"有关要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
           f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
           f"本报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。"
           f"如对本报告有疑问，请与{spec.agency}办公室联系。")

    # 一、总体情况
    w.heading(heads[0])
    w.body(f"{spec.year}年，{spec.agency}认真贯彻落实《条例》和上级关于政务公开工作的决策部署，"
           f"坚持以人民为中心的发展思想，全面推进决策、执行、管理、服务、结果公开。{spec.narrative}")
    for i, subject in enumerate(_SUBJECTS, 1):
        w.heading(f"{_sub_number(i, o.numbering)}{subject}", level=2)
        pool = _POOL[subject]
        picks = _shuffled(rng, pool)
        if subject == "依申请公开":  # the sentence that restates the table's totals comes first
            picks = [pool[0]] + [p for p in picks if p != pool[0]]
        k = rng.randint(2, len(pool))
        w.body(_paragraph(rng, picks[:k], facts))
        if rng.random() < 0.4 and k < len(pool):
            w.body(_paragraph(rng, picks[k:k + 2], facts))

    # 二、主动公开政府信息情况
    w.heading(heads[1])
    _active_table(w.doc, values["active"], spec.versions["active"], o)
    w.gap()

    # 三、收到和处理政府信息公开申请情况
    if o.split_tables:
        # Heading at the top of a page and enough narrative that the table starts at about
        # 60% of the page: it cannot fit in what is left and goes on on the next page.
        w.heading(heads[2], page_break_before=True)
        for text in _filler(rng, int(w.lines_per_page() * 0.6) - 1, w.chars_per_line(), facts):
            w.body(text)
    else:
        w.heading(heads[2], page_break_before=o.split_tables is False)
    _applications_table(w.doc, values["applications"], spec.versions["applications"], o)
    w.gap()

    # 四、政府信息公开行政复议、行政诉讼情况
    w.heading(heads[3])
    _review_table(w.doc, values["review_litigation"], o)
    w.gap()

    # 五、存在的主要问题及改进情况
    w.heading(heads[4])
    problems = list(_POOL["问题"])
    rng.shuffle(problems)
    w.body(f"{spec.problems}" if spec.problems else "")
    w.body("同时，工作中还存在以下不足：" + "；".join(f"{'一二三四'[i]}是{p}" for i, p in
                                           enumerate(problems[: rng.randint(2, 4)])) + "。")
    w.body(_paragraph(rng, _shuffled(rng, _POOL["改进"])[: rng.randint(2, 4)], facts))

    # 六、其他需要报告的事项
    w.heading(heads[5])
    w.body(rng.choice(("本年度未收取信息处理费。", "本机关本年度未发出收费通知，未收取信息处理费。",
                       "根据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。")))
    w.body(rng.choice(("本机关无其他需要报告的事项。",
                       "本年度本机关认真落实政务公开工作要点，按要求完成各项任务，年度工作要点落实情况已在门户网站公开。")))
    w.body(spec.agency, align="right", indent=False)
    w.body(spec.published, align="right", indent=False)
    return w.to_bytes()


NARRATIVE_RECEIVED = _POOL["依申请公开"][0]


def report_meta(spec: TextReportSpec, options: DocxOptions, tables: dict | None = None) -> dict:
    """What a reader of the rendered file should find besides the tables.

    With ``tables`` (as given to render_docx, before blanking) it also names the narrative
    numbers: part 一 always says 本年度共收到政府信息公开申请{new_received.total}件，
    上年结转{carried_over.total}件.
    """
    o = options.resolved()
    meta = {
        "agency": spec.agency,
        "year": spec.year,
        "published": spec.published,
        "title": f"{spec.agency}{spec.year}年政府信息公开工作年度报告",
        "headings": part_headings(o.numbering),
    }
    if tables is not None:
        apps = tables["applications"]
        n, m = apps.get("new_received.total") or 0, apps.get("carried_over.total") or 0
        meta["narrative"] = {"new_received.total": n, "carried_over.total": m,
                             "sentence": NARRATIVE_RECEIVED.format(n=n, m=m)}
    return meta


__all__ = ["DocxOptions", "printed_tables", "render_docx", "report_meta", "part_headings", "heading_text"]
