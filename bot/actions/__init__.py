"""What the commands do: typed inputs in, one transaction, data out.

Actions know the database (through ``storage``) and the pure decisions, never Telegram:
the handlers in ``bot.telegram.handlers`` parse an update, call one action and render
its result with a view.
"""
