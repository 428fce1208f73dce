"""The bench-data command: fills an empty database quickly and refuses one with real data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign import create_app
from campaign.articles.models import Article
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Outlet
from tests.conftest import base_config


@pytest.fixture
def fresh_app(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'bench.db'}"))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_bench_data_fills_articles_and_a_tenth_as_many_matches(fresh_app):
    """--articles 2000 makes 2,000 articles, 200 matches and 3 campaigns; running it again
    replaces them."""
    runner = fresh_app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["bench-data", "--articles", "2000"])
        assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 2000
        assert db.session.scalar(select(func.count()).select_from(Match)) == 200
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 3


def test_bench_data_refuses_a_database_with_other_data(fresh_app):
    """A database holding an outlet that is not bench data is refused without --force."""
    with fresh_app.app_context():
        db.session.add(Outlet(name="安徽日报", tier="provincial", aliases=[]))
        db.session.commit()
    runner = fresh_app.test_cli_runner()
    refused = runner.invoke(args=["bench-data", "--articles", "500"])
    assert refused.exit_code != 0 and "not bench data" in refused.output
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    forced = runner.invoke(args=["bench-data", "--articles", "500", "--force"])
    assert forced.exit_code == 0, forced.output
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Outlet).where(
            Outlet.name == "安徽日报")) == 1
