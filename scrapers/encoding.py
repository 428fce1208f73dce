"""Turn the bytes of a Chinese web page or feed into text without mojibake.

The order of evidence is: byte-order mark, the HTTP ``Content-Type`` charset, the XML
declaration, a ``<meta>`` charset in the first 4 KB, then statistical detection. Every declared
charset is checked by decoding strictly, because Chinese sites often mislabel their pages
(``charset=utf-8`` on GBK bytes, ``iso-8859-1`` on anything). The GB family (gb2312, gbk, ...)
is always decoded as its superset gb18030 so that characters such as 镕 survive.
"""

from __future__ import annotations

import codecs
import logging
import re

import charset_normalizer

logger = logging.getLogger(__name__)

__all__ = ["decode_body", "decode_reporting", "detect_encoding", "normalize_charset"]

_SNIFF_BYTES = 4096
_ASCII_BYTES = bytes(range(0x80))
# a body must carry this many non-ASCII bytes before valid UTF-8 overrules a GB/Big5 label
_UTF8_EVIDENCE_BYTES = 12

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_GB_ALIASES = frozenset(
    {
        "gb2312",
        "gbk",
        "x-gbk",
        "gb_2312-80",
        "gb2312-80",
        "gb_2312",
        "cp936",
        "ms936",
        "windows-936",
        "euc-cn",
        "x-euc-cn",
        "csgb2312",
        "chinese",
        "csiso58gb231280",
        "iso-ir-58",
        "gb18030",
        "gb-18030",
    }
)
_BIG5_ALIASES = frozenset(
    {"big5", "big-5", "x-x-big5", "csbig5", "cn-big5", "big5-hkscs", "big5hkscs", "cp950"}
)
_WIDE_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
_CJK_CODECS = frozenset({"gb18030", "big5hkscs"})
# detection is limited to what Chinese news sites actually use; short GBK text otherwise
# tends to be "detected" as EUC-KR or Shift_JIS
_DETECTION_CANDIDATES = ["utf_8", "gb18030", "big5hkscs", "cp1252"]

_CODEC_FAMILY = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']\s*([\w.:+-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.IGNORECASE | re.DOTALL
)
# A declared charset that fails on at most this many spots (and on at most 5 % of the
# non-ASCII text) is a stray byte in a rightly labelled body: keep the label, warn, and do
# not let detection read the whole body as another charset (Big5 read as GB18030 is mojibake).
_STRAY_BYTES = 8
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def normalize_charset(name: str | None) -> str | None:
    """Map a declared charset label to the Python codec that should decode it, or None.

    The GB family becomes ``gb18030``, the Big5 family ``big5hkscs`` and ISO-8859-1/ASCII
    ``cp1252`` (as browsers do). Unknown labels give None.
    """
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in _GB_ALIASES:
        return "gb18030"
    if label in _BIG5_ALIASES:
        return "big5hkscs"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return _CODEC_FAMILY.get(codec, codec)


def _bom_encoding(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def _declared(body: bytes, content_type: str | None) -> list[str]:
    """Charsets declared by the header, the XML declaration and <meta>, in that order."""
    labels: list[str] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            labels.append(match.group(1))
    head = body[:_SNIFF_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        found = pattern.search(head)
        if found:
            labels.append(found.group(1).decode("ascii", "ignore"))
    result: list[str] = []
    for label in labels:
        codec = normalize_charset(label)
        if codec in _WIDE_CODECS:
            codec = "utf-8"  # an ASCII-readable declaration cannot be UTF-16 without a BOM
        if codec and codec not in result:
            result.append(codec)
    return result


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _non_ascii_count(body: bytes) -> int:
    return len(body.translate(None, _ASCII_BYTES))


def _mostly_cjk(text: str) -> bool:
    wide = [char for char in text if ord(char) >= 0x80]
    if not wide:
        return False
    return len(_CJK_CHAR.findall(text)) * 2 >= len(wide)


def _sniff(body: bytes) -> str | None:
    """Guess an encoding from the bytes alone; every answer is checked by a strict decode."""
    if _non_ascii_count(body) == 0:
        return "utf-8"
    if _decodes(body, "utf-8"):
        return "utf-8"
    best = charset_normalizer.from_bytes(body, cp_isolation=_DETECTION_CANDIDATES).best()
    if best is not None:
        codec = normalize_charset(best.encoding)
        if codec and _decodes(body, codec):
            return codec
    for codec in ("gb18030", "big5hkscs"):
        if _decodes(body, codec) and _mostly_cjk(body.decode(codec)):
            return codec
    return None


def _accept_declared(body: bytes, codec: str) -> str | None:
    """Return the codec to use if the declared ``codec`` is believable for ``body``."""
    if not _decodes(body, codec):
        return None
    non_ascii = _non_ascii_count(body)
    if codec == "cp1252" and non_ascii:
        sniffed = _sniff(body)
        if sniffed in _CJK_CODECS or sniffed == "utf-8":
            return sniffed
    if codec in _CJK_CODECS and non_ascii >= _UTF8_EVIDENCE_BYTES and _decodes(body, "utf-8"):
        return "utf-8"
    return codec


def _stray_errors(body: bytes, codec: str) -> int | None:
    """How many spots of ``body`` ``codec`` cannot decode, when they are few; else None."""
    if codec == "cp1252":
        return None
    try:
        text = body.decode(codec, errors="replace")
    except LookupError:
        return None
    errors = text.count("\ufffd")
    wide = sum(1 for char in text if ord(char) >= 0x80)
    return errors if errors <= _STRAY_BYTES and errors * 20 <= wide else None


def _detect(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """The codec and, when the declared charset was kept despite a few bad bytes, a warning."""
    bom = _bom_encoding(body)
    if bom:
        return bom, None
    declared = _declared(body, content_type)
    for codec in declared:
        accepted = _accept_declared(body, codec)
        if accepted:
            return accepted, None
        logger.debug("declared charset %s does not decode the body", codec)
    for codec in declared:
        errors = _stray_errors(body, codec)
        if errors:
            return codec, f"charset:{codec}:{errors}"
    sniffed = _sniff(body)
    if sniffed:
        return sniffed, None
    fallback = declared[0] if declared else "gb18030"
    logger.info("no charset decodes the body cleanly; using %s with replacement", fallback)
    return fallback, f"charset:{fallback}:0"


def detect_encoding(body: bytes, *, content_type: str | None = None) -> str:
    """Return the Python codec name that decodes ``body`` best.

    ``content_type`` is the HTTP ``Content-Type`` header, if any. A declared charset that does
    not decode the bytes strictly is ignored in favour of detection, unless it fails on only a
    few stray bytes (see :func:`decode_reporting`).
    """
    return _detect(body, content_type)[0]


def decode_reporting(body: bytes, *, content_type: str | None = None) -> tuple[str, str | None]:
    """The text of ``body`` (as :func:`decode_body`) and a warning code when some bytes could
    not be decoded: ``charset:CODEC:N`` — the declared charset was kept although N bytes
    (0: an unknown number) did not fit it, and became U+FFFD. Never raises."""
    codec, warning = _detect(body, content_type)
    return _decode(body, codec), warning


def decode_body(body: bytes, *, content_type: str | None = None) -> str:
    """Decode ``body`` to text (see :func:`detect_encoding`); never raises on bad bytes.

    Undecodable bytes become U+FFFD only when no encoding decodes the body strictly.
    """
    return _decode(body, detect_encoding(body, content_type=content_type))


def _decode(body: bytes, codec: str) -> str:
    if codec == "utf-8" and body.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = body.decode(codec)
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")
