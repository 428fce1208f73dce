"""The allowed hosts: local-network hosts an administrator lets sources fetch (see `guard`)."""

from __future__ import annotations

import ipaddress
import logging
import re

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.extensions import db
from campaign.sources.guard import normalize_host
from campaign.sources.models import AllowedHost

log = logging.getLogger(__name__)

_LABEL = r"[a-z0-9_][a-z0-9_-]{0,62}"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


class AllowedHostError(ValueError):
    """A host that cannot be allow-listed, with the reason in words."""


def clean_host(text: str) -> str:
    """`text` as a host name or IP address for the allow-list; raises AllowedHostError."""
    host = normalize_host(text)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _HOST_NAME.match(host):
        raise AllowedHostError(_("请填写主机名或 IP 地址（不含 http:// 和端口），例如 127.0.0.1"))
    return host


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
