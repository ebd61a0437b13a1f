"""The operator's window: ``/healthz`` (JSON) and ``/metrics`` (Prometheus) over HTTP.

``bot.app`` enters :func:`serve_health` around the running bot; it serves on
``NEWSBOT_METRICS_HOST:NEWSBOT_METRICS_PORT`` (127.0.0.1 by default) and does nothing when
the port is unset. tornado serves it (python-telegram-bot's webhooks extra brings it and
its webhook server runs on it too): GET and HEAD, keep-alive, and malformed or oversized
requests answered 400 by a maintained HTTP parser, not ours. Each request reads a few
figures from the database (:mod:`storage.health_figures`) and sets
the gauges computed at scrape time: digest lag, failing and disabled sources, readers,
age of the last ingest, database up.

``/healthz`` answers 200 with ``"status": "ok"`` or ``"degraded"`` (and the problems in
words), and 503 only when the database does not answer: the one state in which a
restart may help and the bot can do nothing. ``newsbot health`` (the container's
HEALTHCHECK) asks it and exits 0 or 1.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import httpx
import tornado.httpserver
import tornado.web
from prometheus_client import generate_latest

from bot.runtime.services import Services
from bot.runtime.settings import Settings, SettingsError
from storage.health_figures import HealthFigures, health_figures

log = logging.getLogger(__name__)

#: A digest later than this makes the bot "degraded". A burst of readers due at the same
#: minute legitimately takes readers / send rate seconds (10 000 at 25/s: under 7 min).
DIGEST_LAG_DEGRADED = timedelta(minutes=15)
#: How many ingest intervals may pass without a finished cycle before "degraded".
INGEST_INTERVALS_DEGRADED = 3
#: The database must answer a scrape within this.
DATABASE_TIMEOUT_SECONDS = 5.0
#: An idle or slow client is dropped after this; a request head may take MAX_HEAD bytes.
REQUEST_TIMEOUT_SECONDS = 10.0
MAX_HEAD = 8192
#: The text exposition format every Prometheus version reads (what generate_latest writes).
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def package_version() -> str:
    try:
        return version("get-news-fast")
    except PackageNotFoundError:
        return "unknown"


# --- The verdict: pure ----------------------------------------------------------------------


@dataclass(frozen=True)
class HealthReport:
    """What /healthz answers: the verdict, the figures behind it, and the problems."""

    status: str
    database_reachable: bool
    problems: tuple[str, ...]
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def http_status(self) -> int:
        return 200 if self.database_reachable else 503


def _minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def assess_health(
    figures: HealthFigures | None,
    *,
    now: datetime,
    started_at: datetime,
    ingest_interval: timedelta,
    version: str,
) -> HealthReport:
    """The verdict on ``figures`` (None: the database did not answer) as of ``now``."""
    problems: list[str] = []
    body: dict[str, Any] = {
        "version": version,
        "uptime_seconds": round((now - started_at).total_seconds()),
        "database": {"reachable": figures is not None},
    }
    if figures is None:
        problems.append("the database does not answer")
    else:
        problems += _ingest_problems(figures, now, started_at, ingest_interval)
        age = now - figures.last_ingest_at if figures.last_ingest_at else None
        body["ingest"] = {
            "last_finished_at": _iso(figures.last_ingest_at),
            "age_seconds": round(age.total_seconds()) if age is not None else None,
            "interval_seconds": round(ingest_interval.total_seconds()),
        }
        lag = max(now - figures.oldest_due, timedelta(0)) if figures.oldest_due else timedelta(0)
        if lag > DIGEST_LAG_DEGRADED:
            problems.append(f"digests are {_minutes(lag)} late")
        body["digests"] = {
            "lag_seconds": round(lag.total_seconds()),
            "oldest_due_at": _iso(figures.oldest_due),
        }
        sources = figures.sources
        if sources.enabled and sources.failing == sources.enabled:
            problems.append(
                f"every enabled source ({sources.enabled}) is failing: "
                "is the network or a proxy blocking the bot?"
            )
        body["sources"] = {
            "enabled": sources.enabled,
            "failing": sources.failing,
            "disabled": sources.disabled,
        }
        body["readers"] = dict(figures.readers)
    status = "degraded" if problems else "ok"
    return HealthReport(
        status=status,
        database_reachable=figures is not None,
        problems=tuple(problems),
        body={"status": status, **body, "problems": problems},
    )


def _ingest_problems(
    figures: HealthFigures, now: datetime, started_at: datetime, interval: timedelta
) -> list[str]:
    stale_after = interval * INGEST_INTERVALS_DEGRADED
    if figures.last_ingest_at is None:
        if now - started_at > stale_after:
            return [f"no ingest cycle has finished in {_minutes(now - started_at)}"]
        return []  # just started: the first cycle is still running
    age = now - figures.last_ingest_at
    if age > stale_after:
        return [
            f"the last ingest cycle finished {_minutes(age)} ago "
            f"(one is due every {_minutes(interval)})"
        ]
    return []


def update_gauges(services: Services, figures: HealthFigures | None, now: datetime) -> None:
    """Set the gauges that are computed from the database at scrape time."""
    metrics = services.metrics
    metrics.database_up.set(1 if figures is not None else 0)
    if figures is None:
        return
    lag = (now - figures.oldest_due).total_seconds() if figures.oldest_due else 0.0
    metrics.digest_lag_seconds.set(max(lag, 0.0))
    metrics.sources_failing.set(figures.sources.failing)
    metrics.sources_disabled.set(figures.sources.disabled)
    for state, count in figures.readers.items():
        metrics.readers.labels(state=state).set(count)
    age = (now - figures.last_ingest_at).total_seconds() if figures.last_ingest_at else -1.0
    metrics.last_ingest_age_seconds.set(age)


# --- HTTP (tornado, which python-telegram-bot's webhooks extra already brings) -----------


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def _text(status: int, text: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", f"{text}\n".encode())


class _Endpoint(tornado.web.RequestHandler):
    """/healthz and /metrics: GET and HEAD; other methods get 405 naming GET."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

    def initialize(self, server: HealthServer) -> None:
        self.server = server

    async def get(self) -> None:
        self._send(await self.server.respond("GET", self.request.path))

    async def head(self) -> None:
        response = await self.server.respond("HEAD", self.request.path)
        self._send(response, head_only=True)

    async def _refuse(self) -> None:
        self._send(await self.server.respond(self.request.method or "?", self.request.path))

    post = put = delete = patch = options = _refuse

    def _send(self, response: Response, *, head_only: bool = False) -> None:
        self.set_status(response.status)
        self.set_header("Content-Type", response.content_type)
        self.set_header("Cache-Control", "no-store")
        if response.status == 405:
            self.set_header("Allow", "GET, HEAD")
        if head_only:
            self.set_header("Content-Length", str(len(response.body)))
            return
        self.finish(response.body)

    def log_exception(self, *args: Any) -> None:  # pragma: no cover - respond() does not raise
        log.exception("health endpoint failed")


