"""What can be checked of the container without a Docker engine: Dockerfile, compose.yaml,
.dockerignore, and that they agree with the package, the settings and each other."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.runtime.setting_values import normalise_database_url
from bot.runtime.settings import Settings, load_settings
from tests.support.env import SETTING_NAMES
from tests.unit.ops import yaml_subset

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Instruction:
    stage: int
    keyword: str
    args: str


def _dockerfile() -> list[Instruction]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n", " ", text)
    instructions: list[Instruction] = []
    stage = -1
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        instructions.append(Instruction(stage, keyword, " ".join(args.split())))
    return instructions


def _final(keyword: str) -> list[str]:
    instructions = _dockerfile()
    last = max(i.stage for i in instructions)
    return [i.args for i in instructions if i.stage == last and i.keyword == keyword]


def _compose() -> dict[str, Any]:
    data = yaml_subset.load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _env_example() -> str:
    return (ROOT / ".env.example").read_text(encoding="utf-8")


def _final_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for args in _final("ENV"):
        for pair in shlex.split(args):
            name, _, value = pair.partition("=")
            env[name] = value
    return env


def _packages() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(pattern.rstrip("*") for pattern in include)


# --- Dockerfile -------------------------------------------------------------------------------


def test_the_image_is_multi_stage_on_slim_python_3_11() -> None:
    instructions = _dockerfile()
    args = [i.args for i in instructions if i.keyword == "ARG"]
    assert "PYTHON_IMAGE=python:3.11-slim-bookworm" in args
    stages = [i.args for i in instructions if i.keyword == "FROM"]
    assert stages == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE} AS runtime"]
    assert "--from=build /opt/newsbot /opt/newsbot" in _final("COPY")


def test_the_bot_runs_as_an_unprivileged_user() -> None:
    users = _final("USER")
    assert users, "the runtime stage sets no USER: it would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert user.isdigit(), "a numeric uid lets orchestrators verify runAsNonRoot"


def test_the_wheel_is_installed_with_its_dependencies_postgresql_driver_included() -> None:
    runs = " ".join(i.args for i in _dockerfile() if i.keyword == "RUN" and i.stage == 0)
    assert "pip wheel --no-deps --wheel-dir /wheels ." in runs
    assert '/opt/newsbot/bin/pip install "$(ls /wheels/get_news_fast-*.whl)"' in runs
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("asyncpg") for d in dependencies)


def test_the_build_context_holds_exactly_what_the_wheel_is_built_from() -> None:
    sources = {
        source
        for i in _dockerfile()
        if i.keyword == "COPY" and not i.args.startswith("--from")
        for source in i.args.split()[:-1]
    }
    helpers = {"docker/healthcheck.py", "docker/smoke.py"}
    assert sources == {"pyproject.toml", "README.md", *_packages(), *helpers}
    for source in sources:
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
    ignore = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line]
    rules = [line for line in ignore if not line.startswith("#")]
    assert rules[0] == "*", ".dockerignore must exclude everything first (.env holds secrets)"
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert allowed == {source.split("/")[0] for source in sources}
    assert not any(".env" in rule for rule in allowed)


def test_nothing_is_downloaded_at_run_time_and_the_check_runs_offline_as_the_user() -> None:
    instructions = _dockerfile()
    final = max(i.stage for i in instructions)
    runtime = [i for i in instructions if i.stage == final]
    keywords = [i.keyword for i in runtime]
    smoke = next(i for i in runtime if i.keyword == "RUN" and "smoke.py" in i.args)
    assert "python /opt/newsbot/smoke.py" in smoke.args
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        assert f"{proxy}=http://127.0.0.1:9" in smoke.args  # a download attempt fails
    assert "newsbot migrate" in smoke.args
    assert keywords.index("USER") < runtime.index(smoke)
    assert "summarize(TEXT" in (ROOT / "docker" / "smoke.py").read_text()
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert not re.search(r"\b(curl|wget|nltk\.download)\b", text)
    assert not any(i.keyword == "ADD" for i in instructions)


def test_the_classic_builder_of_debian_docker_io_can_build_it() -> None:
    # Debian 12's docker.io (20.10) builds without BuildKit: `RUN --network=none` is
    # "Unknown flag: network" there, and a `# syntax=` line makes BuildKit pull a frontend
    # image from a registry.
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert not re.search(r"^# *syntax=", text, flags=re.MULTILINE)
    for instruction in _dockerfile():
        if instruction.keyword in ("RUN", "COPY"):
            assert not re.match(r"--(network|mount|security|link|chmod)\b", instruction.args)
        assert "<<" not in instruction.args, "heredocs need BuildKit"


def test_start_migrates_then_runs_the_bot_as_the_main_process() -> None:
    (cmd,) = _final("CMD")
    assert json.loads(cmd) == ["sh", "-c", "newsbot migrate && exec newsbot run"]


def test_healthcheck_asks_the_health_endpoint_with_the_standard_library_only() -> None:
    (check,) = _final("HEALTHCHECK")
    assert check.endswith('CMD ["python", "/opt/newsbot/healthcheck.py"]')
    assert "--start-period=" in check
    probe = (ROOT / "docker" / "healthcheck.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^(?:import|from) ([\w.]+)", probe, flags=re.MULTILINE))
    assert imported <= {"os", "sys", "urllib.error", "urllib.request"}
    assert "ProxyHandler({})" in probe


def test_data_volume_metrics_port_and_settings_agree() -> None:
    env = _final_env()
    assert _final("VOLUME") == ['["/data"]']
    assert env["NEWSBOT_DATA_DIR"] == "/data"
    assert _final("EXPOSE") == [env["NEWSBOT_METRICS_PORT"]]
    ours = {n for n in env if n.startswith(("NEWSBOT_", "TELEGRAM_", "DATABASE_URL"))}
    assert ours <= set(SETTING_NAMES), f"unknown settings in the image: {ours - set(SETTING_NAMES)}"


# --- compose.yaml -----------------------------------------------------------------------------


def test_compose_v1_accepts_the_file() -> None:
    # docker-compose 1.x (Debian 12) refuses a top-level `name`:
    # "'name' does not match any of the regexes: '^x-'".
    assert set(_compose()) <= {"services", "volumes"}


def test_compose_runs_the_bot_after_a_healthy_postgres() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "bot"}
    bot, postgres = services["bot"], services["postgres"]
    assert bot["build"] == "."
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert postgres["healthcheck"]["test"][0] == "CMD-SHELL"
    assert "pg_isready" in postgres["healthcheck"]["test"][1]
    assert bot["init"] == "true"
    assert bot["restart"] == postgres["restart"] == "unless-stopped"


def test_compose_volumes_are_declared_and_data_is_kept() -> None:
    compose = _compose()
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for mount in service.get("volumes", []):
            name, _, path = mount.partition(":")
            assert name in declared, f"volume {name} is not declared"
            assert path
    assert "bot-data:/data" in compose["services"]["bot"]["volumes"]


def test_compose_publishes_metrics_on_the_host_loopback_only() -> None:
    bot = _compose()["services"]["bot"]
    port = bot["environment"]["NEWSBOT_METRICS_PORT"]
    assert bot["ports"] == [f"127.0.0.1:{port}:{port}"]
    assert port == _final_env()["NEWSBOT_METRICS_PORT"]


def test_compose_environment_names_are_documented_settings() -> None:
    bot = _compose()["services"]["bot"]
    assert bot["env_file"] == ".env"
    assert set(bot["environment"]) <= set(SETTING_NAMES)
    documented = set(re.findall(r"^(?:# )?([A-Z_]+)=", _env_example(), flags=re.MULTILINE))
    interpolated = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "compose.yaml").read_text()))
    assert interpolated, "compose.yaml takes its password from .env"
    assert interpolated <= documented, f"undocumented in .env.example: {interpolated - documented}"


def test_compose_database_url_is_valid_and_names_the_compose_database() -> None:
    compose = _compose()
    postgres = compose["services"]["postgres"]["environment"]
    url = compose["services"]["bot"]["environment"]["DATABASE_URL"]
    concrete = re.sub(r"\$\{POSTGRES_PASSWORD[^}]*\}", "0123456789abcdef", url)
    normalised = normalise_database_url(concrete)
    assert normalised == (
        f"postgresql+asyncpg://{postgres['POSTGRES_USER']}:0123456789abcdef"
        f"@postgres:5432/{postgres['POSTGRES_DB']}"
    )


@pytest.mark.parametrize(
    "bad",
    [
        "a: &anchor 1\nb: *anchor\n",
        "a: 'single'\n",
        "a:\n\t- x\n",
        "a:\n  - b: c\n",
        "a: 1\na: 2\n",
        "a: |\n  text\n",
    ],
)
def test_the_compose_reader_refuses_yaml_it_would_misread(bad: str) -> None:
    with pytest.raises(ValueError, match="line"):
        yaml_subset.load(bad)


def test_a_dotenv_copied_from_the_example_starts_with_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first step of every deployment: `cp .env.example .env`, then set the token.
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    example = _env_example().replace(
        "TELEGRAM_BOT_TOKEN=\n", "TELEGRAM_BOT_TOKEN=123456789:AAexample-token-0123456789\n"
    )
    (tmp_path / ".env").write_text(example, encoding="utf-8")
    settings = load_settings()
    defaults = Settings.model_construct()
    assert settings.metrics_port is None
    assert settings.database_url is None
    assert settings.sources_file == defaults.sources_file
    assert settings.token() == "123456789:AAexample-token-0123456789"
