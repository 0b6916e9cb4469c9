"""Render a report with chosen values as plain text, in the export styles met in the wild.

Styles:
* ``tabs``: one table row per line, cells separated by TAB (like seeds 002 and 003);
* ``cells``: one cell per line, each line starting with TAB, a blank line after each
  row and header cells broken across lines (like seeds 000, 001 and 004);
* ``flat``: what crawlers make of a web page: the body after the title on one line,
  table cells run together without any separator ("一、本年新收…数量801000081").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.template.formats import APPLICANT_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, table_format

_APP_LABELS = {
    "new_received": ["一、本年新收政府信息公开申请数量"],
    "carried_over": ["二、上年结转政府信息公开申请数量"],
    "granted": ["三、本年度办理结果", "（一）予以公开"],
    "partially_granted": ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
    "denied.state_secret": ["", "（三）不予公开", "1.属于国家秘密"],
    "denied.law_prohibited": ["", "", "2.其他法律行政法规禁止公开"],
    "denied.three_safety": ["", "", "3.危及“三安全一稳定”"],
    "denied.third_party": ["", "", "4.保护第三方合法权益"],
    "denied.internal_affairs": ["", "", "5.属于三类内部事务信息"],
    "denied.process_info": ["", "", "6.属于四类过程性信息"],
    "denied.enforcement_file": ["", "", "7.属于行政执法案卷"],
    "denied.admin_query": ["", "", "8.属于行政查询事项"],
    "unavailable.not_held": ["", "（四）无法提供", "1.本机关不掌握相关政府信息"],
    "unavailable.needs_creation": ["", "", "2.没有现成信息需要另行制作"],
    "unavailable.unclear": ["", "", "3.补正后申请内容仍不明确"],
    "not_processed.petition": ["", "（五）不予处理", "1.信访举报投诉类申请"],
    "not_processed.duplicate": ["", "", "2.重复申请"],
    "not_processed.publication": ["", "", "3.要求提供公开出版物"],
    "not_processed.mass_repeated": ["", "", "4.无正当理由大量反复申请"],
    "not_processed.confirm_reissue": ["", "", "5.要求行政机关确认或重新出具已获取信息"],
    "other.no_correction": ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    "other.no_fee": ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    "other.other": ["", "", "3.其他"],
    "other": ["", "（六）其他处理"],
    "results_total": ["", "（七）总计"],
    "carried_forward": ["四、结转下年度继续办理"],
}
_ACTIVE_HEAD = {
    "art20_1": "第二十条第（一）项",
    "art20_5": "第二十条第（五）项",
    "art20_6": "第二十条第（六）项",
    "art20_8": "第二十条第（八）项",
    "art20_9": "第二十条第（九）项",
}


@dataclass
class TextReportSpec:
    agency: str = "示例市交通运输局"
    year: int = 2024
    published: str = "2025年1月20日"
    versions: dict[str, str] = field(default_factory=lambda: {
        "active": "2021", "applications": "2021", "review_litigation": "2021"})
    narrative: str = "本年度共收到政府信息公开申请若干件。"
    problems: str = "一是公开内容不够全面；二是政策解读形式单一。"


def _fmt(v) -> str:
    if v is None:
        return ""
    return str(v)


def _emit(rows: list[list[str]], style: str) -> list[str]:
    out: list[str] = []
    for row in rows:
        if style == "flat":
            out.append("".join(cell.replace("\n", "") for cell in row))
        elif style == "tabs":
            out.append("\t".join(row))
        else:
            for cell in row:
                out.append("\t" + cell)
            out.append("")
    return out


def _active_rows(values: dict, version: str) -> list[list[str]]:
    fmt = table_format("active", version)
    rows: list[list[str]] = []
    for block in fmt.blocks:
        rows.append([_ACTIVE_HEAD[block.name]])
        rows.append(["信息内容"] + [c.labels[0] if c.key != "amount_10k_yuan" else "本年收费金额（单位：万元）"
                                   for c in block.columns])
        for r in block.rows:
            label = r.labels[0]
            rows.append([label] + [_fmt(values.get(f"{r.key}.{c.key}")) for c in block.columns])
    return rows


def _application_rows(values: dict, version: str, style: str) -> list[list[str]]:
    fmt = table_format("applications", version)
    head = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["", "自然人", "法人或其他组织", "总计"],
        ["", ""] + ["商业\n企业" if style == "cells" else "商业企业", "科研机构", "社会公益组织",
                    "法律服务机构", "其他", ""],
    ]
    rows = list(head)
    for r in fmt.rows:
        labels = [lbl for lbl in _APP_LABELS[r.key]]
        if style in ("tabs", "flat"):
            labels = [lbl for lbl in labels if lbl] or labels[:1]
        rows.append(labels + [_fmt(values.get(f"{r.key}.{c.key}")) for c in APPLICANT_COLUMNS])
    return rows


def _review_rows(values: dict) -> list[list[str]]:
    sub = [c.labels[0] for c in REVIEW_COLUMNS]
    return [
        ["行政复议", "行政诉讼"],
        sub + ["未经复议直接起诉", "复议后起诉"],
        [""] * 5 + sub + sub,
        [_fmt(values.get(f"{g.key}.{c.key}")) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS],
    ]


def render_text(tables: dict[str, dict], spec: TextReportSpec | None = None, style: str = "tabs") -> str:
    spec = spec or TextReportSpec()
    v = spec.versions
    lines: list[str] = [
        f"{spec.agency}{spec.year}年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        f"本报告由{spec.agency}编制，统计数据时限为{spec.year}年1月1日至{spec.year}年12月31日。{spec.narrative}",
        "",
        "二、主动公开政府信息情况",
    ]
    lines += _emit(_active_rows(tables["active"], v["active"]), style)
    lines += ["", "三、收到和处理政府信息公开申请情况"]
    lines += _emit(_application_rows(tables["applications"], v["applications"], style), style)
    lines += ["", "四、政府信息公开行政复议、行政诉讼情况"]
    lines += _emit(_review_rows(tables["review_litigation"]), style)
    lines += ["", "五、存在的主要问题及改进情况", spec.problems, "", "六、其他需要报告的事项",
              "本年度未收取信息处理费。", "", spec.agency, spec.published, ""]
    if style == "flat":
        return lines[0] + "\n" + "".join(line for line in lines[1:] if line) + "\n"
    return "\n".join(lines)
