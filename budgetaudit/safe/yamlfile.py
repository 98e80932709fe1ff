"""Safe YAML loading that remembers where every key was written.

Rule and data files are user input: only the safe loader is used, anchors and
aliases are refused (a YAML bomb expands through them), and every mapping
carries the line of each of its keys so errors can say file:line.
"""
from __future__ import annotations

import math
from pathlib import Path

import yaml

from .errors import RuleFileError
from .files import InputProblem, read_text
from .limits import limit

MAX_RULE_FILE_BYTES = limit("RULE_FILE_KB") * 1024


class Mapping(dict):
    """A dict that knows the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain word", key_node.start_mark)
        if key in mapping.key_lines:  # YAML would keep the later value silently: a mistake, named
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} written twice (first on line {mapping.key_lines[key]})", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path):
    """Load one YAML file; any problem becomes a RuleFileError naming file and line."""
    try:
        text = read_text(path, MAX_RULE_FILE_BYTES)
    except InputProblem as exc:
        raise RuleFileError(str(path), None, str(exc)) from None
    refuse_aliases(text, path)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except RecursionError:
        raise RuleFileError(str(path), None, "嵌套过深 / nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(str(path), line, f"YAML 语法错误 / YAML syntax: {problem}") from None


def refuse_aliases(text: str, path: Path) -> None:
    """Walk the events before building anything: no anchors or aliases, bounded
    nesting (stopped at the limit, so 100,000 levels cost nothing), numbers
    with a bounded count of digits, no NaN or infinity."""
    depth, deepest = 0, limit("YAML_DEPTH")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise RuleFileError(str(path), line, "不允许使用 YAML 锚点/别名（&, *）/ YAML anchors and aliases are not allowed")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > deepest:
                    raise RuleFileError(str(path), line, f"嵌套超过 {deepest} 层 / nested deeper than {deepest} levels")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and event.implicit[0]:
                check_number(event.value, path, line)
    except yaml.YAMLError:
        return  # the full load reports the syntax error with its line


_RESOLVER = _Loader("")


def check_number(value: str, path: Path, line: int) -> None:
    """An integer of at most NUMBER_DIGITS digits; a finite float."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag.endswith(":int") and sum(c.isdigit() for c in value) > limit("NUMBER_DIGITS"):
        raise RuleFileError(str(path), line, f"数字位数过多（上限 {limit('NUMBER_DIGITS')} 位）/ a number with more than {limit('NUMBER_DIGITS')} digits")
    if tag.endswith(":float") and not math.isfinite(_RESOLVER.construct_yaml_float(yaml.ScalarNode(tag, value))):
        raise RuleFileError(str(path), line, f"数字必须是有限值，而不是 `{value}` / a number must be finite, not `{value}`")
