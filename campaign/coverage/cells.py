"""Coverage counted ahead, so that dashboards read a few hundred rows at any archive size.

`CoverageCell` holds, per campaign, the accepted pieces (matched articles and manual clippings)
of each (scope, day, outlet): pieces, page-one pieces, reprints; and, on `TOTAL_DAY`, of each
(scope, outlet) over every day, which is what a page without a date filter reads. The scopes
are every event of the campaign, the events of one type, and each event alone; within a scope
an article accepted for two of its events counts once, so the cells of a scope add up.
`CoverageReprint` lists the accepted articles that belong to a reprint group, for the
reprint-reach chart.

They are kept true by the session, not by each caller: hooks note what a flush (mapper
events, orphans included) or an ORM bulk statement changed — matches, clippings, the day, page,
outlet and reprint fields of articles, an event's type or its deletion — as (event, day) pairs,
articles or whole campaigns; just before the transaction commits, the cells of every campaign
day touched are recomputed from the matches and clippings themselves (never incremented), in
the same transaction, and then the totals of the outlets concerned. Recomputing one day reads
that day's accepted pieces of the campaign, a few hundred rows.

On PostgreSQL two transactions recomputing one campaign take turns (an advisory lock held to
commit), so the later one counts what the earlier committed; SQLite has one writer at a time.

A statement that changes matches or clippings without saying which rows (a Core `delete()` or
`insert()` of many) marks everything, and the commit rebuilds all cells; `rebuild()` does the
same on demand (`campaign-tracker coverage-cells`). A bulk
withdrawal of matches notes its rows itself (`note_withdrawn`) and says so with the `NOTED`
execution option.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Subquery,
    and_,
    case,
    cast,
    delete,
    event,
    extract,
    func,
    insert,
    inspect,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, SessionTransaction, object_session

from campaign.articles.models import Article, day_from_number, day_number
from campaign.core.chunks import chunks
from campaign.coverage.models import Clipping, CoverageCell, CoverageReprint, Match
from campaign.planning.models import Campaign, Event

log = logging.getLogger(__name__)

PENDING = "coverage_cells_pending"
REFRESHING = "coverage_cells_refreshing"
# An execution option: the statement's rows were noted by the caller (`note_withdrawn`), so it
# does not mark everything.
NOTED = "coverage_cells_noted"
EVERY_DAY = -2  # in a set of days to recount: all of them
TOTAL_DAY = -1  # the `day` of a cell that sums its scope and outlet over every day
CHUNK = 500
LOCK_NAMESPACE = 20060425  # first key of the PostgreSQL advisory lock (the second: campaign id)

# The fields of each model whose change moves a count.
COUNTED_FIELDS: dict[type, tuple[str, ...]] = {
    Match: ("status", "day", "event_id", "article_id"),
    Clipping: ("event_id", "published_on", "outlet_id", "page_number"),
    Article: ("day", "page_number", "outlet_id", "reprint_group_id", "is_original"),
    Event: ("type", "campaign_id"),
}


@dataclass
class Pending:
    """What the transaction changed so far, to be counted again before it commits."""

    event_days: set[tuple[int, int]] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    campaigns: set[int] = field(default_factory=set)
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.event_days or self.articles or self.campaigns or self.everything)


def pending(session: Session) -> Pending:
    found = session.info.get(PENDING)
    if found is None:
        found = session.info[PENDING] = Pending()
    return found


def cell_day(value: int | date | None) -> int:
    """The cells' day of a match day number or a clipping date (0: no date)."""
    if value is None:
        return 0
    return day_number(value) if isinstance(value, date) else int(value)


def clipping_day() -> ColumnElement[int]:
    """A clipping's date as the YYYYMMDD day number of the `day` columns, in SQL."""
    published = Clipping.published_on
    return cast(extract("year", published) * 10000 + extract("month", published) * 100
                + extract("day", published), Integer)


def is_reprint() -> ColumnElement[bool]:
    """An article that is a reprint (in a group, not its original), in SQL."""
    return and_(Article.reprint_group_id.is_not(None), Article.is_original.is_(False))


