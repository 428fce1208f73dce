"""Reading one pasted link: a WeChat 公众号 article or any news page, already fetched.

WeChat article pages (``mp.weixin.qq.com/s/…``) carry what an officer needs in well-known
elements: the title in ``#activity-name`` (or ``og:title``), the account in ``#js_name`` (or
``var nickname``), the author in ``meta[name=author]`` / ``#js_author_name``, the body in
``#js_content`` and the publish time in ``#publish_time`` or, when a script fills it, as the
Unix time ``var ct = "…"`` of the page's script. Other pages go through the generic article
extractor, their site name taken from ``og:site_name``.

A page that is not the article — WeChat's 环境异常 verification page, a login wall, a page with
no title — is reported as unreadable with the reason, so the officer can type the facts by hand.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.bylines import clean_author
from scrapers.dates import DEFAULT_TZ, find_datetime, to_zone
from scrapers.extract import extract_article

logger = logging.getLogger(__name__)

__all__ = ["LinkReading", "is_wechat_article", "read_link"]

WECHAT_HOST = "mp.weixin.qq.com"
# Words of a page that stands in front of the article: WeChat's verification, a login wall.
_VERIFY = ("环境异常", "完成验证后即可继续访问", "去验证", "wappoc_appmsgcaptcha",
           "secitptpage/verify")
_LOGIN = ("请登录后查看", "登录后查看全文", "登录后阅读", "请先登录", "扫码登录")
_CT = re.compile(r"""var\s+ct\s*=\s*["']?(\d{9,11})["']?""")
_NICKNAME = re.compile(r"""var\s+nickname\s*=\s*(?:htmlDecode\()?["']([^"']{1,60})["']""")
_WECHAT_BODY = re.compile(r"""id=["']js_content["']""")
# A login wall still shows a few lines; an article shows more than this.
_SHORT_BODY = 80


@dataclass(frozen=True, slots=True)
class LinkReading:
    """What a pasted link's page says. ``account`` is the WeChat account or the site's name
    (the outlet, as the page names itself); ``problem`` is empty when the page was read, else
    ``verification``, ``login`` or ``no-title``."""

    url: str
    title: str
    body: str
    published_at: datetime | None
    author: str
    account: str
    problem: str

    @property
    def readable(self) -> bool:
        """True when the page was the article itself."""
        return not self.problem


def is_wechat_article(url: str) -> bool:
    """True for a WeChat 公众号 article link."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower() == WECHAT_HOST and parts.path.startswith("/s")


def read_link(html: str, url: str, *, tz: str = DEFAULT_TZ) -> LinkReading:
    """Read a fetched page of a pasted link (``html`` already decoded)."""
    wall = _wall(html)
    # By its address, or by its markup (a copy of a WeChat article served elsewhere).
    if is_wechat_article(url) or _WECHAT_BODY.search(html):
        reading = _read_wechat(html, url, tz=tz)
    else:
        reading = _read_page(html, url, tz=tz)
    if wall and len(reading.body) < _SHORT_BODY * (4 if wall == "verification" else 1):
        logger.info("%s: %s page instead of the article", url, wall)
        return _unreadable(url, wall, reading)
    if not reading.title:
        return _unreadable(url, "no-title", reading)
    return reading


def _unreadable(url: str, problem: str, reading: LinkReading) -> LinkReading:
    return LinkReading(url=url, title="" if problem != "no-title" else reading.title, body="",
                       published_at=reading.published_at, author="", account=reading.account,
                       problem=problem)


def _wall(html: str) -> str:
    if any(word in html for word in _VERIFY):
        return "verification"
    if any(word in html for word in _LOGIN):
        return "login"
    return ""


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def _meta(soup: BeautifulSoup, key: str, value: str) -> str:
    node = soup.find("meta", attrs={key: value})
    content = node.get("content") if isinstance(node, Tag) else None
    return " ".join(str(content).split()) if content else ""


def _one(soup: BeautifulSoup, selector: str) -> Tag | None:
    found = soup.select_one(selector)
    return found if isinstance(found, Tag) else None


def _read_wechat(html: str, url: str, *, tz: str) -> LinkReading:
    soup = BeautifulSoup(html, "lxml")
    title = _text(_one(soup, "#activity-name")) or _meta(soup, "property", "og:title")
    account = _text(_one(soup, "#js_name")) or _text(_one(soup, ".profile_nickname"))
    if not account:
        nickname = _NICKNAME.search(html)
        account = nickname.group(1).strip() if nickname else ""
    author_text = _meta(soup, "name", "author") or _text(_one(soup, "#js_author_name"))
    body_node = _one(soup, "#js_content")
    paragraphs: list[str] = []
    if body_node is not None:
        for block in body_node.find_all(["p", "section"], recursive=True):
            if block.find(["p", "section"]) is None:
                line = _text(block)
                if line:
                    paragraphs.append(line)
        if not paragraphs:
            paragraphs = [line for line in body_node.get_text("\n").split("\n") if line.strip()]
    return LinkReading(url=url, title=title, body="\n".join(paragraphs),
                       published_at=_wechat_time(soup, html, tz=tz),
                       author=(clean_author(author_text) or "") if author_text else "",
                       account=account, problem="")


def _wechat_time(soup: BeautifulSoup, html: str, *, tz: str) -> datetime | None:
    shown = _text(_one(soup, "#publish_time"))
    if shown:
        found = find_datetime(shown, tz=tz)
        if found is not None:
            return found
    stamp = _CT.search(html)
    if stamp:
        return datetime.fromtimestamp(int(stamp.group(1)), tz=UTC).astimezone(to_zone(tz))
    return None


def _read_page(html: str, url: str, *, tz: str) -> LinkReading:
    article = extract_article(html, url, tz=tz)
    soup = BeautifulSoup(html, "lxml")
    return LinkReading(url=url, title=article.title or "", body=article.text,
                       published_at=article.published_at, author=article.author or "",
                       account=_meta(soup, "property", "og:site_name"), problem="")
