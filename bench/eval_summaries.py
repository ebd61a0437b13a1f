"""Evaluate summarisation methods: ROUGE against references, length, and speed.

    .venv/bin/python -m bench.eval_summaries ../shared/data/cnndm_test_frank/dev.jsonl
    .venv/bin/python -m bench.eval_summaries ../shared/data/xsum_test_frank/dev.jsonl --sentences 1
    .venv/bin/python -m bench.eval_summaries ../shared/data/tes_turkish/dev.jsonl
    .venv/bin/python -m bench.eval_summaries ../shared/data/ud_sentences/*.dev.jsonl

A file whose records carry `language` is summarised in that language (else
`--language`). English is scored as it always was (rouge-score's tokenizer
with Porter stemming); every other language with a Unicode tokenizer (lower-
cased runs of letters, marks and digits, no stemming), because rouge-score's
default tokenizer drops every non-ASCII letter.

Files of gold sentence boundaries (records with `sentences`, such as
`ud_sentences/<language>.dev.jsonl`) are scored for splitting instead:
sentence-boundary precision, recall and F1 of `split_sentences`, with
boundaries compared as offsets in non-whitespace characters (the end of a
document is not counted), over the whole file and over each half of it (a
check that no rule was tuned to one part), next to the splitters that were
measured before choosing (pysbd, razdel) when they are installed.

Each JSONL line has `text` (paragraphs separated by a blank line), `summary`
(reference sentences separated by "\\n") and optionally `title`. For every
method it prints ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (rouge-score, Porter
stemming; summary sentences joined with "\\n" for Lsum), the average numbers
of words and of sentences per summary, and articles per second on one core:
the best of several timed passes of `summarize` over the whole file (by the
clock, and per CPU-second of this process, which is the figure to compare on
a shared machine), which
covers everything the bot does per article (cleaning, sentence splitting,
building sumy's document, ranking, selection) and nothing else.

Baselines run as they are defined elsewhere, with no word budget: "lead" is
Lead-k, "lexrank" and "textrank" are sumy's stock summarisers (on our offline
tokenizer and cleaning). Only the default method gets its default budget.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# First: it keeps BLAS single-threaded, which must happen before numpy is imported.
from bench.one_core import pin_to_one_core
from summarizer import (
    DEFAULT_METHOD,
    METHODS,
    normalize_language,
    split_sentences,
    summarize,
)

DEFAULT_METHODS = (DEFAULT_METHOD, "lead", "lexrank", "textrank")


@dataclass(frozen=True)
class Result:
    method: str
    rouge1: float
    rouge2: float
    rouge_lsum: float
    words: float
    sentences: float
    articles_per_second: float
    articles_per_cpu_second: float
    budget: int | None


def load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return records[:limit] if limit else records


def budget_for(method: str) -> int | None:
    return 80 if method == DEFAULT_METHOD else None


def run(records: list[dict[str, Any]], method: str, sentences: int, language: str) -> list[str]:
    budget = budget_for(method)
    return [
        "\n".join(
            summarize(
                record["text"],
                title=record.get("title"),
                language=language,
                sentences=sentences,
                method=method,
                max_words=budget,
            ).sentences
        )
        for record in records
    ]


def timed(
    records: list[dict[str, Any]], method: str, sentences: int, language: str, passes: int
) -> tuple[float, float]:
    """Articles per second over the best of `passes`: by the clock, and per CPU-second.

    The machine is shared, so the best pass is the one least disturbed; the
    CPU-time figure (this process's own CPU seconds) is what one free core
    would do, and the one to compare across loads.
    """
    wall, cpu = [], []
    for _ in range(passes):
        started, started_cpu = time.perf_counter(), time.process_time()
        run(records, method, sentences, language)
        wall.append(len(records) / (time.perf_counter() - started))
        cpu.append(len(records) / max(time.process_time() - started_cpu, 1e-9))
    return max(wall), max(cpu)


class UnicodeTokenizer:
    """ROUGE tokens in any script: lower-cased runs of letters, marks and digits."""

    _TOKEN = re.compile(r"[^\W_]+(?:[\u0900-\u097f\u064b-\u065f\u200c]+[^\W_]*)*")

    def tokenize(self, text: str) -> list[str]:
        return self._TOKEN.findall(text.lower())


def scorer_for(language: str) -> Any:
    """rouge-score as published for English; a Unicode tokenizer for every other language."""
    from rouge_score import rouge_scorer

    keys = ["rouge1", "rouge2", "rougeLsum"]
    if normalize_language(language) == "english":
        return rouge_scorer.RougeScorer(keys, use_stemmer=True)
    return rouge_scorer.RougeScorer(keys, tokenizer=UnicodeTokenizer())


def evaluate(
    records: list[dict[str, Any]], method: str, sentences: int, language: str, passes: int
) -> Result:
    scorer = scorer_for(language)
    outputs = run(records, method, sentences, language)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    for record, output in zip(records, outputs, strict=True):
        scores = scorer.score(record["summary"], output)
        for key in totals:
            totals[key] += scores[key].fmeasure
    rate, cpu_rate = timed(records, method, sentences, language, passes)
    count = len(records)
    words = sum(len(output.split()) for output in outputs) / count
    sentences_per_summary = sum(output.count("\n") + 1 for output in outputs if output) / count
    return Result(
        method=method,
        rouge1=100 * totals["rouge1"] / count,
        rouge2=100 * totals["rouge2"] / count,
        rouge_lsum=100 * totals["rougeLsum"] / count,
        words=words,
        sentences=sentences_per_summary,
        articles_per_second=rate,
        articles_per_cpu_second=cpu_rate,
        budget=budget_for(method),
    )


def boundaries(sentences: list[str]) -> set[int]:
    """Sentence ends as offsets in non-whitespace characters, the document's end excluded."""
    ends, offset = set(), 0
    for sentence in sentences[:-1]:
        offset += len(re.sub(r"\s", "", sentence))
        ends.add(offset)
    return ends


def boundary_scores(records: list[dict[str, Any]], split: Any) -> tuple[float, float, float]:
    """Micro-averaged boundary precision, recall and F1 of `split` (paragraph -> sentences)."""
    hits = predicted = gold = 0
    for record in records:
        expected = boundaries(record["sentences"])
        found = boundaries([s for p in record["text"].split("\n\n") for s in split(p)])
        hits += len(expected & found)
        predicted += len(found)
        gold += len(expected)
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# pysbd's and razdel's languages, for the comparison (they are not dependencies).
_PYSBD = {"russian": "ru", "persian": "fa", "arabic": "ar", "hindi": "hi", "chinese": "zh"}


def other_splitters(language: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    try:
        import pysbd

        if language in _PYSBD:
            segmenter = pysbd.Segmenter(language=_PYSBD[language], clean=False)
            found["pysbd"] = segmenter.segment
    except ImportError:
        pass
    try:
        import razdel

        if language in ("russian", "ukrainian"):
            found["razdel"] = lambda text: [s.text for s in razdel.sentenize(text)]
    except ImportError:
        pass
    return found


def evaluate_splitting(
    path: Path, records: list[dict[str, Any]], language: str, passes: int
) -> None:
    half = len(records) // 2
    splitters = {"ours": lambda text: split_sentences(text, language)}
    splitters.update(other_splitters(language))
    count = sum(len(r["sentences"]) for r in records)
    print(f"\n{path}  ({len(records)} documents, {count} sentences, {language})")
    print(f"{'splitter':<8} {'P':>6} {'R':>6} {'F1':>6}  {'F1 1st half':>11} {'F1 2nd half':>11}")
    for name, split in splitters.items():
        precision, recall, f1 = boundary_scores(records, split)
        first = boundary_scores(records[:half], split)[2]
        second = boundary_scores(records[half:], split)[2]
        print(f"{name:<8} {precision:6.3f} {recall:6.3f} {f1:6.3f}  {first:11.3f} {second:11.3f}")
    # These documents have no reference summaries, but they are real text of
    # the language: the speed of `summarize` on them is the language's figure.
    rate, cpu_rate = timed(records, DEFAULT_METHOD, 3, language, passes)
    print(
        f"summaries (default method, 3 sentences): {rate:.0f} articles/s by the clock, "
        f"{cpu_rate:.0f} per CPU-second (best of {passes}, load {os.getloadavg()[0]:.1f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.eval_summaries", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("data", nargs="+", type=Path, help="JSONL files")
    parser.add_argument("--sentences", type=int, default=3, help="sentences per summary")
    parser.add_argument(
        "--methods",
        default=",".join(DEFAULT_METHODS),
        help=f"comma-separated, from: {', '.join(METHODS)} (default: %(default)s)",
    )
    parser.add_argument("--language", default="english", help="when the records do not name theirs")
    parser.add_argument("--passes", type=int, default=5, help="timed passes (the best is shown)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead")
    args = parser.parse_args(argv)

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        parser.error(f"unknown method(s): {', '.join(unknown)}")
    pinned = pin_to_one_core()
    # Warm up caches that live for the process (models, stemmers, imports), as
    # in the bot, where the summariser is built once at start-up.
    summarize("Warm-up sentence one is here today. Warm-up sentence two follows it.")

    for path in args.data:
        records = load(path, args.limit)
        language = normalize_language(
            str(records[0].get("language") or args.language) if records else args.language
        )
        summarize("Warm-up sentence one is here today. Warm-up sentence two.", language=language)
        if records and "sentences" in records[0]:
            evaluate_splitting(path, records, language, args.passes)
            continue
        results = [
            evaluate(records, method, args.sentences, language, args.passes) for method in methods
        ]
        if args.json:
            for result in results:
                print(
                    json.dumps(
                        {
                            "data": str(path),
                            "language": language,
                            "sentences": args.sentences,
                            **vars(result),
                        }
                    )
                )
            continue
        print(
            f"\n{path}  ({len(records)} articles, {language}, {args.sentences} sentences, "
            f"{pinned}, load {os.getloadavg()[0]:.1f})"
        )
        print(
            f"{'method':<10} {'R1':>6} {'R2':>6} {'RLsum':>6} {'words':>6} {'sents':>5} "
            f"{'art/s':>7} {'art/cpu':>7}  budget"
        )
        for r in results:
            budget = f"{r.budget} words" if r.budget else "none"
            print(
                f"{r.method:<10} {r.rouge1:6.2f} {r.rouge2:6.2f} {r.rouge_lsum:6.2f} "
                f"{r.words:6.1f} {r.sentences:5.2f} {r.articles_per_second:7.0f} "
                f"{r.articles_per_cpu_second:7.0f}  {budget}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
