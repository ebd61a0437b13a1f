"""The health verdict: which states are ok, degraded or down, and the words for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.runtime.health_endpoint import HealthReport, assess_health, probe_url
from bot.runtime.settings import SettingsError, load_settings
from storage.health_figures import HealthFigures
from storage.sources import SourceHealthCounts

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)
READERS = {"total": 10, "active": 9, "paused": 1, "blocked": 0}


def _figures(
    *,
    last_ingest: timedelta | None = timedelta(minutes=5),
    lag: timedelta | None = None,
    failing: int = 0,
    enabled: int = 20,
) -> HealthFigures:
    return HealthFigures(
        last_ingest_at=NOW - last_ingest if last_ingest is not None else None,
        oldest_due=NOW - lag if lag is not None else None,
        sources=SourceHealthCounts(enabled=enabled, failing=failing, disabled=1),
        readers=READERS,
    )


def _assess(
    figures: HealthFigures | None, *, uptime: timedelta = timedelta(days=1)
) -> HealthReport:
    return assess_health(
        figures, now=NOW, started_at=NOW - uptime, ingest_interval=INTERVAL, version="1.2.3"
    )


def test_a_bot_that_ingests_and_sends_on_time_is_ok() -> None:
    report = _assess(_figures(lag=timedelta(seconds=40), failing=3))
    assert (report.status, report.http_status, report.problems) == ("ok", 200, ())
    assert report.body["status"] == "ok"
    assert report.body["digests"]["lag_seconds"] == 40
    assert report.body["sources"] == {"enabled": 20, "failing": 3, "disabled": 1}
    assert report.body["readers"] == READERS
    assert report.body["version"] == "1.2.3"
    assert report.body["uptime_seconds"] == 86400


def test_an_unreachable_database_is_the_only_503() -> None:
    report = _assess(None)
    assert (report.status, report.http_status) == ("degraded", 503)
    assert report.problems == ("the database does not answer",)
    assert report.body["database"] == {"reachable": False}


@pytest.mark.parametrize(
    ("figures", "problem"),
    [
        (_figures(last_ingest=timedelta(minutes=50)), "the last ingest cycle finished 50 min ago"),
        (_figures(last_ingest=timedelta(hours=5)), "the last ingest cycle finished 5 h ago"),
        (_figures(lag=timedelta(minutes=16)), "digests are 16 min late"),
        (_figures(failing=20), "every enabled source (20) is failing"),
    ],
)
def test_degraded_states_say_what_is_wrong_and_stay_200(
    figures: HealthFigures, problem: str
) -> None:
    report = _assess(figures)
    assert (report.status, report.http_status) == ("degraded", 200)
    (only,) = report.problems
    assert only.startswith(problem)


def test_limits_are_not_problems() -> None:
    report = _assess(_figures(last_ingest=timedelta(minutes=45), lag=timedelta(minutes=15)))
    assert report.problems == ()


def test_no_ingest_yet_is_fine_just_after_start_and_a_problem_later() -> None:
    assert _assess(_figures(last_ingest=None), uptime=timedelta(minutes=20)).problems == ()
    late = _assess(_figures(last_ingest=None), uptime=timedelta(hours=1))
    assert late.problems == ("no ingest cycle has finished in 60 min",)
    assert late.body["ingest"]["last_finished_at"] is None


def test_no_sources_at_all_is_not_every_source_failing() -> None:
    assert _assess(_figures(enabled=0, failing=0)).problems == ()


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:9100/healthz"),
        ("0.0.0.0", "http://127.0.0.1:9100/healthz"),
        ("::", "http://[::1]:9100/healthz"),
        ("metrics.internal", "http://metrics.internal:9100/healthz"),
    ],
)
def test_the_probe_asks_loopback_when_the_endpoint_listens_everywhere(host: str, url: str) -> None:
    settings = load_settings(_env_file=None, metrics_port=9100, metrics_host=host)
    assert probe_url(settings) == url


def test_the_probe_without_a_port_says_which_setting_to_set() -> None:
    with pytest.raises(SettingsError, match="NEWSBOT_METRICS_PORT is not set"):
        probe_url(load_settings(_env_file=None, metrics_port=None))
