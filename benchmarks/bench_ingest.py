"""Ingest speed: parse results in, rows out, reprint groups found — against a naive baseline.

Generates N articles of Chinese-like text from a small vocabulary (about 20 % of them lightly
edited reprints of another outlet's story), then, on a temporary SQLite database:

- **tracker**: one fetch pass per day; each outlet's articles of the day stored with
  `store_articles` and committed (as the fetch job does), then `group_reprints` over the pass;
- **naive**: on a 2,000-article subset, ORM insert and commit per article, then every pair
  compared on exact shingle Jaccard; extrapolated to N (inserts linearly, pairs quadratically).

Prints articles per second of each, the speed-up, peak memory (ru_maxrss) and how well the
reprint groups match the generated truth. Exits 1 when a target is missed: every article
stored; at least MIN_SPEEDUP times the naive way; at least MIN_GROUPED of the copies grouped
with their original, and no group mixing two stories (the naive pairwise comparison is exact,
so its groups are the truth the generator knows). Run by hand:

    .venv/bin/python benchmarks/bench_ingest.py [--articles N] [--subset 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from campaign import create_app
from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article, ArticleBody, ArticleUrl
from campaign.articles.store import body_fingerprint, store_articles
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.planning.outlets import STARTER_DIRECTORY
from campaign.reprints.linking import group_reprints
from campaign.reprints.signatures import JACCARD_THRESHOLD, shingles

BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2006, 4, 1)
DAYS = 60
REPRINT_SHARE = 0.2
MIN_SPEEDUP = 10.0
MIN_GROUPED = 0.99
CHARS = ("工会职工劳动模范全省组织开展活动建设发展企业经济社会服务群众工作会议精神学习宣传"
         "技能竞赛创新安全生产权益维护和谐关系农民工就业培训帮扶困难家庭表彰先进集体个人"
         "代表大会主席同志领导部署要求推进落实深入基层一线岗位奉献青年女工文化体育健康")
PUNCT = "，，，、。"


@dataclass
class Story:
    """A generated article and, for a reprint, the story it copies."""

    outlet: int
    day: int
    item: IncomingArticle
    story: int  # the id of the original story (its own index for an original)


def vocabulary(rng: random.Random, size: int = 400) -> list[str]:
    return ["".join(rng.choice(CHARS) for _ in range(rng.choice((2, 2, 3, 4))))
            for _ in range(size)]


def paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        parts = [rng.choice(words) for _ in range(rng.randint(6, 14))]
        text = "".join(p + (rng.choice(PUNCT) if rng.random() < 0.15 else "") for p in parts)
        sentences.append(text.rstrip("，、。") + "。")
    return "".join(sentences)


def light_edit(rng: random.Random, body: str, words: list[str]) -> str:
    """What a reprint desk does: maybe drop a paragraph, swap a few words, a new lead."""
    paragraphs = body.split("\n")
    if len(paragraphs) > 3 and rng.random() < 0.5:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(paragraphs))
        p = paragraphs[i]
        at = rng.randrange(max(len(p) - 4, 1))
        paragraphs[i] = p[:at] + rng.choice(words) + p[at + 3:]
    paragraphs[0] = "本报讯 " + paragraphs[0][rng.randint(0, 8):]
    return "\n".join(paragraphs)


def generate(n: int, outlets: list[Outlet], seed: int) -> list[Story]:
    """`n` articles over DAYS days, about REPRINT_SHARE of them reprints in other outlets."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    stories: list[Story] = []
    held: dict[int, set[int]] = {}  # story -> the outlets that ran it
    for i in range(n):
        day = rng.randrange(DAYS)
        outlet = rng.randrange(len(outlets))
        if stories and rng.random() < REPRINT_SHARE:
            source = stories[rng.randrange(max(0, len(stories) - 2000), len(stories))]
            source = stories[source.story]
            # An outlet reprints a story once (a reprint group holds one article an outlet).
            holding = held.setdefault(source.story, {source.outlet})
            outlet = rng.choice([o for o in range(len(outlets)) if o not in holding])
            holding.add(outlet)
            day = min(source.day + rng.randint(0, 3), DAYS - 1)
            body = light_edit(rng, source.item.body, words)
            title = source.item.title[2:] + rng.choice(words)
            credit = f"来源：{outlets[source.outlet].name}" if rng.random() < 0.6 else ""
            story = source.story
        else:
            body = "\n".join(paragraph(rng, words) for _ in range(rng.randint(3, 6)))
            title = "".join(rng.choice(words) for _ in range(rng.randint(3, 6)))
            credit, story = "", i
        when = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time(),
                                tzinfo=BEIJING) + timedelta(minutes=rng.randrange(6 * 60, 22 * 60))
        item = IncomingArticle(url=f"http://news{outlet}.test/{day}/content_{i}.htm?spm=x",
                               title=title, body=body, published_at=when,
                               page_number=rng.choice((1, 2, 3, 4, None)), source_credit=credit)
        stories.append(Story(outlet, day, item, story))
    return stories


def make_app(tmp: Path, name: str):  # type: ignore[no-untyped-def]
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / name}", "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp), "TESTING": True})
    with app.app_context():
        db.create_all()
        for outlet_name, tier, kind, region, aliases in STARTER_DIRECTORY:
            db.session.add(Outlet(name=outlet_name, tier=tier, kind=kind, region=region,
                                  aliases=list(aliases)))
        db.session.commit()
    return app


