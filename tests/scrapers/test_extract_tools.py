"""The scoring, evaluation and feed-check tools around article extraction."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from scrapers.evaluate import discover, evaluate
from scrapers.evaluate import main as evaluate_main
from scrapers.extract_score import lcs_length, rouge_l
from scrapers.feedcheck import main as feedcheck_main
from scrapers.feedcheck import simulated_headers

ARTICLES = Path(__file__).parent / "data" / "articles"
FEEDS = Path(__file__).parent / "data"


def naive_lcs(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_bit_parallel_lcs_matches_dynamic_programming() -> None:
    """The bit-parallel LCS agrees with the textbook DP on random strings."""
    rng = random.Random(7)
    for _ in range(300):
        a = "".join(rng.choice("工会职工劳模") for _ in range(rng.randint(0, 25)))
        b = "".join(rng.choice("工会职工新闻") for _ in range(rng.randint(0, 25)))
        assert lcs_length(a, b) == naive_lcs(a, b)


def test_rouge_l_ignores_whitespace_and_scores_both_sides() -> None:
    """ROUGE-L strips whitespace, and precision/recall follow candidate/reference lengths."""
    score = rouge_l("职工 之家\n", "职工之家建设")
    assert score.precision == 1.0
    assert score.recall == pytest.approx(4 / 6)
    assert rouge_l("", "").f1 == 1.0
    assert rouge_l("", "正文").f1 == 0.0


def make_sets(root: Path) -> None:
    magic = root / "magic"
    (magic / "html").mkdir(parents=True)
    shutil.copy(ARTICLES / "portal.html", magic / "html" / "p.html")
    truth = {
        "p": {
            "url": "http://www.example.cn/news/1.html",
            "content": "据介绍，此次专项行动将持续至4月底。",
            "html_file": "html/p.html",
        }
    }
    (magic / "ground_truth.json").write_text(json.dumps(truth, ensure_ascii=False), "utf-8")
    snippets = root / "snippets"
    snippets.mkdir()
    shutil.copy(ARTICLES / "reprint.html", snippets / "r.html")
    labels = {
        "http://www.example.cn/news/5.html": {
            "file": "r.html",
            "with": ["依托户外劳动者服务站点"],
            "without": ["通知公告"],
            "title": "全国总工会部署新就业形态劳动者权益保障工作",
            "date": "2024-05-20",
        }
    }
    (snippets / "evaldata_zh.json").write_text(json.dumps(labels, ensure_ascii=False), "utf-8")


def test_evaluate_scores_labelled_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The evaluator finds both set layouts and scores ours and the baseline on them."""
    make_sets(tmp_path)
    assert [name for name, _ in discover(tmp_path)] == ["magic", "snippets"]
    results = evaluate(tmp_path, show_pages=True)
    ours_magic, base_magic = results["magic"]
    assert ours_magic.recall == [1.0]
    assert len(base_magic.f1) == 1
    ours_snippets, _ = results["snippets"]
    assert (ours_snippets.snippets_passed, ours_snippets.snippets_total) == (2, 2)
    assert ours_snippets.titles == [True]
    assert ours_snippets.dates == [True]
    assert "ROUGE-L" in capsys.readouterr().out
    assert evaluate_main([str(tmp_path), "--quiet"]) == 0


def test_feedcheck_reads_headers_and_passes_fixture_feeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Header lines in a feed's leading comment are read, and sample feeds parse without error."""
    feed = (
        b'<?xml version="1.0"?>\n<!--\nDescription: test\n'
        b"Header: Content-type: application/rss+xml; charset=utf-8\n-->\n"
        b"<rss version='2.0'><channel><title>t</title>"
        b"<item><title>\xe5\xb7\xa5\xe4\xbc\x9a</title></item></channel></rss>"
    )
    assert simulated_headers(feed) == {"Content-type": "application/rss+xml; charset=utf-8"}
    (tmp_path / "one.xml").write_bytes(feed)
    for name in ("feed_utf8.xml", "feed_gb2312.xml", "atom.xml"):
        if (FEEDS / name).is_file():
            shutil.copy(FEEDS / name, tmp_path / name)
    assert feedcheck_main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "EXCEPTION" not in out
