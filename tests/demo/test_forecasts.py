"""The demo's forecasts on a real profile (issue 11): submissions track the deals (the latest
of a running period is the live figures), accuracy of ended periods is between 60 and 100 %,
the manager's team quota and adjustments show in the review, and the demo opens as the rep
or as the manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sfa_desktop.app import parse_options
from sfa_desktop.demo.loader import load_demo, use_demo_user
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.forecasts import (
    adjustment_history,
    period_figures,
    submission_history,
    team_review,
)
from sfa_desktop.services.profile import open_profile
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.models.reference import User
from sync_server.protocol.forecast_rules import parse_period

from .profiles import build_demo_file, open_demo_copy

DAY = dt.date(2026, 11, 25)
ENDED = ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-Q3")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-forecasts"), accounts=250, today=DAY)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def _role(database: Database, role: str) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(User.id).where(User.role == role).order_by(User.id)))


def test_the_latest_submission_of_a_running_period_is_the_live_figures(demo: Database) -> None:
    for text in ("2026-11", "2026-Q4"):
        period = parse_period(text)
        with demo.session() as session:
            live = period_figures(session, period)
            for rep in _role(demo, "rep"):
                latest = submission_history(session, rep, period)[-1]
                figures = live[rep]["EUR"]
                assert (latest.closed, latest.commit, latest.best_case, latest.pipeline) == (
                    figures.closed,
                    figures.commit,
                    figures.best_case,
                    figures.pipeline,
                )


@pytest.mark.parametrize("text", ENDED)
def test_accuracy_of_ended_periods_is_meaningful(demo: Database, text: str) -> None:
    (manager,) = _role(demo, "manager")
    with demo.session() as session:
        use_demo_user(session, "manager")
        review = team_review(session, parse_period(text), DAY)
    assert review.ended
    rows = {row.user_id: row for row in review.rows}
    assert set(rows) == {manager, *_role(demo, "rep")}
    for row in review.rows:
        lines = row.team if row.user_id == manager else row.own
        (eur,) = lines
        assert eur.accuracy_pct is not None, (text, row.name)
        assert 60 <= eur.accuracy_pct <= 100, (text, row.name, eur)


def test_the_managers_review_of_the_quarter(demo: Database) -> None:
    (manager,) = _role(demo, "manager")
    (admin,) = _role(demo, "admin")
    q4 = parse_period("2026-Q4")
    with demo.session() as session:
        use_demo_user(session, "manager")
        review = team_review(session, q4, DAY)
        history = adjustment_history(session, q4)
    top = review.rows[0]
    assert top.user_id == manager and top.members == 5 and top.submitted == 4
    (team,) = top.team
    reps = [row for row in review.rows if row.user_id != manager]
    # the explicit team quota, not the sum of the reps'
    assert team.quota is not None and team.quota > sum(r.own[0].quota or 0 for r in reps)
    # the team call = the reps' calls + the admin's team adjustment
    (team_adjustment,) = [a for a in history if a.scope == "team"]
    assert team_adjustment.adjusted_by_id == admin and team_adjustment.note
    assert team.call == sum(r.own[0].call or 0 for r in reps) + team_adjustment.amount
    assert any(a.kind == "direct" and a.note for a in history if a.scope == "rep")


def test_the_demo_opens_as_the_rep_or_the_manager(tmp_path: Path) -> None:
    with open_database(tmp_path / "sfa.sqlite3") as database:
        summary = load_demo(database, accounts=10, today=DAY, user="manager")
        with database.session() as session:
            me = session.get(User, current_user_id(session))
            assert me is not None and me.role == "manager" and me.id == summary.user_id
            rep = use_demo_user(session, "rep")
            assert rep is not None and current_user_id(session) == rep
            assert session.get(User, rep).role == "rep"  # type: ignore[union-attr]
            assert use_demo_user(session, "manager") == me.id
    opened = open_profile(tmp_path, create_demo=False, demo_user="rep")
    with opened.database as database, database.session() as session:
        assert current_user_id(session) == rep


def test_a_profile_that_is_not_the_demo_keeps_its_user(tmp_path: Path) -> None:
    with open_database(tmp_path / "sfa.sqlite3") as database, database.session() as session:
        assert use_demo_user(session, "manager") is None
        assert current_user_id(session) is None


def test_the_app_option() -> None:
    assert parse_options(["--demo", "--demo-user", "manager"]).demo_user == "manager"
    assert parse_options(["--demo"]).demo_user is None
    with pytest.raises(SystemExit):
        parse_options(["--demo-user", "manager"])
    with pytest.raises(SystemExit):
        parse_options(["--demo", "--demo-user", "boss"])
