"""Importing sources from a TOML file (the documented format) or an OPML subscription list.

The TOML format (documented in the README, "Sources"):

    [[outlet]]
    name = "安徽日报"            # matched by name or alias; created when missing
    tier = "provincial"          # for a new outlet (default: other)
    kind = "newspaper"           # for a new outlet (default: web)
      [[outlet.source]]
      type = "epaper"            # rss | html | epaper
      url = "http://host/html/{yyyy}-{mm}/{dd}/node_1.htm"
      # optional: name, interval_minutes, timezone, obey_robots, enabled, max_pages and the
      # selectors link_selector, title_selector, date_selector, next_selector, article_*

OPML: every outline with an xmlUrl is an RSS source. Its outlet is the outline's title (or text)
when an outlet of that name exists, else the text of the outline it sits in, else its own title.

Every entry is checked before anything is written, so a bad file writes nothing; importing the
same file twice changes nothing.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from lxml import etree
from sqlalchemy import select

from campaign.core.choices import KINDS, TIERS
from campaign.core.values import has_nul, text_field
from campaign.demo_site import sources_for
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.planning.outlets import find_outlet
from campaign.sources.models import Source
from campaign.sources.operations import (
    SELECTOR_KEYS,
    SourceError,
    SourceInput,
    apply_input,
    check_source,
    differs,
    find_source,
    save_source,
)
from scrapers.extract_text import strip_bidi

log = logging.getLogger(__name__)

SETTING_KEYS = {"type", "url", "name", "interval_minutes", "timezone", "obey_robots", "enabled",
                "max_pages"}
OUTLET_KEYS = {"name", "tier", "kind", "region", "aliases", "source"}
DEFAULT_TIER, DEFAULT_KIND = "other", "web"


class SourceFileError(SourceError):
    """A sources file that cannot be imported; `where` names the outlet, `field` the key."""


@dataclass
class OutletEntry:
    """One outlet of a file with the sources listed under it."""

    name: str
    tier: str = ""
    kind: str = ""
    region: str = ""
    sources: list[SourceInput] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    outlets_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.outlets_created)


def _fail(where: str, field_name: str, message: str) -> SourceFileError:
    return SourceFileError(field_name, message, where=where)


# --- reading files -------------------------------------------------------------------------

def read_sources_file(data: bytes) -> list[OutletEntry]:
    """Parse a TOML or OPML file (told apart by its first character) and check every entry."""
    text = _decode(data)
    entries = read_opml(data) if text.lstrip("\ufeff \t\r\n").startswith("<") else read_toml(text)
    if not any(entry.sources for entry in entries):
        raise _fail(_("文件"), "source", _("文件中没有任何来源"))
    return entries


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _fail(_("文件"), "encoding", _("文件须为 UTF-8 编码")) from error


def read_toml(text: str) -> list[OutletEntry]:
    """The outlets and sources of a TOML file, checked."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _fail(_("文件"), "toml", _("不是有效的 TOML：%(error)s", error=str(error))) from error
    except RecursionError as error:  # arrays or tables nested thousands deep
        raise _fail(_("文件"), "toml", _("不是有效的 TOML：嵌套层数过多")) from error
    except ValueError as error:  # an integer of more digits than Python converts (4,300)
        raise _fail(_("文件"), "toml", _("不是有效的 TOML：%(error)s", error=str(error)[:200])
                    ) from error
    if has_nul(document):  # PostgreSQL refuses NUL in text: say so instead of failing later
        raise _fail(_("文件"), "toml", _("文件含有空字符（\\u0000），无法导入"))
    outlets = document.get("outlet")
    if not isinstance(outlets, list):
        raise _fail(_("文件"), "outlet", _("缺少 [[outlet]] 表"))
    return [_toml_outlet(raw, position) for position, raw in enumerate(outlets, start=1)]


def _toml_outlet(raw: Any, position: int) -> OutletEntry:
    where = _("第 %(n)d 个媒体", n=position)
    if not isinstance(raw, dict):
        raise _fail(where, "outlet", _("应为表"))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(where, "name", _("缺少必填字段"))
    where = name.strip()
    for key in raw:
        if key not in OUTLET_KEYS:
            raise _fail(where, key, _("未知的字段"))
    entry = OutletEntry(name=where, tier=_choice(raw, "tier", TIERS, where),
                        kind=_choice(raw, "kind", KINDS, where), region=str(raw.get("region", "")))
    sources = raw.get("source", [])
    if not isinstance(sources, list):
        raise _fail(where, "source", _("应为 [[outlet.source]] 表的列表"))
    entry.sources = [_toml_source(item, where) for item in sources]
    return entry


def _choice(raw: dict[str, Any], key: str, vocabulary: dict[str, Any], where: str) -> str:
    value = raw.get(key, "")
    if value and value not in vocabulary:
        raise _fail(where, key, _("未知的值：%(value)s（可用：%(known)s）", value=value,
                                  known=", ".join(vocabulary)))
    return str(value)


