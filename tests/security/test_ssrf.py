"""Server-side request forgery: no source URL, redirect or connection reaches a local,
private, reserved or metadata address unless an administrator allow-listed its host."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.ingest.scheduler import SourceHosts, fetch_settings
from campaign.planning.models import Outlet
from campaign.sources import guard as guard_module
from campaign.sources.guard import AddressGuard
from campaign.sources.models import AllowedHost, FetchRun, Source
from scrapers.fetch import Fetcher, FetchSettings, Outcome
from tests.plugins.apps import feed
from tests.scrapers.scraper_server import Reply

FORBIDDEN = [
    "127.0.0.1", "127.8.9.10", "10.0.0.5", "172.16.3.4", "192.168.1.1", "0.0.0.0",
    "169.254.169.254",  # AWS/GCP/Azure metadata
    "100.100.100.200",  # Alibaba Cloud metadata (carrier-grade NAT range)
    "100.64.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "192.0.2.10", "198.18.0.1",
    "::1", "::", "fd00:ec2::254", "fc00::1", "fe80::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 wrapping 10.0.0.1
    "2001:db8::1",
]
NUMERIC_SPELLINGS = [
    "http://2130706433/", "http://0x7f.1/", "http://0x7f000001/", "http://0177.0.0.1/",
    "http://127.1/", "http://017700000001/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/", "http://[fd00:ec2::254]/latest/meta-data/",
    "http://169.254.169.254/latest/meta-data/", "http://0xa9.0xfe.0xa9.0xfe/",
    "http://localhost./", "http://[::1]:8080/",
]
PUBLIC = "93.184.216.34"


def resolver(table: dict[str, list[str]]):
    """A getaddrinfo stand-in answering from `table` (no real DNS)."""

    def getaddrinfo(host, port, *_args, **_kw):
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "unknown host")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port or 0)) for a in table[host]]

    return getaddrinfo



def _fetcher(guard: AddressGuard) -> Fetcher:
    settings = FetchSettings(url_guard=guard, retries=0, min_delay=0, obey_robots=False,
                             trust_env=False, connect_timeout=2, read_timeout=2)
    return Fetcher(settings, transport=guard.transport())


@pytest.mark.parametrize("address", FORBIDDEN)
def test_every_forbidden_address_class_is_refused(address):
    """A name resolving to a loopback, private, link-local, CGNAT, multicast, reserved,
    metadata or IPv4-mapped address is refused."""
    guard = AddressGuard(resolve=resolver({"news.example.cn": [address]}))
    assert guard("http://news.example.cn/rss.xml") is not None


@pytest.mark.parametrize("url", NUMERIC_SPELLINGS)
def test_numeric_and_bracketed_spellings_are_refused_without_dns(url):
    """Decimal, octal, hex and IPv6 spellings of local addresses are refused as what they
    spell, before any DNS lookup ('localhost.' too, through the resolver)."""
    guard = AddressGuard(resolve=resolver({"localhost": ["127.0.0.1"]}))
    assert guard(url) is not None, url


def test_a_name_is_refused_when_any_of_its_addresses_is_local():
    """Every resolved address must be public: one private answer among public ones refuses."""
    guard = AddressGuard(resolve=resolver({"mixed.example.cn": [PUBLIC, "10.1.2.3"]}))
    assert guard("http://mixed.example.cn/") is not None


def test_a_public_address_passes_and_unknown_names_are_left_to_the_fetch():
    """A public address is allowed; a name that does not resolve is not 'blocked' (the fetch
    reports the connection error)."""
    guard = AddressGuard(resolve=resolver({"www.workercn.cn": [PUBLIC]}))
    assert guard("https://www.workercn.cn/news/") is None
    assert guard("http://nowhere.example.cn/") is None


def test_the_setting_allow_lists_a_host_by_name():
    """A host in the allow-list passes whatever it resolves to; the allow-list is by host,
    so another name of the same address is still refused."""
    table = {"paper.intranet.test": ["10.0.0.8"], "other.intranet.test": ["10.0.0.8"]}
    guard = AddressGuard(["Paper.Intranet.Test."], resolve=resolver(table))
    assert guard("http://paper.intranet.test/rss.xml") is None
    assert guard("http://other.intranet.test/rss.xml") is not None


def test_redirect_from_an_allowed_host_to_loopback_is_blocked(server):
    """An allow-listed host ('localhost') redirecting to 127.0.0.1, which is not allowed,
    ends in the `blocked` outcome and the target is never requested."""
    server.route("/jump", Reply(302, headers={"Location": server.url("/secret")}))
    server.route("/secret", Reply(body=b"internal"))
    with _fetcher(AddressGuard([f"localhost:{server.port}"])) as fetcher:
        result = fetcher.fetch(f"http://localhost:{server.port}/jump")
    assert result.outcome is Outcome.BLOCKED
    assert result.final_url == server.url("/secret")
    assert server.paths() == ["/jump"]


def test_dns_rebinding_between_check_and_connect_is_refused(server):
    """A name that resolves to a public address for the check and to 127.0.0.1 for the
    connection is refused at connect time: the connection goes only to checked addresses."""
    answers = iter([[PUBLIC], ["127.0.0.1"]])

    def rebinding(host, port, *_args):
        return resolver({host: next(answers)})(host, port)

    with _fetcher(AddressGuard(resolve=rebinding)) as fetcher:
        result = fetcher.fetch(f"http://rebind.test:{server.port}/secret")
    assert result.outcome is Outcome.BLOCKED, result
    assert server.paths() == []


def test_connections_are_pinned_to_the_checked_address(server, monkeypatch):
    """The transport connects to the address the guard checked (here a name the system
    resolver does not know), keeping the URL's host in the Host header."""
    monkeypatch.setattr(guard_module, "address_problem", lambda _address: None)
    server.route("/feed.xml", Reply(body=b"<rss/>", content_type="application/rss+xml"))
    guard = AddressGuard(resolve=resolver({"pinned.test": ["127.0.0.1"]}))
    with _fetcher(guard) as fetcher:
        result = fetcher.fetch(f"http://pinned.test:{server.port}/feed.xml")
    assert result.outcome is Outcome.OK
    assert server.requests[-1].headers["host"] == f"pinned.test:{server.port}"


