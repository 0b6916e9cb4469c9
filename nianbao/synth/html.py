"""Render a report with known values as an HTML page, the way government sites publish them.

The three tables have the merged cells of the national format as ``rowspan``/``colspan``
(the same merges as ``nianbao.synth.docx``: 第二十条 sub-headings over the width, a
one-value block's value over three columns, 三、本年度办理结果 down every result row, the
group cells down their sub-rows, the header cells of tables 三 and 四).  What the sites'
editors do to the markup is drawn from ``options.seed``: text split over ``<span>`` runs with
inline fonts, header labels broken over two ``<p>`` (``商业</p><p>企业``) or by ``<br/>``,
``&nbsp;`` padding, empty ``<p>&nbsp;</p>`` around numbers, headings in ``<strong>``.

``options.chrome`` wraps the article in a site page (head with scripts and styles, a nav bar,
breadcrumbs, a share bar, related links, a footer), with the title in an ``<h1>`` outside the
article body (``<div class="TRS_Editor">``).  ``options.layout="pipes"`` prints every table
flattened into paragraphs with ``|`` between cells, as some sites and crawlers do.  The page
is encoded in ``options.encoding`` and declares it or not (``options.declare_charset``).
What is printed is ``printed_tables(tables, options)`` (``blank_share`` of the zero cells
printed empty).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from nianbao.synth.docx import heading_text, printed_tables as _printed_docx
from nianbao.synth.text import _ACTIVE_HEAD, _APP_LABELS, TextReportSpec
from nianbao.template.formats import APPLICANT_COLUMNS, PARTS, REVIEW_COLUMNS, REVIEW_GROUPS, table_format

__all__ = ["HtmlOptions", "render_html", "printed_tables", "table_cells"]

# (first row, first column, last row, last column, text): one merged rectangle of a table.
Placed = tuple[int, int, int, int, str]


@dataclass
class HtmlOptions:
    seed: int = 0
    encoding: str = "utf-8"  # utf-8 | gbk | gb2312 | gb18030
    declare_charset: bool = True
    chrome: bool = True  # the site's navigation, header and footer around the article
    layout: str = "grid"  # grid: <table> with rowspan/colspan; pipes: '| a | b |' paragraphs
    noise: bool = True  # spans, split <p>, <br/>, &nbsp; as the sites' editors leave them
    blank_share: float = 0.0
    numbering: str = "一、"

    def _docx_like(self):
        from nianbao.synth.docx import DocxOptions

        return DocxOptions(seed=self.seed, blank_share=self.blank_share)


def printed_tables(tables: dict[str, dict], options: HtmlOptions) -> dict[str, dict]:
    """The values as the page prints them (``blank_share`` of the zero cells empty)."""
    return _printed_docx(tables, options._docx_like())


def _fmt(v) -> str:
    return "" if v is None else str(v)


# --- the tables as merged rectangles ---------------------------------------------------------

def _active_cells(values: dict, version: str) -> tuple[int, int, list[Placed]]:
    fmt = table_format("active", version)
    cells: list[Placed] = []
    r = 0
    for block in fmt.blocks:
        cells.append((r, 0, r, 3, _ACTIVE_HEAD[block.name]))
        n = len(block.columns)
        spans = [(1 + k, 1 + k) for k in range(n)]
        spans[-1] = (n, 3)
        cells.append((r + 1, 0, r + 1, 0, "信息内容"))
        for (c0, c1), col in zip(spans, block.columns):
            label = col.labels[0] if col.key != "amount_10k_yuan" else "本年收费金额（单位：万元）"
            cells.append((r + 1, c0, r + 1, c1, label))
        for k, row in enumerate(block.rows):
            rr = r + 2 + k
            cells.append((rr, 0, rr, 0, row.labels[0]))
            for (c0, c1), col in zip(spans, block.columns):
                cells.append((rr, c0, rr, c1, _fmt(values.get(f"{row.key}.{col.key}"))))
        r += 2 + len(block.rows)
    return r, 4, cells


def _applications_cells(values: dict, version: str) -> tuple[int, int, list[Placed]]:
    fmt = table_format("applications", version)
    rows = [r.key for r in fmt.rows]
    cells: list[Placed] = [
        (0, 0, 2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (0, 3, 0, 9, "申请人情况"),
        (1, 3, 2, 3, "自然人"),
        (1, 4, 1, 8, "法人或其他组织"),
        (1, 9, 2, 9, "总计"),
    ]
    for k, col in enumerate(APPLICANT_COLUMNS[1:6]):
        cells.append((2, 4 + k, 2, 4 + k, col.labels[0]))
    first = 3
    labels = {key: _APP_LABELS[key] for key in rows}
    results = [k for k in rows if len(labels[k]) > 1]
    cells.append((first + rows.index(results[0]), 0, first + rows.index(results[-1]), 0, labels[results[0]][0]))
    k = 0
    while k < len(rows):
        lab = labels[rows[k]]
        r = first + k
        if len(lab) == 1:
            cells.append((r, 0, r, 2, lab[0]))
            k += 1
        elif len(lab) == 2:
            cells.append((r, 1, r, 2, lab[1]))
            k += 1
        else:
            end = k + 1
            while end < len(rows) and len(labels[rows[end]]) == 3 and labels[rows[end]][1] == "":
                end += 1
            cells.append((r, 1, first + end - 1, 1, lab[1]))
            for j in range(k, end):
                cells.append((first + j, 2, first + j, 2, labels[rows[j]][2]))
            k = end
    for k, key in enumerate(rows):
        for c, col in enumerate(APPLICANT_COLUMNS):
            cells.append((first + k, 3 + c, first + k, 3 + c, _fmt(values.get(f"{key}.{col.key}"))))
    return first + len(rows), 10, cells


def _review_cells(values: dict) -> tuple[int, int, list[Placed]]:
    sub = [c.labels[0] for c in REVIEW_COLUMNS]
    cells: list[Placed] = [(0, 0, 0, 4, "行政复议"), (0, 5, 0, 14, "行政诉讼")]
    for c in range(5):
        cells.append((1, c, 2, c, sub[c]))
    cells.append((1, 5, 1, 9, "未经复议直接起诉"))
    cells.append((1, 10, 1, 14, "复议后起诉"))
    for c in range(10):
        cells.append((2, 5 + c, 2, 5 + c, sub[c % 5]))
    for c, (g, col) in enumerate((g, col) for g in REVIEW_GROUPS for col in REVIEW_COLUMNS):
        cells.append((3, c, 3, c, _fmt(values.get(f"{g.key}.{col.key}"))))
    return 4, 15, cells


def table_cells(table: str, values: dict, version: str) -> tuple[int, int, list[Placed]]:
    """(rows, columns, merged rectangles) of one of the three tables."""
    if table == "active":
        return _active_cells(values, version)
    if table == "applications":
        return _applications_cells(values, version)
    return _review_cells(values)


# --- markup -----------------------------------------------------------------------------------

_FONTS = ("仿宋_GB2312", "宋体", "&#39;Times New Roman&#39;,serif", "Calibri", "黑体")


class _Markup:
    def __init__(self, rng: random.Random, noise: bool):
        self.rng = rng
        self.noise = noise

    def run(self, text: str) -> str:
        """Text as the editors leave it: split over spans at CJK boundaries."""
        esc = html.escape(text, quote=False)
        if not self.noise or len(text) < 2 or self.rng.random() < 0.4:
            return esc
        cuts = sorted({self.rng.randint(1, len(text) - 1) for _ in range(self.rng.randint(1, 3))})
        cuts = [c for c in cuts if not (text[c - 1].isascii() and text[c].isascii())]
        parts, prev = [], 0
        for c in cuts + [len(text)]:
            parts.append(text[prev:c])
            prev = c
        out = []
        for p in parts:
            if not p:
                continue
            font = self.rng.choice(_FONTS)
            if self.rng.random() < 0.3:
                out.append(f'<span style="font-family: {font};"><span style="font-size:21px">'
                           f"{html.escape(p, quote=False)}</span></span>")
            else:
                out.append(f'<span style="font-family:{font};font-size:16px">{html.escape(p, quote=False)}</span>')
        return "".join(out)

    def cell(self, text: str) -> str:
        rng = self.rng
        if not text:
            return rng.choice(("<p>&nbsp;</p>", "<p><br/></p>", "", "&nbsp;")) if self.noise else ""
        if not self.noise:
            return f"<p>{html.escape(text, quote=False)}</p>"
        numeric = text.replace(".", "").replace("-", "").replace("+", "").isdigit()
        if numeric:
            body = self.run(text)
            r = rng.random()
            if r < 0.15:
                return f"<p>&nbsp;</p><p>{body}</p><p>&nbsp;</p>"
            if r < 0.3:
                return f"<p>{body}&nbsp;</p>"
            if r < 0.4:
                return f"<p><br/></p><p>{body}</p>"
            return f'<p style="text-indent: 0em;">{body}</p>'
        # Labels: broken over two <p>, or by <br/>, at a boundary between two CJK characters.
        cuts = [i for i in range(1, len(text)) if not text[i - 1].isascii() and not text[i].isascii()]
        r = rng.random()
        if cuts and len(text) <= 12 and r < 0.35:
            c = rng.choice(cuts)
            return f"<p>{self.run(text[:c])}</p><p>{self.run(text[c:])}</p>"
        if cuts and len(text) <= 12 and r < 0.55:
            c = rng.choice(cuts)
            return f"<p>{self.run(text[:c])}<br/>{self.run(text[c:])}</p>"
        pad = " &nbsp; &nbsp;" if rng.random() < 0.2 else ""
        return f'<p style="text-indent: 0em;">{self.run(text)}{pad}</p>'

    def paragraph(self, text: str, strong: bool = False) -> str:
        body = self.run(text)
        if strong:
            body = f"<strong>{body}</strong>"
        if self.noise and self.rng.random() < 0.3:
            body = "&nbsp;" + body + "&nbsp;"
        return f'<p style="text-indent: 2em;">{body}</p>'


def _grid_table(n_rows: int, n_cols: int, cells: list[Placed], m: _Markup) -> str:
    by_row: dict[int, list[Placed]] = {}
    for c in cells:
        by_row.setdefault(c[0], []).append(c)
    out = ['<table style="border-collapse:collapse;border:none" cellspacing="0" align="center" border="1"><tbody>']
    for r in range(n_rows):
        tds = []
        for r0, c0, r1, c1, text in sorted(by_row.get(r, []), key=lambda c: c[1]):
            attrs = ""
            if c1 > c0:
                attrs += f' colspan="{c1 - c0 + 1}"'
            if r1 > r0:
                attrs += f' rowspan="{r1 - r0 + 1}"'
            style = ' style="padding:5px 5px 5px 5px;border:1px solid windowtext" valign="center"'
            tds.append(f"<td{attrs}{style}>{m.cell(text)}</td>")
        cls = ' class="firstRow"' if r == 0 else ""
        out.append(f'<tr style="height:38px"{cls}>' + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _pipe_table(n_rows: int, cells: list[Placed], m: _Markup) -> str:
    """The table flattened the way crawlers and some editors do: each <tr>'s own cells between '|'."""
    by_row: dict[int, list[Placed]] = {}
    for c in cells:
        by_row.setdefault(c[0], []).append(c)
    out = []
    for r in range(n_rows):
        texts = [c[4] for c in sorted(by_row.get(r, []), key=lambda c: c[1])]
        out.append("<p>| " + " | ".join(html.escape(t, quote=False) for t in texts) + " |</p>")
    return "".join(out)


