"""A local SMTP server (aiosmtpd, real SMTP over a socket), a local webhook receiver, and a
campaign world with coverage to digest."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

from campaign.coverage.models import Match
from campaign.planning.models import EditorialSlot
from tests.factories import beijing
from tests.plugins.services import unavailable


@dataclass
class Inbox:
    """What the local SMTP server received."""

    envelopes: list[Envelope] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)  # per mail: came over STARTTLS

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default)  # type: ignore[misc]
                for e in self.envelopes]

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
           self, _server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        self.tls.append(session.ssl is not None)
        return "250 OK"


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox

    def config(self, **extra: Any) -> dict[str, Any]:
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_USE_SSL": False, "MAIL_USERNAME": "", "MAIL_PASSWORD": "",
                "MAIL_DEFAULT_SENDER": "tracker@union.test", **extra}


def _authenticator(inbox: Inbox):  # type: ignore[no-untyped-def]
    def check(_server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any
              ) -> AuthResult:
        if isinstance(data, LoginPassword):
            user, password = data.login.decode(), data.password.decode()
            inbox.logins.append((user, password))
            return AuthResult(success=password == "right-password", handled=False)
        return AuthResult(success=False, handled=False)
    return check


@contextmanager
def smtp_server(**options: Any) -> Iterator[SmtpServer]:
    """A local SMTP server on a free port with the test's authenticator (LOGIN left out:
    one try per login; the right password is right-password) and aiosmtpd's `options`."""
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (the controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=_authenticator(inbox),
                            auth_exclude_mechanism=["LOGIN"], **options)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, inbox)
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running local SMTP server without TLS (login accepted without it)."""
    with smtp_server(auth_require_tls=False) as server:
        yield server


@dataclass(frozen=True)
class Certificates:
    """A private CA made for the test run and the server certificate it signed for
    127.0.0.1 (PEM files)."""

    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A CA and a server certificate for 127.0.0.1, made here with the openssl command (P-256
    keys, valid for two days); nothing is trusted by the system."""
    if shutil.which("openssl") is None:
        unavailable("the openssl command is needed to make the test's certificates")
    folder = tmp_path_factory.mktemp("tls")
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=Union test mail CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
    _openssl("req", *curve, "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=127.0.0.1", cwd=folder)
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-set_serial", "2", "-days", "2", "-extfile", "server.ext", "-out", "server.pem",
             cwd=folder)
    return Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")


@pytest.fixture
def smtp_starttls(certificates: Certificates) -> Iterator[SmtpServer]:
    """A local SMTP server that takes no mail and no login before STARTTLS (the test CA's
    certificate)."""
    with smtp_server(tls_context=certificates.server_context(), require_starttls=True,
                     auth_require_tls=True) as server:
        yield server


@pytest.fixture
def smtps(certificates: Certificates) -> Iterator[SmtpServer]:
    """A local SMTPS server: TLS from the first byte (the test CA's certificate), so a login
    is taken at once (aiosmtpd's "TLS required" only knows STARTTLS)."""
    with smtp_server(ssl_context=certificates.server_context(),
                     auth_require_tls=False) as server:
        yield server


@dataclass
class Hook:
    """One request the webhook receiver got."""

    path: str
    query: dict[str, list[str]]
    body: dict[str, Any]
    arrived: float = 0.0  # time.time() when it came in


class Receiver:
    """A local HTTP webhook receiver; `answer` is the JSON (and status) it replies with.
    While `held` is clear it keeps each request it got waiting for its answer."""

    def __init__(self) -> None:
        self.hooks: list[Hook] = []
        self.answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
        self.status = 200
        self.held = threading.Event()
        self.held.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                parts = urlsplit(self.path)
                receiver.hooks.append(Hook(parts.path, parse_qs(parts.query),
                                           json.loads(self.rfile.read(size)), time.time()))
                receiver.held.wait(timeout=60)
                body = json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def webhook() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


@dataclass
class World:
    campaign: Any
    event: Any
    monitored: Any
    unmonitored: Any
    page_one: Any


@pytest.fixture
def world(make: Any, db: Any) -> World:
    """A campaign (25 April – 25 May 2006) with an event that invited two outlets — one with
    an enabled source, one without — one accepted page-one article of 26 April, and a slot due
    on 28 April."""
    campaign = make.campaign(name="劳动宣传月", slug="labour-month")
    monitored, unmonitored, paper = (make.outlet(name="省工人报"), make.outlet(name="江城晚报"),
                                     make.outlet(name="合肥日报"))
    make.source(monitored)
    event = make.event(campaign, key="rally", title="庆祝大会",
                       starts_at=beijing(date(2006, 4, 25)))
    event.invited_outlets = [monitored, unmonitored, paper]
    article = make.article(paper, title="职工技能大赛开幕", page_number=1, page_name="第01版",
                           published_at=beijing(date(2006, 4, 26)))
    db.session.add(Match(event_id=event.id, article_id=article.id, status="accepted",
                         explanation={}, day=article.day))
    db.session.add(EditorialSlot(event=event, outlet=paper, planned_on=date(2006, 4, 28),
                                 genre="editorial", page="一版"))
    db.session.commit()
    return World(campaign, event, monitored, unmonitored, article)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A Beijing wall-clock moment."""
    return beijing(day).replace(hour=hour, minute=minute)
