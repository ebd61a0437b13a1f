"""`newsbot summarize`: a file or standard input in, summary sentences out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.env import environment_without_settings, run_newsbot
from tests.support.feed_server import FeedServer, Resource

ARTICLE = (
    "<html><head><title>Storm</title></head><body><article>"
    "<h1>Storm closes the harbour</h1>"
    "<p>A violent storm closed the city harbour on Monday and cancelled every ferry.</p>"
    "<p>Share this article on Facebook | Twitter | Email</p>"
    "<p>Officials said the port would reopen once the wind dropped below gale force.</p>"
    "<p>Fishermen moved their boats inland, and several streets near the quay flooded.</p>"
    "<p>Leave a Reply</p>"
    "</article></body></html>"
)


def test_summarize_prints_one_sentence_per_line_without_page_furniture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "storm.html"
    page.write_text(ARTICLE)
    assert main(["summarize", str(page), "--sentences", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("A violent storm closed the city harbour")
    assert not any("Share this" in line or "Leave a Reply" in line for line in lines)


def test_summarize_reads_standard_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "summarize", "-", "--sentences", "1"],
        input=ARTICLE,
        capture_output=True,
        text=True,
        env=environment_without_settings(),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1


def test_summarize_a_missing_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summarize", str(tmp_path / "nope.txt")]) == 1
    assert "No such file" in capsys.readouterr().err


LONG_ARTICLE = ARTICLE.replace(
    "<p>Leave a Reply</p>",
    "".join(
        f"<p>Paragraph {i}: the harbour master explained how the storm surge reached the "
        "old fish market, and why the ferries will stay in port until Wednesday.</p>"
        for i in range(6)
    ),
)


def test_summarize_a_web_page_the_operator_allows(tmp_path: Path) -> None:
    with FeedServer() as server:
        url = server.add("/storm", Resource(body=LONG_ARTICLE.encode(), content_type="text/html"))
        result = run_newsbot(
            "summarize",
            url,
            "--sentences",
            "2",
            env={"NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"},
            cwd=tmp_path,
        )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "Storm closes the harbour"
    assert len([line for line in lines[2:] if line]) == 2


def test_summarize_refuses_a_private_address_like_the_bot_does(tmp_path: Path) -> None:
    with FeedServer() as server:
        url = server.add("/storm", Resource(body=LONG_ARTICLE.encode(), content_type="text/html"))
        result = run_newsbot("summarize", url, cwd=tmp_path)
        assert server.requests_to("/storm") == 0
    assert result.returncode == 1
    assert result.stderr.startswith(f"newsbot summarize: cannot summarise {url}: ")
    assert len(result.stderr.strip().splitlines()) == 1