# --- the page -----------------------------------------------------------------------------------

_CHROME_HEAD = """<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge">
{charset}<title>{title}_{site}</title>
<link rel="stylesheet" href="/css/common.css">
<style>.nav li {{ float:left }} .TRS_Editor p {{ line-height: 2em }}</style>
<script type="text/javascript">var _hmt = _hmt || []; document.write("<div>一、总体情况</div>");</script>
</head>"""

_CHROME_TOP = """<div class="header"><div class="logo"><a href="/">{site}</a></div>
<div class="search"><form action="/search"><input type="text" name="q" value="请输入关键字"><button>搜索</button></form></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进{site}</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="main"><div class="article">
<h1 class="title">{title}</h1>
<div class="info"><span>发布时间：{published_iso}</span><span>来源：{agency}</span><span>浏览次数：<script>document.write(1024)</script></span>
<span class="font">字号：[<a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a>]</span></div>
"""

_CHROME_BOTTOM = """<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关信息</h3><ul>
<li><a href="/zwgk/ndbg/1.html">{agency}{prev}年政府信息公开工作年度报告</a></li>
<li><a href="/zwgk/ndbg/2.html">一、总体情况解读</a></li>
<li><a href="/zwgk/ndbg/3.html">三、收到和处理政府信息公开申请情况说明</a></li></ul></div>
</div>
<footer class="footer"><p>主办单位：{agency} 网站标识码：1234567890 备案号：闽ICP备00000000号</p>
<p>六、其他需要报告的事项 请联系网站管理员</p></footer>
<nav class="bottom-nav"><a href="/sitemap">网站地图</a></nav>
<script src="/js/jquery.min.js"></script>
<div style="display:none">二、主动公开政府信息情况 隐藏的统计代码</div>
"""


