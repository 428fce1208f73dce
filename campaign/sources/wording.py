"""Fetch problems, fetch runs, source types and selectors in the words of the sources pages."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from campaign.core.templating import format_dt
from campaign.sources.forms import SELECTOR_LABELS, SOURCE_TYPE_LABELS
from campaign.sources.models import FetchRun

HTTP_STATUS = re.compile(r"HTTP (\d{3})")
ROBOTS_UNREADABLE = "robots.txt could not be read"  # scrapers.fetch's words for RFC 9309 §2.3.1.4


def error_in_words(kind: str | None, message: str | None = None,
                   status: int | None = None) -> str:
    """A fetch problem as a sentence an officer understands, with the HTTP status if any."""
    if status is None and message:
        found = HTTP_STATUS.search(message)
        status = int(found.group(1)) if found else None
    sentences = {
        "timeout": _("网站响应超时，可能是网站繁忙或网络不通。"),
        "http_error": _("网站返回错误（HTTP %(status)s），页面可能已移动或删除。",
                        status=status or "?"),
        "too_large": _("页面过大，已停止下载。"),
        "robots_disallowed": _("网站的 robots.txt 不允许抓取此网址。"),
        "bad_content_type": _("网站返回的不是网页或订阅源（内容类型不符）。"),
        "connection_error": _("无法连接到网站，请检查网址或网络。"),
        "redirect_loop": _("网站的跳转形成循环或次数过多。"),
        "blocked": _("出于安全原因，此网址不允许抓取（内网地址）。"),
        "js_challenge": _("网站返回了要求浏览器运行脚本的验证页（反爬虫挑战），无法自动抓取；"
                          "可请网站放行本系统，或改用其订阅源、电子报。"),
        "decode_error": _("无法解码网站返回的内容。"),
        "invalid_url": _("网址无效，无法抓取。"),
        "parse_error": _("页面内容无法解析，网站格式可能已改变。"),
        "no_links": _("栏目页上没有找到文章链接，选择器可能已失效。"),
        "config_error": _("来源的抓取设置有误。"),
        "internal_error": _("程序内部错误，请查看日志。"),
        "article_failed": _("部分文章页面抓取失败。"),
        "epaper_unread": _("电子报版面上有文章，却一篇也没有读到（%(days)s），网站版式可能已改变。",
                           days=message or "?"),
        "epaper_empty": _("电子报有版面，版面上却没有找到任何文章链接（%(days)s），"
                          "网站版式可能未被识别。", days=message or "?"),
    }
    if kind == "robots_disallowed" and message and ROBOTS_UNREADABLE in message:
        return _("网站的 robots.txt 暂时无法读取（%(detail)s），在它恢复之前不抓取该网站。",
                 detail=f"HTTP {status}" if status else _("无法连接"))
    if kind in sentences:
        return sentences[kind]
    return _("抓取失败：%(detail)s", detail=message or kind or "?")


def run_error_in_words(error: str | None) -> str:
    """A FetchRun's error ("kind: message") in words."""
    if not error:
        return ""
    kind, _sep, message = error.partition(": ")
    return error_in_words(kind, message or None) if kind.isidentifier() else error_in_words(
        None, error)


def run_warning_in_words(code: str | None) -> str:
    """A run's warning code (scrapers.encoding.decode_reporting) as a sentence."""
    kind, _sep, rest = (code or "").partition(":")
    if kind == "charset":
        charset, _sep, count = rest.partition(":")
        if count.isdigit() and int(count):
            return _("有 %(count)s 处字节不符合网站声明的编码 %(charset)s，"
                     "已按该编码读取并略过这些字节（未改用其他编码，以免整篇乱码）。",
                     count=int(count), charset=charset)
        return _("没有哪种编码能完整解读此内容，已按 %(charset)s 读取，个别字符可能显示为 �。",
                 charset=charset)
    return code or ""


def run_summary(run: FetchRun) -> str:
    """One sentence on a fetch run: when, how it went, how many articles were new."""
    when = format_dt(run.finished_at or run.started_at)
    if run.outcome == "running":
        return _("正在抓取（%(when)s 开始）", when=format_dt(run.started_at))
    labels = {"ok": _("成功"), "not_modified": _("无更新"), "partial": _("部分成功")}
    if run.outcome in labels:
        text = _("%(when)s %(outcome)s：新增 %(new)d，更新 %(updated)d，重复 %(dup)d",
                 when=when, outcome=labels[run.outcome], new=run.new_count,
                 updated=run.updated_count, dup=run.duplicate_count)
        if run.outcome == "partial":
            text += " " + run_error_in_words(run.error)
        return text
    return _("%(when)s 失败：%(error)s", when=when,
             error=run_error_in_words(run.error) or error_in_words(run.outcome))



def label_selector(key: str) -> str:
    """The label of a selector key (文章链接选择器 for link_selector)."""
    return str(SELECTOR_LABELS.get(key, key))


def label_source_type(code: str) -> str:
    """The label of a source type (RSS, list page, e-paper)."""
    return str(SOURCE_TYPE_LABELS.get(code, code))
