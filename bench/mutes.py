"""What muted words cost a digest tick: folding stories, and matching readers' phrases.

    .venv/bin/python -m bench.mutes                       # 1,000 readers × 50 phrases × 300 stories
    .venv/bin/python -m bench.mutes --readers 10000 --stories 500

Each story is folded once per tick (``digest.mutes.StoryTexts``) and each reader's phrases
compiled once (``MuteMatcher``); the figure that matters is the cost of one reader against
one story at the cap of 50 phrases (a third of them two words long). Never part of the test
pass/fail. Print `uptime` beside the figures you report.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime

from digest.mutes import MuteMatcher, StoryTexts, folded_phrase
from stories import Story

_WORDS = [
    "government",
    "market",
    "football",
    "election",
    "climate",
    "change",
    "energy",
    "health",
    "police",
    "court",
    "minister",
    "school",
    "price",
    "war",
    "peace",
    "storm",
    "rain",
    "ukraine",
    "china",
    "trade",
    "bank",
    "tech",
    "phone",
    "music",
    "film",
    "star",
    "cup",
    "league",
    "Fußball",
    "İstanbul",
    "ёжик",
    "کتاب",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--phrases", type=int, default=50)
    options = parser.parse_args()
    rng = random.Random(1)
    now = datetime.now(UTC)
    stories = [
        Story(
            article_id=n,
            story_id=n,
            title=" ".join(rng.choices(_WORDS, k=9)).title(),
            url=f"https://news.test/{n}",
            summary=tuple(" ".join(rng.choices(_WORDS, k=20)) + "." for _ in range(5)),
            source=None,
            published_at=now,
        )
        for n in range(options.stories)
    ]
    vocabulary = _WORDS + [f"term{n}" for n in range(2000)]
    matchers = [
        MuteMatcher(
            folded_phrase(" ".join(rng.choices(vocabulary, k=rng.choice((1, 1, 2)))))
            for _ in range(options.phrases)
        )
        for _ in range(options.readers)
    ]
    texts = StoryTexts()
    started = time.perf_counter()
    for story in stories:
        texts.of(story)
    folded = time.perf_counter()
    muted = sum(texts.muted(m, s) for m in matchers for s in stories)
    matched = time.perf_counter()
    pairs = options.readers * options.stories
    print(f"fold {options.stories} stories: {(folded - started) * 1000:.1f} ms")
    print(
        f"{options.readers} readers × {options.phrases} phrases × {options.stories} stories: "
        f"{matched - folded:.2f} s, {(matched - folded) / pairs * 1e6:.2f} µs per reader and "
        f"story ({muted} muted)"
    )


if __name__ == "__main__":
    main()
