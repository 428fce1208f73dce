"""The two ways a digest or alert leaves: e-mail over SMTP, and group-chat robot webhooks
(WeCom, DingTalk, Feishu), each in its documented message format.

A failure raises `SendError`; the sent-log (`operations`) decides whether to retry."""

from __future__ import annotations

import base64
import hashlib
import hmac
import smtplib
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any, Protocol
from urllib.parse import quote_plus

import httpx

WECOM_MAX_BYTES = 4096  # WeCom refuses markdown content longer than this (UTF-8 bytes)
DINGTALK_PER_MINUTE = 20  # DingTalk robots accept at most 20 messages a minute
TIMEOUT = 20.0


class SendError(RuntimeError):
    """The server refused the message or could not be reached."""


@dataclass(frozen=True)
class Mail:
    """One e-mail: both parts, and where the unsubscribe link points."""

    subject: str
    text: str
    html: str
    unsubscribe: str


def one_line(value: str) -> str:
    """`value` with every line break and control character turned into a space (headers)."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def build_mail(mail: Mail, *, sender: str, to: str) -> EmailMessage:
    """The MIME message (text and HTML alternatives, List-Unsubscribe header)."""
    message = EmailMessage()
    message["Subject"] = one_line(mail.subject)
    message["From"] = one_line(sender)
    message["To"] = formataddr(("", one_line(to)))
    message["Message-ID"] = make_msgid(domain="campaign-tracker")
    message["List-Unsubscribe"] = f"<{one_line(mail.unsubscribe)}>"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


def tls_context(config: Mapping[str, Any]) -> ssl.SSLContext:
    """The client side of SMTP's TLS: the server's certificate and name are checked against
    the system's CAs, and also MAIL_CA_FILE's (an office's private CA) when it is set."""
    context = ssl.create_default_context()
    if config.get("MAIL_CA_FILE"):
        context.load_verify_locations(cafile=str(config["MAIL_CA_FILE"]))
    return context


def send_mail(config: Mapping[str, Any], mail: Mail, to: str) -> None:
    """Send `mail` to `to` through the configured SMTP server (MAIL_*)."""
    server = str(config.get("MAIL_SERVER") or "")
    if not server:
        raise SendError("MAIL_SERVER is not set")
    message = build_mail(mail, sender=str(config.get("MAIL_DEFAULT_SENDER")), to=to)
    port = int(config.get("MAIL_PORT") or 25)
    try:
        smtp: smtplib.SMTP
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(server, port, timeout=TIMEOUT, context=tls_context(config))
        else:
            smtp = smtplib.SMTP(server, port, timeout=TIMEOUT)
        with smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls(context=tls_context(config))
            if config.get("MAIL_USERNAME"):
                smtp.login(str(config["MAIL_USERNAME"]), str(config.get("MAIL_PASSWORD") or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SendError(f"SMTP {server}:{port}: {error}") from error


# --- robots ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RobotTarget:
    """Where a robot message goes: the kind, the webhook URL, the signing secret, the
    keyword a keyword-checked robot wants in every message."""

    kind: str
    url: str
    secret: str = ""
    keyword: str = ""


class Limiter(Protocol):
    """What keeps a robot under its rate: `wait(key)` returns when one more message to the
    webhook `key` is allowed, and counts it (`ratelimit.DatabaseRateLimit`)."""

    def wait(self, key: str) -> None: ...


def with_keyword(text: str, keyword: str) -> str:
    """`text`, opened with the robot's keyword when it lacks it."""
    return text if not keyword or keyword in text else f"【{keyword}】\n{text}"


def split_bytes(text: str, limit: int) -> list[str]:
    """`text` cut at line ends into pieces of at most `limit` UTF-8 bytes (a line longer
    than that is cut between characters)."""
    pieces: list[str] = []
    current = ""
    for whole in text.splitlines(keepends=True):
        line = whole
        while len(line.encode()) > limit:
            cut = limit
            while len(line[:cut].encode()) > limit:
                cut -= 1
            pieces.extend([current] if current else [])
            current = ""
            pieces.append(line[:cut])
            line = line[cut:]
        if len((current + line).encode()) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p for p in pieces if p.strip()]


def robot_payloads(target: RobotTarget, title: str, markdown: str, text: str
                   ) -> list[dict[str, Any]]:
    """The JSON bodies to post: WeCom markdown (split under 4,096 bytes), DingTalk markdown,
    Feishu text; each with the keyword."""
    if target.kind == "wecom":
        body = with_keyword(markdown, target.keyword)
        return [{"msgtype": "markdown", "markdown": {"content": part}}
                for part in split_bytes(body, WECOM_MAX_BYTES - 16)]
    if target.kind == "dingtalk":
        return [{"msgtype": "markdown",
                 "markdown": {"title": with_keyword(title, target.keyword),
                              "text": with_keyword(markdown, target.keyword)}}]
    if target.kind == "feishu":
        payload: dict[str, Any] = {"msg_type": "text",
                                   "content": {"text": with_keyword(text, target.keyword)}}
        return [payload]
    raise SendError(f"unknown robot kind {target.kind!r}")


def dingtalk_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The webhook URL with DingTalk's signature (HMAC-SHA256 of "timestamp\\nsecret")."""
    if not secret:
        return url
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"


def feishu_sign(secret: str, timestamp: int) -> str:
    """Feishu's signature: HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def post_robot(target: RobotTarget, title: str, markdown: str, text: str, *,
               limit: Limiter, client: httpx.Client | None = None) -> None:
    """Post the message to the robot (DingTalk's parts each after `limit` allows it); raise
    SendError unless every part is accepted."""
    with httpx.Client(timeout=TIMEOUT) if client is None else Borrowed(client) as http:
        for body in robot_payloads(target, title, markdown, text):
            url, payload = target.url, body
            if target.kind == "dingtalk":
                limit.wait(target.url)
                url = dingtalk_url(url, target.secret, int(time.time() * 1000))
            elif target.kind == "feishu" and target.secret:
                now = int(time.time())
                payload = {**body, "timestamp": str(now), "sign": feishu_sign(target.secret, now)}
            _post(http, url, payload)


class Borrowed:
    """A client the caller owns: used, not closed."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def __enter__(self) -> httpx.Client:
        return self.client

    def __exit__(self, *_exc: object) -> None:
        return None


def _post(http: httpx.Client, url: str, payload: dict[str, Any]) -> None:
    try:
        response = http.post(url, json=payload)
    except httpx.HTTPError as error:
        raise SendError(f"webhook: {type(error).__name__}: {error}") from error
    if response.status_code >= 400:
        raise SendError(f"webhook answered HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError:
        return  # a robot that answers 2xx without JSON took it
    # WeCom and DingTalk answer errcode, Feishu code (or StatusCode): 0 means taken.
    code = next((answer[k] for k in ("errcode", "code", "StatusCode")
                 if isinstance(answer, dict) and k in answer), 0)
    if code not in (0, "0"):
        message = answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage")
        raise SendError(f"webhook refused the message: {code} {message}")
