"""Hostile input, second round (issue 16): one test per case of
tests/hostile_inputs.py. Each makes its input, runs the real command in a
fresh process and asserts the exit code, one line on stderr, no traceback,
the time limit, peak memory under 1 GB, no partial or temporary file and
every input unchanged. `python bench/hostile.py` runs the same cases and
prints the worst time and memory per class."""
from __future__ import annotations

import pytest

from hostile_inputs import cases, check_case, is_root, remove_deep_tree

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.name}" for c in CASES])
def test_hostile_case(case, tmp_path):
    if "device node" in case.name and not is_root():
        pytest.skip("making a device node needs root")
    if "not as root" in case.name and is_root():
        pytest.skip("root writes into a read-only folder")
    try:
        check_case(case, tmp_path)
    finally:
        remove_deep_tree(tmp_path)
