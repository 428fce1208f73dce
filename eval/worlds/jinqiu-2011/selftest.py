#!/usr/bin/env python3
"""End-to-end check of the jinqiu-2011 world.

    python3 selftest.py [--work DIR]

1. generates the world twice and compares the two trees byte for byte;
2. serves it on a free port and walks every source of sources.local.toml the way a fetcher
   would (e-paper days, list pages through the next-page selector, the RSS feed);
3. fetches every page reached and every link and image on it, decoding each page with the
   charset its server or its meta names (strictly);
4. checks that each outlet's sources reach exactly its labelled articles, and that every
   labelled page is served and shows its title.
Exits 1 on any failure.
"""
import argparse
import re
import shutil
import subprocess
import sys
import threading
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import serve  # noqa: E402

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
DAYS = (date(2011, 7, 1), date(2011, 10, 15))  # a fetcher's window, wider than the issues


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def classes(self):
        return set((self.attrs.get("class") or "").split())


class Tree(HTMLParser):
    """A small DOM: enough for descendant selectors made of tag.class steps."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)
        self.nodes = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        self.nodes.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        node = self.cur
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.cur = node.parent

    def select(self, selector):
        steps = [step.split(".") for step in selector.split()]

        def fits(node, step):
            return node.tag == step[0] and set(step[1:]) <= node.classes()

        found = []
        for node in self.nodes:
            if not fits(node, steps[-1]):
                continue
            i, up = len(steps) - 2, node.parent
            while i >= 0 and up is not None:
                if fits(up, steps[i]):
                    i -= 1
                up = up.parent
            if i < 0:
                found.append(node)
        return found

    def links(self):
        return [n.attrs[k] for n in self.nodes for k in ("href", "src") if n.attrs.get(k)]


class Walk:
    def __init__(self, base):
        self.base, self.pages, self.failures = base, {}, []

    def fail(self, text):
        self.failures.append(text)

    def get(self, url, missing_ok=False):
        """(bytes, content-type) of url, cached; None for a 404 when missing_ok."""
        if url in self.pages:
            return self.pages[url]
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                got = (resp.read(), resp.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as err:
            if not (missing_ok and err.code == 404):
                self.fail(f"{url}: HTTP {err.code}")
            got = None
        self.pages[url] = got
        return got

    def text(self, url, missing_ok=False):
        got = self.get(url, missing_ok)
        if got is None:
            return None
        data, ctype = got
        charset = re.search(r"charset=([\w-]+)", ctype) or re.search(rb"charset=\"?([\w-]+)", data)
        name = charset.group(1) if charset else "utf-8"
        name = name.decode("ascii") if isinstance(name, bytes) else name
        try:
            return data.decode(name)  # strict: a page that lies about its charset fails
        except UnicodeDecodeError as err:
            self.fail(f"{url}: not {name}: {err}")
            return data.decode(name, "replace")


def epaper(walk, url_pattern):
    """Article URLs reached from every day's index page, through the page navigation."""
    found, d = set(), DAYS[0]
    while d <= DAYS[1]:
        url = url_pattern.format(yyyy=f"{d:%Y}", mm=f"{d:%m}", dd=f"{d:%d}")
        text = walk.text(url, missing_ok=True)
        if text is not None:
            pages = {urljoin(url, h) for h in re.findall(r'href="(node_\d+\.html?)"', text)}
            for page in sorted(pages | {url}):
                page_text = walk.text(page) or ""
                for href in re.findall(r'href="([^"]*content_\d+\.html?)(?:\?[^"]*)?"', page_text):
                    found.add(urljoin(page, href))
        d += timedelta(days=1)
    return found


def listing(walk, source):
    found, url, seen = set(), source["url"], 0
    while url and seen < source.get("max_pages", 3):
        tree = Tree(walk.text(url) or "")
        seen += 1
        found |= {urljoin(url, n.attrs["href"]) for n in tree.select(source["link_selector"])}
        nxt = tree.select(source["next_selector"]) if "next_selector" in source else []
        url = urljoin(url, nxt[0].attrs["href"]) if nxt else None
    if url:
        walk.fail(f"{source['url']}: more list pages than max_pages {source.get('max_pages')}")
    return found