def run_tracker(app, stories: list[Story], *, per_fetch: bool  # type: ignore[no-untyped-def]
                ) -> tuple[float, float, dict[int, int]]:
    """Store a day at a time, one call (and commit) per outlet; group after each call (as the
    fetch job does) or once after the day's pass. Returns the total seconds, the seconds spent
    grouping, and the article id of each story."""
    by_day: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, s in enumerate(stories):
        by_day[s.day][s.outlet].append(index)
    article_of: dict[int, int] = {}
    with app.app_context():
        outlets = db.session.scalars(select(Outlet).order_by(Outlet.id)).all()
        start = time.perf_counter()
        grouping = 0.0
        for day in sorted(by_day):
            stored: list[int] = []
            for outlet_index, indexes in by_day[day].items():
                result = store_articles(outlets[outlet_index],
                                        [stories[i].item for i in indexes])
                db.session.commit()
                stored += result.article_ids
                if per_fetch:
                    began = time.perf_counter()
                    group_reprints(result.article_ids)
                    db.session.commit()
                    grouping += time.perf_counter() - began
                    stored = []
                article_of.update(zip(indexes, result.article_ids, strict=True))
            if stored:
                began = time.perf_counter()
                group_reprints(stored)
                db.session.commit()
                grouping += time.perf_counter() - began
        elapsed = time.perf_counter() - start
    return elapsed, grouping, article_of


def run_naive(app, stories: list[Story]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """ORM insert and commit per article; then every pair compared on exact Jaccard."""
    with app.app_context():
        outlets = db.session.scalars(select(Outlet).order_by(Outlet.id)).all()
        start = time.perf_counter()
        for s in stories:
            item = s.item
            article = Article(url=item.url, outlet_id=outlets[s.outlet].id, title=item.title,
                              published_at=item.published_at, page_number=item.page_number,
                              source_credit=item.source_credit,
                              fingerprint=body_fingerprint(item.body), length=len(item.body))
            article.body = ArticleBody(text=item.body)
            db.session.add(article)
            db.session.flush()
            db.session.add(ArticleUrl(url=item.url, article_id=article.id))
            db.session.commit()
        inserted = time.perf_counter()
        sets = [shingles(s.item.body) for s in stories]
        pairs = 0
        for i in range(len(sets)):
            a = sets[i]
            for j in range(i + 1, len(sets)):
                b = sets[j]
                common = len(a & b)
                if common / (len(a) + len(b) - common) >= JACCARD_THRESHOLD:
                    pairs += 1
        compared = time.perf_counter()
    return inserted - start, compared - inserted


def quality(app, stories: list[Story], article_of: dict[int, int]) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(copies generated, copies grouped with their original, groups mixing two stories)."""
    with app.app_context():
        groups = dict(db.session.execute(select(Article.id, Article.reprint_group_id)).all())
    copies = [i for i, s in enumerate(stories) if s.story != i]
    found = sum(1 for i in copies if groups[article_of[i]] is not None
                and groups[article_of[i]] == groups[article_of[stories[i].story]])
    stories_in: dict[int, set[int]] = defaultdict(set)
    for i, s in enumerate(stories):
        group = groups[article_of[i]]
        if group is not None:
            stories_in[group].add(s.story)
    mixed = sum(1 for members in stories_in.values() if len(members) > 1)
    return len(copies), found, mixed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--subset", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--group-per-pass", action="store_true",
                        help="group once per day's fetch pass instead of after every fetch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        app = make_app(tmp, "tracker.db")
        with app.app_context():
            outlets = db.session.scalars(select(Outlet).order_by(Outlet.id)).all()
            stories = generate(args.articles, list(outlets), args.seed)
        tracker_s, grouping_s, article_of = run_tracker(app, stories,
                                                        per_fetch=not args.group_per_pass)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with app.app_context():
            rows = db.session.scalar(select(func.count()).select_from(Article))
        copies, found, mixed = quality(app, stories, article_of)

        subset = stories[:min(args.subset, len(stories))]
        naive_app = make_app(tmp, "naive.db")
        insert_s, pairs_s = run_naive(naive_app, subset)
        scale = len(stories) / len(subset)
        naive_s = insert_s * scale + pairs_s * scale * scale

    width = 44
    print(f"{'ingest ' + str(len(stories)) + ' articles (SQLite)':<{width}}{'seconds':>10}"
          f"{'articles/s':>12}")
    print(f"{'tracker: store + group, commit per fetch':<{width}}{tracker_s:>10.1f}"
          f"{len(stories) / tracker_s:>12.0f}")
    print(f"{'  store (chunked upsert, FTS triggers)':<{width}}{tracker_s - grouping_s:>10.1f}")
    print(f"{'  reprint grouping (MinHash-LSH)':<{width}}{grouping_s:>10.1f}")
    print(f"{'naive (measured on ' + str(len(subset)) + ', extrapolated)':<{width}}"
          f"{naive_s:>10.1f}{len(stories) / naive_s:>12.1f}")
    print(f"{'  insert + commit per article':<{width}}{insert_s * scale:>10.1f}")
    print(f"{'  pairwise reprint comparison':<{width}}{pairs_s * scale * scale:>10.1f}")
    print(f"speed-up: {naive_s / tracker_s:.0f}x   rows stored: {rows}   "
          f"peak memory (ru_maxrss, after the tracker run): {peak_mb:.0f} MB")
    print(f"reprints: {found}/{copies} copies grouped with their original "
          f"({found / max(copies, 1):.1%}); groups mixing two stories: {mixed}")
    missed = []
    if rows != len(stories):
        missed.append(f"{rows} rows stored for {len(stories)} articles")
    if naive_s / tracker_s < MIN_SPEEDUP:
        missed.append(f"only {naive_s / tracker_s:.1f}x the naive way, not >= {MIN_SPEEDUP:g}x")
    if found < MIN_GROUPED * copies:
        missed.append(f"{found / max(copies, 1):.1%} of the copies grouped, not >= "
                      f"{MIN_GROUPED:.0%}")
    if mixed:
        missed.append(f"{mixed} groups mix two stories")
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
