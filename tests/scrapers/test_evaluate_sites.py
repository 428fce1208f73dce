"""`python -m scrapers.evaluate --sites`: the labelled article pages of a served world read
over HTTP and scored per outlet (headline, day, printed page, 来源 credit)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from founder_pc import STORIES, content_path, publish_pc_paper
from scraper_server import LocalServer, Reply

from scrapers.evaluate import main
from scrapers.evaluate_sites import evaluate_sites, read_site_labels, report, same_page
from scrapers.fetch import Fetcher

DAY = date(2031, 5, 6)
WEB = ("<html><head><title>江川职工书屋开放——一年来借阅过万册</title></head><body>"
       "<h1>江川职工书屋开放——一年来借阅过万册</h1><div class='info'>2031-05-07 08:30 "
       "来源：江川工人报</div><div class='content'>"
       + "<p>市总工会职工书屋今天向全市职工开放，首批藏书三千册，借阅办法同时公布。</p>" * 4
       + "</div></body></html>")


def _labels(wrong_day: bool = False) -> list[dict[str, object]]:
    records: list[dict[str, object]] = [
        {"url": content_path(DAY, story), "outlet": "职工日报", "title": story.title,
         "published_at": f"{DAY}T00:00:00+08:00", "page": story.page}
        for story in STORIES]
    records.append({"url": "/news/1.html", "outlet": "江川网",
                    "title": "江川职工书屋开放——一年来借阅过万册",
                    "published_at": f"2031-05-0{8 if wrong_day else 7}T08:30:00+08:00",
                    "page": None, "credit": "江川工人报"})
    return records


def _serve(server: LocalServer) -> None:
    publish_pc_paper(server, DAY)
    server.route("/news/1.html", Reply(body=WEB.encode()))


def test_every_labelled_page_read_right_is_counted(server: LocalServer,
                                                    fetcher: Fetcher) -> None:
    """E-paper stories and a web article read right count as agreeing on headline, day, page
    and credit, per outlet."""
    _serve(server)
    results = evaluate_sites(read_site_labels(_labels()), server.url("/"), fetcher=fetcher)
    paper, _base = results["职工日报"]
    assert (paper.fetched, paper.titles, paper.days, paper.pages_right) == (3, 3, 3, 3)
    web, baseline = results["江川网"]
    assert (web.titles, web.days, web.credits_right) == (1, 1, 1)
    assert baseline.fetched == 1


def test_a_disagreement_is_counted_and_listed(server: LocalServer, fetcher: Fetcher) -> None:
    """A page whose day differs from its label counts as a miss and is listed with -v."""
    _serve(server)
    results = evaluate_sites(read_site_labels(_labels(wrong_day=True)), server.url("/"),
                             fetcher=fetcher)
    web, _base = results["江川网"]
    assert web.days == 0
    out = io.StringIO()
    report(results, out, verbose=True)
    assert "/news/1.html: day 2031-05-07 (labelled 2031-05-08)" in out.getvalue()


def test_page_numbers_agree_across_spellings() -> None:
    """A05 and A05版 agree, 2 and 第02版 agree, A05 and B05 do not."""
    assert same_page("A05版", "A05") and same_page("2", "第02版")
    assert not same_page("B05", "A05") and not same_page(None, "2")


def test_command_reports_all_outlets(server: LocalServer, tmp_path: Path,
                                     capsys: object) -> None:
    """The command prints a row per outlet and one for all."""
    _serve(server)
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(_labels(), ensure_ascii=False), encoding="utf-8")
    assert main(["--sites", str(labels), "--base-url", server.url("/")]) == 0
    lines = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    assert [line.split()[0] for line in lines[1:]] == ["职工日报", "江川网", "all"]
    assert lines[-1].split()[1:6] == ["4", "|", "4/4", "4/4", "3/3"]


def test_unreadable_labels_exit_two(tmp_path: Path) -> None:
    """A labels file that is not JSON ends the command with status 2."""
    bad = tmp_path / "labels.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["--sites", str(bad), "--base-url", "http://127.0.0.1:9/"]) == 2
