"""Ingest: sources → stored articles with summaries, topics, languages and stories.

The composition root builds a :class:`Fetcher` and an :class:`Analyser` once and calls
:func:`run_cycle` every interval; `/addsource` calls :func:`check_feed`.
"""

from ingest.check import FeedCheck, check_feed
from ingest.feeds import FeedError
from ingest.fetch import Fetcher, FetchError, FetchLimits
from ingest.pipeline import CycleReport, IngestConfig, run_cycle, sync_files
from ingest.sources_file import SourcesFileError, parse_catalogue, parse_sources
from ingest.workers import AdaptiveAnalyser, Analyser, InlineAnalyser, ProcessAnalyser

__all__ = [
    "AdaptiveAnalyser",
    "Analyser",
    "CycleReport",
    "FeedCheck",
    "FeedError",
    "FetchError",
    "FetchLimits",
    "Fetcher",
    "IngestConfig",
    "InlineAnalyser",
    "ProcessAnalyser",
    "SourcesFileError",
    "check_feed",
    "parse_catalogue",
    "parse_sources",
    "run_cycle",
    "sync_files",
]
