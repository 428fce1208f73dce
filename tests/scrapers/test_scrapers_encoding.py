"""Charset detection and decoding of Chinese pages, including mislabelled ones."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from scrapers.encoding import decode_body, detect_encoding, normalize_charset

DATA = Path(__file__).parent / "data"


def test_gb2312_page_with_gb18030_characters_decodes_fully() -> None:
    """A page declared gb2312 containing 镕, 𠀀 and 䶮 is decoded as gb18030 without loss."""
    body = (DATA / "gb2312_rare_chars.html").read_bytes()
    text = decode_body(body)
    assert detect_encoding(body) == "gb18030"
    assert "林晓镕" in text
    assert "生僻字测试：镕、𠀀、䶮。" in text
    assert "\ufffd" not in text
    soup = BeautifulSoup(text, "lxml")
    assert soup.h1 is not None and soup.h1.get_text() == "全省职工技能大赛在江城开幕"


def test_gbk_page_served_as_utf8_is_not_mojibake() -> None:
    """A GBK page with a Content-Type header claiming utf-8 still decodes correctly."""
    body = (DATA / "gbk_mislabelled_utf8.html").read_bytes()
    text = decode_body(body, content_type="text/html; charset=utf-8")
    assert "劳模创新工作室" in text
    assert "\ufffd" not in text


def test_gbk_page_served_as_latin1_is_redetected() -> None:
    """A GBK page labelled iso-8859-1 is recognised as Chinese, not shown as Latin mojibake."""
    body = (DATA / "gbk_mislabelled_utf8.html").read_bytes()
    text = decode_body(body, content_type="text/html; charset=ISO-8859-1")
    assert "能工巧匠" in text


def test_big5_page() -> None:
    """A Big5 page declared in <meta charset> decodes to traditional characters."""
    text = decode_body((DATA / "big5_page.html").read_bytes())
    assert "勞工權益講座" in text
    assert "加班費" in text


def test_header_charset_beats_meta_when_it_decodes() -> None:
    """The HTTP charset is preferred to a conflicting <meta> when it decodes strictly."""
    body = '<meta charset="gbk"><p>工會</p>'.encode("big5")
    assert detect_encoding(body, content_type="text/html; charset=big5") == "big5hkscs"


def test_xml_declaration_and_bom() -> None:
    """The XML declaration is honoured, and a UTF-8 BOM wins and is stripped."""
    xml = '<?xml version="1.0" encoding="GBK"?><rss><title>职工之家</title></rss>'
    assert "职工之家" in decode_body(xml.encode("gbk"))
    assert decode_body(b"\xef\xbb\xbf<p>ok</p>") == "<p>ok</p>"
    assert detect_encoding("工会".encode("utf-16")) == "utf-16"


def test_undeclared_gbk_is_detected_not_assumed_utf8() -> None:
    """Without any declaration, GBK bytes are detected rather than decoded as UTF-8."""
    body = "全省各级工会组织深入开展送温暖活动，走访慰问困难职工家庭。".encode("gbk")
    assert detect_encoding(body) == "gb18030"


def test_charset_aliases() -> None:
    """The GB family maps to gb18030, Big5 to big5hkscs, Latin-1 to cp1252; junk to None."""
    for label in ("gb2312", "GBK", "x-gbk", "gb_2312-80", "cp936", "GB18030"):
        assert normalize_charset(label) == "gb18030", label
    assert normalize_charset("big5") == "big5hkscs"
    assert normalize_charset("iso-8859-1") == "cp1252"
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("no-such-charset") is None


def test_undecodable_bytes_fall_back_to_replacement() -> None:
    """Bytes no encoding decodes still give text (with U+FFFD), never an exception."""
    text = decode_body(b"<p>\xff\xfe\xff\x00\x81</p>", content_type="text/html; charset=utf-8")
    assert text.startswith("<p>")


@given(st.text(alphabet=st.characters(codec="gb18030"), min_size=1, max_size=200))
def test_declared_gb18030_round_trips(text: str) -> None:
    """Any text encoded as gb18030 and labelled gb2312 decodes back to itself."""
    body = text.encode("gb18030")
    assert decode_body(body, content_type="text/html; charset=gb2312") == text.removeprefix(
        "\ufeff"
    )
