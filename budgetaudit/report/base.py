"""What every output format is: a name, a line of help, and `render(results, options) -> str`.
The terminal format also has `show`, which draws rich panels when stdout is a terminal."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class Options:
    """Everything a reporter may need besides the results; each format reads what it uses."""

    lang: str = "zh"
    ruleset: object = None  # rules.RuleSet: the loaded rules (JUnit testcases, SARIF descriptors)
    fail_on: str = "error"  # JUnit: findings at or above it are failures
    require_checked: bool = False  # an incomplete document fails (JUnit, SARIF)
    baseline_used: bool = False  # SARIF: results say new / unchanged
    verbose: bool = False  # terminal: list skipped rules
    quiet: bool = False  # terminal: the summary only
    timeout: float = 0  # seconds per document for work that reads the PDFs again (HTML crops); 0 = none


@dataclass(frozen=True)
class Reporter:
    name: str  # the value of --format
    help: str
    render: Callable[[list, Options], str]  # the whole report as text, for a file or a pipe
    show: Optional[Callable[[list, Options], None]] = None  # drawn on a terminal instead, when given
