"""Rows and columns from geometry: numbers go to the column their box overlaps."""

from __future__ import annotations

from nianbao.layout.grid import table_rows
from nianbao.layout.objects import Char, Edge, Word


def word(text: str, x0: float, top: float, size: float = 10.0, page: int = 1) -> Word:
    chars = [Char(ch, x0 + i * size, x0 + (i + 1) * size, top, top + size, size) for i, ch in enumerate(text)]
    return Word(chars, page)


def texts(rows):
    return [[t.text for t in r.tokens] for r in rows]


def test_a_missing_middle_number_leaves_its_column_empty():
    words = [
        word("结果维持", 100, 10), word("结果纠正", 160, 10), word("总计", 220, 10),
        word("1", 110, 40), word("3", 225, 40),  # 结果纠正 printed empty
        word("2", 110, 70), word("5", 170, 70), word("7", 225, 70),
    ]
    rows = table_rows(words, {1: []})
    assert texts(rows)[-2:] == [["1", "", "3"], ["2", "5", "7"]]


def test_a_column_empty_in_every_row_comes_from_its_header():
    words = [word("维持", 100, 10), word("纠正", 160, 10), word("总计", 220, 10),
             word("1", 105, 40), word("1", 225, 40)]
    rows = table_rows(words, {1: []})
    assert texts(rows)[-1] == ["1", "", "1"]


def test_a_wrapped_label_joins_the_row_between_its_rules():
    # label on two lines, number on the second line's level; rules above and below the row
    words = [word("（二）部分公开（区分", 10, 12), word("处理的）", 10, 24), word("9", 300, 24),
             word("（三）不予公开", 10, 52), word("4", 300, 52)]
    edges = {1: [Edge("h", 0, 400, 8, 8), Edge("h", 0, 400, 44, 44), Edge("h", 0, 400, 70, 70)]}
    rows = table_rows(words, edges)
    assert texts(rows) == [["（二）部分公开（区分", "处理的）", "9"], ["（三）不予公开", "4"]]


def test_vertical_rules_give_the_cells_of_a_row():
    words = [word("规章", 10, 20), word("3", 130, 20), word("8", 330, 20)]
    edges = {1: [Edge("v", x, x, 10, 40) for x in (0, 100, 200, 300, 400)]}
    rows = table_rows(words, edges)
    assert texts(rows) == [["规章", "3", "", "8"]]
    assert rows[0].tokens[2].bbox == [200, 20, 300, 30]


def _ruled(xs, ys, top=0.0, bottom=None):
    bottom = ys[-1] if bottom is None else bottom
    return ([Edge("h", xs[0], xs[-1], y, y) for y in ys] + [Edge("v", x, x, top, bottom) for x in xs])


def test_a_number_a_line_above_the_others_in_its_ruled_row_stays_in_that_row():
    # （二）部分公开: the 总计 cell holds an empty paragraph under its number, so "3" stands a
    # line higher than the applicant columns; the next row is ruled off below
    words = [word("（二）部分公开（区", 10, 12), word("分处理的）", 10, 24), word("3", 310, 12),
             word("3", 110, 24), word("0", 210, 24),
             word("（三）不予公开", 10, 52), word("4", 110, 52), word("0", 210, 52), word("4", 310, 52)]
    rows = table_rows(words, {1: _ruled([0, 100, 200, 300, 400], [8, 44, 70])})
    assert texts(rows) == [["（二）部分公开（区", "分处理的）", "3", "0", "3"], ["（三）不予公开", "4", "0", "4"]]


def test_two_full_rows_inside_one_frame_stay_two_rows():
    # only a frame around the table: both lines have a number in every column
    words = [word("一", 10, 12), word("1", 110, 12), word("2", 210, 12),
             word("二", 10, 30), word("3", 110, 30), word("4", 210, 30)]
    rows = table_rows(words, {1: _ruled([0, 100, 200, 300], [8, 50])})
    assert texts(rows) == [["一", "1", "2"], ["二", "3", "4"]]


def test_a_rule_between_two_touching_characters_parts_the_words():
    # OCR boxes: the label's last character overlaps the rule; the number touches it
    from nianbao.layout.words import page_lines

    chars = [Char("件", 217.3, 232.7, 90, 100, 10), Char("5", 232.7, 243.8, 90, 100, 10),
             Char("8", 243.8, 250.6, 90, 100, 10)]
    lines = page_lines(chars, [Edge("v", 231.6, 231.6, 80, 110)], 1)
    assert [w.text for w in lines[0].words] == ["件", "58"]
    assert [w.text for w in page_lines(chars, [], 1)[0].words] == ["件58"]