def _add_source(url: str) -> int:
    source = Source(outlet=Outlet(name="内网报"), type="rss", url=url, selectors={})
    db.session.add(source)
    db.session.commit()
    return source.id


def test_scheduler_and_fetch_command_refuse_a_sources_own_local_host(tmp_path, server,
                                                                    committed_app):
    """A source on a local address is not allowed just because it is a source: the `fetch`
    command (the scheduler's poller) records the run as failed with kind `blocked`; once the
    host is allow-listed in the table, the same source is fetched."""
    server.route("/feed.xml", Reply(body=feed(server.url(""), "f"),
                                    content_type="application/rss+xml"))
    url = f"http://127.0.0.1:{server.port}/feed.xml"
    with committed_app(tmp_path, SOURCE_ALLOW_HOSTS=["localhost"]) as app:
        with app.app_context():
            source_id = _add_source(url)
        runner = app.test_cli_runner()
        result = runner.invoke(args=["fetch", "--source", str(source_id)])
        assert result.exit_code == 0, result.output
        with app.app_context():
            run = db.session.scalars(select(FetchRun)).one()
            assert run.outcome == "failed" and run.error.startswith("blocked"), run.error
            assert server.paths() == []
            db.session.add(AllowedHost(host=f"127.0.0.1:{server.port}"))
            db.session.commit()
        result = runner.invoke(args=["fetch", "--source", str(source_id)])
        with app.app_context():
            outcomes = db.session.scalars(select(FetchRun.outcome).order_by(FetchRun.id)).all()
        assert outcomes == ["failed", "ok"], result.output


def test_scheduler_fetcher_blocks_a_redirect_to_a_local_address(tmp_path, server, committed_app):
    """The scheduler's fetcher (settings and transport from the app) blocks a redirect from an
    allowed host to one that is not."""
    server.route("/jump", Reply(302, headers={"Location": server.url("/secret")}))
    with committed_app(tmp_path, SOURCE_ALLOW_HOSTS=[f"localhost:{server.port}"]) as app:
        hosts = SourceHosts(app.config["SOURCE_ALLOW_HOSTS"])
        with app.app_context():
            hosts.refresh()
        settings = fetch_settings({"FETCH_RETRIES": 0, "FETCH_MIN_DELAY": 0}, hosts)
        with Fetcher(settings, transport=hosts.transport()) as fetcher:
            result = fetcher.fetch(f"http://localhost:{server.port}/jump")
    assert result.outcome is Outcome.BLOCKED
    assert "/jump" in server.paths() and "/secret" not in server.paths()


