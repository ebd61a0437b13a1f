"""The key of a reader: a chat, and the forum topic inside it.

A forum supergroup holds several readers, one per topic thread that made settings (its
``message_thread_id``); thread 0 is the chat itself: a private chat, a plain group, a
channel, a forum's General topic. Queries take a :class:`ReaderKey`; a bare chat id is
accepted wherever a key is and means the chat itself (thread 0).
"""

from __future__ import annotations

from typing import NamedTuple


class ReaderKey(NamedTuple):
    chat_id: int
    thread_id: int = 0

    def __str__(self) -> str:
        # How logs name a reader: "chat -100123" or "chat -100123 thread 7".
        if self.thread_id:
            return f"chat {self.chat_id} thread {self.thread_id}"
        return f"chat {self.chat_id}"


#: What queries accept for a reader: a key, or a bare chat id for the chat itself.
ReaderRef = ReaderKey | int


def reader_key(reader: ReaderRef) -> ReaderKey:
    """``reader`` as a key (a bare chat id is the chat itself, thread 0)."""
    if isinstance(reader, ReaderKey):
        return reader
    return ReaderKey(int(reader), 0)
