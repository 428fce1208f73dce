"""Story clusters: reports of one story across outlets, a looser relation than a reprint.

Two outlets writing up the same drill or the same award ceremony each in their own words share
little text but the same facts: the numbers (1500人, 17个市, 3小时), the names in book-title or
quotation marks, the place where it happened, and some of the headline's words. A story's
marks are those facts, read from the headline and the lead; two reports belong to one story
when, within a few days and at different outlets, they share enough of them.

Pure functions on plain values; `matching` uses them to suggest the rest of a story once one
of its reports is accepted for an event.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from campaign.coverage.places import NOWHERE, SCOPE_CHARS, Places, places_of
from campaign.coverage.textnorm import bigram_weight, bigrams, fold

LEAD_CHARS = 200
STORY_DAYS = 3  # reports of one story appear within this many days of each other

# A number and what it counts: 1500人, 3.5万元, 17个市, 80%. Years, dates and times are not
# facts of one story (every story of a month shares 2007年6月).
_COUNTED = re.compile(
    r"(\d+(?:\.\d+)?)\s*(万|亿)?\s*(?:余|多)?\s*"
    r"(人次|人|名|位|个|家|项|起|元|吨|场|次|支|所|户|条|件|套|台|批|篇|期|处|艘|辆|架|亩|座|"
    r"本|份|册|枚|张|公斤|千克|平方米|%|％|米|公里|小时|分钟|天)")
_NAMED = re.compile(r"[《“「『\"]([^《》“”「」『』\"]{2,24})[》”」』\"]")
_DATEISH = re.compile(r"\d+\s*(?:年|月|日|时|点|号)")
# Shared marks, or shared marks with a like headline, that make two reports one story.
MIN_SHARED_MARKS = 2
# A mark or headline bigram in more than this share of the articles compared (and more than
# COMMON_MIN of them) is the campaign's, not one story's.
COMMON_SHARE = 0.02
COMMON_MIN = 6
COMMON_POOL = 100  # a pool this large says itself what is common
MIN_HEADLINE_LIKENESS = 0.2
SAME_HEADLINE = 0.55


@dataclass(frozen=True, slots=True)
class StoryText:
    """What a story is recognised by: one article's outlet, day, headline bigrams and marks."""

    article_id: int
    outlet_id: int
    day: date | None
    headline: frozenset[str]
    marks: frozenset[str]
    places: Places = NOWHERE  # where its headline and lead place it


def story_marks(text: str) -> frozenset[str]:
    """The facts a report states: counted numbers and the names it quotes."""
    folded = _DATEISH.sub(" ", text)
    marks = set()
    for number, scale, unit in _COUNTED.findall(folded):
        marks.add(f"{float(number):g}{scale}{'%' if unit == '％' else unit}")
    for quoted in _NAMED.findall(text):
        name = fold(quoted)
        if len(name) >= 2:
            marks.add(name)
    return frozenset(marks)


def story_text(article_id: int, outlet_id: int, day: date | None, title: str,
               body: str) -> StoryText:
    """The story marks of an article from its headline (with 引题 and 副题) and lead."""
    folded = fold(title)
    headline = frozenset(g for g in bigrams(folded) if bigram_weight(g) >= 0.5)
    return StoryText(article_id, outlet_id, day, headline,
                     story_marks(f"{title}\n{body[:LEAD_CHARS]}"),
                     places_of(folded + fold(body[:LEAD_CHARS])[:SCOPE_CHARS]))


def common_marks(texts: Iterable[StoryText]) -> frozenset[str]:
    """Marks and headline bigrams too frequent among these articles to tell one story from
    another: the campaign's own name, its slogan, the words every headline uses."""
    texts = list(texts)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text.marks | text.headline)
    limit = max(COMMON_MIN, COMMON_SHARE * len(texts))
    return frozenset(mark for mark, n in counts.items() if n > limit)


def plan_marks(texts: Iterable[str]) -> frozenset[str]:
    """The marks and bigrams of a campaign's plan (its name, its events' titles, keywords and
    messages): what every report of the campaign says, so they tell no story apart."""
    found: set[str] = set()
    for text in texts:
        found |= story_marks(text)
        found |= bigrams(fold(text))
    return frozenset(found)


def headline_likeness(a: StoryText, b: StoryText, common: frozenset[str] = frozenset()
                      ) -> float:
    """Dice overlap of two headlines' meaningful, uncommon bigrams."""
    first, second = a.headline - common, b.headline - common
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def same_story(a: StoryText, b: StoryText, common: frozenset[str] = frozenset()) -> bool:
    """Whether two reports, at different outlets within a few days, tell one story (marks
    and bigrams in `common` do not count)."""
    if a.article_id == b.article_id or a.outlet_id == b.outlet_id:
        return False
    if a.day is None or b.day is None or abs((a.day - b.day).days) > STORY_DAYS:
        return False
    shared = len((a.marks & b.marks) - common)
    likeness = headline_likeness(a, b, common)
    return (shared >= MIN_SHARED_MARKS or likeness >= SAME_HEADLINE
            or (shared >= 1 and likeness >= MIN_HEADLINE_LIKENESS))


def clusters(texts: Sequence[StoryText], common: frozenset[str] = frozenset()
             ) -> list[list[int]]:
    """Articles grouped into stories (single-linkage over `same_story`); lone articles are
    left out. Pairs are compared only within the days a story spans."""
    parent = {t.article_id: t.article_id for t in texts}
    if len(texts) >= COMMON_POOL:
        common |= common_marks(texts)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_day = sorted((t for t in texts if t.day is not None), key=lambda t: t.day or date.min)
    for i, a in enumerate(by_day):
        for b in by_day[i + 1:]:
            assert a.day is not None and b.day is not None
            if (b.day - a.day).days > STORY_DAYS:
                break
            if same_story(a, b, common):
                parent[find(a.article_id)] = find(b.article_id)
    groups: dict[int, list[int]] = {}
    for t in texts:
        groups.setdefault(find(t.article_id), []).append(t.article_id)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def story_mates(seeds: Iterable[StoryText], pool: Sequence[StoryText],
                common: frozenset[str] = frozenset()) -> Mapping[int, int]:
    """Articles of the pool that tell the story of one of the seeds: article -> seed. Marks
    in `common` (the plan's, see `plan_marks`) and those common in a large pool do not count."""
    seeds = list(seeds)
    if len(pool) >= COMMON_POOL:
        common |= common_marks([*seeds, *pool])
    found: dict[int, int] = {}
    for candidate in pool:
        for seed in seeds:
            if same_story(seed, candidate, common):
                found.setdefault(candidate.article_id, seed.article_id)
                break
    return found
