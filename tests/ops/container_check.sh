#!/usr/bin/env bash
# The container procedure, for real, with the Docker an operator has (Debian 12's docker.io
# and docker-compose work): build the image from a locally made base, then check it.
#
#   bash tests/ops/container_check.sh
#
# Skipped (exit 0, says so) when Docker is absent or its daemon does not answer. Not part
# of `pytest` (it takes minutes and needs root for debootstrap): run it by hand or in a
# job of its own. Steps:
#
#   1. a base image: NEWSBOT_BASE_IMAGE if given (any image with python3.11+ as `python`,
#      pip and venv, e.g. python:3.11-slim-bookworm where a registry is reachable);
#      otherwise one made here with debootstrap (Debian 12 + python3), imported once and
#      kept as get-news-fast-base:bookworm. The machine's CA bundle and pip settings go
#      into it, so pip inside the build reaches PyPI the way this machine does.
#   2. the image, with the classic builder (DOCKER_BUILDKIT=0, as Debian's docker.io
#      20.10 builds by default) and PYTHON_IMAGE set to the base;
#   3. the offline smoke step again, with the network really off (--network none);
#   4. the user is uid 10001; `newsbot --help`; `newsbot summarize` on standard input;
#   5. `newsbot migrate` against the local PostgreSQL (NEWSBOT_TEST_DATABASE_URL, default
#      postgresql://postgres@127.0.0.1:5432/test), in a fresh database dropped afterwards;
#   6. the health probe answers quickly and fails cleanly with nothing listening;
#   7. compose.yaml is accepted by docker-compose v1 (and `docker compose` v2 if present).
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCKER="${DOCKER:-docker}"
BASE="${NEWSBOT_BASE_IMAGE:-}"
IMAGE="${NEWSBOT_CHECK_IMAGE:-get-news-fast:check}"
PG_URL="${NEWSBOT_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
PG_URL="${PG_URL/postgresql+asyncpg:/postgresql:}"

step() { echo "--- $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

if ! command -v "$DOCKER" >/dev/null 2>&1; then
    echo "SKIPPED: no docker command (install docker.io and start dockerd)"
    exit 0
fi
if ! "$DOCKER" info >/dev/null 2>&1; then
    echo "SKIPPED: the Docker daemon does not answer (start dockerd)"
    exit 0
fi
"$DOCKER" version --format 'docker client {{.Client.Version}}, engine {{.Server.Version}}'

if [ -z "$BASE" ]; then
    BASE=get-news-fast-base:bookworm
    if ! "$DOCKER" image inspect "$BASE" >/dev/null 2>&1; then
        step "making the base image $BASE with debootstrap (a few minutes, once)"
        command -v debootstrap >/dev/null || fail "debootstrap is needed: apt-get install debootstrap"
        ROOTFS="$(mktemp -d)/rootfs"
        debootstrap --variant=minbase \
            --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
            bookworm "$ROOTFS" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
        cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
        printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' > "$ROOTFS/etc/pip.conf"
        rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
        tar -C "$ROOTFS" -c . | "$DOCKER" import - "$BASE" >/dev/null
        rm -rf "$(dirname "$ROOTFS")"
    fi
fi

# pip inside the build must find PyPI as this machine does (it may be pinned in /etc/hosts).
HOSTS=()
for host in pypi.org files.pythonhosted.org; do
    address="$(getent hosts "$host" | awk '{print $1; exit}')" || true
    [ -n "$address" ] && HOSTS+=(--add-host "$host:$address")
done

step "building $IMAGE from $BASE with the classic builder"
started=$(date +%s)
DOCKER_BUILDKIT=0 "$DOCKER" build --quiet --build-arg "PYTHON_IMAGE=$BASE" "${HOSTS[@]}" \
    -t "$IMAGE" . >/dev/null || fail "docker build"
echo "built in $(( $(date +%s) - started )) s; $("$DOCKER" image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

step "offline smoke step, network off"
"$DOCKER" run --rm --network none "$IMAGE" python /opt/newsbot/smoke.py

step "runs as uid 10001"
uid="$("$DOCKER" run --rm --network none "$IMAGE" id -u)"
[ "$uid" = 10001 ] || fail "the container runs as uid $uid"
echo "uid $uid"

step "newsbot --help"
"$DOCKER" run --rm --network none "$IMAGE" newsbot --help | grep -q "summarize" \
    || fail "newsbot --help lists no summarize"
"$DOCKER" run --rm --network none "$IMAGE" newsbot --version

step "newsbot summarize, network off"
summary="$(printf '%s' "The council approved the new library on Monday after a long debate. \
Construction will start in spring and is expected to take two years. \
Residents said the old building had been too small for decades." \
    | "$DOCKER" run --rm -i --network none "$IMAGE" newsbot summarize - --sentences 1)"
echo "$summary"
[ -n "$summary" ] || fail "newsbot summarize printed nothing"

step "newsbot migrate against the local PostgreSQL"
database="newsbot_container_$$"
server="${PG_URL%/*}"
psql "$server/postgres" -qc "CREATE DATABASE $database" || fail "cannot create $database on $server"
trap 'psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true' EXIT
"$DOCKER" run --rm --network host -e "DATABASE_URL=$server/$database" "$IMAGE" newsbot migrate
"$DOCKER" run --rm --network host -e "DATABASE_URL=$server/$database" "$IMAGE" newsbot migrate \
    | grep -q "already at" || fail "a second migrate did not find the schema current"

step "health probe: nothing listening is a clean failure, and cheap"
set +e
probe="$("$DOCKER" run --rm --network none -e HTTP_PROXY=http://proxy.invalid:3128 "$IMAGE" \
    bash -c 'time -p python /opt/newsbot/healthcheck.py' 2>&1)"
code=$?
set -e
echo "$probe"
[ "$code" = 1 ] || fail "the probe exited $code with nothing listening"
echo "$probe" | grep -q "no answer from http://127.0.0.1:9100/healthz" || fail "probe output"

step "compose.yaml"
project="$(mktemp -d)"
cp compose.yaml "$project/" && : > "$project/.env"   # env_file: .env must exist
if command -v docker-compose >/dev/null; then
    (cd "$project" && POSTGRES_PASSWORD=check docker-compose config -q) \
        || fail "docker-compose $(docker-compose version --short) refuses compose.yaml"
    echo "docker-compose $(docker-compose version --short) accepts compose.yaml"
fi
if "$DOCKER" compose version >/dev/null 2>&1; then
    (cd "$project" && POSTGRES_PASSWORD=check "$DOCKER" compose config -q) \
        || fail "docker compose refuses compose.yaml"
    echo "docker compose $("$DOCKER" compose version --short) accepts compose.yaml"
fi
rm -rf "$project"

echo "--- container check passed"
