"""Matching speed: the whole scoring path against the plain `term in text` loop.

20,000 generated articles against 200 events of 10 terms each: the engine (folding, one
Aho-Corasick scan, the profile index, features and the model for every candidate pair) must be
at least 20x faster than checking every term of every event in every article, and find the same
pairs whose query holds; and its time at 2,000 events must stay within 2x its time at 20.

Both sides are timed by the CPU time of this process (the figures and targets), with the wall
time printed beside it: on a busy machine other processes take the CPU in bursts, so the wall
time of a pass depends on what else ran during it, while its CPU time does not.

    .venv/bin/python benchmarks/bench_match.py [--articles 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from datetime import date, timedelta

from campaign.coverage.engine import ArticleText, EventRule, Matcher
from campaign.coverage.query import Node, Or, Term, evaluate, terms
from campaign.coverage.textnorm import _T2S, _traditional, fold

# 3,000 common-range CJK characters: random words rarely collide, as real words rarely do.
# Many of them are traditional, so most generated articles are converted to simplified while
# folded; real news is simplified and skips that step (the simplified-only pass shows it).
SYLLABLES = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
START = date(2006, 4, 20)


def simplified(chars: list[str]) -> list[str]:
    """The characters folding leaves as they are (no traditional ones)."""
    return [char for char in chars if fold(char) == char]


def word(rng: random.Random, n: int, alphabet: list[str] = SYLLABLES) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def make_rules(rng: random.Random, count: int,
               alphabet: list[str] = SYLLABLES) -> list[EventRule]:
    rules = []
    for event_id in range(count):
        # 10 terms: any of them reports the event (an OR of 3- and 4-character words)
        query: Node = Or(tuple(Term(word(rng, rng.choice((3, 4)), alphabet))
                               for _ in range(10)))
        day = START + timedelta(days=rng.randrange(30))
        rules.append(EventRule(event_id=event_id, query=query, first_day=day - timedelta(days=1),
                               last_day=day + timedelta(days=5), event_day=day,
                               use_synonyms=False))
    return rules


def make_articles(rng: random.Random, count: int, rules: list[EventRule],
                  alphabet: list[str] = SYLLABLES) -> list[ArticleText]:
    """Articles of ~1,000 characters; most mention one to three events' terms somewhere."""
    vocabulary = [t for rule in rules for t in terms(rule.query)]
    articles = []
    for i in range(count):
        body = [word(rng, 1000, alphabet)]
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            spot = rng.randrange(len(body[0]))
            body[0] = body[0][:spot] + rng.choice(vocabulary) + body[0][spot:]
        title = word(rng, 12, alphabet) + (rng.choice(vocabulary) if rng.random() < 0.3 else "")
        articles.append(ArticleText(article_id=i, title=title, body=body[0],
                                    day=START + timedelta(days=rng.randrange(35)), outlet_id=1))
    return articles


def naive(rules: list[EventRule], articles: list[ArticleText]) -> set[tuple[int, int]]:
    found = set()
    for a in articles:
        text = a.title + "\n" + a.body
        for rule in rules:
            present = {t: t in text for t in terms(rule.query)}
            in_window = a.day is not None and rule.first_day <= a.day <= rule.last_day
            if in_window and evaluate(rule.query, present.__getitem__):
                found.add((a.article_id, rule.event_id))
    return found


def engine(rules: list[EventRule], articles: list[ArticleText]) -> set[tuple[int, int]]:
    """The whole scoring path (folding, automaton, profile index, features, model) for every
    article; the pairs whose query holds are what the naive loop finds."""
    matcher = Matcher(rules)
    return {(r.article_id, r.event_id) for a in articles for r in matcher.match(a)
            if r.features.get("query")}


WALL: list[float] = []  # the wall time of the last `timed` call


def timed(fn, *args):  # type: ignore[no-untyped-def]
    """The CPU time `fn(*args)` takes, and its result (its wall time goes to WALL)."""
    start, wall = time.process_time(), time.perf_counter()
    result = fn(*args)
    WALL[:] = [time.perf_counter() - wall]
    return time.process_time() - start, result


def wall() -> str:
    return f"{WALL[0]:.2f} s wall"


def conversion(articles: list[ArticleText]) -> tuple[float, int]:
    """The time OpenCC's conversion takes within folding these articles, and how many texts
    it converts (folding converts only a text with a traditional character)."""
    texts = [unicodedata.normalize("NFKC", text) for a in articles for text in (a.title, a.body)]
    converted = [text for text in texts if _traditional().search(text)]
    spent, _ = timed(lambda: [_T2S.convert(text) for text in converted])
    return spent, len(converted)


def simplified_pass(count: int) -> None:
    """The same comparison on simplified text only (as real news is): no conversion. Only
    printed: the targets are the generated text's."""
    alphabet = simplified(SYLLABLES)
    rng = random.Random(2006)
    rules = make_rules(rng, 200, alphabet)
    articles = make_articles(rng, count, rules, alphabet)
    t_naive, expected = timed(naive, rules, articles)
    naive_wall = wall()
    t_engine, got = timed(engine, rules, articles)
    print(f"simplified-only text ({len(alphabet)} of the characters; {count} articles, "
          f"{len(expected)} matches): loop {t_naive:.2f} s CPU ({naive_wall}), scoring path "
          f"{t_engine:.2f} s CPU ({wall()}): {t_naive / t_engine:.1f}x faster; identical: "
          f"{got == expected}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(2006)
    rules = make_rules(rng, 200)
    articles = make_articles(rng, args.articles, rules)
    t_naive, expected = timed(naive, rules, articles)
    naive_wall = wall()
    t_engine, got = timed(engine, rules, articles)
    print(f"{args.articles} articles x 200 events x 10 terms ({len(expected)} matches)")
    print(f"  plain `term in text` loop : {t_naive:8.2f} s CPU ({naive_wall})")
    print(f"  the whole scoring path    : {t_engine:8.2f} s CPU ({wall()}): "
          f"{t_naive / t_engine:.1f}x faster, target >= 20x")
    print(f"  identical results         : {got == expected}"
          f" (only the engine: {len(got - expected)}, only the loop: {len(expected - got)})")
    t_convert, converted = conversion(articles)
    print(f"  of which OpenCC conversion: {t_convert:8.2f} s CPU ({converted} of "
          f"{2 * len(articles)} headlines and bodies hold a traditional character)")
    missed = []
    if t_naive / t_engine < 20:
        missed.append(f"the scoring path is {t_naive / t_engine:.1f}x the loop, not >= 20x")
    if got != expected:
        missed.append("the scoring path's query pairs differ from the loop's")
    n = max(2000, args.articles // 4)
    figures = {}
    for count in (20, 2000):
        rules_n = make_rules(random.Random(count), count)
        sample = make_articles(random.Random(1), n, rules_n)
        t_build, matcher = timed(Matcher, rules_n)
        t_match, _ = timed(lambda m, arts: [m.match(a) for a in arts], matcher, sample)
        figures[count] = t_match
        print(f"{n} articles against {count:>5} events: matching {t_match:.3f} s CPU ({wall()})"
              f" (building the automaton once per pass: {t_build:.3f} s)")
    ratio = figures[2000] / figures[20]
    print(f"  ratio 2,000 / 20 events: {ratio:.2f} (target <= 2)")
    if ratio > 2:
        missed.append(f"2,000 events cost {ratio:.2f}x 20 events, not <= 2x")
    simplified_pass(args.articles)
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
