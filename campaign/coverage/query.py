"""Coverage queries: keywords or a Boolean expression that works on Chinese text.

    宣传月 AND (工会 OR 职工) NOT 广告
    "当好主力军" 动员大会            (implicit AND between terms)
    动员大会 -江苏                   (- is NOT)

Terms match as substrings (Chinese has no spaces between words); Latin letters match without
regard to case. AND, OR and NOT are operators when written in capitals, also when they touch
Chinese characters ("工会OR职工"). A query that does not parse raises QueryError with the
position of the problem, so the form can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _

OPERATORS = {"AND", "OR", "NOT"}
QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
# Break terms at spaces, brackets, quotes and at capitalised operators next to non-Latin text.
TOKEN = re.compile(
    r"""\s+
      | (?P<open>[(（])
      | (?P<close>[)）])
      | (?P<quote>["“「『])
      | (?P<op>(?<![A-Za-z])(?:AND|OR|NOT)(?![A-Za-z]))
      | (?P<minus>-(?=\S))
      | (?P<term>[^\s()（）"“”「」『』]+?)
        (?=\s|[()（）"“「『]|(?<![A-Za-z])(?:AND|OR|NOT)(?![A-Za-z])|$)
    """,
    re.VERBOSE,
)


class QueryError(ValueError):
    """A query that does not parse; `position` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(_("%(message)s（第 %(n)d 个字符处）", message=message, n=position + 1))
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = Term | And | Or | Not


@dataclass
class _Token:
    kind: str  # term, phrase, and, or, not, open, close
    text: str
    position: int


def normalise(text: str) -> str:
    """How terms and texts are compared: Latin case folded, full-width letters made half-width.
    (Positions are kept: every character maps to exactly one character.)"""
    if _HAS_FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH)
    return text.lower()


_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_HAS_FULLWIDTH = re.compile("[\uff01-\uff5e]")


def _read_phrase(query: str, start: int, opener: str) -> tuple[_Token, int]:
    closer = QUOTES[opener]
    end = query.find(closer, start + 1)
    if end < 0:
        raise QueryError(_("引号没有闭合"), start)
    text = query[start + 1:end].strip()
    if not text:
        raise QueryError(_("引号中没有内容"), start)
    return _Token("phrase", text, start), end + 1


def tokenize(query: str) -> list[_Token]:
    """Split a query into terms, phrases, operators and brackets."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(query):
        match = TOKEN.match(query, pos)
        if match is None:  # pragma: no cover - the pattern matches any character
            raise QueryError(_("无法识别的字符"), pos)
        kind = match.lastgroup
        if kind == "quote":
            token, pos = _read_phrase(query, pos, match.group("quote"))
            tokens.append(token)
            continue
        if kind == "open":
            tokens.append(_Token("open", "(", pos))
        elif kind == "close":
            tokens.append(_Token("close", ")", pos))
        elif kind == "op":
            tokens.append(_Token(match.group("op").lower(), match.group("op"), pos))
        elif kind == "minus":
            tokens.append(_Token("not", "-", pos))
        elif kind == "term":
            tokens.append(_Token("term", match.group("term"), pos))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = tokenize(query)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError(_("查询为空"), 0)
        node = self.parse_or()
        extra = self.peek()
        if extra is not None:
            raise QueryError(_("多余的右括号") if extra.kind == "close" else _("无法理解这里"),
                             extra.position)
        return node

    def parse_or(self) -> Node:
        parts = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            parts.append(self.parse_and(after=token))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def parse_and(self, after: _Token | None = None) -> Node:
        parts = [self.parse_not(after)]
        while (token := self.peek()) is not None and token.kind in ("and", "not", "term",
                                                                     "phrase", "open"):
            if token.kind == "and":
                self.take()
                parts.append(self.parse_not(token))
            else:
                parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_not(self, after: _Token | None = None) -> Node:
        token = self.peek()
        if token is not None and token.kind == "not":
            self.take()
            return Not(self.parse_atom(token))
        return self.parse_atom(after)

    def parse_atom(self, after: _Token | None = None) -> Node:
        token = self.peek()
        if token is None:
            where = after.position if after else len(self.query)
            message = (_("“%(word)s”后面缺少检索词", word=after.text) if after
                       else _("缺少检索词"))
            raise QueryError(message, where)
        if token.kind in ("term", "phrase"):
            self.take()
            return Term(token.text, phrase=token.kind == "phrase")
        if token.kind == "open":
            self.take()
            if (inner := self.peek()) is not None and inner.kind == "close":
                raise QueryError(_("括号中没有内容"), token.position)
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != "close":
                raise QueryError(_("括号没有闭合"), token.position)
            self.take()
            return node
        if token.kind == "close":
            raise QueryError(_("多余的右括号"), token.position)
        raise QueryError(_("“%(word)s”前面缺少检索词", word=token.text), token.position)


def parse(query: str) -> Node:
    """Parse a query; raise QueryError pointing at the problem. A query must include at least
    one term that is not negated (a query of only NOT would match almost everything)."""
    node = _Parser(query).parse()
    if not positive_terms(node):
        raise QueryError(_("查询至少需要一个不带 NOT 的检索词"), 0)
    return node


def terms(node: Node) -> list[str]:
    """Every term of the query, in order, without repeats."""
    out: dict[str, None] = {}
    _walk(node, lambda term, _negated: out.setdefault(term.text, None))
    return list(out)


def positive_terms(node: Node) -> list[str]:
    """The terms that count for a match (not under a NOT)."""
    out: dict[str, None] = {}
    _walk(node, lambda term, negated: None if negated else out.setdefault(term.text, None))
    return list(out)


def _walk(node: Node, visit: Callable[[Term, bool], object], negated: bool = False) -> None:
    if isinstance(node, Term):
        visit(node, negated)
    elif isinstance(node, Not):
        _walk(node.part, visit, not negated)
    else:
        for part in node.parts:
            _walk(part, visit, negated)


@dataclass(frozen=True)
class SynonymGroups:
    """Words that mean the same for matching (新闻通气会 / 新闻发布会 / 通气会 …)."""

    groups: tuple[tuple[str, ...], ...]
    _index: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for group in self.groups:
            for word in group:
                self._index[normalise(word)] = group

    def expand(self, term: str) -> tuple[str, ...]:
        """The term and its synonyms (the term alone when it has none)."""
        return self._index.get(normalise(term), (term,))


DEFAULT_SYNONYMS = SynonymGroups((
    ("新闻通气会", "新闻发布会", "通气会", "情况通报会", "发布会", "新闻吹风会"),
    ("动员大会", "庆祝大会", "动员会", "誓师大会"),
    ("欢送", "送行", "欢送仪式"),
    ("劳动模范", "劳模"),
    ("农民工", "民工", "外来务工人员"),
    ("直播", "现场直播", "直播咨询"),
    ("社论", "本报社论"),
    ("评论员文章", "本报评论员", "评论员"),
    ("宣传月", "宣传月活动"),
))


def evaluate(node: Node, present: Callable[[str], bool]) -> bool:
    """Whether the query holds, given which terms are present in the text."""
    if isinstance(node, Term):
        return present(node.text)
    if isinstance(node, Not):
        return not evaluate(node.part, present)
    if isinstance(node, And):
        return all(evaluate(part, present) for part in node.parts)
    return any(evaluate(part, present) for part in node.parts)


def keywords_query(keywords: Iterable[str]) -> str:
    """A query from a keyword list: any of them (quoted when they contain spaces)."""
    words = [k.strip() for k in keywords if k.strip()]
    return " OR ".join(f'"{w}"' if re.search(r"\s|[()]", w) else w for w in words)
