"""Thin Telegram handlers: parse the update, call storage or a pure decision, render a view.

Each module has ``register(application, services)``, called once by ``bot.app``.
"""
