"""Reporters behind one interface: every format is a module of budgetaudit/report/ with
`FORMAT = Reporter(name, help, render)`, found by name; a new format is one file."""
from __future__ import annotations

import sys

import pytest
from conftest import checked, default_ruleset, sample

import budgetaudit.report as report
from budgetaudit.report import Options, jsonout, junit, markdown, reporter, reporters, sarif, terminal

NEW_FORMAT = '''
from budgetaudit.report.base import Reporter


def report(results, options):
    return "".join(f"{r.path},{len(r.findings)}\\n" for r in results)


FORMAT = Reporter("csvcount", "documents and finding counts", report)
'''


@pytest.fixture(scope="module")
def results():
    return [checked(str(sample("yongdeng-zwfw-2024"))), checked(str(sample("dashuju-2024")))]


def test_the_shipped_formats_default_first():
    assert list(reporters())[0] == "terminal"
    assert set(reporters()) == {"terminal", "json", "junit", "sarif", "markdown", "html"}
    assert all(r.help and callable(r.render) for r in reporters().values())


def test_the_cli_offers_every_format():
    from budgetaudit.cli.main import Format

    assert [f.value for f in Format] == list(reporters())


def test_render_through_the_registry_is_the_format_itself(results):
    """The registry entries only adapt the options: the text is that of each module's own render."""
    ruleset = default_ruleset()
    options = Options(lang="en", ruleset=ruleset, fail_on="warning", require_checked=True, baseline_used=True)
    assert reporter("json").render(results, options) == jsonout.render(results)
    assert reporter("junit").render(results, options) == junit.render(results, ruleset, "en", "warning", True)
    assert reporter("sarif").render(results, options) == sarif.render(results, ruleset, "en", baseline_used=True, require_checked=True)
    assert reporter("markdown").render(results, options) == markdown.render(results, "en")
    plain = reporter("terminal").render(results, options)
    assert plain.startswith(f"== {results[0].path}") and "|" in plain.splitlines()[-1]  # the summary table after a batch
    assert terminal.FORMAT.show is not None


def test_a_new_format_is_one_file(tmp_path, monkeypatch, results):
    (tmp_path / "csvcount.py").write_text(NEW_FORMAT, encoding="utf-8")
    monkeypatch.setattr(report, "__path__", [*report.__path__, str(tmp_path)])
    reporters.cache_clear()
    try:
        assert "csvcount" in reporters()
        assert report.render("csvcount", results, Options()) == f"{results[0].path},{len(results[0].findings)}\n{results[1].path},{len(results[1].findings)}\n"
    finally:
        sys.modules.pop("budgetaudit.report.csvcount", None)
        reporters.cache_clear()
