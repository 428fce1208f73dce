"""Helpers every site template of the world uses."""
from datetime import date, timedelta
from html import escape

WEEK = "一二三四五六日"


def day(text):
    return date.fromisoformat(text[:10])


def days(first, last):
    d, end = day(first), day(last)
    while d <= end:
        yield d
        d += timedelta(days=1)


def cn_date(d):
    return f"{d.year}年{d.month}月{d.day}日 星期{WEEK[d.weekday()]}"


def paras_html(paras, indent="　　"):
    return "\n".join(f"<p>{indent}{escape(p)}</p>" for p in paras)


def html_head(title, charset="utf-8", lang="zh-CN"):
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n")


class Writer:
    """Writes files under www in each outlet's encoding; notes what cannot be encoded."""

    def __init__(self, www, problems):
        self.www, self.problems, self.files = www, problems, 0

    def put(self, path, content, encoding="utf-8"):
        target = self.www / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            try:
                content = content.encode(encoding)
            except UnicodeEncodeError as err:
                self.problems.append(f"{path}: {content[err.start:err.end]!r} not in {encoding}")
                content = content.encode(encoding, "xmlcharrefreplace")
        target.write_bytes(content)
        self.files += 1
