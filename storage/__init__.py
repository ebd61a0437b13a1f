"""Storage: the schema, engine and session factories, migrations, and named queries.

Imports nothing from the other packages of the project. Query functions take an
``AsyncSession`` and never commit; callers own the transaction.
"""

from storage.engine import Database, open_database
from storage.migrate import upgrade_database
from storage.models import (
    Article,
    ArticleTopic,
    Base,
    Delivery,
    Digest,
    IngestRun,
    Reader,
    Source,
    Subscription,
    Topic,
)
from storage.topics import TopicSpec

__all__ = [
    "Article",
    "ArticleTopic",
    "Base",
    "Database",
    "Delivery",
    "Digest",
    "IngestRun",
    "Reader",
    "Source",
    "Subscription",
    "Topic",
    "TopicSpec",
    "open_database",
    "upgrade_database",
]