# --- noting changes ----------------------------------------------------------------------------

def _values(obj: object, name: str) -> list[Any]:
    """The attribute's value now and, if the flush changed it, before."""
    history = inspect(obj).attrs[name].history
    values = [*history.added, *history.unchanged, *history.deleted]
    if not values and name not in inspect(obj).unloaded:
        values = [getattr(obj, name)]
    return values


def _changed(obj: object, names: Iterable[str]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _note_piece(found: Pending, piece: Match | Clipping) -> None:
    """The (event, day) pairs of a match or clipping, before and after the flush."""
    day = "day" if isinstance(piece, Match) else "published_on"
    for event_id in _values(piece, "event_id"):
        for value in _values(piece, day):
            if event_id is not None:
                found.event_days.add((event_id, cell_day(value)))


def _note_event(found: Pending, event: Event) -> None:
    """The event's campaign (before and after a move) is counted again whole."""
    found.campaigns.update(c for c in _values(event, "campaign_id") if c is not None)


def _found(target: object) -> Pending | None:
    session = object_session(target)
    if session is None or session.info.get(REFRESHING):
        return None
    return pending(session)


def _inserted(mapper: Mapper[Any], connection: Connection, target: Match | Clipping) -> None:
    found = _found(target)
    if found is None:
        return
    if isinstance(target, Clipping) or target.status == "accepted":  # (not a suggestion)
        _note_piece(found, target)


def _updated(mapper: Mapper[Any], connection: Connection,
             target: Match | Clipping | Article | Event) -> None:
    """A changed row, if the change moves a count."""
    found = _found(target)
    if found is None or not _changed(target, COUNTED_FIELDS[type(target)]):
        return
    if isinstance(target, Match | Clipping):
        _note_piece(found, target)
    elif isinstance(target, Article):
        found.articles.add(target.id)
    else:
        _note_event(found, target)


def _deleted(mapper: Mapper[Any], connection: Connection,
             target: Match | Clipping | Event) -> None:
    found = _found(target)
    if found is None:
        return
    if isinstance(target, Match | Clipping):
        _note_piece(found, target)
    else:  # an event (deleted alone or as its campaign's orphan): recount the campaign
        _note_event(found, target)
        found.campaigns.update(c.id for c in _values(target, "campaign") if c is not None)


def _article_deleted(mapper: Mapper[Any], connection: Connection, target: Article) -> None:
    """An article about to be deleted takes its matches with it (a database cascade no hook
    sees): note their days now."""
    found = _found(target)
    if found is None or target.id is None:
        return
    for event_id, day in connection.execute(
            select(Match.event_id, Match.day).where(Match.article_id == target.id)):
        found.event_days.add((event_id, cell_day(day)))


def _events_by_key(rows: object) -> bool:
    """Whether a bulk statement's parameters are rows that each name an event and its
    campaign (and cannot move an event to another campaign unseen)."""
    return isinstance(rows, list) and bool(rows) and all(
        isinstance(row, dict) and "id" in row and "campaign_id" in row for row in rows)


def _on_execute(state: ORMExecuteState) -> None:
    """Statements that bypass the unit of work: an ORM bulk update of articles by primary key
    names its rows; any other write to matches or clippings marks everything."""
    session = state.session
    if session.info.get(REFRESHING) or not (state.is_update or state.is_delete
                                            or state.is_insert):
        return
    if state.execution_options.get(NOTED):
        return  # the caller noted its rows
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table in ("articles", "events") and state.is_insert:
        return  # new articles and events have no matches yet
    if table == "articles" and state.is_update:
        rows = state.parameters
        if isinstance(rows, list) and rows and all("id" in row for row in rows):
            pending(session).articles.update(row["id"] for row in rows)
            return
        pending(session).everything = True
    elif table == "events" and state.is_update and _events_by_key(state.parameters):
        # The plan import's bulk update of events by primary key, each row with its campaign:
        # only a changed type (its rows carry `type`) moves a count, in that campaign.
        rows = state.parameters
        assert isinstance(rows, list)
        if any("type" in row for row in rows):
            pending(session).campaigns.update(row["campaign_id"] for row in rows)
    elif table in ("articles", "matches", "clippings", "events"):
        pending(session).everything = True


def note_withdrawn(session: Session, pieces: Iterable[tuple[int, int | None]]) -> None:
    """Note the (event, day) pairs of matches a bulk statement is about to delete; the
    statement then carries the `NOTED` execution option."""
    if not session.info.get(REFRESHING):
        pending(session).event_days.update((event_id, cell_day(day)) for event_id, day in pieces)


def _before_commit(session: Session) -> None:
    refresh_pending(session)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(PENDING, None)


# The rows whose changes move a count, and the hooks that note them.
_MAPPER_HOOKS: tuple[tuple[type, str, Callable[..., None]], ...] = (
    (Match, "after_insert", _inserted), (Clipping, "after_insert", _inserted),
    (Match, "after_update", _updated), (Clipping, "after_update", _updated),
    (Article, "after_update", _updated), (Event, "after_update", _updated),
    (Match, "after_delete", _deleted), (Clipping, "after_delete", _deleted),
    (Event, "after_delete", _deleted), (Article, "before_delete", _article_deleted),
)
_SESSION_HOOKS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("do_orm_execute", _on_execute), ("before_commit", _before_commit),
    ("after_transaction_end", _after_transaction_end),
)


