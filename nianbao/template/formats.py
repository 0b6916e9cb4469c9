"""The national format as data: the three tables in both versions, with canonical keys.

Keys are the contract of spec/template.md: a cell key is ``<row>.<column>`` and
``table.key`` is unique across a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

V2019, V2021 = "2019", "2021"
VERSIONS = (V2021, V2019)

COUNT, AMOUNT, SIGNED = "count", "amount", "signed"


@dataclass(frozen=True)
class Column:
    key: str
    labels: tuple[str, ...]
    kind: str = COUNT  # count (non-negative integer) | amount (decimal) | signed (integer, +/-)
    unit: str | None = None  # the unit the column is printed in, where the format names one


@dataclass(frozen=True)
class Row:
    key: str
    labels: tuple[str, ...]
    group: str | None = None  # the merged heading the row sits under, e.g. （三）不予公开


@dataclass(frozen=True)
class Block:
    """A run of rows sharing one set of columns (the 第二十条 items of table `active`)."""

    name: str
    heading: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TableFormat:
    table: str
    version: str
    blocks: tuple[Block, ...]
    # Words whose presence in the printed table points at this version.
    markers: tuple[str, ...] = ()

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(f"{r.key}.{c.key}" for b in self.blocks for r in b.rows for c in b.columns)

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for b in self.blocks for r in b.rows)

    def block_of(self, row_key: str) -> Block:
        for b in self.blocks:
            if any(r.key == row_key for r in b.rows):
                return b
        raise KeyError(row_key)

    def column(self, key: str) -> Column:
        row_key, col_key = key.rsplit(".", 1)
        for c in self.block_of(row_key).columns:
            if c.key == col_key:
                return c
        raise KeyError(key)


# --- table active (二、主动公开政府信息情况) -----------------------------------

_A21_ART1 = (
    Column("issued", ("本年制发件数",)),
    Column("repealed", ("本年废止件数",)),
    Column("in_force", ("现行有效件数",)),
)
_A19_ART1 = (
    Column("new_made", ("本年新制作数量",)),
    Column("new_published", ("本年新公开数量",)),
    Column("total_public", ("对外公开总数量",)),
)
_A19_SERVICE = (
    Column("prev_count", ("上一年项目数量",)),
    Column("change", ("本年增/减", "本年增减"), SIGNED),
    Column("decisions", ("处理决定数量",)),
)
_ART1_ROWS = (
    Row("art20_1.rules", ("规章",)),
    Row("art20_1.normative_documents", ("行政规范性文件", "规范性文件")),
)

ACTIVE_2021 = TableFormat(
    "active", V2021,
    (
        Block("art20_1", ("第二十条第一项",), _A21_ART1, _ART1_ROWS),
        Block("art20_5", ("第二十条第五项",), (Column("decisions", ("本年处理决定数量",)),),
              (Row("art20_5.licensing", ("行政许可",)),)),
        Block("art20_6", ("第二十条第六项",), (Column("decisions", ("本年处理决定数量",)),),
              (Row("art20_6.penalty", ("行政处罚",)), Row("art20_6.enforcement", ("行政强制",)))),
        Block("art20_8", ("第二十条第八项",),
              (Column("amount_10k_yuan", ("本年收费金额单位万元", "本年收费金额"), AMOUNT, "万元"),),
              (Row("art20_8.fees", ("行政事业性收费",)),)),
    ),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
)

ACTIVE_2019 = TableFormat(
    "active", V2019,
    (
        Block("art20_1", ("第二十条第一项",), _A19_ART1, _ART1_ROWS),
        Block("art20_5", ("第二十条第五项",), _A19_SERVICE,
              (Row("art20_5.licensing", ("行政许可",)),
               Row("art20_5.other_services", ("其他对外管理服务事项",)))),
        Block("art20_6", ("第二十条第六项",), _A19_SERVICE,
              (Row("art20_6.penalty", ("行政处罚",)), Row("art20_6.enforcement", ("行政强制",)))),
        Block("art20_8", ("第二十条第八项",), _A19_SERVICE[:2],
              (Row("art20_8.fees", ("行政事业性收费",)),)),
        Block("art20_9", ("第二十条第九项",),
              (Column("items", ("采购项目数量",)), Column("amount", ("采购总金额",), AMOUNT)),
              (Row("art20_9.procurement", ("政府集中采购",)),)),
    ),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
             "本年增减", "采购项目数量", "采购总金额", "其他对外管理服务事项", "政府集中采购"),
)

# --- table applications (三、收到和处理政府信息公开申请情况) ---------------------

APPLICANT_COLUMNS = (
    Column("natural_person", ("自然人",)),
    Column("commercial", ("商业企业",)),
    Column("research", ("科研机构",)),
    Column("social_welfare", ("社会公益组织",)),
    Column("legal_service", ("法律服务机构",)),
    Column("other_org", ("其他",)),
    Column("total", ("总计",)),
)
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS[:-1])

_G3 = "三本年度办理结果"
_DENIED = "不予公开"
_UNAVAILABLE = "无法提供"
_NOT_PROCESSED = "不予处理"
_OTHER = "其他处理"

_APP_HEAD = (
    Row("new_received", ("本年新收政府信息公开申请数量",)),
    Row("carried_over", ("上年结转政府信息公开申请数量",)),
    Row("granted", ("予以公开",), _G3),
    Row("partially_granted", ("部分公开区分处理的只计这一情形不计其他情形", "部分公开"), _G3),
    Row("denied.state_secret", ("属于国家秘密",), _DENIED),
    Row("denied.law_prohibited", ("其他法律行政法规禁止公开",), _DENIED),
    Row("denied.three_safety", ("危及三安全一稳定",), _DENIED),
    Row("denied.third_party", ("保护第三方合法权益",), _DENIED),
    Row("denied.internal_affairs", ("属于三类内部事务信息",), _DENIED),
    Row("denied.process_info", ("属于四类过程性信息",), _DENIED),
    Row("denied.enforcement_file", ("属于行政执法案卷",), _DENIED),
    Row("denied.admin_query", ("属于行政查询事项",), _DENIED),
    Row("unavailable.not_held", ("本机关不掌握相关政府信息",), _UNAVAILABLE),
    Row("unavailable.needs_creation", ("没有现成信息需要另行制作",), _UNAVAILABLE),
    Row("unavailable.unclear", ("补正后申请内容仍不明确",), _UNAVAILABLE),
    Row("not_processed.petition", ("信访举报投诉类申请",), _NOT_PROCESSED),
    Row("not_processed.duplicate", ("重复申请",), _NOT_PROCESSED),
    Row("not_processed.publication", ("要求提供公开出版物",), _NOT_PROCESSED),
    Row("not_processed.mass_repeated", ("无正当理由大量反复申请",), _NOT_PROCESSED),
    Row("not_processed.confirm_reissue", ("要求行政机关确认或重新出具已获取信息",), _NOT_PROCESSED),
)
_APP_TAIL = (
    Row("results_total", ("总计",), _G3),
    Row("carried_forward", ("结转下年度继续办理",)),
)
_OTHER_2021 = (
    Row("other.no_correction",
        ("申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请", "逾期不补正"), _OTHER),
    Row("other.no_fee",
        ("申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请", "逾期未按收费通知要求缴纳费用"),
        _OTHER),
    Row("other.other", ("其他",), _OTHER),
)

APPLICATIONS_2021 = TableFormat(
    "applications", V2021,
    (Block("applications", ("收到和处理政府信息公开申请情况",), APPLICANT_COLUMNS,
           _APP_HEAD + _OTHER_2021 + _APP_TAIL),),
    markers=("逾期不补正", "缴纳费用"),
)
APPLICATIONS_2019 = TableFormat(
    "applications", V2019,
    (Block("applications", ("收到和处理政府信息公开申请情况",), APPLICANT_COLUMNS,
           _APP_HEAD + (Row("other", ("其他处理",), _G3),) + _APP_TAIL),),
)

RESULT_ROWS_2021 = tuple(r.key for r in APPLICATIONS_2021.rows[2:-2])
RESULT_ROWS_2019 = tuple(r.key for r in APPLICATIONS_2019.rows[2:-2])

# --- table review_litigation (四、政府信息公开行政复议、行政诉讼情况) -------------

REVIEW_COLUMNS = (
    Column("upheld", ("结果维持",)),
    Column("corrected", ("结果纠正",)),
    Column("other", ("其他结果",)),
    Column("pending", ("尚未审结",)),
    Column("total", ("总计",)),
)
REVIEW_GROUPS = (
    Row("review", ("行政复议",)),
    Row("litigation_direct", ("未经复议直接起诉",)),
    Row("litigation_after_review", ("复议后起诉",)),
)


def _review(version: str) -> TableFormat:
    return TableFormat(
        "review_litigation", version,
        (Block("review_litigation", ("行政复议行政诉讼情况",), REVIEW_COLUMNS, REVIEW_GROUPS),),
    )


REVIEW_2021 = _review(V2021)
REVIEW_2019 = _review(V2019)

FORMATS: dict[tuple[str, str], TableFormat] = {
    (f.table, f.version): f
    for f in (ACTIVE_2021, ACTIVE_2019, APPLICATIONS_2021, APPLICATIONS_2019, REVIEW_2021, REVIEW_2019)
}


def table_format(table: str, version: str) -> TableFormat:
    return FORMATS[(table, version)]


# --- the six parts -------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    number: int
    title: str
    # Regular expressions (on the label core) that identify the heading.
    patterns: tuple[str, ...]
    table: str | None = None
    # Words (label cores) that open and close the part's table, to find it without its heading.
    start_markers: tuple[str, ...] = ()
    end_markers: tuple[str, ...] = ()


PARTS = (
    Part(1, "总体情况", (r"^(政府信息公开)?(工作)?总体情况", r"^(年度)?(政府信息公开)?(工作)?(概述|概况|基本情况)$")),
    Part(2, "主动公开政府信息情况", (r"^主动公开政府信息(的)?情况",), "active",
         start_markers=("第二十条第一项", "本年制发件数", "本年新制作数量"),
         end_markers=("行政事业性收费", "政府集中采购")),
    Part(3, "收到和处理政府信息公开申请情况", (r"^收到和处理政府信息公开申请(的)?情况",), "applications",
         start_markers=("勾稽关系", "申请人情况", "本年新收政府信息公开申请数量"),
         end_markers=("结转下年度继续办理",)),
    Part(4, "政府信息公开行政复议、行政诉讼情况",
         (r"^(因)?政府信息公开(申请)?(引起的)?行政(法)?复议.{0,3}行政诉讼(的)?情况",
          r"^政府信息公开行政复议行政诉讼情况"), "review_litigation",
         start_markers=("行政复议行政诉讼", "未经复议直接起诉"), end_markers=()),
    Part(5, "存在的主要问题及改进情况",
         (r"^(政府信息公开)?(工作)?存在的(主要)?问题(及|和|与)改进(情况|措施)", r"^(政府信息公开)?(工作)?存在的(主要)?问题",)),
    Part(6, "其他需要报告的事项", (r"^其他需要报告的事项",)),
)
