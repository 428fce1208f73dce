"""What the network phase of a fetch run found (`Collected`), and the outcomes of a run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from campaign.articles.incoming import IncomingArticle
from scrapers.fetch import ConditionalState

AfterStore = Callable[[list[int]], object]  # what it returns is not used

OK, NOT_MODIFIED, PARTIAL, FAILED = "ok", "not_modified", "partial", "failed"
# What a FetchRun's outcome means, for the sources pages.
OUTCOME_LABELS = {
    "running": _l("正在抓取"),
    OK: _l("成功"),
    NOT_MODIFIED: _l("无更新"),
    PARTIAL: _l("部分成功"),
    FAILED: _l("失败"),
}
# Source.last_error_kind values beyond the fetcher's Outcome values (timeout, http_error …).
ERROR_KINDS = {
    "parse_error": _l("内容无法解析"),
    "no_links": _l("列表页没有找到文章链接"),
    "config_error": _l("抓取设置有误"),
    "internal_error": _l("程序内部错误"),
    "article_failed": _l("部分文章抓取失败"),
    "epaper_unread": _l("电子报版面上的文章一篇也没有读到"),
    "epaper_empty": _l("电子报版面上没有找到文章链接"),
}


@dataclass
class Collected:
    """What the network phase of a run found, before anything is written."""

    items: list[IncomingArticle] = field(default_factory=list)
    outcome: str = OK
    error_kind: str | None = None
    error: str | None = None
    seen: int = 0
    known: int = 0
    conditional: ConditionalState | None = None
    days_walked: dict[date, int] = field(default_factory=dict)
    # E-paper days whose pages linked articles but none were read, with the walks so far.
    days_unread: dict[date, int] = field(default_factory=dict)
    # E-paper days in the order walked, with how many items each added to `items` (a day's
    # items follow one another): a long walk is written a few days at a time (`backfill`).
    day_spans: list[tuple[date, int]] = field(default_factory=list)
    # Of the unread days, those whose pages linked no article at all.
    days_empty: set[date] = field(default_factory=set)
    # Stored MinHash bytes by body fingerprint, computed in the fetch thread
    # (`collect.add_signatures`).
    signatures: dict[str, bytes] = field(default_factory=dict)
    # Seconds the site asked us to leave it alone (a 429/503 Retry-After, a feed's <ttl>, its
    # Cache-Control max-age): the next fetch is not sooner (see claims.release).
    wait_seconds: float | None = None
    # Items or links the parsers left out because they could not be read, and a warning code
    # (scrapers.encoding.decode_reporting): shown with the run on the source's page.
    skipped: int = 0
    warning: str | None = None

    def fail(self, kind: str, message: str | None) -> Collected:
        """Mark the whole run failed."""
        self.outcome, self.error_kind, self.error = FAILED, kind, message or kind
        return self

    def problem(self, kind: str, message: str | None) -> None:
        """Note a part that failed (an article page): the run is partial, not failed."""
        if self.outcome == OK:
            self.outcome = PARTIAL
        if self.error_kind is None:
            self.error_kind, self.error = kind, message or kind
