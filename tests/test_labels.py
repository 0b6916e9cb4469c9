"""Row labels are matched by meaning: numbering, width, traditional forms, spaces, breaks, typos."""

from __future__ import annotations

import pytest

from nianbao.tables.mapping import Observed, align
from nianbao.tables.text_rows import TextRow, Token
from nianbao.template.formats import APPLICATIONS_2021, APPLICATIONS_2019
from nianbao.template.labels import core, enumeration, similarity, strip_numbering, to_simplified

ROWS = APPLICATIONS_2021.rows


def best_row(label: str, fmt=APPLICATIONS_2021) -> str:
    obs = [Observed(TextRow([Token(label, 0, 1)]), [label])]
    _, pairs = align(obs, fmt.rows)
    assert pairs, label
    return fmt.rows[next(iter(pairs))].key


@pytest.mark.parametrize("label,key", [
    ("一、本年新收政府信息公开申请数量", "new_received"),
    ("1、本年新收政府信息公开申请数量", "new_received"),
    ("（一）予以公开", "granted"),
    ("(一) 予以公开", "granted"),
    ("(二) 部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
    ("1.属于国家秘密", "denied.state_secret"),
    ("１．属于国家秘密", "denied.state_secret"),
    ("2. 其他法律法规禁", "denied.law_prohibited"),
    ("2.其他法律行政止公开", "denied.law_prohibited"),
    ("3.危及“三安全一稳定”", "denied.three_safety"),
    ("1.本机关不掌控相关政府信息", "unavailable.not_held"),
    ("1.本機關不掌握相關政府信息", "unavailable.not_held"),
    ("3.要求提供公开出物", "not_processed.publication"),
    ("5.要求行政机关确认或重新出具以获取信息", "not_processed.confirm_reissue"),
    ("1.申请人无正当理由预期不补正、行政机关不再处理其政府信息公开申请", "other.no_correction"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.no_fee"),
    ("（七）总计", "results_total"),
    ("四、结 转 下 年 度 继 续 办 理", "carried_forward"),
    ("四、結轉下年度繼續辦理", "carried_forward"),
])
def test_application_row_labels(label, key):
    assert best_row(label) == key


def test_the_2019_single_other_row():
    assert best_row("（六）其他处理", APPLICATIONS_2019) == "other"


def test_numbering_variants_are_stripped():
    for raw in ("一、总体情况", "1、 总体情况", "3、总体情况", "（一）总体情况", "(一)总体情况", "①总体情况"):
        assert strip_numbering(raw).strip() == "总体情况", raw
    assert enumeration("（三）不予公开") == "(三)"


def test_core_folds_spaces_width_and_traditional():
    assert core("结 果 维 持") == "结果维持"
    assert core("結果維持") == "结果维持"
    assert core("（本列数据的勾稽关系为：第一项加第二项之和）") == "本列数据的勾稽关系为第一项加第二项之和"
    assert to_simplified("廣州市交通運輸局") == "广州市交通运输局"


def test_similarity_is_graded():
    assert similarity("结果维持", "结果维持") == 1.0
    assert 0.7 < similarity("其他法律法规禁止公开", "其他法律行政法规禁止公开") < 1.0
    assert similarity("予以公开", "属于国家秘密") == 0.0
