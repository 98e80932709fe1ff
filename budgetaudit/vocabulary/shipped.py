"""Where the shipped rules are (a module of its own: ruleset/loading.py, classification_codes.py
and profiles.py all need it, and none of them may import another in a cycle)."""
from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def default_rules_dir() -> Path:
    """The shipped rules: package data (budgetaudit/_rules) in an installed wheel,
    the top-level rules/ folder in a source checkout or an editable install."""
    env = os.environ.get("BUDGETAUDIT_RULES")
    if env:
        return Path(env)
    shipped = Path(str(files("budgetaudit") / "_rules"))
    return shipped if shipped.is_dir() else Path(__file__).resolve().parent.parent.parent / "rules"