def render_html(tables: dict[str, dict], spec: TextReportSpec | None = None,
                options: HtmlOptions | None = None) -> bytes:
    """The report as the bytes of an HTML page.  The printed values are ``printed_tables(tables, options)``."""
    spec = spec or TextReportSpec()
    o = options or HtmlOptions()
    rng = random.Random(f"html:{o.seed}")
    m = _Markup(rng, o.noise)
    values = printed_tables(tables, o)
    title = f"{spec.agency}{spec.year}年政府信息公开工作年度报告"
    heads = [heading_text(p.number, p.title, o.numbering) for p in PARTS]

    def table(name: str, version: str) -> str:
        n_rows, n_cols, cells = table_cells(name, values[name], version)
        if o.layout == "pipes":
            return _pipe_table(n_rows, cells, m)
        return _grid_table(n_rows, n_cols, cells, m)

    body = []
    if not o.chrome:
        body.append(f'<p style="text-align:center"><strong>{html.escape(title)}</strong></p>')
    body.append(m.paragraph(f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自"
                            f"{spec.year}年1月1日起至{spec.year}年12月31日止。"))
    body.append(m.paragraph(heads[0], strong=True))
    body.append(m.paragraph(f"{spec.year}年，{spec.agency}认真贯彻落实《条例》。{spec.narrative}"))
    body.append(m.paragraph("（一）主动公开情况"))
    body.append(m.paragraph("全年通过门户网站主动公开政府信息1234条，其中政策文件56件。"))
    body.append(m.paragraph(heads[1], strong=True))
    body.append(table("active", spec.versions["active"]))
    body.append(m.paragraph(heads[2], strong=True))
    body.append(table("applications", spec.versions["applications"]))
    body.append(m.paragraph(heads[3], strong=True))
    body.append(table("review_litigation", spec.versions.get("review_litigation", "2021")))
    body.append(m.paragraph(heads[4], strong=True))
    body.append(m.paragraph(spec.problems))
    body.append(m.paragraph(heads[5], strong=True))
    body.append(m.paragraph("本年度未收取信息处理费。"))
    body.append('<p style="text-align: right;">' + html.escape(spec.agency) + "</p>")
    body.append('<p style="text-align: right;">' + html.escape(spec.published) + "&nbsp;&nbsp;&nbsp;&nbsp;</p>")
    body.append("<p>&nbsp;</p><p><br/></p>")
    article = '<div class="TRS_Editor">' + "\n".join(body) + "</div>"

    enc = o.encoding.lower()
    charset = f'<meta http-equiv="Content-Type" content="text/html; charset={enc}">\n' if o.declare_charset else ""
    if o.chrome:
        site = spec.agency
        published_iso = "2025-01-20"
        page = ("<!DOCTYPE html>\n<html>\n" + _CHROME_HEAD.format(charset=charset, title=title, site=site)
                + "\n<body>\n" + _CHROME_TOP.format(site=site, title=title, published_iso=published_iso,
                                                     agency=spec.agency)
                + article + _CHROME_BOTTOM.format(agency=spec.agency, prev=spec.year - 1) + "</body>\n</html>\n")
    else:
        page = f"<html>{charset}<body>{article}</body></html>"
    codec = {"gbk": "gbk", "gb2312": "gb2312", "gb18030": "gb18030"}.get(enc, "utf-8")
    return page.encode(codec, errors="xmlcharrefreplace")
