import pytest

from nlp.numbers import parse_chinese_number, parse_number_text


@pytest.mark.parametrize("text,value", [
    ("一万三千五百六十八", 13568), ("两千", 2000), ("二〇二五", 2025), ("十一点一", 11.1),
    ("百分之十一点一", 11.1), ("1.2万", 12000), ("4.5亿", 450_000_000), ("196.4万", 1_964_000),
    ("十", 10), ("二十", 20), ("一百零五", 105), ("三千零五十", 3050), ("十万", 100_000),
    ("一亿二千万", 120_000_000), ("５０", 50), ("六", 6), ("6,700", 6700), ("零", 0),
])
def test_values(text, value):
    assert parse_number_text(text) == value


@pytest.mark.parametrize("text", ["", "第", "一批", "abc", "十点"])
def test_not_numbers(text):
    assert parse_chinese_number(text) is None
