"""Every word a reader sees is produced in ``bot/views/``, so translating the bot touches
views alone. This test walks the syntax trees of the handlers and the actions.

The rule: a string literal (plain or f-string) is *reader-facing* when it is an argument
of a call that sends or shows something to a chat (``reply``, ``edit``, ``answer``,
``reply_text``...: "Saved" counts), or when it holds letters and whitespace ("Stopped
following") or any character outside ASCII ("“{words}”", "✓"). Such a literal is allowed outside
views only where no reader can see it:

- a docstring (the first statement of a module, class or function);
- an argument of a logging call (``log.info(...)``, ``logger.warning(...)``, ...);
- the message of a raised exception (for the operator's log, never sent to a chat);
- an operand of a comparison (``"not modified" in error.message``: matched, not shown).

Identifier-like literals (command names, callback-data prefixes, attribute names,
patterns, file suffixes) hold no space and nothing outside ASCII, and are not words.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHECKED = ("bot/telegram/handlers", "bot/actions")
_LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
#: Calls whose string arguments reach a chat.
_SENDING = {
    "reply",
    "reply_all",
    "reply_usage",
    "edit",
    "answer",
    "reply_text",
    "reply_document",
    "send_message",
    "edit_message_text",
}


def _sent(tree: ast.AST) -> set[int]:
    """ids of the string literals passed to a call that sends them to a chat."""
    sent: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            name = node.func.id if isinstance(node.func, ast.Name) else name
            if name in _SENDING:
                shown = ("text", "caption")
                arguments = [*node.args, *(k.value for k in node.keywords if k.arg in shown)]
                for argument in arguments:
                    sent.update(_literal_parts(argument))
    return sent


def _literal_parts(node: ast.AST) -> set[int]:
    """ids of the literals that make up an argument's value (not those a nested call
    takes: ``reply(update, view(name="x"))`` sends the view's words, not "x")."""
    if isinstance(node, ast.Call):
        return set()
    parts = {id(node)}
    for child in ast.iter_child_nodes(node):
        parts |= _literal_parts(child)
    return parts


def _is_reader_facing(text: str) -> bool:
    words = any(c.isalpha() for c in text) and any(c.isspace() for c in text)
    return words or not text.isascii()


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes whose strings no reader sees (see the module's docstring)."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            exempt.add(id(node.value))  # a string as a statement: a (field's) docstring
        elif (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            exempt.add(id(body[0].value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LOG_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"log", "logger", "logging"}
        ):
            exempt.update(id(n) for arg in node.args for n in ast.walk(arg))
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exempt.update(id(n) for n in ast.walk(node.exc))
        elif isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                exempt.update(id(n) for n in ast.walk(operand))
    return exempt


def reader_facing_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every reader-facing literal the rule does not allow."""
    tree = ast.parse(source)
    exempt = _exempt_nodes(tree)
    sent = _sent(tree)
    found: list[tuple[int, str]] = []
    inside_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside_fstring.update(id(n) for n in ast.walk(node) if n is not node)
            if id(node) in exempt:
                continue
            text = "".join(
                str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values
            )
            if id(node) in sent or _is_reader_facing(text):
                found.append((node.lineno, text))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in exempt
            and id(node) not in inside_fstring
            and (id(node) in sent or _is_reader_facing(node.value))
        ):
            found.append((node.lineno, node.value))
    return found


def _modules() -> list[Path]:
    return sorted(p for folder in CHECKED for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_handlers_and_actions_hold_no_reader_facing_words(path: Path) -> None:
    found = reader_facing_literals(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: reader-facing text outside views: {found}"


def test_the_rule_sees_replies_and_spares_what_no_reader_sees() -> None:
    source = '''
"""A module."""
import logging
log = logging.getLogger(__name__)
PREFIX = "topic:"
async def handler(update, name):
    """A docstring."""
    log.info("admin %s added %s", 1, name)
    if "not modified" in str(update):
        raise RuntimeError("bind() was not called")
    await update.reply(f"Following {name}")
    await update.answer("That button no longer works.")
    label = f"“{name}”"
    await query.answer("Saved")
    await update.reply(text, parse_mode="HTML")
'''
    assert sorted(reader_facing_literals(source)) == [
        (11, "Following {}"),
        (12, "That button no longer works."),
        (13, "“{}”"),
        (14, "Saved"),
    ]
