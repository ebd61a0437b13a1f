"""Recurring work inside `newsbot run`: the ingest tick and the digest tick.

Each module has ``install(application, ...)``, called once by ``bot.app``.
"""
