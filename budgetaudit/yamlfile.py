"""Safe YAML loading that remembers where every key was written.

Rule and data files are user input: only the safe loader is used, anchors and
aliases are refused (a YAML bomb expands through them), and every mapping
carries the line of each of its keys so errors can say file:line.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import RuleFileError

MAX_RULE_FILE_BYTES = 256 * 1024


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
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path):
    """Load one YAML file; any problem becomes a RuleFileError naming file and line."""
    try:
        if path.stat().st_size > MAX_RULE_FILE_BYTES:
            raise RuleFileError(str(path), None, f"file larger than {MAX_RULE_FILE_BYTES // 1024} KB")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleFileError(str(path), None, "不是 UTF-8 文本 / not UTF-8 text") from None
    except OSError as exc:
        raise RuleFileError(str(path), None, exc.strerror or str(exc)) from None
    refuse_aliases(text, path)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(str(path), line, f"YAML 语法错误 / YAML syntax: {problem}") from None


def refuse_aliases(text: str, path: Path) -> None:
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1
                raise RuleFileError(str(path), line, "不允许使用 YAML 锚点/别名（&, *）/ YAML anchors and aliases are not allowed")
    except yaml.YAMLError:
        return  # the full load reports the syntax error with its line
