"""Article records for the demo news site and the helpers that turn them into URLs and labels.

Every article of the invented media world is one :class:`Article`. The outlet modules
(``data_*.py``) build lists of them; :func:`all_articles` assigns ids, resolves reprints and
is the single source of truth for both the served pages and ``labels.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

# outlet key -> (display name, tier, kind of medium)
OUTLETS: dict[str, tuple[str, str, str]] = {
    "ahrb": ("安徽日报", "provincial", "newspaper"),
    "ahgrb": ("安徽工人日报", "provincial", "newspaper"),
    "ahnews": ("中安在线", "provincial", "web"),
    "hfrb": ("合肥日报", "municipal", "newspaper"),
    "grrb": ("工人日报", "central", "newspaper"),
}

# first article id per outlet (ids look like the CMS ids of the real systems)
_ID_BASE = {"ahrb": 21000, "ahgrb": 3100, "ahnews": 512000, "hfrb": 8800, "grrb": 64000}

EVENT_KEYS = (
    "notice",
    "send-off",
    "press-briefing",
    "rally",
    "editorial-ahrb",
    "commentary-ahgrb",
    "column-model-workers",
    "feature-laomo",
    "feature-fengxian",
    "feature-mingong",
    "hotline-broadcast",
)

KINDS = ("coverage", "near_miss", "unrelated", "reprint", "slot")

EPAPER_FIRST = dt.date(2006, 4, 20)
EPAPER_LAST = dt.date(2006, 5, 20)


@dataclass
class Article:
    """One invented article. ``body`` is a list of paragraphs (plain text)."""

    outlet: str
    date: dt.date
    title: str
    body: list[str]
    kind: str = "unrelated"
    events: list[str] = field(default_factory=list)
    genre: str = "消息"
    page: int | None = None
    time: str = "08:00"
    author: str = ""
    introtitle: str = ""
    subtitle: str = ""
    source: str = ""  # the "来源：" credit; defaults to the outlet itself
    key: str = ""  # stable handle for reprints
    reprint_of: str | None = None  # key of the original (resolved to its url_path in labels)
    near_miss_of: list[str] = field(default_factory=list)
    keyword: str = ""
    editor: str = ""
    id: int = 0

    @property
    def outlet_name(self) -> str:
        return OUTLETS[self.outlet][0]

    @property
    def text(self) -> str:
        return "".join(self.body)

    @property
    def url_path(self) -> str:
        d = self.date
        if self.outlet == "ahrb":
            return f"/ahrb/html/{d:%Y-%m}/{d:%d}/content_{self.id}.htm"
        if self.outlet == "ahgrb":
            return f"/ahgrb/{d:%Y/%m/%d}/art_{self.id}.html"
        if self.outlet == "ahnews":
            return f"/ahnews/system/{d:%Y/%m/%d}/{self.id:06d}.shtml"
        if self.outlet == "hfrb":
            return f"/hfrb/news/{d:%Y-%m}/{d:%d}/art_{self.id}.html"
        return f"/grrb/html/{d:%Y-%m}/{d:%d}/content_{self.id}.htm"

    @property
    def page_label(self) -> str:
        return f"第{self.page:02d}版" if self.page else ""


def art(outlet: str, date: str, title: str, body: str, **kw: object) -> Article:
    """Short constructor used by the data modules: ``date`` is ``"MM-DD"`` of 2006, ``body``
    is paragraphs separated by blank lines (leading/trailing whitespace is stripped)."""
    month, day = (int(x) for x in date.split("-"))
    paragraphs = [p.strip().replace("\n", "") for p in body.strip().split("\n\n") if p.strip()]
    # kw holds the few other fields a data module gives (author, page, ...), of several types.
    return Article(outlet=outlet, date=dt.date(2006, month, day), title=title, body=paragraphs,
                   **kw)  # type: ignore[arg-type]


@dataclass
class Reprint:
    """A light edit of another article, resolved once all originals exist."""

    of: str
    outlet: str
    date: str
    title: str | None = None
    lead: str | None = None  # replaces the first paragraph (a shortened lead)
    drop: tuple[int, ...] = ()  # paragraph indexes of the original to drop
    time: str = "09:30"
    page: int | None = None
    author: str = ""
    editor: str = ""

    def resolve(self, originals: dict[str, Article]) -> Article:
        orig = originals[self.of]
        body = [p for i, p in enumerate(orig.body) if i not in self.drop]
        if self.lead is not None:
            body[0] = self.lead
        month, day = (int(x) for x in self.date.split("-"))
        return dataclasses.replace(
            orig,
            outlet=self.outlet,
            date=dt.date(2006, month, day),
            title=self.title or orig.title,
            body=body,
            kind="reprint",
            events=list(orig.events),
            page=self.page,
            time=self.time,
            author=self.author or orig.author,
            source=orig.outlet_name,
            key="",
            reprint_of=self.of,
            near_miss_of=[],
            editor=self.editor,
            introtitle="" if self.title else orig.introtitle,
            subtitle="" if self.title else orig.subtitle,
            genre="通讯" if orig.genre in ("专栏", "专题/整版") else orig.genre,
            id=0,
        )