def keep_counted(sessions: Any) -> None:
    """Keep the coverage cells true in every session that `sessions` makes (a scoped_session,
    a sessionmaker or a Session class): changes to matches, clippings, articles and events are
    noted as they flush and their campaign days counted again just before each commit.
    `create_app` calls it for the app's session; anything that makes sessions of its own calls
    it for them. Calling it again changes nothing."""
    # event.listen adds a hook once per target; event.contains could answer for a dead target
    # whose id a new session class reuses, so it is not asked.
    for model, name, hook in _MAPPER_HOOKS:
        event.listen(model, name, hook)
    for name, hook in _SESSION_HOOKS:
        event.listen(sessions, name, hook)


# --- counting again ----------------------------------------------------------------------------

def refresh_pending(session: Session) -> None:
    """Count again every campaign day the transaction changed (flushing first)."""
    if session.info.get(REFRESHING):
        return
    session.flush()
    found = session.info.get(PENDING)
    if not found:
        return
    session.info[REFRESHING] = True
    try:
        if found.everything:
            _rebuild(session)
        else:
            _refresh(session, _campaign_days(session, found))
    finally:
        session.info[REFRESHING] = False
    session.info.pop(PENDING, None)


def rebuild(session: Session) -> None:
    """Recount the cells of every campaign from scratch."""
    session.flush()
    session.info[REFRESHING] = True
    try:
        _rebuild(session)
    finally:
        session.info[REFRESHING] = False
    session.info.pop(PENDING, None)


def _rebuild(session: Session) -> None:
    session.execute(delete(CoverageCell))
    session.execute(delete(CoverageReprint))
    _refresh(session, {c: {EVERY_DAY} for c in session.scalars(select(Campaign.id))})


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    return chunks(sorted(values), CHUNK)


def _day_chunks(values: list[int] | None) -> Iterator[list[int] | None]:
    """`_chunks`, or one None (every day, every outlet) for None."""
    if values is None:
        yield None
    else:
        yield from _chunks(values)