class _NotFound(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(b"not found: try /healthz or /metrics\n")


class HealthServer:
    """The endpoint's state: the services it reads and when the process started."""

    def __init__(self, services: Services, *, clock: Callable[[], datetime] | None = None) -> None:
        self.services = services
        self.clock = clock or (lambda: datetime.now(UTC))
        self.started_at = self.clock()
        self.version = package_version()
        self.server: tornado.httpserver.HTTPServer | None = None
        self._port = 0
        #: Whether the database answered the last request (None: not asked yet).
        self.database_up: bool | None = None
        services.metrics.build_info.info({"version": self.version})

    @property
    def port(self) -> int:
        assert self.server is not None
        return self._port

    async def figures(self, now: datetime) -> HealthFigures | None:
        """The database's figures, or None when it does not answer in time."""
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
                async with self.services.db.sessions() as session:
                    figures = await health_figures(session, now)
        except Exception as error:  # any failure means the same to a probe: not reachable
            # Once per outage, not once per scrape.
            if self.database_up is not False:
                log.warning("health check: the database does not answer: %s", error)
            self.database_up = False
            return None
        if self.database_up is False:
            log.warning("health check: the database answers again")
        self.database_up = True
        return figures

    async def respond(self, method: str, path: str) -> Response:
        if path not in ("/healthz", "/metrics"):
            return _text(404, "not found: try /healthz or /metrics")
        if method not in ("GET", "HEAD"):
            return _text(405, f"{method} is not allowed here: use GET")
        now = self.clock()
        figures = await self.figures(now)
        update_gauges(self.services, figures, now)
        if path == "/metrics":
            return Response(
                200, METRICS_CONTENT_TYPE, generate_latest(self.services.metrics.registry)
            )
        report = assess_health(
            figures,
            now=now,
            started_at=self.started_at,
            ingest_interval=timedelta(minutes=self.services.settings.ingest_interval_minutes),
            version=self.version,
        )
        body = json.dumps(report.body, ensure_ascii=False, indent=2).encode("utf-8")
        return Response(report.http_status, "application/json", body + b"\n")

    def application(self) -> tornado.web.Application:
        return tornado.web.Application(
            [(r"/(?:healthz|metrics)", _Endpoint, {"server": self})],
            default_handler_class=_NotFound,
            log_function=lambda _handler: None,  # probes every few seconds: no access log
        )

    async def start(self, host: str, port: int) -> None:
        server = tornado.httpserver.HTTPServer(
            self.application(),
            idle_connection_timeout=REQUEST_TIMEOUT_SECONDS,
            body_timeout=REQUEST_TIMEOUT_SECONDS,
            max_header_size=MAX_HEAD,
            max_body_size=MAX_HEAD,
        )
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            # The standard library's listener closes its socket when binding fails.
            listener = socket.create_server((host, port), family=family, backlog=128)
        except OSError as error:
            raise SettingsError(
                f"invalid setting NEWSBOT_METRICS_PORT: cannot listen on {host}:{port} "
                f"({error.strerror or error})"
            ) from None
        listener.setblocking(False)
        server.add_sockets([listener])
        self._port = int(listener.getsockname()[1])
        self.server = server

    async def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            await self.server.close_all_connections()


@asynccontextmanager
async def serve_health(
    services: Services, *, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[HealthServer | None]:
    """Serve /healthz and /metrics while the block runs; None when the port is unset.

    A port already in use stops start-up with a one-line SettingsError naming the setting.
    """
    settings = services.settings
    if settings.metrics_port is None:
        yield None
        return
    server = HealthServer(services, clock=clock)
    await server.start(settings.metrics_host, settings.metrics_port)
    log.info(
        "health and metrics on http://%s:%s/healthz and /metrics",
        settings.metrics_host,
        server.port,
    )
    try:
        yield server
    finally:
        await server.stop()


# --- The probe (`newsbot health`, the container's HEALTHCHECK) ------------------------------


def probe_url(settings: Settings) -> str:
    """Where ``newsbot health`` asks: the endpoint's address, loopback when it listens on all."""
    if settings.metrics_port is None:
        raise SettingsError(
            "NEWSBOT_METRICS_PORT is not set, so there is no health endpoint to ask "
            "(set it, e.g. NEWSBOT_METRICS_PORT=9100)"
        )
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(
        settings.metrics_host, settings.metrics_host
    )
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.metrics_port}/healthz"


def probe(url: str, *, timeout: float = 5.0) -> tuple[int, str]:
    """Ask ``url``; exit code 0 when healthy enough to keep running, else 1, and a line."""
    try:
        # Never through a proxy: HTTP_PROXY in .env must not send a loopback probe away.
        response = httpx.get(url, timeout=timeout, trust_env=False)
    except httpx.HTTPError as error:
        return 1, f"no answer from {url}: {error}"
    try:
        status = response.json().get("status", "?")
        problems = "; ".join(response.json().get("problems", []))
    except (ValueError, AttributeError):
        return 1, f"{url} answered {response.status_code} without a health report"
    line = f"{status}{': ' + problems if problems else ''}"
    return (0 if response.status_code == 200 else 1), line
