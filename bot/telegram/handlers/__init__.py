"""Thin Telegram handlers: parse the update, call one action, render one view.

Module-level async functions typed ``(Update, BotContext)``; ``bot.app`` registers them
all from one ordered table, behind the rules of ``bot.telegram.routing``.
"""
