"""The allowed hosts: local-network hosts an administrator lets sources fetch (see `guard`)."""

from __future__ import annotations

import ipaddress
import logging
import re

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.extensions import db
from campaign.sources.guard import normalize_entry
from campaign.sources.models import AllowedHost
from scrapers.urls import ANY_PORT, HostEntryError

log = logging.getLogger(__name__)

_LABEL = r"[a-z0-9_][a-z0-9_-]{0,62}"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


class AllowedHostError(ValueError):
    """A host that cannot be allow-listed, with the reason in words."""


def clean_host(text: str) -> str:
    """`text` as an allow-list entry — a host name or IP address with an optional port
    (`127.0.0.1:5050`, `[fd00::5]:8080`, `host:*` for every port); raises AllowedHostError."""
    try:
        host, port = normalize_entry(text)
    except HostEntryError as error:
        raise AllowedHostError(_host_help()) from error
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.match(host):
            raise AllowedHostError(_host_help()) from None
        shown = host
    else:
        shown = f"[{address}]" if address.version == 6 and port is not None else str(address)
    return shown if port is None else f"{shown}:{port}"


def _host_help() -> str:
    return _("请填写主机名或 IP 地址，可加端口（不含 http://），例如 127.0.0.1:5050；"
             "不写端口只允许 80 和 443 端口，写“:*”允许所有端口")


def ports_opened(entry: str) -> str:
    """The ports an entry opens, in words for the allowed-hosts page: a bare host opens 80 and
    443 only (entries saved before ports were written were migrated to `host:*`)."""
    try:
        _host, port = normalize_entry(entry)
    except HostEntryError:
        return _("无效条目，不开放任何端口")
    if port is None:
        return _("仅 80 和 443")
    return _("所有端口") if port == ANY_PORT else str(port)


def list_allowed_hosts() -> list[AllowedHost]:
    """Every allowed host, by name."""
    return list(db.session.scalars(select(AllowedHost).order_by(AllowedHost.host)))


def add_allowed_host(text: str, note: str = "") -> AllowedHost:
    """Allow-list a host (idempotent: an existing row gets the new note); flushes."""
    host = clean_host(text)
    row = db.session.scalar(select(AllowedHost).where(AllowedHost.host == host))
    if row is None:
        row = AllowedHost(host=host)
        db.session.add(row)
    row.note = note.strip()[:200]
    db.session.flush()
    log.info("allowed host %s added", host)
    return row


def remove_allowed_host(row: AllowedHost) -> None:
    """Take a host off the allow-list; flushes."""
    db.session.delete(row)
    db.session.flush()
    log.info("allowed host %s removed", row.host)
