"""One normalisation of text for matching, applied to plans and articles alike.

Reports of one event are written by many hands: 庆祝“五一”大会 and 庆祝五一大会, full-width and
half-width digits, a traditional-character reprint, a line break in the middle of a name. Before
anything is compared, text is folded: compatibility forms made plain (NFKC: full-width letters
and digits become ASCII), traditional characters made simplified (OpenCC's t2s tables, which ship
inside the package: nothing is downloaded), Latin case folded, and every space, quotation mark
and punctuation mark dropped. What is left is compared as character bigrams, which need no
dictionary and survive the lack of spaces between Chinese words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Keeps letters, digits and CJK ideographs; everything else (spaces, punctuation, quotes,
# symbols, underscores) separates nothing once dropped.
_NOT_WORD = re.compile(r"[\W_]+")
_T2S = opencc.OpenCC("t2s")

# Characters that carry grammar rather than subject matter. A bigram made of two of them says
# nothing about which event a text reports; one with a single such character says little.
GRAMMAR_CHARS = frozenset("的了在和与及是为对将于中也等并已把被从向以之其这那有个们上下")


# The ideograph blocks OpenCC's tables cover (CJK extension A and the unified ideographs).
_IDEOGRAPHS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    """A character class of the ideographs t2s changes on their own: a text with none of them
    is already simplified, and converting it would give it back unchanged (most articles are:
    the conversion is the costliest step of folding, so it is skipped for them)."""
    chars = [chr(code) for first, last in _IDEOGRAPHS for code in range(first, last + 1)]
    converted = _T2S.convert("\n".join(chars)).split("\n")
    changed = [char for char, simple in zip(chars, converted, strict=True) if char != simple]
    return re.compile("[" + "".join(changed) + "]")


def fold(text: str) -> str:
    """`text` as matching compares it: NFKC, simplified, lower case, without spaces or
    punctuation."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKC", text)
    if _traditional().search(plain):
        plain = _T2S.convert(plain)
    if not plain.isalnum():  # (what `\w` keeps is what isalnum calls alphanumeric, and "_")
        plain = _NOT_WORD.sub("", plain)
    return plain.lower()


@lru_cache(maxsize=4096)
def fold_term(term: str) -> str:
    """A query term or keyword folded (cached: the same few terms are folded again and again)."""
    return fold(term)


def bigrams(folded: str) -> set[str]:
    """The distinct character bigrams of folded text (a single character counts as itself)."""
    if len(folded) < 2:
        return {folded} if folded else set()
    return {folded[i:i + 2] for i in range(len(folded) - 1)}


def bigram_weight(bigram: str) -> float:
    """How much a bigram can say about a subject: grammar characters weigh little."""
    grammar = sum(char in GRAMMAR_CHARS for char in bigram)
    return (1.0, 0.4, 0.0)[min(grammar, 2)]


NATIONAL = ("全国", "全总", "国家")  # national bodies and scope
