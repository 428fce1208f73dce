"""`campaign-tracker coverage-cells` in short writes (`coverage.cell_rebuild`, issue 16.4): a
campaign's days recounted a batch at a time, each batch committed, its totals the same way;
the cells end as `cells.rebuild` (one transaction) leaves them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, event, func, select, update

from campaign.coverage import cell_rebuild
from campaign.coverage.cellcheck import live_cells, stored_cells
from campaign.coverage.cells import rebuild
from campaign.coverage.match_runs import match_new_in_batches
from campaign.coverage.models import Clipping, CoverageCell, Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from tests.plugins.archives import build_archive


def _spoil(campaign_id: int) -> None:
    """Wrong cells, as a database changed by hand leaves them: half the day cells gone, the
    rest and the totals miscounted, a cell of a day with nothing on it, and a clipping and an
    accepted match added by statements the cells' hooks do not see."""
    db.session.info["coverage_cells_refreshing"] = True  # (the hooks look away)
    try:
        db.session.execute(delete(CoverageCell).where(CoverageCell.day % 2 == 0,
                                                      CoverageCell.day > 0))
        db.session.execute(update(CoverageCell).values(pieces=CoverageCell.pieces + 3))
        outlet = db.session.scalar(select(Outlet.id).order_by(Outlet.id).limit(1))
        rally = db.session.scalar(select(Event.id).where(Event.key == "rally"))
        db.session.execute(CoverageCell.__table__.insert().values(
            campaign_id=campaign_id, event_id=0, event_type="", day=20300101,
            outlet_id=outlet, pieces=9, page_one=0, reprints=0))
        db.session.execute(Clipping.__table__.insert().values(
            event_id=rally, outlet_id=outlet, title="剪报", published_on=date(2030, 5, 13),
            page_number=1, page="第1版", genre=""))
        db.session.execute(update(Match).where(Match.status == "suggested").values(
            status="accepted"))
        db.session.commit()
    finally:
        db.session.info.pop("coverage_cells_refreshing", None)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_rebuild_in_writes_counts_as_one_transaction_does(tmp_path, committed_app,
                                                          monkeypatch, backend):
    """On a matched archive whose cells were spoilt, recounting a day and an outlet per
    write makes one commit per write, more than 10 of them, and leaves the cells true: those
    `cells.rebuild` leaves in one transaction."""
    monkeypatch.setattr(cell_rebuild, "DAYS", 1)
    monkeypatch.setattr(cell_rebuild, "OUTLETS", 1)
    with committed_app(tmp_path, backend=backend) as app, app.app_context():
        build_archive(300)
        match_new_in_batches()
        campaign_id = db.session.scalar(select(Campaign.id))
        assert campaign_id is not None
        _spoil(campaign_id)
        assert stored_cells(db.session(), campaign_id) != live_cells(db.session(), campaign_id)
        commits: list[int] = []

        def committed(_session: object) -> None:
            commits.append(1)

        event.listen(db.session, "after_commit", committed)
        try:
            writes = cell_rebuild.rebuild_in_writes()
        finally:
            event.remove(db.session, "after_commit", committed)
        batched = stored_cells(db.session(), campaign_id)
        rebuild(db.session())
        db.session.commit()
        whole = stored_cells(db.session(), campaign_id)
        live = live_cells(db.session(), campaign_id)
        counted = db.session.scalar(select(func.count()).select_from(CoverageCell))
    assert writes == len(commits) > 10
    assert batched == whole == live
    assert counted == len(whole)


def test_command_reports_its_writes(tmp_path, committed_app):
    """`campaign-tracker coverage-cells` recounts in short writes and says how many."""
    with committed_app(tmp_path) as app:
        with app.app_context():
            build_archive(100)
            match_new_in_batches()
            db.session.execute(delete(CoverageCell))
            db.session.commit()
            campaign_id = db.session.scalar(select(Campaign.id))
        result = app.test_cli_runner().invoke(args=["coverage-cells"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            stored = stored_cells(db.session(), campaign_id)
            assert stored and stored == live_cells(db.session(), campaign_id)
        assert f"{len(stored)} coverage cells (" in result.output
        assert "writes)" in result.output
