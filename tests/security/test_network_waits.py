"""Requests that wait on the network hold no write lock meanwhile (issue 16.4: no request holds
SQLite's write lock for long): pasted links (the form and links.js's one-by-one posts) and a
clipping list's links are fetched before anything is written, and a robot's test message and
the test mail write nothing while they wait for the far side.

Each far side — a local web server, webhook receiver or SMTP server — takes the database's
write lock from a connection of its own with no wait while the request waits for its answer:
it gets the lock. The request's result is then stored as before. On a SQLite file (the lock is
SQLite's; PostgreSQL has none of the kind).
"""

from __future__ import annotations

import base64
import socket
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.articles.models import Article
from campaign.auth.operations import create_user
from campaign.coverage.models import Match
from campaign.digests.models import Robot
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from campaign.sources.models import Source
from tests.digests.conftest import Receiver, smtp_server
from tests.factories import beijing
from tests.scrapers.scraper_server import Reply, Seen
from tests.sources.test_links import NEWS

PASSWORD = "officer-password"


def lock_is_free(database: Path) -> bool:
    """Whether another connection gets the write lock at once (busy timeout 0)."""
    other = sqlite3.connect(str(database), isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.fixture
def site(tmp_path: Path, committed_app: Any, server: Any) -> Iterator[tuple[Flask, Any, list]]:
    """The app on a SQLite file with campaign pm (event rally) and 江淮日报, whose source lives
    on the local server; the server's /news/1.html is a readable article that, as it is asked
    for, notes whether the database's write lock is free. Yields (app, officer's client, the
    notes)."""
    database, free = tmp_path / "sched.db", []

    def article(_seen: Seen) -> Reply:
        free.append(lock_is_free(database))
        return Reply(body=NEWS.encode())

    server.route("/news/1.html", article)
    with committed_app(tmp_path) as app:
        with app.app_context():
            campaign = Campaign(slug="pm", name="宣传月", starts_on=date(2006, 4, 25),
                                ends_on=date(2006, 5, 25))
            paper = Outlet(name="江淮日报")
            db.session.add_all([
                Event(campaign=campaign, key="rally", title="动员大会", type="rally",
                      starts_at=beijing(date(2006, 4, 27)),
                      ends_at=beijing(date(2006, 4, 27)).replace(hour=11), keywords=[]),
                Source(outlet=paper, type="rss", name="江淮", url=server.url("/rss.xml"),
                       selectors={})])
            create_user(username="officer", password=PASSWORD, role="officer")
            db.session.commit()
        client = app.test_client()
        assert client.post("/login", data={"username": "officer",
                                           "password": PASSWORD}).status_code == 302
        yield app, client, free


def stored_and_attached(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(a.outlet.name, m.status) for m, a in db.session.execute(
            select(Match, Article).join(Article, Match.article_id == Article.id))]


def test_pasted_links_are_fetched_without_the_write_lock(site: Any, server: Any) -> None:
    """POST /links: while the link is being fetched the lock is free; then the article is
    stored under 江淮日报 and accepted for the event."""
    app, client, free = site
    response = client.post("/campaigns/pm/links", data={
        "event": "rally", "links": server.url("/news/1.html")})
    assert response.status_code == 200
    assert free == [True]
    assert stored_and_attached(app) == [("江淮日报", "accepted")]


def test_one_link_is_fetched_without_the_write_lock(site: Any, server: Any) -> None:
    """POST /links/one (links.js): the same, answered in JSON."""
    app, client, free = site
    response = client.post("/campaigns/pm/links/one", data={
        "event": "rally", "url": server.url("/news/1.html")})
    assert response.get_json()["status"] == "stored"
    assert free == [True]
    assert stored_and_attached(app) == [("江淮日报", "accepted")]


def test_a_clipping_lists_links_are_fetched_without_the_write_lock(site: Any,
                                                                    server: Any) -> None:
    """Importing a clipping list whose row has a link: the link is fetched with the lock free,
    then stored and attached (the import redirects to the event's coverage)."""
    app, client, free = site
    link = server.url("/news/1.html")
    sheet = f"日期,媒体,标题,链接\n2006-04-27,江淮日报,职工技能竞赛启动,{link}\n"
    response = client.post("/campaigns/pm/clippings/import", data={
        "step": "import", "event": "rally", "filename": "目录.csv",
        "data": base64.b64encode(sheet.encode()).decode(),
        "map-0": "date", "map-1": "outlet", "map-2": "title", "map-3": "url"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert free == [True]
    assert stored_and_attached(app) == [("江淮日报", "accepted")]


def test_a_robots_test_message_waits_without_the_write_lock(tmp_path: Path,
                                                            committed_app: Any) -> None:
    """An admin's 测试 of a robot: while the webhook keeps the request waiting, the lock is
    free; the message arrives."""
    receiver = Receiver()
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    receiver.held.clear()
    try:
        with committed_app(tmp_path) as app:
            with app.app_context():
                campaign = Campaign(slug="pm", name="宣传月", starts_on=date(2006, 4, 25),
                                    ends_on=date(2006, 5, 25))
                robot = Robot(campaign=campaign, kind="wecom", url=receiver.url + "/hook")
                db.session.add(robot)
                create_user(username="admin", password=PASSWORD, role="admin")
                db.session.commit()
                robot_id = robot.id
            client = app.test_client()
            client.post("/login", data={"username": "admin", "password": PASSWORD})
            answers: list[int] = []
            posting = threading.Thread(target=lambda: answers.append(client.post(
                f"/campaigns/pm/robots/{robot_id}/test").status_code))
            posting.start()
            while not receiver.hooks and posting.is_alive():
                threading.Event().wait(0.01)
            free = lock_is_free(tmp_path / "sched.db")
            receiver.held.set()
            posting.join(timeout=60)
    finally:
        receiver.held.set()
        receiver.server.shutdown()
        receiver.server.server_close()
    assert free and len(receiver.hooks) == 1 and answers == [302]


def test_the_test_mail_waits_without_the_write_lock(tmp_path: Path,
                                                    committed_app: Any) -> None:
    """A user's 发送测试邮件: while the SMTP server receives the mail, the lock is free; the
    mail arrives."""
    free: list[bool] = []
    with smtp_server(auth_require_tls=False) as smtp:
        received = smtp.inbox.handle_DATA

        async def probing(server: Any, session: Any, envelope: Any) -> str:
            free.append(lock_is_free(tmp_path / "sched.db"))
            return await received(server, session, envelope)

        smtp.inbox.handle_DATA = probing  # type: ignore[method-assign]
        with committed_app(tmp_path, **smtp.config()) as app:
            with app.app_context():
                db.session.add(Campaign(slug="pm", name="宣传月", starts_on=date(2006, 4, 25),
                                        ends_on=date(2006, 5, 25)))
                user = create_user(username="leader", password=PASSWORD, role="leader")
                user.email = "leader@union.test"
                db.session.commit()
            client = app.test_client()
            client.post("/login", data={"username": "leader", "password": PASSWORD})
            assert client.post("/digests/test").status_code == 302
    assert free == [True]
    assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["leader@union.test"]]


def test_a_source_forms_dns_lookup_waits_without_the_write_lock(
        tmp_path: Path, committed_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saving a source looks its host up (the address guard) before anything is written: while
    the resolver answers, the lock is free; the source is then saved."""
    free: list[bool] = []
    real = socket.getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example.cn":
            free.append(lock_is_free(tmp_path / "sched.db"))
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port or 80))]
        return real(host, port, *args, **kwargs)

    with committed_app(tmp_path) as app:
        with app.app_context():
            paper = Outlet(name="江淮日报")
            db.session.add(paper)
            create_user(username="admin", password=PASSWORD, role="admin")
            db.session.commit()
            paper_id = paper.id
        client = app.test_client()
        client.post("/login", data={"username": "admin", "password": PASSWORD})
        monkeypatch.setattr(socket, "getaddrinfo", resolve)
        response = client.post("/sources/new", data={
            "outlet": paper_id, "type": "rss", "name": "江淮",
            "url": "http://news.example.cn/feed.xml", "interval_minutes": 60, "max_pages": 3,
            "timezone": "Asia/Shanghai", "enabled": "y"})
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
        with app.app_context():
            saved = db.session.scalars(select(Source.url)).all()
    assert free and all(free)
    assert saved == ["http://news.example.cn/feed.xml"]
