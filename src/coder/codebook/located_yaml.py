"""YAML parsing that remembers the line of every key and item, for located errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coder.errors import Problem

Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class LocatedYaml:
    """Plain Python data parsed from YAML, with the 1-based line of each path."""

    data: Any
    """The parsed document (dicts, lists, scalars)."""
    lines: dict[Path_, int] = field(default_factory=dict)
    """Line of each key or list item, by path from the root."""

    def line_of(self, path: Path_) -> int | None:
        """Line of ``path`` or of its closest located ancestor."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)


class _Fail(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


UNCLOSED = {"quoted scalar": "quote", "flow sequence": "[ list", "flow mapping": "{ mapping"}
"""Constructs whose error is noticed far below where they start: the start is the right line."""


def _open_quote_before(text: str, line: int, reach: int = 30) -> int | None:
    """The nearest line above ``line`` (1-based) with an odd number of double quotes."""
    lines = text.splitlines()
    for number in range(line - 1, max(line - 1 - reach, 0), -1):
        if lines[number - 1].replace('\\"', "").count('"') % 2:
            return number
    return None


def _syntax_error(exc: Any, text: str) -> tuple[int | None, str, str]:
    """(line, field, message) of a YAML syntax error, on the line the mistake is on.

    PyYAML marks where it *noticed* the problem. For a quote or bracket left open that is the
    end of the file or a later line, so the line of the opening is given, with the other one.
    """
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    start, found = exc.context_mark, exc.problem_mark
    kind = next((name for key, name in UNCLOSED.items() if key in context), None)
    if start is not None and kind and (found is None or found.line != start.line):
        later = f" (noticed at line {found.line + 1})" if found is not None else ""
        message = f"invalid YAML: the {kind} that starts here is not closed: {problem}{later}"
        return start.line + 1, "", message
    mark = found or start
    if mark is None:
        return None, "", f"invalid YAML: {problem}"
    quoted = _open_quote_before(text, mark.line + 1)
    if quoted is not None:  # a quote left open swallowed the line break: the mistake is there
        message = (
            f"invalid YAML: a quote on this line is not closed ({problem} at line {mark.line + 1})"
        )
        return quoted, "", message
    return mark.line + 1, "", f"invalid YAML: {problem}"


def parse_located(text: str, file: str, *, max_nodes: int = 200_000) -> LocatedYaml | Problem:
    """Parse one YAML document; return the data with lines, or the first problem.

    Aliases are expanded as they are built, and building stops after ``max_nodes`` nodes: an
    alias bomb (nine aliases of nine aliases of ...) is refused in bounded memory and time.
    """
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        return Problem(file, *_syntax_error(exc, text))
    except yaml.YAMLError as exc:
        return Problem(file, None, "", f"invalid YAML: {exc}")
    except RecursionError:
        return Problem(file, None, "", "invalid YAML: nested too deeply")
    located = LocatedYaml(None, {(): 1})
    if node is None:
        return located
    constructor = yaml.SafeLoader("")
    try:
        located.data = _build(node, (), located.lines, constructor, set(), [max_nodes])
    except _Fail as fail:
        return Problem(file, fail.line, "", fail.message)
    except RecursionError:
        return Problem(file, None, "", "invalid YAML: nested too deeply")
    return located


def _build(
    node: Any,
    path: Path_,
    lines: dict[Path_, int],
    constructor: Any,
    active: set[int],
    budget: list[int],
) -> Any:
    import yaml

    line = node.start_mark.line + 1
    budget[0] -= 1
    if budget[0] < 0:
        raise _Fail(
            line,
            "the codebook expands to more YAML nodes than the limit codebook_nodes allows "
            "(aliases expanding into aliases: an alias bomb?); nothing was read. If the file is "
            "genuine, raise coder.toml [limits] codebook_nodes; see docs/limits.md",
        )
    lines.setdefault(path, line)
    if id(node) in active:
        raise _Fail(line, "invalid YAML: an alias refers to itself")
    if isinstance(node, yaml.MappingNode):
        active.add(id(node))
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Fail(key_node.start_mark.line + 1, "mapping keys must be plain text")
            key = _scalar(key_node, constructor)
            if key == "<<":
                raise _Fail(key_node.start_mark.line + 1, "merge keys (<<) are not supported")
            key = str(key)
            if key in result:
                raise _Fail(key_node.start_mark.line + 1, f"duplicate key '{key}'")
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*path, key), lines, constructor, active, budget)
        active.discard(id(node))
        return result
    if isinstance(node, yaml.SequenceNode):
        active.add(id(node))
        items = []
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            items.append(_build(item, (*path, index), lines, constructor, active, budget))
        active.discard(id(node))
        return items
    return _scalar(node, constructor)


def _scalar(node: Any, constructor: Any) -> Any:
    try:
        return constructor.construct_object(node, deep=True)
    except Exception as exc:  # a malformed timestamp or similar
        raise _Fail(node.start_mark.line + 1, f"invalid value {node.value!r}: {exc}") from exc