def feed(walk, url):
    data, _ = walk.get(url) or (b"", "")
    head = re.match(rb'<\?xml[^>]*encoding="([\w-]+)"', data)
    text = data.decode(head.group(1).decode("ascii") if head else "utf-8")
    root = ET.fromstring(re.sub(r"^<\?xml[^>]*\?>", "", text))
    return {item.findtext("link") for item in root.iter("item")}


def path_of(url):
    return urlsplit(url).path


def check_links(walk):
    """Fetch every href and src of every HTML page fetched so far."""
    todo = [u for u, got in walk.pages.items() if got and "html" in got[1]]
    checked = 0
    for url in todo:
        for href in Tree(walk.text(url) or "").links():
            if href.startswith(("#", "javascript:")):
                continue
            target = urljoin(url, href).split("#")[0]
            if urlsplit(target).netloc != urlsplit(walk.base).netloc:
                walk.fail(f"{url}: link leaves the world: {href}")
                continue
            walk.get(target)
            checked += 1
    return checked


def check_pictures(walk):
    """Every page image is a PNG and every page PDF a PDF."""
    magic = {"image/png": b"\x89PNG\r\n\x1a\n", "application/pdf": b"%PDF-"}
    seen = 0
    for url, got in walk.pages.items():
        if got and got[1] in magic:
            seen += 1
            if not got[0].startswith(magic[got[1]]):
                walk.fail(f"{url}: not a {got[1]}")
    return seen


def generate(out):
    run = subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(out), "--strict"],
                         capture_output=True, text=True, check=False)
    return run.returncode, run.stdout + run.stderr


def same_trees(a, b):
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return False, len(files_a)
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a), len(files_a)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/jinqiu-2011-selftest"))
    args = parser.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    one, two = args.work / "one", args.work / "two"
    code, report = generate(one)
    print(report.rstrip())
    if code or generate(two)[0]:
        print("FAIL: generate.py --strict reported problems")
        return 1
    same, nfiles = same_trees(one, two)
    print(f"\n[{'ok' if same else 'FAIL'}] two runs byte-identical ({nfiles} files)")

    server = serve.make_server(one, 0)
    port = server.server_address[1]
    serve.write_local_sources(one, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    walk = Walk(f"http://127.0.0.1:{port}/")
    import json
    labels = json.loads((one / "labels.json").read_text("utf-8"))
    sources = tomllib.loads((one / "sources.local.toml").read_text("utf-8"))
    ok = same
    for outlet in sources["outlet"]:
        if not outlet.get("source"):
            print(f"[ok] {outlet['name']}: invited, no source (not monitored)")
            continue
        reached = set()
        for source in outlet["source"]:
            if source["type"] == "epaper":
                reached |= epaper(walk, source["url"])
            elif source["type"] == "html":
                reached |= listing(walk, source)
            else:
                reached |= feed(walk, source["url"])
        want = {r["url"] for r in labels if r["outlet"] == outlet["name"]}
        got = {path_of(u) for u in reached}
        good = got == want
        ok &= good
        print(f"[{'ok' if good else 'FAIL'}] {outlet['name']}: sources reach {len(got)} articles, "
              f"{len(want)} labelled" + ("" if good else f"; missing {sorted(want - got)[:5]}, "
                                          f"unlabelled {sorted(got - want)[:5]}"))
    links = check_links(walk)
    pictures = check_pictures(walk)
    shown = 0
    for row in labels:
        text = walk.text(walk.base.rstrip("/") + row["url"]) or ""
        shown += row["title"] in text.replace("&quot;", '"')
    good = shown == len(labels)
    ok &= good
    print(f"[{'ok' if good else 'FAIL'}] {shown}/{len(labels)} labelled pages served with their title")
    print(f"[{'ok' if not walk.failures else 'FAIL'}] {len(walk.pages)} URLs fetched, "
          f"{links} links followed, {pictures} page images and PDFs checked, "
          f"{len(walk.failures)} failures")
    for failure in walk.failures[:20]:
        print("   ", failure)
    server.shutdown()
    ok &= not walk.failures
    print("selftest", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
