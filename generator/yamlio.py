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


class _Loader(yaml.SafeLoader):
    depth = 0

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


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    return loader.construct_mapping(node, deep=True)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """A date-shaped value that is no real date (2020-13-45) is a marked error, not a crash."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date or time ({exc})", node.start_mark
        ) from None


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load(text: str, path: str, first_line: int = 1) -> Any:
    """Parse ``text``; errors name ``path`` and the line in the file.

    ``first_line`` is the file line on which ``text`` starts (for front
    matter, the line after the opening ``---``).
    """
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
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
