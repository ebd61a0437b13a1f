"""A strict reader for the small subset of YAML that compose.yaml is written in.

PyYAML is not a dependency. compose.yaml keeps to block mappings, block sequences of
scalars, plain scalars, JSON-style quoted strings and JSON flow lists; anything else
(anchors, aliases, tags, block strings, single quotes, tabs) raises ``ValueError`` with
the line, so the file cannot drift into YAML this reader would misread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class _Line:
    number: int
    indent: int
    text: str


def _strip_comment(text: str) -> str:
    quoted = False
    for i, char in enumerate(text):
        if char == '"' and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and not quoted and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def _lines(source: str) -> list[_Line]:
    lines: list[_Line] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        if "\t" in raw:
            raise ValueError(f"line {number}: tabs are not allowed")
        text = _strip_comment(raw)
        if text.strip():
            lines.append(_Line(number, len(text) - len(text.lstrip(" ")), text.strip()))
    return lines


def _scalar(text: str, line: _Line) -> Any:
    if text.startswith(('"', "[", "{")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {line.number}: not JSON-compatible: {error}") from None
    if text[0] in "'&*!|>%@`":
        raise ValueError(f"line {line.number}: {text[0]!r} is outside the supported subset")
    return text


def _block(lines: list[_Line], i: int, indent: int) -> tuple[Any, int]:
    if lines[i].text.startswith("- "):
        return _sequence(lines, i, indent)
    return _mapping(lines, i, indent)


def _sequence(lines: list[_Line], i: int, indent: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while i < len(lines) and lines[i].indent == indent and lines[i].text.startswith("- "):
        item = lines[i].text[2:].strip()
        if not item.startswith(('"', "[")) and ": " in item:
            raise ValueError(f"line {lines[i].number}: mappings inside lists are not supported")
        items.append(_scalar(item, lines[i]))
        i += 1
    return items, i


def _mapping(lines: list[_Line], i: int, indent: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while i < len(lines) and lines[i].indent == indent:
        line = lines[i]
        key, colon, rest = line.text.partition(":")
        if not colon or (rest and not rest.startswith(" ")) or not key or " " in key.strip():
            raise ValueError(f"line {line.number}: expected 'key: value', got {line.text!r}")
        if key in result:
            raise ValueError(f"line {line.number}: {key!r} is repeated")
        if rest.strip():
            result[key] = _scalar(rest.strip(), line)
            i += 1
        elif i + 1 < len(lines) and lines[i + 1].indent > indent:
            result[key], i = _block(lines, i + 1, lines[i + 1].indent)
        else:
            result[key] = None
            i += 1
    if i < len(lines) and lines[i].indent > indent:
        raise ValueError(f"line {lines[i].number}: unexpected indentation")
    return result, i


def load(source: str) -> Any:
    """The document of ``source`` as dicts, lists and strings."""
    lines = _lines(source)
    if not lines:
        return None
    value, end = _block(lines, 0, lines[0].indent)
    if end != len(lines):
        raise ValueError(f"line {lines[end].number}: unexpected indentation")
    return value