def _count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def test_source_form_refuses_a_blocked_url_with_a_clear_message(client, login, make):
    """Saving a source whose host is on the local network is refused on the URL field with a
    message saying why and what to do; nothing is written."""
    login("admin")
    outlet = make.outlet()
    before = _count(Source)
    response = client.post("/sources/new", data={
        "outlet": outlet.id, "type": "rss", "url": "http://169.254.169.254/latest/meta-data/",
        "interval_minutes": 60, "max_pages": 3, "timezone": "Asia/Shanghai"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "出于安全原因不能抓取此网址" in text and "169.254.169.254" in text
    assert _count(Source) == before


def test_confirming_a_proposal_for_a_blocked_url_is_refused(client, login, make):
    """The add-by-URL confirmation refuses a URL the guard blocks (hidden fields are input
    too)."""
    login("admin")
    outlet = make.outlet()
    response = client.post("/sources/discover/save", data={
        "outlet": outlet.id, "type": "rss", "url": "http://2130706433/rss.xml",
        "selectors": "{}"})
    assert response.status_code == 422
    assert "出于安全原因不能抓取此网址" in response.get_data(as_text=True)
    assert _count(Source) == 0


def test_add_by_url_probe_blocks_local_addresses(client, login):
    """The add-by-URL probe refuses a metadata address before fetching anything and says so."""
    login("admin")
    response = client.post("/sources/discover", data={"url": "http://[fd00:ec2::254]/latest/"})
    assert "出于安全原因，此网址不允许抓取（内网地址）。" in response.get_data(as_text=True)


def test_allowed_hosts_page_adds_and_removes_hosts(app, client, login):
    """An admin allow-lists a host on the sources pages, the probe's guard lets it through,
    and removing it refuses it again; leaders cannot open the page."""
    from campaign.sources.probe import probe_guard

    login("admin")
    response = client.post("/sources/allowed-hosts", data={"host": " 127.0.0.2:5050 ",
                                                           "note": "演示"})
    assert response.status_code == 302
    row = db.session.scalars(select(AllowedHost)).one()
    assert (row.host, row.note) == ("127.0.0.2:5050", "演示")
    page = client.get("/sources/allowed-hosts").get_data(as_text=True)
    assert "127.0.0.2:5050" in page and "演示" in page
    with app.test_request_context():
        assert probe_guard()("http://127.0.0.2:5050/") is None
        assert probe_guard()("http://127.0.0.2:6379/") is not None
        assert probe_guard()("http://127.0.0.3:5050/") is not None
    client.post(f"/sources/allowed-hosts/{row.id}/delete")
    with app.test_request_context():
        assert probe_guard()("http://127.0.0.2:5050/") is not None


def test_allowed_hosts_page_says_which_ports_each_entry_opens(app, client, login, monkeypatch):
    """The allowed-hosts page shows, beside every entry (the setting's and the table's), the
    ports it opens: a bare host 80 and 443 only, `host:*` every port, `host:port` that port."""
    from bs4 import BeautifulSoup

    monkeypatch.setitem(app.config, "SOURCE_ALLOW_HOSTS", ["10.0.0.5"])
    for host in ("127.0.0.2:5050", "paper.intranet.local:*"):
        db.session.add(AllowedHost(host=host, note=""))
    db.session.commit()
    login("admin")
    page = BeautifulSoup(client.get("/sources/allowed-hosts").get_data(as_text=True),
                         "html.parser")
    shown = {row.code.get_text(): row.find(class_="allowed-ports").get_text()
             for row in page.select("table.allowed-hosts tbody tr")}
    assert shown == {"10.0.0.5": "仅 80 和 443", "127.0.0.2:5050": "5050",
                     "paper.intranet.local:*": "所有端口"}


@pytest.mark.parametrize("text", ["http://127.0.0.2/", "a b", "", "x" * 300, "-bad-.test",
                                  "127.0.0.2:0", "127.0.0.2:99999", "127.0.0.2:http",
                                  "[::1]x", ":5050"])
def test_allowed_hosts_form_refuses_what_is_not_a_host(client, login, text):
    """Only a bare host name or IP address can be allow-listed; nothing is written otherwise."""
    login("admin")
    response = client.post("/sources/allowed-hosts", data={"host": text})
    assert response.status_code == 422
    assert _count(AllowedHost) == 0


def test_up_allow_lists_the_demo_site_and_keeps_the_setting(monkeypatch):
    """`up` beside the demo site allow-lists the demo site's port alone (127.0.0.1:5050) for
    the web app and the scheduler, keeping hosts already in SOURCE_ALLOW_HOSTS; without the
    demo site nothing is added."""
    from campaign.processes import _children

    monkeypatch.delenv("SOURCE_ALLOW_HOSTS", raising=False)
    monkeypatch.delenv("DEMO_SITE_URL", raising=False)
    envs = {name: env for name, _argv, env, _port in _children(5000, with_demo_site=True)}
    assert envs["web"]["SOURCE_ALLOW_HOSTS"] == envs["scheduler"]["SOURCE_ALLOW_HOSTS"]
    assert envs["scheduler"]["SOURCE_ALLOW_HOSTS"] == "127.0.0.1:5050"
    monkeypatch.setenv("SOURCE_ALLOW_HOSTS", "paper.intranet.test")
    env = _children(5000, with_demo_site=True)[-1][2]
    assert env["SOURCE_ALLOW_HOSTS"] == "paper.intranet.test,127.0.0.1:5050"
    assert _children(5000, with_demo_site=False)[-1][2] is None


def test_an_allow_listed_chinese_domain_matches_its_xn_form():
    """A Chinese domain allow-listed as typed is also allowed in the xn-- form the connection
    uses, and nothing else is."""
    guard = AddressGuard(["工会.中国"], resolve=resolver({"xn--6oq837a.xn--fiqs8s": ["10.0.0.1"],
                                                        "xn--other.xn--fiqs8s": ["10.0.0.1"]}))
    assert guard("http://工会.中国/rss.xml") is None
    assert guard.addresses("xn--6oq837a.xn--fiqs8s", 80) == ["xn--6oq837a.xn--fiqs8s"]
    assert guard("http://xn--other.xn--fiqs8s/") is not None


def test_an_allow_list_entry_is_a_host_and_port():
    """A bare host opens ports 80 and 443 only, `host:port` that port alone, `host:*` every
    port; an IPv6 entry takes its port in brackets."""
    local = resolver({"paper.intranet.test": ["10.0.0.8"]})
    bare = AddressGuard(["paper.intranet.test"], resolve=local)
    assert bare("http://paper.intranet.test/") is None
    assert bare("https://paper.intranet.test/") is None
    assert bare("http://paper.intranet.test:8080/") is not None
    assert bare("https://paper.intranet.test:80/") is None
    one = AddressGuard(["127.0.0.1:5050", "[fd00::5]:8080"])
    assert one("http://127.0.0.1:5050/") is None
    assert one("http://127.0.0.1/") is not None
    assert one("http://127.0.0.1:6379/") is not None
    assert one("http://[fd00::5]:8080/") is None
    assert one("http://[fd00::5]/") is not None
    every = AddressGuard(["127.0.0.1:*"])
    assert every("http://127.0.0.1:6379/") is None


def test_redirect_to_another_port_of_an_allowed_host_is_blocked(server):
    """Allowing the demo site's port does not open a second service on the same machine: a
    redirect from 127.0.0.1:A to 127.0.0.1:B ends `blocked` and B is never asked."""
    from tests.scrapers.scraper_server import serving

    with serving() as other:
        other.route("/admin", Reply(body=b"another local service"))
        server.route("/jump", Reply(302, headers={"Location": other.url("/admin")}))
        with _fetcher(AddressGuard([f"127.0.0.1:{server.port}"])) as fetcher:
            result = fetcher.fetch(server.url("/jump"))
        assert result.outcome is Outcome.BLOCKED, result
        assert other.requests == []


def test_the_address_is_checked_at_connect_time_after_a_redirect(server):
    """A redirect to a name that resolves to a public address when checked and to 127.0.0.1
    when connecting (a resolver the test controls) is refused at connect time; only the first
    hop, to the allow-listed host and port, reaches the server."""
    answers = iter([[PUBLIC], ["127.0.0.1"]])

    def rebinding(host, port, *_args):
        return resolver({host: next(answers)})(host, port)

    server.route("/jump", Reply(302, headers={"Location": f"http://rebind.test:{server.port}/s"}))
    server.route("/s", Reply(body=b"internal"))
    guard = AddressGuard([f"127.0.0.1:{server.port}"], resolve=rebinding)
    with _fetcher(guard) as fetcher:
        result = fetcher.fetch(server.url("/jump"))
    assert result.outcome is Outcome.BLOCKED, result
    assert result.final_url == f"http://rebind.test:{server.port}/s"
    assert server.paths() == ["/jump"]


def test_the_preview_does_not_read_a_feed_on_another_local_port(app, server, monkeypatch):
    """The add-by-URL preview of an allowed page (127.0.0.1:A) does not fetch the feed the page
    advertises on another local port: no proposal and no text from it."""
    from campaign.sources.probe import discover
    from tests.scrapers.scraper_server import serving

    with serving() as other:
        other.route("/feed.xml", Reply(body=feed(other.url(""), "secret"),
                                       content_type="application/rss+xml"))
        page = (f'<html><head><title>职工报</title><link rel="alternate" '
                f'type="application/rss+xml" href="{other.url("/feed.xml")}"></head>'
                f'<body><p>hello</p></body></html>').encode()
        server.route("/", Reply(body=page))
        monkeypatch.setitem(app.config, "SOURCE_ALLOW_HOSTS", [f"127.0.0.1:{server.port}"])
        with app.test_request_context():
            found = discover(server.url("/"))
        assert other.requests == []
        assert all(p.type != "rss" for p in found.proposals)
        assert "secret" not in repr(found)
