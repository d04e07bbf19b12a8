"""A parser for the subset of Ghost's NQL filter language that frontends use.

Grammar (``+`` binds tighter than ``,``, as in NQL)::

    expression := conjunction ("," conjunction)*
    conjunction := term ("+" term)*
    term := "(" expression ")" | FIELD ":" ["-"] (list | [OPERATOR] value)
    list := "[" value ("," value)* "]"
    value := QUOTED_STRING | LITERAL

Parsing yields a small tree (``Condition``, ``All``, ``Any``); ``cms.ghost.filters`` turns it into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Operator = Literal["=", ">", ">=", "<", "<=", "in"]
Value = str | bool | int | float | None


class FilterSyntaxError(ValueError):
    """The filter string is not valid NQL (or uses a part of NQL we do not support)."""


@dataclass(frozen=True)
class Condition:
    field: str
    operator: Operator
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True)
class All:
    """Every part holds (``a+b``)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    """At least one part holds (``a,b``)."""

    parts: tuple[Node, ...]


Node = Condition | All | Any

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<string>'(?:[^'\\]|\\.)*')
    | (?P<operator>>=|<=|>|<)
    | (?P<punct>[()\[\],+:-])
    | (?P<literal>[^\s'"()\[\],+:<>-][^\s'"()\[\],+:<>]*)
    """,
    re.VERBOSE,
)
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")
_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise FilterSyntaxError(f"unexpected {source[position]!r} at position {position}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    return tokens


def _literal_value(text: str) -> Value:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.index = 0

    def peek(self, text: str | None = None) -> _Token | None:
        if self.index >= len(self.tokens):
            return None
        token = self.tokens[self.index]
        if text is not None and token.text != text:
            return None
        return token

    def take(self, text: str | None = None, kind: str | None = None) -> _Token:
        token = self.peek()
        if token is None:
            raise FilterSyntaxError(f"the filter ends early; expected {text or kind or 'more'}")
        if (text is not None and token.text != text) or (kind is not None and token.kind != kind):
            raise FilterSyntaxError(
                f"expected {text or kind} at position {token.position}, found {token.text!r}"
            )
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise FilterSyntaxError("the filter is empty")
        node = self.expression()
        leftover = self.peek()
        if leftover is not None:
            raise FilterSyntaxError(f"unexpected {leftover.text!r} at position {leftover.position}")
        return node

    def expression(self) -> Node:
        parts = [self.conjunction()]
        while self.peek(","):
            self.take(",")
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Any(tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.term()]
        while self.peek("+"):
            self.take("+")
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def term(self) -> Node:
        if self.peek("("):
            self.take("(")
            node = self.expression()
            self.take(")")
            return node
        field = self.take(kind="literal")
        if not _FIELD.match(field.text):
            raise FilterSyntaxError(f"{field.text!r} is not a field name")
        self.take(":")
        negated = self.peek("-") is not None
        if negated:
            self.take("-")
        if self.peek("["):
            return Condition(field.text.lower(), "in", self.list_values(), negated)
        operator: Operator = "="
        token = self.peek()
        if token is not None and token.kind == "operator":
            operator = self.take().text  # type: ignore[assignment]
        return Condition(field.text.lower(), operator, (self.value(),), negated)

    def list_values(self) -> tuple[Value, ...]:
        self.take("[")
        values = [self.value()]
        while self.peek(","):
            self.take(",")
            values.append(self.value())
        self.take("]")
        return tuple(values)

    def value(self) -> Value:
        token = self.peek()
        if token is None:
            raise FilterSyntaxError("the filter ends where a value should be")
        if token.kind == "string":
            self.index += 1
            return _unquote(token.text)
        if token.kind == "literal":
            self.index += 1
            return _literal_value(token.text)
        raise FilterSyntaxError(f"expected a value at position {token.position}, found {token.text!r}")


def parse(source: str) -> Node:
    """Parse an NQL filter; raises ``FilterSyntaxError`` with a message a developer can act on."""
    return _Parser(source).parse()