def _toml_source(raw: Any, where: str) -> SourceInput:
    if not isinstance(raw, dict):
        raise _fail(where, "source", _("应为表"))
    for key in raw:
        if key not in SETTING_KEYS and key not in SELECTOR_KEYS:
            raise _fail(where, key, _("未知的字段"))
    data = SourceInput(
        type=_text(raw, "type", where, required=True), url=_text(raw, "url", where, required=True),
        name=_text(raw, "name", where),
        selectors={key: _text(raw, key, where) for key in SELECTOR_KEYS if raw.get(key)},
        interval_minutes=_integer(raw, "interval_minutes", 60, where),
        timezone=_text(raw, "timezone", where) or "Asia/Shanghai",
        obey_robots=_flag(raw, "obey_robots", where), enabled=_flag(raw, "enabled", where),
        max_pages=_integer(raw, "max_pages", 3, where),
    )
    _check(data, where)
    return data


def _check(data: SourceInput, where: str) -> None:
    try:
        check_source(data)
    except SourceError as error:
        raise _fail(where, error.field, error.message) from error


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    return text_field(raw, key, lambda field, message: _fail(where, field, message),
                      required=required).strip()


def _integer(raw: dict[str, Any], key: str, default: int, where: str) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, key, _("应为整数"))
    return value


def _flag(raw: dict[str, Any], key: str, where: str) -> bool:
    value = raw.get(key, True)
    if not isinstance(value, bool):
        raise _fail(where, key, _("应为 true 或 false"))
    return value


def read_opml(data: bytes) -> list[OutletEntry]:
    """The RSS sources of an OPML subscription list, grouped by outlet, checked."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise _fail(_("文件"), "opml", _("不是有效的 OPML：%(error)s", error=str(error))) from error
    entries: dict[str, OutletEntry] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url:
            continue
        title = (outline.get("title") or outline.get("text") or "").strip()
        name = _known_feed_outlet(url) or _opml_outlet(outline, title)
        if not name:
            raise _fail(url, "title", _("订阅条目缺少标题，无法确定媒体"))
        feed = SourceInput(type="rss", url=url, name=title if title != name else "")
        try:
            check_source(feed)
        except SourceError as error:
            raise _fail(name, "xmlUrl", error.message) from error
        entries.setdefault(name, OutletEntry(name=name)).sources.append(feed)
    return list(entries.values())


def _known_feed_outlet(url: str) -> str:
    """The outlet of a feed already subscribed under this URL (a reader's title for it may
    differ from the outlet's name): its source is updated, not doubled under a new outlet."""
    source = db.session.scalar(select(Source).where(Source.type == "rss", Source.url == url)
                               .order_by(Source.id).limit(1))
    return source.outlet.name if source is not None else ""


def _opml_outlet(outline: Any, title: str) -> str:
    parent = outline.getparent()
    parent_text = ""
    if parent is not None and parent.tag == "outline" and not parent.get("xmlUrl"):
        parent_text = (parent.get("text") or parent.get("title") or "").strip()
    if title and find_outlet(title) is not None:
        return title
    return parent_text or title


# --- writing -------------------------------------------------------------------------------

def import_sources(entries: list[OutletEntry]) -> ImportResult:
    """Create the outlets and sources of checked `entries` that are missing, update those that
    differ; flush. Running it twice with the same entries changes nothing."""
    result = ImportResult()
    for entry in entries:
        outlet = _outlet(entry, result)
        seen: set[tuple[str, str]] = set()
        for data in entry.sources:
            if (data.type, data.url) in seen:
                continue
            seen.add((data.type, data.url))
            _import_source(outlet, data, entry.name, result)
    db.session.flush()
    log.info("sources imported: %d new, %d updated, %d unchanged, outlets created: %s",
             result.created, result.updated, result.unchanged, result.outlets_created)
    return result


def _outlet(entry: OutletEntry, result: ImportResult) -> Outlet:
    name = strip_bidi(entry.name).strip() or entry.name  # an OPML title is scraped text
    outlet = find_outlet(name)
    if outlet is None:
        outlet = Outlet(name=name, tier=entry.tier or DEFAULT_TIER,
                        kind=entry.kind or DEFAULT_KIND, region=entry.region, aliases=[])
        db.session.add(outlet)
        db.session.flush()
        result.outlets_created.append(name)
    return outlet


def _import_source(outlet: Outlet, data: SourceInput, where: str, result: ImportResult) -> None:
    existing = find_source(outlet, data.type, data.url)
    if existing is None:
        try:
            save_source(None, outlet, data)
        except SourceError as error:
            raise _fail(where, error.field, error.message) from error
        result.created += 1
    elif differs(existing, data):
        apply_input(existing, data)
        result.updated += 1
    else:
        result.unchanged += 1


def import_sources_file(data: bytes) -> ImportResult:
    """Read, check and import a TOML or OPML file; a bad file raises before anything is written."""
    return import_sources(read_sources_file(data))


def load_demo_sources(base_url: str) -> ImportResult:
    """Create the local demo news site's sources (idempotent)."""
    entries: dict[str, OutletEntry] = {}
    for spec in sources_for(base_url):
        selectors = {key: spec[key] for key in SELECTOR_KEYS if spec.get(key)}
        interval = 30 if spec["type"] == "rss" else 60
        entry = entries.setdefault(spec["outlet"], OutletEntry(
            name=spec["outlet"], tier=spec.get("tier", ""), kind=spec.get("kind", "")))
        entry.sources.append(SourceInput(type=spec["type"], url=spec["url"], selectors=selectors,
                                         interval_minutes=interval))
    return import_sources(list(entries.values()))
