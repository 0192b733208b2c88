"""The words that are the same on every page of a language, compiled into
the templates (:class:`Constants`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import jinja2
import markupsafe
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from generator.cache import digest


class Constants(Extension):
    """The words that are the same on every page of an environment, compiled in.

    ``{{ name }}`` for a global that is a string (``lang``, ``site_title`` …)
    and ``{{ name.key }}`` for a global that is a mapping of strings (the
    interface words ``t``) become template text, escaped once when the
    template is compiled instead of looked up and escaped on every page (an
    event page outputs some forty of them). The page is the same either way.
    A name is left as written wherever that could differ: when any template
    names it in a statement other than ``if``, ``elif``, ``include`` or
    ``extends`` (a ``set``, ``for``, ``with``, ``import`` or macro argument
    could bind it to something else), when a template turns autoescaping
    off, or when the templates cannot all be read. The values a page is
    rendered with must not reuse a global's name, and the globals are read
    once, when the first template is compiled or the digest is asked for.
    Since the text depends on them, :func:`constants_digest` belongs in the
    key of compiled templates.
    """

    def __init__(self, environment: jinja2.Environment):
        super().__init__(environment)
        self._inlined: dict[tuple[str, ...], str] | None = None

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        inlined = self.inlined()
        window: list[Token] = []  # a variable tag, held until it is whole
        for token in stream:
            if window or token.type == "variable_begin":
                window.append(token)
                if token.type != "variable_end":
                    continue
                inner = window[1:-1]
                text = None
                if [t.type for t in inner] in _SHAPES:
                    text = inlined.get(tuple(t.value for t in inner if t.type == "name"))
                if text is not None:
                    yield Token(window[0].lineno, "data", text)
                else:
                    yield from window
                window = []
                continue
            yield token
        yield from window

    def inlined(self) -> dict[tuple[str, ...], str]:
        """``(name,)`` or ``(name, key)`` -> the escaped text compiled in its place."""
        if self._inlined is None:
            self._inlined = {}
            if self.environment.autoescape is True:
                bound = _named_in_statements(self.environment)
                if bound is not None:
                    self._inlined = _constants(self.environment.globals, bound)
        return self._inlined


_SHAPES = [["name"], ["name", "dot", "name"]]
_READING = ("if", "elif", "include", "extends")  # statements that cannot bind a name


def _constants(globals_: Mapping[str, object], bound: set[str]) -> dict[tuple[str, ...], str]:
    texts: dict[tuple[str, ...], str] = {}
    for name, value in globals_.items():
        if name in bound:
            continue
        if type(value) is str:
            texts[(name,)] = str(markupsafe.escape(value))
        elif isinstance(value, Mapping):
            for key, word in value.items():
                # Jinja's name.key is an attribute first: t.items is dict.items
                if type(key) is str and type(word) is str and not hasattr(value, key):
                    texts[(name, key)] = str(markupsafe.escape(word))
    return texts


def _named_in_statements(environment: jinja2.Environment) -> set[str] | None:
    """Every name any template uses in a statement that could bind one;
    None when a template cannot be read or turns autoescaping off."""
    loader = environment.loader
    if loader is None:
        return None
    named: set[str] = set()
    try:
        for template in loader.list_templates():
            if template.startswith("static/"):
                continue  # copied as they are, never compiled
            source, filename, _ = loader.get_source(environment, template)
            statement: list[str] | None = None
            for token in environment.lexer.tokenize(source, template, filename):
                if token.type == "block_begin":
                    statement = []
                elif token.type == "block_end":
                    if statement and statement[0] == "autoescape":
                        return None
                    if statement and statement[0] not in _READING:
                        named.update(statement)
                    statement = None
                elif token.type == "name" and statement is not None:
                    statement.append(token.value)
    except (jinja2.TemplateError, OSError, TypeError):  # TypeError: a loader that cannot list
        return None
    return named


def constants_digest(environment: jinja2.Environment) -> str:
    """What :class:`Constants` compiles into this environment's templates."""
    for extension in environment.iter_extensions():
        if isinstance(extension, Constants):
            return digest(
                *(
                    part
                    for key, text in sorted(extension.inlined().items())
                    for part in (*key, text)
                )
            )
    return ""
