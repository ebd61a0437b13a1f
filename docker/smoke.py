"""The image's offline smoke step: everything the bot needs is inside the image.

Summarises a text (the sentence models ship in a wheel) and detects a language, with the
network off (`docker run --network none`, tests/ops/container_check.sh) or at least with
every proxy variable pointing nowhere (the Dockerfile, which must build without BuildKit,
so without `RUN --network=none`).
"""

import py3langid

from summarizer import summarize

TEXT = (
    "The council approved the new library on Monday after a long debate. "
    "Construction will start in spring and is expected to take two years. "
    "Residents said the old building had been too small for decades."
)

assert summarize(TEXT, language="en").sentences, "no summary"
assert py3langid.classify("Der Stadtrat hat die Bibliothek genehmigt.")[0] == "de"
print("smoke: summary and language detection work offline")
