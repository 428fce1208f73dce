"""The coverage query language: Boolean expressions over Chinese text without spaces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.coverage.query import (
    DEFAULT_SYNONYMS,
    And,
    Not,
    Or,
    QueryError,
    Term,
    evaluate,
    keywords_query,
    parse,
    positive_terms,
)


def holds(query: str, text: str) -> bool:
    return evaluate(parse(query), lambda term: term.lower() in text.lower())


def test_operators_and_brackets():
    """AND, OR, NOT and brackets parse into the expected tree."""
    assert parse("宣传月 AND (工会 OR 职工) NOT 广告") == And((
        Term("宣传月"), Or((Term("工会"), Term("职工"))), Not(Term("广告"))))


def test_implicit_and_and_phrases():
    """Terms side by side mean AND; quoted phrases (ASCII or Chinese quotes) are one term."""
    assert parse('"当好主力军" 动员大会') == And((Term("当好主力军", phrase=True),
                                                 Term("动员大会")))
    assert parse("“建功 十一五” 大会") == And((Term("建功 十一五", phrase=True), Term("大会")))


def test_operators_touching_chinese_and_full_width_brackets():
    """"工会OR职工" splits at the capitalised operator; （ ） work as brackets."""
    assert parse("工会OR职工") == Or((Term("工会"), Term("职工")))
    assert parse("宣传月（工会 OR 职工）") == And((Term("宣传月"),
                                                Or((Term("工会"), Term("职工")))))


def test_minus_is_not_and_lowercase_words_are_terms():
    """A leading minus negates; lowercase "or" is an ordinary word."""
    assert parse("动员大会 -江苏") == And((Term("动员大会"), Not(Term("江苏"))))
    assert parse("cctv or") == And((Term("cctv"), Term("or")))


@pytest.mark.parametrize("query,text,expected", [
    ("宣传月 AND (工会 OR 职工) NOT 广告", "省总工会启动宣传月活动", True),
    ("宣传月 AND (工会 OR 职工) NOT 广告", "宣传月期间职工购物广告", False),
    ("宣传月 AND (工会 OR 职工) NOT 广告", "宣传月开幕", False),
    ("动员大会 -江苏", "江苏省总工会召开动员大会", False),
    ("CCTV 报道", "cctv新闻报道", True),
])
def test_evaluation_on_chinese_text(query, text, expected):
    """Evaluation follows the Boolean logic with substring terms, Latin case ignored."""
    assert holds(query, text) is expected


@pytest.mark.parametrize("query,position,fragment", [
    ("", 0, "查询为空"),
    ("(工会 OR 职工", 0, "括号没有闭合"),
    ("工会 OR", 3, "后面缺少检索词"),
    ("AND 工会", 0, "前面缺少检索词"),
    ("工会 )", 3, "多余的右括号"),
    ('"当好主力军 大会', 0, "引号没有闭合"),
    ("宣传月 ( )", 4, "括号中没有内容"),
    ("NOT 广告", 0, "不带 NOT"),
])
def test_errors_point_at_the_spot(query, position, fragment):
    """A query that does not parse says what is wrong and where."""
    with pytest.raises(QueryError) as raised:
        parse(query)
    assert raised.value.position == position
    assert fragment in raised.value.message


@given(st.text(alphabet="宣传月工会 ()\"ANDORNOT-职工", max_size=30))
def test_parser_never_crashes(query):
    """Any input either parses or raises QueryError — never another exception."""
    try:
        node = parse(query)
    except QueryError:
        return
    assert positive_terms(node)


def test_synonym_groups():
    """新闻发布会 expands to the briefing group; a word without synonyms stays alone."""
    assert "新闻通气会" in DEFAULT_SYNONYMS.expand("新闻发布会")
    assert DEFAULT_SYNONYMS.expand("宣教部") == ("宣教部",)


def test_keywords_query_quotes_spaced_words():
    """A keyword list becomes an OR query, quoting words with spaces."""
    assert keywords_query(["动员大会", "建功 十一五", " "]) == '动员大会 OR "建功 十一五"'
    assert parse(keywords_query(["动员大会", "建功 十一五"])) == Or((
        Term("动员大会"), Term("建功 十一五", phrase=True)))
