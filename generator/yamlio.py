"""YAML as editors write it: safe, without aliases, with line numbers.

Every mapping is loaded as a :class:`Node` (a ``dict``) that remembers the
line it starts on and the line of each key, so a later stage can say
``officials.yml:12: roles: 'to' is before 'from'``. Aliases and anchors are
refused: they serve no purpose in hand-written content and are the vehicle of
"billion laughs" documents. A key given twice in one mapping is an error:
PyYAML would silently keep the last one, and an editor's first edit with it.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.errors import SourceError


class Node(dict):
    """A mapping with the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


#: Deeper nesting than this is refused (no content needs it; PyYAML recurses).
MAX_DEPTH = 64


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe construction, mappings as :class:`Node` and duplicate keys refused."""

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = str(self.construct_object(key_node))
            if key in seen:  # PyYAML would keep the last silently; an edit would vanish
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        mapping = super().construct_mapping(node, deep=deep)
        result = Node(mapping)
        result.line = node.start_mark.line + 1
        result.key_lines = {
            str(self.construct_object(key)): key.start_mark.line + 1 for key, _ in node.value
        }
        return result


def _construct_mapping(loader: _Constructor, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    return loader.construct_mapping(node, deep=True)


def _construct_timestamp(loader: _Constructor, node: yaml.ScalarNode) -> object:
    """A date-shaped value that is no real date (2020-13-45) is a marked error, not a crash."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date or time ({exc})", node.start_mark
        ) from None


_Constructor.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Constructor,
    yaml.resolver.Resolver,
):
    """PyYAML's own parser, refusing aliases and deep nesting as it composes."""

    depth = 0

    def __init__(self, stream: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


if yaml.__with_libyaml__:

    class _FastLoader(yaml.cyaml.CParser, _Constructor, yaml.resolver.Resolver):
        """libyaml's parser, ten times as fast, for documents :func:`_plain` passed."""

        def __init__(self, stream: str):
            yaml.cyaml.CParser.__init__(self, stream)
            _Constructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _parse(text: str) -> Any:
    """The document in ``text``: through libyaml when it is plain, else PyYAML's parser.

    Every article's front matter is parsed on a cold build. libyaml composes
    in C, where :class:`_Loader` cannot refuse aliases or deep nesting, so a
    document is first read as events (in C too) and goes the fast way only
    with neither; any error is reported by :class:`_Loader`, worded as always.
    """
    if yaml.__with_libyaml__ and _plain(text):
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - safe construction
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - safe construction


def _plain(text: str) -> bool:
    """No alias, nesting well within :data:`MAX_DEPTH`, no tag and no tab.

    libyaml accepts a tab inside a plain value, which PyYAML refuses, skips
    byte order marks PyYAML reads as text (PyYAML skips only one, at the
    very start), and resolves an empty value tagged ``!`` to "" where PyYAML
    makes None; such a document goes PyYAML's way, so what is accepted does
    not depend on whether libyaml is installed.
    """
    if "\t" in text or "\ufeff" in text:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth >= MAX_DEPTH // 2:
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                return False
            if getattr(event, "tag", None) is not None:
                return False
    except yaml.YAMLError:
        return False
    return True


def load(text: str, path: str, first_line: int = 1) -> Any:
    """Parse ``text``; errors name ``path`` and the line in the file.

    ``first_line`` is the file line on which ``text`` starts (for front
    matter, the line after the opening ``---``).
    """
    try:
        document = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise SourceError(path, line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SourceError(path, first_line, f"invalid YAML: {exc}") from None
    return _shift_lines(document, first_line - 1)


def _shift_lines(value: Any, offset: int) -> Any:
    if isinstance(value, Node):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift_lines(item, offset)
    return value
