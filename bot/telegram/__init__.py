"""The Telegram edge: handlers, the command table and its rules, button data, the typed
context, the connections to the Bot API and the recurring jobs."""
