"""The import rules of the README's architecture section, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"bot", "ingest", "summarizer", "storage", "digest", "stories"}
#: Which of our packages each package may import (besides itself).
ALLOWED = {
    "bot": OURS,
    "ingest": {"summarizer", "storage", "stories"},
    "summarizer": set(),
    "storage": {"stories"},
    "digest": {"stories"},
    #: The one story type, shared by storage, digest and bot: imports nothing of ours.
    "stories": set(),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(OURS))
def test_packages_import_only_what_the_architecture_allows(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    for path in files:
        imported = _imports(path)
        forbidden = (imported & OURS) - ALLOWED[package] - {package}
        assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}"
        if package != "bot":
            assert "telegram" not in imported, f"{path.relative_to(ROOT)} imports telegram"


#: The only modules that open HTTP connections of their own: the outbound-fetch policy's
#: client, the health probe that asks this process's own /healthz, and the Telegraph
#: client of "Read here", which speaks only to the API the operator configured
#: (NEWSBOT_TELEGRAPH_URL, trusted like Telegram), never to a publisher's or reader's URL.
HTTP_CLIENTS = {"ingest/net/client.py", "bot/runtime/health_endpoint.py", "bot/links/telegraph.py"}
_HTTP_CALLS = {"AsyncClient", "Client", "get", "post", "stream", "request", "AsyncHTTPTransport"}


def test_every_outbound_fetch_goes_through_the_one_policy() -> None:
    found = set()
    for package in sorted(OURS):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "httpx"
                    and node.attr in _HTTP_CALLS
                ):
                    found.add(str(path.relative_to(ROOT)))
    assert found == HTTP_CLIENTS
