"""cli_main: what `newsbot summarize` prints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from summarizer import cli_main

TEXT = (
    "The bridge will close for repairs from Monday, the highways agency said on Friday. "
    "Drivers face a diversion of about twelve miles while the work lasts. "
    "Engineers found cracks in two of the steel supports during an inspection in spring. "
    "The agency expects the bridge to reopen before the end of October this year."
)


def test_prints_one_sentence_per_line_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = io.StringIO()
    assert cli_main([str(path), "--sentences", "2"], stdout=out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert all(line in TEXT for line in lines)


def test_reads_standard_input_with_dash() -> None:
    out = io.StringIO()
    code = cli_main(
        ["-", "--method", "lead", "--language", "en"], stdin=io.StringIO(TEXT), stdout=out
    )
    assert code == 0
    assert out.getvalue().splitlines()[0].startswith("The bridge will close")


def test_a_missing_file_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main([str(tmp_path / "nope.txt")]) == 1
    assert "nope.txt" in capsys.readouterr().err


def test_rejects_an_unknown_method() -> None:
    with pytest.raises(SystemExit):
        cli_main(["-", "--method", "magic"], stdin=io.StringIO(TEXT), stdout=io.StringIO())
