"""`inspect`: the document model as a rich table or JSON."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..ingest.doctype import is_disclosure, signature_list
from ..ingest.facts import is_final_accounts, read_narrative
from ..ingest.outline import outline_of
from ..model.document import Document
from ..vocabulary.table_catalog import Catalog


def empty_state(table) -> str:
    if not table.is_empty:
        return ""
    return "空表（有说明）" if table.empty_note else "空表（无说明）"


def page_span(pages: list[int]) -> str:
    return f"{pages[0]}-{pages[-1]}" if len(pages) > 1 else str(pages[0])


def table_row(t, zh: bool) -> list[str]:
    return [t.number, t.title, t.kind, t.unit or "?", page_span(t.pages), f"{len(t.rows)}×{len(t.columns)}", empty_state(t) if zh else ("empty" if t.is_empty else "")]


def title_only_row(heading, note: str, zh: bool) -> list[str]:
    state = ("空表（有说明）" if note else "空表（无说明）") if zh else ("empty" + (" (explained)" if note else ""))
    return [heading.number_text, heading.title, heading.kind, "", page_span(heading.pages or [heading.page]), "仅标题" if zh else "title only", state]


def table_json(table, catalog: Catalog) -> dict:
    return {
        "id": table.id, "number": table.number, "title": table.title, "kind": table.kind, "kind_zh": catalog.zh(table.kind),
        "unit": table.unit, "org": table.org, "pages": table.pages, "rows": len(table.rows), "columns": len(table.columns),
        "column_keys": [c.key for c in table.columns], "empty": table.is_empty, "empty_note": table.empty_note,
    }


def title_only(doc: Document, ruleset) -> list[tuple[object, str]]:
    """Tables printed as a title (and perhaps a note) without a ruled grid — an
    empty table in many templates — with their empty-table note (read by ingest:
    `Document.outline`)."""
    from ..checks.base import Context
    from ..checks.common import empty_note

    ctx = Context(doc, ruleset)
    return [(h, empty_note(ctx, h)) for h in outline_of(doc, ruleset.catalog).title_only if h.kind != "unknown"]


def title_only_json(heading, note: str, catalog: Catalog) -> dict:
    return {"number": heading.number_text, "title": heading.title, "kind": heading.kind, "kind_zh": catalog.zh(heading.kind),
            "pages": heading.pages or [heading.page], "empty_note": note}


def to_json(doc: Document, ruleset) -> dict:
    catalog = ruleset.catalog
    return {
        "path": doc.path, "pages": doc.pages, "textless_pages": doc.textless_pages, "watermarks": doc.watermarks,
        "tables": [table_json(t, catalog) for t in doc.tables],
        "title_only_tables": [title_only_json(h, note, catalog) for h, note in title_only(doc, ruleset)],
        "sections": [{"title": s.title, "page": s.page, "level": s.level} for s in doc.sections],
        "outline": outline_json(doc, ruleset),
        "sentences": sentences_json(doc, ruleset),
        "doc_kind": "disclosure" if is_disclosure(doc, signature_list(ruleset.phrases or {})) else "other",
    }


def outline_json(doc: Document, ruleset) -> dict:
    """The 目录 entries and the body's headings as ingest read them."""
    outline = outline_of(doc, ruleset.catalog)
    return {
        "toc": [{"title": e.title, "text": e.text, "page": e.page, "printed_page": e.printed_page, "level": e.level, "ordinal": e.ordinal,
                 "table_number": e.number, "is_table": e.is_table, "kind": e.kind} for e in outline.toc],
        "headings": [{"text": h.text, "title": h.title, "page": h.page, "level": h.level, "ordinal": h.ordinal} for h in outline.headings],
        "table_titles": [{"title": h.title, "number": h.number_text, "kind": h.kind, "pages": h.pages or [h.page], "title_only": h.table is None}
                         for h in outline.tables],
        "cover_year": outline.cover_year[0] if outline.cover_year else None,
    }


def fact_json(fact) -> dict:
    """One figure a sentence states, as the narrative rules read it."""
    out = {"role": fact.role, "value": str(fact.value.value), "unit": fact.value.unit, "text": str(fact.value), "concept": fact.concept}
    if fact.direction:
        out["direction"] = fact.direction
    if fact.base:
        out["base"] = True
    if fact.subject is not None:
        out["of"] = str(fact.subject.value)
    return out


def sentences_json(doc: Document, ruleset) -> list[dict]:
    """Every narrative sentence with the facts read from it (amount, change, rate, share, count)."""
    passages = read_narrative(doc.sentences, ruleset.concepts, is_final_accounts(doc))
    facts: dict[int, list] = {}
    for passage in passages:
        for fact in passage.facts:
            facts.setdefault(id(fact.sentence), []).append(fact_json(fact))
    return [{"page": s.page, "section": s.section, "text": s.text, "figures": len(s.figures), "facts": facts.get(id(s), [])} for s in doc.sentences]


def render_inspect(doc: Document, ruleset, lang: str = "zh") -> None:
    console = Console()
    zh = lang != "en"
    grid = Table(title=f"{doc.path} · {doc.pages} {'页' if zh else 'pages'}")
    for head in (["编号", "标题", "种类", "单位", "页码", "行×列", "空表"] if zh else ["no.", "title", "kind", "unit", "pages", "rows×cols", "empty"]):
        grid.add_column(head, overflow="fold")  # wrap, never cut: the kind and the empty state must stay readable
    rows = [(t.pages[0], table_row(t, zh)) for t in doc.tables]
    rows += [(h.page, title_only_row(h, note, zh)) for h, note in title_only(doc, ruleset)]
    for _, cells in sorted(rows, key=lambda r: r[0]):
        grid.add_row(*cells)
    console.print(grid)
    if doc.textless_pages:
        console.print(("无文字层页面: " if zh else "pages without text: ") + ", ".join(map(str, doc.textless_pages)), style="bold red")
    if doc.watermarks:
        console.print(("已过滤水印: " if zh else "watermark filtered: ") + "、".join(doc.watermarks), style="yellow")
    render_toc(console, outline_of(doc, ruleset.catalog), zh)
    sections = Table(title="叙述部分" if zh else "narrative")
    for head in (["页", "段落", "句子", "数字"] if zh else ["page", "section", "sentences", "figures"]):
        sections.add_column(head)
    for section in doc.sections:
        sentences = [s for s in doc.sentences if s.section == section.title]
        sections.add_row(str(section.page), "  " * (section.level - 1) + section.title, str(len(sentences)), str(sum(len(s.figures) for s in sentences)))
    console.print(sections)


def render_toc(console: Console, outline, zh: bool) -> None:
    """The 目录 as read, each entry with the page it names and whether it lists a table."""
    if not outline.toc:
        return
    toc = Table(title="目录" if zh else "目录 (table of contents)")
    for head in (["页", "条目", "级", "表号", "标注页码"] if zh else ["page", "entry", "level", "table no.", "printed page"]):
        toc.add_column(head, overflow="fold")
    for entry in outline.toc:
        number = str(entry.number) if entry.is_table and entry.number is not None else ("表" if zh else "table") if entry.is_table else ""
        toc.add_row(str(entry.page), entry.title, str(entry.level), number, str(entry.printed_page or ""))
    console.print(toc)
