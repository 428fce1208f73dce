"""A digest or alert in words: the HTML and plain-text parts of a mail (templates under
templates/digests/) and the markdown and text of a robot message, in the reader's language.

Titles come from scraped pages: Jinja escapes them in HTML, `md` escapes them in markdown,
and `one_line` keeps them (and every other untrusted text) on one line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale, gettext

from campaign.core.i18n import DEFAULT_LOCALE, LANGUAGES
from campaign.digests.channels import Mail, one_line
from campaign.digests.compose import Digest

# Characters with a meaning in the robots' markdown; angle brackets open WeCom's <font> tags.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


@dataclass(frozen=True)
class Message:
    """One message in every form a channel needs."""

    title: str
    text: str
    html: str
    markdown: str

    def mail(self, unsubscribe: str) -> Mail:
        return Mail(self.title, self.text, self.html, unsubscribe)


def md(value: object) -> str:
    """Untrusted text as one line of literal markdown."""
    text = one_line(str(value)).replace("<", "＜").replace(">", "＞")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def link(path: str) -> str:
    """An absolute link into the app (APP_BASE_URL)."""
    base = str(current_app.config.get("APP_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return f"{base}{path}"


@contextmanager
def language(code: str | None) -> Iterator[str]:
    """Write in `code` (a language of the app; Chinese otherwise)."""
    chosen = code if code in LANGUAGES else DEFAULT_LOCALE
    with force_locale(chosen):
        yield chosen


def render_part(name: str, **context: object) -> str:
    """A template of templates/digests/ rendered without a request (the scheduler has none,
    so no context processor runs: what the template needs is passed)."""
    template = current_app.jinja_env.get_template(f"digests/{name}")
    return template.render(**context)


def day_text(day: date) -> str:
    return gettext("%(m)s月%(d)s日", m=day.month, d=day.day)


def digest_title(digest: Digest) -> str:
    name = one_line(digest.campaign.name)
    if digest.kind == "weekly":
        return gettext("%(name)s 周报（截至%(day)s）", name=name, day=day_text(digest.last))
    return gettext("%(name)s 日报（%(day)s）", name=name, day=day_text(digest.last))


def render_digest(digest: Digest, *, lang: str | None = None,
                  unsubscribe: str = "") -> Message:
    """The digest as a mail (HTML and text) and a robot message (markdown and text)."""
    with language(lang) as chosen:
        title = digest_title(digest)
        context = {"current_locale": chosen, "digest": digest, "title": title, "link": link,
                   "day_text": day_text,
                   "unsubscribe": unsubscribe or link("/digests/subscriptions")}
        html = render_part("mail.html", **context)
        text = render_part("mail.txt", **context)
        markdown = digest_markdown(digest, title)
    return Message(title, text, html, markdown)


def digest_markdown(digest: Digest, title: str) -> str:
    """The robot version: headline counts, page-one pieces, slots, silent outlets, links."""
    lines = [f"### {md(title)}",
             gettext("新增采用报道 %(n)s 篇，其中一版 %(p)s 篇；待审核 %(q)s 条。",
                     n=len(digest.pieces), p=len(digest.page_one), q=digest.queue)]
    for event in digest.events:
        lines.append(f"- [{md(event.title)}]({link(event.path)})："
                     + gettext("%(n)s 篇", n=len(event.pieces)))
    if digest.page_one:
        lines.append(f"**{gettext('一版报道')}**")
        lines += [f"- {md(p.outlet)}《{md(p.title)}》" for p in digest.page_one]
    for heading, slots in ((gettext("今明两天应见报"), digest.slots_due),
                           (gettext("未按计划见报"), digest.slots_missed)):
        if slots:
            lines.append(f"**{heading}**")
            lines += [f"- {day_text(s.day)} {md(s.outlet)} {md(s.page)}：{md(s.event)}"
                      for s in slots]
    if digest.silent or digest.unmonitored:
        lines.append(f"**{gettext('受邀媒体尚无报道')}**："
                     + gettext("%(n)s 家", n=len(digest.silent)))
        lines += [f"- {md(name)}" for name in digest.silent]
        lines += [f"- {md(name)}（{gettext('未监测')}）" for name in digest.unmonitored]
    opening = link("/campaigns/" + digest.campaign.slug)
    lines.append(f"[{gettext('打开活动')}]({opening})")
    return "\n".join(lines)


def render_alert(title: str, lines: list[str], path: str, *, lang: str | None = None,
                 unsubscribe: str = "") -> Message:
    """An alert: `title` and `lines` are already in the reader's language (untrusted parts
    included as they are; they are escaped here)."""
    with language(lang) as chosen:
        context = {"current_locale": chosen, "title": title, "lines": lines, "url": link(path),
                   "unsubscribe": unsubscribe or link("/digests/subscriptions")}
        html = render_part("alert.html", **context)
        text = render_part("alert.txt", **context)
        markdown = "\n".join([f"### {md(title)}", *(f"- {md(line)}" for line in lines),
                              f"[{gettext('查看')}]({link(path)})"])
    return Message(one_line(title), text, html, markdown)
