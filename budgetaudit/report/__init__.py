"""Reporters: the same results rendered for people and machines.

Each output format is one module of this package that defines
`FORMAT = Reporter(name, help, render)` (see base.py); `--format NAME`
finds it here by name. A new format is one new file: nothing else to edit.
inspect_view.py (the `inspect` command's view of the document model) is not a format
and defines no FORMAT."""
from __future__ import annotations

import pkgutil
from functools import lru_cache
from importlib import import_module

from .base import Options, Reporter

__all__ = ["Options", "Reporter", "reporters", "reporter", "render"]
DEFAULT = "terminal"


@lru_cache(maxsize=1)
def reporters() -> dict[str, Reporter]:
    """Every format in this package by name, the default first."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "FORMAT", None), Reporter):
            found[module.FORMAT.name] = module.FORMAT
    return dict(sorted(found.items(), key=lambda item: item[0] != DEFAULT))


def reporter(name: str) -> Reporter:
    return reporters()[name]


def render(name: str, results: list, options: Options) -> str:
    return reporter(name).render(results, options)
