"""One finding per defect: findings that share a cause are merged after the checks ran.

Each merge class names the cause it recognises and the key that proves it; findings
of one class that share a key become one finding. Anything else stays apart: two
different rows, two different sentences or two different tables are never merged.

- **row_columns** -- one gap of one row seen in several columns (a wrong detail cell
  makes 合计, 小计 and 人员经费 of its parent row disagree by the same amount).
  Key: rule, the (page, table, row) of every location, and the difference. Only the
  table arithmetic kinds (TABLE_KINDS), whose locations are the cells compared.
- **missing_table** -- a required table that is absent (required_tables: key
  ``required|<kind>``) and the 目录 entry naming it that the body lacks (toc absent:
  key ``toc-absent|<title>``). Key: the table kind, the 目录 title classified by the
  table catalog; a kind reported twice on either side is left unmerged.
- **narrative_figure** -- one narrative figure found wrong by several narrative
  checks (a 元/万元 slip seen by the contradiction, the 其中 sum and the table tie).
  Key: the sentence (page and text), the concept (first part of the key) and the
  figure as printed, the one each check reports as the narrative's figure
  (`actual`; a contradiction names two figures, `expected` in its first location
  and `actual` in its second, and joins either).

The merged finding is the most severe of its group (on a tie, the first in check
order): its rule, key, message and values stay, so baselines and reviewed verdicts
keyed by (rule, key) still match. It takes the most severe severity, every location
of the group (primary ones first, duplicates dropped) and lists the findings it
absorbed in `merged` (rule, key, severity, message).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model.findings import RANK, Finding, Location
from ..vocabulary.layout_patterns import QUALIFIER
from ..vocabulary.table_catalog import UNKNOWN

TABLE_KINDS = frozenset({"hierarchy", "row_sum", "row_identity", "tie", "form_tie"})
NARRATIVE_KINDS = frozenset({"narrative_match", "enumeration", "contradiction", "narrative_empty_table"})

KeyFunction = Callable[[Finding], Iterable[tuple]]


def merge_findings(findings: list[Finding], kinds: dict[str, str], catalog=None) -> list[Finding]:
    """Findings with every group that shares a cause merged into one; order is kept.
    `kinds` maps a rule id to its check kind; `catalog` classifies 目录 titles."""
    for merge_class in (row_columns, missing_table, narrative_figure):
        findings = [combine(group) for group in groups(findings, merge_class(findings, kinds, catalog))]
    return findings


def groups(findings: list[Finding], keys: KeyFunction) -> list[list[Finding]]:
    """Findings joined when they share a key, in the order of their first member. A group is one cause only
    when one key is common to all its members: a chain (a contradiction between two sentences, each
    also found wrong against a table) may be two defects, and stays apart."""
    parent = list(range(len(findings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple, int] = {}
    for index, finding in enumerate(findings):
        for key in keys(finding):
            if key in owner:
                parent[root(index)] = root(owner[key])
            else:
                owner[key] = index
    grouped: dict[int, list[Finding]] = {}
    for index, finding in enumerate(findings):
        grouped.setdefault(root(index), []).append(finding)  # keyed by root, inserted at its first member
    result = []
    for group in grouped.values():
        common = set.intersection(*(set(keys(f)) for f in group))
        result += [group] if common or len(group) == 1 else [[f] for f in group]
    return result


def combine(group: list[Finding]) -> Finding:
    if len(group) == 1:
        return group[0]
    primary = min(group, key=lambda f: -RANK[f.severity])  # first of the most severe
    others = [f for f in group if f is not primary]
    locations: list[Location] = []
    for finding in [primary, *others]:
        locations += [loc for loc in finding.locations if loc not in locations]
    absorbed = [entry for f in others for entry in [absorbed_entry(f), *f.merged]] + primary.merged
    return Finding(primary.rule, primary.severity, primary.message, primary.expected, primary.actual, primary.difference,
                   locations, primary.tolerance, primary.key, primary.waived, merged=absorbed)


def absorbed_entry(finding: Finding) -> dict:
    return {"rule": finding.rule, "key": finding.key, "severity": finding.severity, "message": finding.message}


# --- merge classes ------------------------------------------------------------

def row_columns(findings: list[Finding], kinds: dict[str, str], catalog) -> KeyFunction:
    def keys(finding: Finding):
        if kinds.get(finding.rule) in TABLE_KINDS and finding.difference and finding.locations:
            rows = tuple((loc.page, loc.table, loc.row) for loc in finding.locations)
            if all(loc.table and loc.row and not loc.text for loc in finding.locations):
                yield ("row_columns", finding.rule, rows, finding.difference)
    return keys


def missing_table(findings: list[Finding], kinds: dict[str, str], catalog) -> KeyFunction:
    sides = [missing_side(f, kinds, catalog) for f in findings]
    once = {side for side in sides if side and sides.count(side) == 1}  # a kind twice on one side stays apart

    def keys(finding: Finding):
        side = missing_side(finding, kinds, catalog)
        if side in once:
            yield ("missing_table", side[1])
    return keys


def missing_side(finding: Finding, kinds: dict[str, str], catalog) -> tuple[str, str] | None:
    """("required", kind) or ("toc", kind) for the two views of an absent table."""
    kind = kinds.get(finding.rule)
    if kind == "required_tables" and finding.key.startswith("required|"):
        return "required", finding.key.split("|", 1)[1]
    if kind == "toc" and finding.key.startswith("toc-absent|") and catalog is not None:
        table_kind = table_kind_of(finding.expected, catalog)
        return ("toc", table_kind) if table_kind != UNKNOWN else None
    return None


def table_kind_of(title: str, catalog) -> str:
    """The catalog kind of a 目录 title, tried without a parenthetical qualifier when the full title is unknown."""
    kind = catalog.classify(title)
    return kind if kind != UNKNOWN else catalog.classify(QUALIFIER.sub("", title))


def narrative_figure(findings: list[Finding], kinds: dict[str, str], catalog) -> KeyFunction:
    def keys(finding: Finding):
        kind = kinds.get(finding.rule)
        if kind not in NARRATIVE_KINDS or not finding.key:
            return
        concept = finding.key.split("|", 1)[0]
        claims = [(finding.locations[:1], finding.actual)]
        if kind == "contradiction":
            claims = [(finding.locations[:1], finding.expected), (finding.locations[1:2], finding.actual)]
        for where, figure in claims:
            if where and where[0].text and figure:
                yield ("narrative_figure", where[0].page, where[0].text, concept, figure)
    return keys
