"""A world's end-to-end self-test, standard library only: generate twice and compare the
bytes; serve; walk every source the way a fetcher would (e-paper days and pages, list pages
with their selectors and 下一页 links, RSS and Atom feeds); check that each outlet's sources
reach exactly its labelled articles; fetch every link of every page reached (page pictures and
PDFs checked by their magic bytes); check the labels against the plan.

A world's selftest.py calls `main` with its generate and serve modules and its plan.
"""
import argparse
import hashlib
import json
import re
import shutil
import threading
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"


class Checks:
    """Prints each check as [ok] or [FAIL] and remembers the failures."""

    def __init__(self):
        self.failures = []

    def __call__(self, ok, message):
        print(("[ok] " if ok else "[FAIL] ") + message)
        if not ok:
            self.failures.append(message)


def digest(folder):
    """sha256 of every generated file (not the server's own files)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()
            and p.name not in ("serve.json", "sources.local.toml")}


class Page(HTMLParser):
    """Links of a page, and the hrefs of <a> elements matching simple CSS selectors
    (descendant combinators of tag, .class and #id parts: all the sources use)."""

    def __init__(self, selectors=()):
        super().__init__(convert_charrefs=True)
        self.stack, self.links, self.matches = [], [], {s: [] for s in selectors}
        self.parsed = {s: [self._part(p) for p in s.split()] for s in selectors}
        self.title, self._in_title = "", False

    @staticmethod
    def _part(text):
        tag = re.match(r"^[a-zA-Z0-9]*", text).group(0).lower()
        return tag, set(re.findall(r"\.([\w-]+)", text)), set(re.findall(r"#([\w-]+)", text))

    @staticmethod
    def _fits(part, node):
        tag, classes, ids = part
        return ((not tag or tag == node[0]) and classes <= node[1] and ids <= node[2])

    def _matches(self, parts):
        nodes = self.stack
        if not nodes or not self._fits(parts[-1], nodes[-1]):
            return False
        i = len(parts) - 2
        for node in reversed(nodes[:-1]):
            if i < 0:
                break
            if self._fits(parts[i], node):
                i -= 1
        return i < 0

    VOID = {"img", "br", "meta", "area", "link", "input", "hr"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        node = (tag, set((attrs.get("class") or "").split()), {attrs.get("id") or ""})
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])
        if tag in self.VOID:
            return
        self.stack.append(node)
        if tag == "a" and attrs.get("href"):
            for sel, parts in self.parsed.items():
                if self._matches(parts):
                    self.matches[sel].append(attrs["href"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


class Client:
    """GETs with a cache: (status, Content-Type, bytes) per URL."""

    def __init__(self):
        self.fetched, self.failures = {}, []

    def get(self, url):
        if url in self.fetched:
            return self.fetched[url]
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                result = (response.status, response.headers.get("Content-Type", ""),
                          response.read())
        except urllib.error.HTTPError as err:
            result = (err.code, "", b"")
        self.fetched[url] = result
        return result


def decode(ctype, data):
    """Text of a page: the header's charset, else the meta's, else UTF-8; GB2312 and GBK read
    as GB18030 (as DOMAIN.md asks), strictly otherwise."""
    declared = re.search(r"charset=([\w-]+)", ctype) or re.search(
        rb'charset="?([\w-]+)', data[:600])
    name = declared.group(1) if declared else "utf-8"
    name = name.decode() if isinstance(name, bytes) else name
    if name.lower() in ("gb2312", "gbk"):
        name = "gb18030"
    return data.decode(name)


def walk_epaper(client, pattern, first, last):
    """Article URLs (without query) and pages reached from every day's index page."""
    articles, pages = set(), set()
    d = first
    while d <= last:
        url = pattern.replace("{yyyy}", f"{d:%Y}").replace("{mm}", f"{d:%m}").replace(
            "{dd}", f"{d:%d}")
        status, ctype, data = client.get(url)
        if status == 200:
            first_page = Page()
            first_page.feed(decode(ctype, data))
            todo = [urljoin(url, h) for h in first_page.links if re.search(r"node_\d+\.html?$", h)]
            for page_url in [url, *todo]:
                if page_url in pages:
                    continue
                pages.add(page_url)
                s, c, body = client.get(page_url)
                page = Page()
                page.feed(decode(c, body))
                articles |= {urljoin(page_url, h).split("?")[0] for h in page.links
                             if re.search(r"content_\d+\.html?", h)}
        d += timedelta(days=1)
    return articles, pages


def walk_list(client, source):
    """Article URLs and list pages reached through the link and next-page selectors."""
    url, seen, articles = source["url"], set(), set()
    while url and url not in seen and len(seen) < source.get("max_pages", 3):
        seen.add(url)
        status, ctype, data = client.get(url)
        page = Page([source["link_selector"], source["next_selector"]])
        page.feed(decode(ctype, data))
        articles |= {urljoin(url, h) for h in page.matches[source["link_selector"]]}
        nxt = page.matches[source["next_selector"]]
        url = urljoin(url, nxt[0]) if nxt else None
    return articles, seen


def walk_feed(client, url):
    """Item links of an RSS 2.0 feed, or entry links of an Atom feed."""
    status, ctype, data = client.get(url)
    root = ET.fromstring(data)
    links = {item.findtext("link") for item in root.iter("item")}
    links |= {link.get("href") for entry in root.iter(f"{ATOM}entry")
              for link in entry.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"}
    return links, {url}


def fetch_window(campaign, events):
    """The days a fetcher is asked for: planning start to a week after the last event."""
    planning = date.fromisoformat(campaign["planning_starts_on"])
    last_event = max(date.fromisoformat((e.get("ends_at") or e["starts_at"])[:10])
                     for e in events)
    return planning, last_event + timedelta(days=7)


def reach_sources(check, client, folder, labels, window):
    """Walk every source; check each outlet reaches exactly its labelled pages. The pages met."""
    sources = tomllib.loads((folder / "sources.local.toml").read_text("utf-8"))
    all_pages = set()
    for outlet in sources["outlet"]:
        name = outlet["name"]
        labelled = {r["url"] for r in labels if r["outlet"] == name}
        if not outlet.get("source"):
            check(not labelled, f"{name}: invited, no source (not monitored)")
            continue
        reached = set()
        for source in outlet["source"]:
            if source["type"] == "epaper":
                found, pages = walk_epaper(client, source["url"], *window)
            elif source["type"] == "html":
                found, pages = walk_list(client, source)
            else:
                found, pages = walk_feed(client, source["url"])
            reached |= {url_key(u) for u in found}
            all_pages |= pages
        in_window = {r["url"] for r in labels if r["outlet"] == name
                     and window[0] <= date.fromisoformat(r["published_at"][:10]) <= window[1]}
        check(reached >= in_window and reached <= labelled,
              f"{name}: sources reach {len(reached)} articles, {len(labelled)} labelled "
              f"({len(in_window)} in the fetch window {window[0]} … {window[1]})"
              + (f"; missing {sorted(in_window - reached)[:3]} extra "
                 f"{sorted(reached - labelled)[:3]}" if not (in_window <= reached <= labelled)
                 else ""))
    return all_pages


def url_key(url):
    """A label's URL of a link: the path, with the query only on *.php pages."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.path.endswith(".php") and parts.query
                         else "")


def run_checks(check, client, folder, labels, port, campaign, events):
    """Every check on a served world."""
    all_pages = reach_sources(check, client, folder, labels, fetch_window(campaign, events))
    base = f"http://127.0.0.1:{port}"
    bad_titles = []
    for row in labels:
        status, ctype, data = client.get(base + row["url"])
        text = decode(ctype, data) if status == 200 else ""
        if status != 200 or row["title"] not in text:
            bad_titles.append(row["url"])
        all_pages.add(base + row["url"])
    check(not bad_titles, f"{len(labels) - len(bad_titles)}/{len(labels)} labelled pages served "
          f"with their title" + (f"; bad: {bad_titles[:3]}" if bad_titles else ""))
    crawl(check, client, all_pages, base)
    check_labels(check, labels, events)


def crawl(check, client, pages, base):
    """Follow every link of every page; PNGs and PDFs checked by their magic bytes."""
    links, broken, pictures = 0, [], 0
    for page_url in sorted(pages):
        status, ctype, data = client.get(page_url)
        if status != 200 or not ctype.startswith("text/html"):
            continue
        page = Page()
        page.feed(decode(ctype, data))
        for href in page.links:
            target = urljoin(page_url, href)
            if not target.startswith(base) or "#" in href:
                continue
            links += 1
            s, c, body = client.get(target)
            if s != 200:
                broken.append(f"{page_url} -> {href} ({s})")
            elif target.endswith(".png"):
                pictures += 1
                if not body.startswith(b"\x89PNG\r\n\x1a\n"):
                    broken.append(f"{target}: not a PNG")
            elif target.endswith(".pdf"):
                pictures += 1
                if not body.startswith(b"%PDF-") or b"%%EOF" not in body[-10:]:
                    broken.append(f"{target}: not a PDF")
    check(not broken, f"{len(client.fetched)} URLs fetched, {links} links followed, "
          f"{pictures} page pictures and PDFs checked, {len(broken)} failures"
          + (f": {broken[:3]}" if broken else ""))


def check_labels(check, labels, events):
    """Every event has positives; reprints point at labelled originals of the same event."""
    urls = {r["url"] for r in labels}
    keys = [e["key"] for e in events]
    per_event = {k: sum(r["event_key"] == k for r in labels) for k in keys}
    check(all(per_event.values()), "every planned event has positives: "
          + ", ".join(f"{k} {n}" for k, n in per_event.items()))
    check(all(r["is_reprint_of"] in urls for r in labels if r["is_reprint_of"]),
          "every reprint points at a labelled original")
    by_url = {r["url"]: r for r in labels}
    check(all(by_url[r["is_reprint_of"]]["event_key"] == r["event_key"]
              for r in labels if r["is_reprint_of"]),
          "each reprint carries its original's event (or none)")
    check(not any(r["event_key"] and r["hard_negative"] for r in labels),
          "no article is both a positive and a look-alike")
    check(len(urls) == len(labels), f"{len(labels)} labels, one per URL")


def main(argv, *, doc, default_work, generate, serve, campaign, events, extra=None):
    """The selftest.py command line; `extra(check, client, folder, labels, port)` adds a
    world's own checks. Exit status 1 on any failure."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(default_work))
    args = parser.parse_args(argv)
    check = Checks()
    one, two = args.work / "a", args.work / "b"
    shutil.rmtree(args.work, ignore_errors=True)
    for out in (one, two):
        code = generate.main(["--out", str(out), "--strict"])
        check(code == 0, f"generate.py --strict into {out} (no content problems)")
    first, second = digest(one), digest(two)
    check(first == second, f"two runs byte-identical ({len(first)} files)")

    labels = json.loads((one / "labels.json").read_text("utf-8"))
    server = serve.make_server(one, 0)
    port = server.server_address[1]
    serve.write_local_sources(one, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = Client()
    try:
        run_checks(check, client, one, labels, port, campaign, events)
        if extra:
            extra(check, client, one, labels, port)
    finally:
        server.shutdown()
        server.server_close()
    print("selftest " + ("passed" if not check.failures else f"FAILED ({len(check.failures)})"))
    return 1 if check.failures else 0