def _campaign_days(session: Session, found: Pending) -> dict[int, set[int]]:
    """The (campaign -> days) to recount; articles' matches follow their article's day."""
    event_days = set(found.event_days)
    for ids in _chunks(found.articles):
        rows = session.execute(select(Match.event_id, Match.day, Article.day)
                               .join(Article, Article.id == Match.article_id)
                               .where(Match.article_id.in_(ids))).all()
        for event_id, match_day, article_day in rows:
            event_days.add((event_id, cell_day(match_day)))
            event_days.add((event_id, cell_day(article_day)))
        if any(match_day != article_day for _, match_day, article_day in rows):
            session.execute(update(Match).where(Match.article_id.in_(ids)).values(
                day=select(Article.day).where(Article.id == Match.article_id)
                .scalar_subquery()).execution_options(synchronize_session=False))
    out: dict[int, set[int]] = defaultdict(set)
    for campaign_id in found.campaigns:
        out[campaign_id].add(EVERY_DAY)
    event_ids = {event_id for event_id, _ in event_days}
    campaign_of: dict[int, int] = {}
    for ids in _chunks(event_ids):
        campaign_of.update(session.execute(
            select(Event.id, Event.campaign_id).where(Event.id.in_(ids))).all())
    for event_id, day in event_days:
        if event_id in campaign_of:  # an event deleted since was noted as its campaign
            out[campaign_of[event_id]].add(day)
    return out


def _refresh(session: Session, campaign_days: dict[int, set[int]]) -> None:
    # A campaign deleted in this transaction took its cells with it (and waiting for its
    # lock while holding the deleted row could deadlock with a writer recounting it).
    existing = {c for ids in _chunks(campaign_days) for c in session.scalars(
        select(Campaign.id).where(Campaign.id.in_(ids)))}
    for campaign_id in sorted(existing):
        take_turn(session, campaign_id)
        days = campaign_days[campaign_id]
        _recount(session, campaign_id, None if EVERY_DAY in days else days)


