"""The shape of the package, computed from its source with `ast`: every module sits in
one stage package and imports only from its own stage or lower ones (the layers
contract), the import graph has no cycle (imports inside functions count too), no
check module imports another check module, no check file grows past ~400 lines, and
no check module writes a layout pattern of its own (patterns come from
vocabulary/layout_patterns.py, the reading modules and rules/ data)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "budgetaudit"
CHECKS = PACKAGE / "checks"
# The stages in the order data flows: a module may import from its own stage or a lower one, never a higher one.
STAGES = ("safe", "model", "vocabulary", "ruleset", "ingest", "checks", "run", "report", "cli")
# Modules outside the stage packages: the package's face (holds __version__, imports nothing) and `python -m`.
ROOT_MODULES = {"budgetaudit": "safe", "budgetaudit.__main__": "cli"}
# Imports allowed to run against the stage order, each with its reason. None today.
ALLOWED_UPWARD: set[tuple[str, str]] = set()
# the registry, each family's package file and the helper modules (no check kind of their own)
CHECK_HELPERS = {"__init__.py", "base.py", "common.py", "narrative/shared.py"}
MAX_CHECK_LINES = 400

# Known exceptions, each to be removed by the change named beside it.
ALLOWED_EDGES: set[tuple[str, str]] = set()  # none left
ALLOWED_LONG: set[str] = set()  # none left
# Sentence wording (not layout) that these kinds still write in Python: the clause and comparison
# words of a per-item paragraph, a year's role in a sentence, an empty-table note. Layout patterns
# are all in rules/layout.yaml; these are to move into rules/phrases.yaml next.
ALLOWED_LITERAL_PATTERNS = {"items/sentence_patterns.py", "narrative/comparisons.py", "narrative/years.py", "narrative/shared.py"}
RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "finditer", "findall"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def resolve(path: Path, node: ast.ImportFrom) -> list[str]:
    """The modules an import names: `from .x import y` is x, or x.y when y is a module."""
    if node.level == 0:
        base = node.module or ""
    else:
        base = package_of(path)
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        base = f"{base}.{node.module}" if node.module else base
    names = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        names.append(candidate if module_path(candidate) is not None else base)
    return names


def module_path(name: str) -> Path | None:
    relative = Path(*name.split("."))
    for candidate in (PACKAGE.parent / relative.with_suffix(".py"), PACKAGE.parent / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports(path: Path) -> set[str]:
    """Every budgetaudit module `path` imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.update(resolve(path, node))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("budgetaudit") and module_path(name) is not None}


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def stage_of(module: str) -> str | None:
    """The stage package a module belongs to (budgetaudit.<stage>.…), None for a module outside every stage."""
    if module in ROOT_MODULES:
        return ROOT_MODULES[module]
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def upward_imports(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Every import of a module from a higher stage than its own."""
    rank = {stage: number for number, stage in enumerate(STAGES)}
    return sorted((source, target) for source, targets in edges.items() for target in targets
                  if (source, target) not in ALLOWED_UPWARD and rank[stage_of(target)] > rank[stage_of(source)])


def test_every_module_is_in_a_stage_package():
    """No module left at the top of budgetaudit/: each lives in the stage it serves."""
    assert not [m for m in graph() if stage_of(m) is None]
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(STAGES)


def test_the_layers_contract():
    """safe < model < vocabulary < ruleset < ingest < checks < run < report < cli: no stage imports a higher one."""
    assert not upward_imports(graph()), "a lower stage imports a higher one; move the module or the function it needs"


def test_the_allowed_upward_imports_still_exist():
    edges = graph()
    assert all(target in edges.get(source, ()) for source, target in ALLOWED_UPWARD)


def test_the_layers_contract_sees_an_upward_import():
    edges = {"budgetaudit.model.document": {"budgetaudit.safe.errors"}, "budgetaudit.ingest.reader": {"budgetaudit.run.cache"},
             "budgetaudit.cli.main": {"budgetaudit.report", "budgetaudit"}}
    assert upward_imports(edges) == [("budgetaudit.ingest.reader", "budgetaudit.run.cache")]


def test_every_package_ships_in_the_wheel():
    """[tool.setuptools] packages lists every package of budgetaudit/ (a package left out is missing from the wheel)."""
    tomllib = pytest.importorskip("tomllib")
    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert packages <= listed, f"add to pyproject.toml [tool.setuptools] packages: {sorted(packages - listed)}"


def test_the_import_graph_has_no_cycle():
    edges = {source: {t for t in targets if (source, t) not in ALLOWED_EDGES} for source, targets in graph().items()}
    assert not cycles(edges), f"import cycles: {cycles(edges)}"


def test_rule_loading_does_not_import_the_checks():
    """The checks import their key helpers from the rule modules, never the reverse: the
    registry of kinds is handed to the loader by its caller (checks.load_rules)."""
    edges = graph()
    for source in ("budgetaudit.ruleset.loading", "budgetaudit.ruleset.rule"):
        assert not {t for t in edges.get(source, ()) if t.startswith("budgetaudit.checks")}, source


def test_the_allowed_edges_still_exist():
    """An allowance whose import is gone must be deleted from ALLOWED_EDGES."""
    edges = graph()
    assert all(target in edges.get(source, ()) for source, target in ALLOWED_EDGES)


def check_files() -> list[Path]:
    """Every module of budgetaudit/checks/ and its family packages (checks/<family>/)."""
    return sorted(CHECKS.rglob("*.py"))


def in_checks(path: Path) -> str:
    return path.relative_to(CHECKS).as_posix()


def check_modules() -> list[Path]:
    return [p for p in check_files() if in_checks(p) not in CHECK_HELPERS and p.name != "__init__.py"]


def test_no_check_module_imports_another():
    names = {module_name(p) for p in check_modules()}
    wrong = {module_name(p): sorted(imports(p) & (names - {module_name(p)})) for p in check_modules()}
    assert not {k: v for k, v in wrong.items() if v}, "shared helpers belong in checks/base.py or checks/common.py"


def test_check_helpers_import_no_check_module():
    names = {module_name(p) for p in check_modules()}
    for helper in ("base.py", "common.py", "narrative/shared.py"):
        assert not imports(CHECKS / helper) & names


def test_check_files_are_small():
    long = {in_checks(p): n for p in check_files() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_CHECK_LINES}
    assert set(long) <= ALLOWED_LONG, f"check files over {MAX_CHECK_LINES} lines: {long}"


def literal(node: ast.AST) -> bool:
    """A pattern written in the source: a string constant, or constants joined."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp):
        return literal(node.left) and literal(node.right)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    return False


def literal_patterns(path: Path) -> list[int]:
    """Lines where `re.<function>(<literal>, …)` is called."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCTIONS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args and literal(node.args[0])):
            lines.append(node.lineno)
    return lines


def test_no_layout_pattern_in_check_modules():
    found = {in_checks(p): literal_patterns(p) for p in check_files() if in_checks(p) not in ALLOWED_LITERAL_PATTERNS}
    assert not {k: v for k, v in found.items() if v}, "layout patterns belong in vocabulary/layout_patterns.py or rules/phrases.yaml"


def test_the_literal_check_sees_a_literal(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('import re\nA = re.compile(r"^表\\d+")\nB = re.compile(text)\nC = re.compile("a" + "b")\n', encoding="utf-8")
    assert literal_patterns(sample) == [2, 4]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
