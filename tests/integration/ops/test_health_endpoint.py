"""/healthz and /metrics over real HTTP on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime.health_endpoint import HealthServer, probe, probe_url, serve_health
from bot.runtime.metrics import Metrics
from bot.runtime.services import Services
from bot.runtime.settings import Settings, SettingsError, load_settings
from storage import Database, open_database
from storage.ingest_writes import finish_ingest_run, start_ingest_run
from storage.readers import register_reader
from storage.sources import FetchOutcome, SourceSpec, add_source, record_fetch
from tests.support.env import environment_without_settings

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _settings(**overrides: object) -> Settings:
    return load_settings(_env_file=None, **overrides)


def _free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


@asynccontextmanager
async def _serving(db: Database) -> AsyncIterator[HealthServer]:
    """A health server on a free port of 127.0.0.1, its clock stopped at NOW."""
    services = Services(settings=_settings(), db=db, metrics=Metrics())
    health = HealthServer(services, clock=lambda: NOW)
    await health.start("127.0.0.1", 0)
    try:
        yield health
    finally:
        await health.stop()


@pytest.fixture
async def server(db: Database) -> AsyncIterator[HealthServer]:
    async with _serving(db) as health:
        yield health


@pytest.fixture
async def http_server(sqlite_db: Database) -> AsyncIterator[HealthServer]:
    """For tests of the HTTP side only: one backend is enough."""
    async with _serving(sqlite_db) as health:
        yield health


async def _get(server: HealthServer, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        return await client.get(path)


async def _ingest_run(session: AsyncSession, *, ago: timedelta, error: str | None = None) -> None:
    """An ingest cycle that took two minutes and finished ``ago``."""
    run = await start_ingest_run(session, now=NOW - ago - timedelta(minutes=2))
    await finish_ingest_run(
        session,
        run.id,
        finished_at=NOW - ago,
        sources_fetched=2,
        sources_not_modified=0,
        sources_failed=1,
        articles_new=5,
        articles_duplicate=0,
        stories_merged=0,
        error=error,
    )


async def _populate(db: Database) -> None:
    """Three readers (one overdue by 20 minutes), two sources (one failing), one ingest."""
    async with db.sessions.begin() as session:
        for chat_id, due in ((1, NOW - timedelta(minutes=20)), (2, NOW + timedelta(hours=1))):
            await register_reader(
                session,
                chat_id=chat_id,
                chat_type="private",
                title=None,
                timezone="UTC",
                digest_time=time(8, 40),
                next_digest_at=due,
                now=NOW - timedelta(days=1),
            )
        paused, _ = await register_reader(
            session,
            chat_id=3,
            chat_type="private",
            title=None,
            timezone="UTC",
            digest_time=time(7, 0),
            next_digest_at=NOW - timedelta(hours=2),
            now=NOW - timedelta(days=1),
        )
        paused.paused = True
        await add_source(
            session, SourceSpec("Good", "https://good.example/rss"), added_by=None, now=NOW
        )
        bad, _ = await add_source(
            session, SourceSpec("Bad", "https://bad.example/rss"), added_by=None, now=NOW
        )
        await record_fetch(
            session,
            bad.id,
            FetchOutcome(NOW, succeeded=False, next_fetch_at=None, consecutive_failures=3),
        )
        await _ingest_run(session, ago=timedelta(minutes=10))
        # A later cycle that failed as a whole does not count as an ingest.
        await _ingest_run(session, ago=timedelta(minutes=1), error="database is locked")


async def test_healthz_reports_what_the_database_says(server: HealthServer, db: Database) -> None:
    await _populate(db)
    response = await _get(server, "/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = response.json()
    assert report["status"] == "degraded"
    assert report["problems"] == ["digests are 20 min late"]
    assert report["database"] == {"reachable": True}
    assert report["ingest"]["age_seconds"] == 600
    assert report["ingest"]["last_finished_at"] == "2026-11-25T08:50:00+00:00"
    assert report["digests"] == {"lag_seconds": 1200, "oldest_due_at": "2026-11-25T08:40:00+00:00"}
    assert report["sources"] == {"enabled": 2, "failing": 1, "disabled": 0}
    assert report["readers"] == {"total": 3, "active": 2, "paused": 1, "blocked": 0}
    assert report["version"]


async def test_a_fresh_bot_with_nothing_due_is_ok(server: HealthServer) -> None:
    response = await _get(server, "/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["problems"] == []


async def test_metrics_are_prometheus_text_with_scrape_time_gauges(
    server: HealthServer, db: Database
) -> None:
    await _populate(db)
    server.services.metrics.articles_ingested.inc(5)
    server.services.metrics.telegram_errors.labels(kind="429").inc()
    response = await _get(server, "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = set(response.text.splitlines())
    for expected in (
        "newsbot_articles_ingested_total 5.0",
        'newsbot_telegram_errors_total{kind="429"} 1.0',
        'newsbot_telegram_errors_total{kind="403"} 0.0',
        "newsbot_digest_lag_seconds 1200.0",
        "newsbot_sources_failing 1.0",
        "newsbot_sources_disabled 0.0",
        'newsbot_readers{state="active"} 2.0',
        "newsbot_last_ingest_age_seconds 600.0",
        "newsbot_database_up 1.0",
        "newsbot_send_queue_depth 0.0",
    ):
        assert expected in lines, expected
    assert any(line.startswith("newsbot_build_info{version=") for line in lines)
    assert any(line.startswith("process_resident_memory_bytes ") for line in lines)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"404"),
        (
            b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            b"405",
        ),
        (b"hello\r\n\r\n", b"400"),
        # A head larger than MAX_HEAD, and a client giving up mid-head: tornado hangs up.
        (b"GET /healthz HTTP/1.1\r\nX-Big: " + b"a" * 10_000 + b"\r\n\r\n", None),
        (b"GET /healthz HTTP/1.1\r\n", None),
    ],
)
async def test_bad_requests_get_a_plain_answer_or_the_door_and_serving_goes_on(
    http_server: HealthServer, request_bytes: bytes, status: bytes | None
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", http_server.port)
    writer.write(request_bytes)
    if not request_bytes.endswith(b"\r\n\r\n"):
        writer.write_eof()
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=10)
    writer.close()
    if status is None:
        assert answer == b""
    else:
        assert answer.split(b"\r\n", 1)[0].split(b" ")[1] == status
    assert (await _get(http_server, "/healthz")).status_code == 200


async def test_head_answers_headers_only(http_server: HealthServer) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_server.port}") as client:
        response = await client.head("/healthz")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


async def test_an_unreachable_database_is_503_and_database_up_zero() -> None:
    # A PostgreSQL URL on a port nothing listens on: every query fails at once.
    db = open_database(f"postgresql+asyncpg://newsbot:pw@127.0.0.1:{_free_port()}/newsbot")
    try:
        async with _serving(db) as health:
            response = await _get(health, "/healthz")
            assert response.status_code == 503
            assert response.json()["problems"] == ["the database does not answer"]
            metrics = await _get(health, "/metrics")
            assert metrics.status_code == 200
            assert "newsbot_database_up 0.0" in metrics.text.splitlines()
            assert await asyncio.to_thread(probe, f"http://127.0.0.1:{health.port}/healthz") == (
                1,
                "degraded: the database does not answer",
            )
    finally:
        await db.dispose()


async def test_serve_health_listens_on_the_configured_port_and_stops(sqlite_db: Database) -> None:
    port = _free_port()
    settings = _settings(metrics_port=port)
    services = Services(settings=settings, db=sqlite_db, metrics=Metrics())
    async with serve_health(services) as health:
        assert health is not None
        assert health.port == port
        url = probe_url(settings)
        assert url == f"http://127.0.0.1:{port}/healthz"
        code, line = await asyncio.to_thread(probe, url)
        assert (code, line) == (0, "ok")
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient() as client:
            await client.get(url)
    code, line = probe(url)
    assert code == 1
    assert line.startswith(f"no answer from {url}")


async def test_serve_health_is_off_without_a_port(sqlite_db: Database) -> None:
    services = Services(settings=_settings(), db=sqlite_db, metrics=Metrics())
    async with serve_health(services) as health:
        assert health is None


async def test_a_port_in_use_stops_start_up_with_one_line(sqlite_db: Database) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        services = Services(settings=_settings(metrics_port=port), db=sqlite_db, metrics=Metrics())
        with pytest.raises(SettingsError) as caught:
            async with serve_health(services):
                pass
    message = str(caught.value)
    assert message.startswith(
        f"invalid setting NEWSBOT_METRICS_PORT: cannot listen on 127.0.0.1:{port}"
    )
    assert "\n" not in message


async def _newsbot_health(env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "health",
        env={**environment_without_settings(), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=cwd,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.slow
async def test_newsbot_health_is_the_containers_healthcheck(
    http_server: HealthServer, tmp_path: Path
) -> None:
    env = {"NEWSBOT_METRICS_PORT": str(http_server.port), "NEWSBOT_DATA_DIR": str(tmp_path)}
    assert await _newsbot_health(env, tmp_path) == (0, "ok\n", "")
    code, out, err = await _newsbot_health({"NEWSBOT_DATA_DIR": str(tmp_path)}, tmp_path)
    assert out == ""
    assert code == 2
    assert err.startswith("newsbot: NEWSBOT_METRICS_PORT is not set")


async def test_an_outage_is_logged_once_not_at_every_scrape(
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = open_database(f"postgresql+asyncpg://newsbot:pw@127.0.0.1:{_free_port()}/newsbot")
    try:
        async with _serving(db) as health:
            for _ in range(3):
                assert (await _get(health, "/metrics")).status_code == 200
    finally:
        await db.dispose()
    (outage,) = [r for r in caplog.records if r.name == "bot.runtime.health_endpoint"]
    assert outage.getMessage().startswith("health check: the database does not answer: ")