def take_turn(session: Session, campaign_id: int) -> None:
    """On PostgreSQL, wait for (and hold until the commit) the turn to recount a campaign."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:ns, :id)"),
                        {"ns": LOCK_NAMESPACE, "id": campaign_id})


def _recount(session: Session, campaign_id: int, days: set[int] | None) -> None:
    """Replace the campaign's cells (and reprint rows) of `days` (None: all of them), then
    the totals of the outlets those days concern. Counted in SQL, with `GROUP BY`."""
    day_list = sorted(days) if days is not None else None
    outlets: set[int] = set()
    for chunk in _day_chunks(day_list):
        outlets |= recount_days(session, campaign_id, chunk)
    total(session, campaign_id, None if days is None else outlets)


def recount_days(session: Session, campaign_id: int, days: list[int] | None) -> set[int]:
    """Replace the campaign's day cells and reprint rows of `days` (None: all of them), the
    totals left as they are; the outlets whose cells were there before or are now."""
    cell_cond = [CoverageCell.campaign_id == campaign_id, CoverageCell.day >= 0]
    reprint_cond = [CoverageReprint.campaign_id == campaign_id]
    if days is not None:
        cell_cond.append(CoverageCell.day.in_(days))
        reprint_cond.append(CoverageReprint.day.in_(days))
    touched = select(CoverageCell.outlet_id).where(*cell_cond).distinct()
    outlets = set(session.scalars(touched))
    session.execute(delete(CoverageCell).where(*cell_cond))
    session.execute(delete(CoverageReprint).where(*reprint_cond))
    _insert_cells(session, campaign_id, days)
    _insert_reprints(session, campaign_id, days)
    outlets.update(session.scalars(touched))
    return outlets


def _piece_rows(campaign_id: int, days: list[int] | None) -> Subquery:
    """The campaign's accepted pieces on `days`: one row per (event, matched article) and
    per clipping, with its event type, day (0: none), outlet, page-one and reprint flags."""
    match_cond = [Event.campaign_id == campaign_id, Match.status == "accepted"]
    clip_cond = [Event.campaign_id == campaign_id]
    if days is not None:
        match_cond.append(_match_on(days))
        clip_cond.append(Clipping.published_on.in_([day_from_number(d) for d in days if d]))
    reprint = is_reprint()
    matches = (select(Match.event_id.label("event_id"), Event.type.label("event_type"),
                      Match.article_id.label("article_id"), null().label("clipping_id"),
                      func.coalesce(Match.day, 0).label("day"),
                      Article.outlet_id.label("outlet_id"),
                      case((Article.page_number == 1, 1), else_=0).label("page_one"),
                      case((reprint, 1), else_=0).label("reprint"))
               .join(Event, Event.id == Match.event_id)
               .join(Article, Article.id == Match.article_id).where(*match_cond))
    clippings = (select(Clipping.event_id, Event.type, null(), Clipping.id, clipping_day(),
                        Clipping.outlet_id, case((Clipping.page_number == 1, 1), else_=0),
                        literal(0))
                 .join(Event, Event.id == Clipping.event_id).where(*clip_cond))
    return union_all(matches, clippings).subquery("pieces")


def _match_on(days: list[int]) -> ColumnElement[bool]:
    """Matches of these days (day 0: of no known day)."""
    known = Match.day.in_([d for d in days if d])
    return or_(known, Match.day.is_(None)) if 0 in days else known


def _insert_cells(session: Session, campaign_id: int, days: list[int] | None) -> None:
    """Count the pieces of `days` into cells of the three scopes: every event, each type,
    each event. Within a scope an article is counted once (`count(DISTINCT)`)."""
    p = _piece_rows(campaign_id, days)
    pieces = func.count(p.c.article_id.distinct()) + func.count(p.c.clipping_id)
    page_one = (func.count(case((p.c.page_one == 1, p.c.article_id)).distinct())
                + func.count(case((p.c.page_one == 1, p.c.clipping_id))))
    reprints = func.count(case((p.c.reprint == 1, p.c.article_id)).distinct())
    columns = ["campaign_id", "event_id", "event_type", "day", "outlet_id", "pieces",
               "page_one", "reprints"]
    for event_id, event_type in ((literal(0), literal("")), (literal(0), p.c.event_type),
                                 (p.c.event_id, literal(""))):
        grouped = [c for c in (event_id, event_type) if not isinstance(c, BindParameter)]
        query = (select(literal(campaign_id), event_id, event_type, p.c.day, p.c.outlet_id,
                        pieces, page_one, reprints)
                 .group_by(*grouped, p.c.day, p.c.outlet_id))
        session.execute(insert(CoverageCell).from_select(columns, query))


def _insert_reprints(session: Session, campaign_id: int, days: list[int] | None) -> None:
    conditions = [Event.campaign_id == campaign_id, Match.status == "accepted",
                  Article.reprint_group_id.is_not(None)]
    if days is not None:
        conditions.append(_match_on(days))
    query = (select(Match.event_id, Match.article_id, literal(campaign_id),
                    Article.reprint_group_id, func.coalesce(Match.day, 0), Article.outlet_id)
             .join(Event, Event.id == Match.event_id)
             .join(Article, Article.id == Match.article_id).where(*conditions))
    session.execute(insert(CoverageReprint).from_select(
        ["event_id", "article_id", "campaign_id", "group_id", "day", "outlet_id"], query))


def total(session: Session, campaign_id: int, outlets: set[int] | None) -> None:
    """Sum the day cells of these outlets (None: all) into their TOTAL_DAY cells. (An
    article has one day, so the sum over days counts each piece once.)"""
    for chunk in _day_chunks(None if outlets is None else sorted(outlets)):
        where = [CoverageCell.campaign_id == campaign_id]
        if chunk is not None:
            where.append(CoverageCell.outlet_id.in_(chunk))
        session.execute(delete(CoverageCell).where(*where, CoverageCell.day == TOTAL_DAY))
        sums = (select(CoverageCell.campaign_id, CoverageCell.event_id,
                       CoverageCell.event_type, literal(TOTAL_DAY), CoverageCell.outlet_id,
                       func.sum(CoverageCell.pieces), func.sum(CoverageCell.page_one),
                       func.sum(CoverageCell.reprints))
                .where(*where, CoverageCell.day >= 0)
                .group_by(CoverageCell.campaign_id, CoverageCell.event_id,
                          CoverageCell.event_type, CoverageCell.outlet_id))
        session.execute(insert(CoverageCell).from_select(
            ["campaign_id", "event_id", "event_type", "day", "outlet_id", "pieces",
             "page_one", "reprints"], sums))


def count_rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CoverageCell)) or 0
