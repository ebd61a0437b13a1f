"""Nothing is downloaded: the summariser works with no NLTK data anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = r"""
import json, os, socket, sys

import nltk

empty = os.environ["NLTK_DATA"]
nltk.data.path[:] = [empty]          # no system-wide or home data either


def refuse(*args, **kwargs):
    raise RuntimeError("network access attempted")


nltk.download = refuse
socket.socket = refuse               # any download attempt fails loudly

from sumy.nlp.tokenizers import Tokenizer

try:
    Tokenizer("english")             # sumy's stock tokenizer needs the data...
    stock = "worked"
except LookupError:
    stock = "needs data"

from summarizer import METHODS, supported_languages, summarize

text = sys.stdin.read()
results = {}
for language in supported_languages():
    results[language] = len(summarize(text, language=language).sentences)
for method in METHODS:
    results[method] = len(summarize(text, method=method).sentences)
print(json.dumps({"stock": stock, "results": results}))
"""

TEXT = (
    "The museum reopened on Saturday after a two-year renovation that cost twelve million. "
    "Visitors queued for more than an hour to see the restored galleries and the new cafe. "
    "The director said the building was now fully accessible for the first time in its history. "
    "Entry remains free, although some temporary exhibitions will charge a small fee."
)


@pytest.mark.slow
def test_summarises_every_language_and_method_with_no_nltk_data(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NLTK_DATA": str(empty),
        "HOME": str(home),
        "PYTHONPATH": str(ROOT),
    }
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=TEXT,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    # The environment really has no data: sumy's own tokenizer cannot start.
    assert report["stock"] == "needs data"
    assert report["results"]
    assert all(count >= 1 for count in report["results"].values()), report
