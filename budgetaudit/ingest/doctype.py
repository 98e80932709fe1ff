"""What a file is, read from the document model before any rule demands its parts.

A budget disclosure (部门/单位预算或决算公开) has recognised budget tables, or says
what it is in its first pages (部门预算, 预算公开, 决算情况说明 …). Anything else
filed under that name (a notice, a 绩效评价报告, a 法治政府建设报告) is not a
disclosure: no publication, table or narrative rule applies to it, and one reading
finding says so. The signature phrases are data (`phrases.yaml`
`disclosure_signatures`), not code.
"""
from __future__ import annotations

from ..model.document import Document
from ..model.text import squash
from ..vocabulary.table_catalog import UNKNOWN

OPENING_PAGES = 3  # the cover, the 目录 and the first page of the body


def opening_text(doc: Document) -> str:
    return "".join(squash(line.text) for line in doc.lines if line.page <= OPENING_PAGES)


MIN_TABLE_KINDS = 2  # one recognised table can sit inside any report (项目支出情况表 in a 绩效评价报告)


def has_budget_tables(doc: Document) -> bool:
    return len({table.kind for table in doc.tables} - {UNKNOWN}) >= MIN_TABLE_KINDS


def is_disclosure(doc: Document, signatures: list[str]) -> bool:
    """True when the file is a budget disclosure, or when nothing tells (no signature list)."""
    if not signatures or has_budget_tables(doc):
        return True
    text = opening_text(doc)
    return any(squash(str(s)) in text for s in signatures)


def signature_list(phrases: dict) -> list[str]:
    return [str(s) for s in phrases.get("disclosure_signatures", []) or []]
