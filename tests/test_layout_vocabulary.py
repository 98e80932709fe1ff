"""The layout vocabulary is data (rules/layout.yaml), read by one module for ingest and checks alike."""
from __future__ import annotations

import re

import pytest

from budgetaudit.safe.errors import RuleFileError
from budgetaudit.vocabulary import layout_patterns as layout
from budgetaudit.vocabulary.shipped import default_rules_dir


def test_every_entry_of_the_layout_file_is_read():
    vocabulary = layout.load_layout(default_rules_dir() / layout.LAYOUT_FILE)
    assert vocabulary["number_line"].match("预算公开表十") and vocabulary["number_line"].match("（表3）")
    assert "备注" in vocabulary["note_start"]
    assert all(isinstance(v, (re.Pattern, tuple)) for v in vocabulary.values())
    assert layout.NUMBER_LINE is layout.VOCABULARY["number_line"]


def test_a_broken_pattern_names_its_file_and_line(tmp_path):
    path = tmp_path / "layout.yaml"
    path.write_text("toc_titles:\n  words: [目录]\nnumber_line: '表([0-9'\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        layout.load_layout(path)
    assert caught.value.line == 3 and "number_line" in caught.value.detail


def test_the_layout_file_is_part_of_the_parse_cache_key(monkeypatch, tmp_path):
    from budgetaudit.run import cache

    version = cache.parser_version.__wrapped__  # the cached one is computed once per process
    before = version()
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / layout.LAYOUT_FILE).write_text((default_rules_dir() / layout.LAYOUT_FILE).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setenv("BUDGETAUDIT_RULES", str(folder))
    assert version() != before
