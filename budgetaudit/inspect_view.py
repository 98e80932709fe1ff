"""`inspect`: the document model as a rich table or JSON."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .model import Document
from .recognize import Catalog


def empty_state(table) -> str:
    if not table.is_empty:
        return ""
    return "空表（有说明）" if table.empty_note else "空表（无说明）"


def table_json(table, catalog: Catalog) -> dict:
    return {
        "id": table.id, "number": table.number, "title": table.title, "kind": table.kind, "kind_zh": catalog.zh(table.kind),
        "unit": table.unit, "org": table.org, "pages": table.pages, "rows": len(table.rows), "columns": len(table.columns),
        "column_keys": [c.key for c in table.columns], "empty": table.is_empty, "empty_note": table.empty_note,
    }


def to_json(doc: Document, catalog: Catalog) -> dict:
    return {
        "path": doc.path, "pages": doc.pages, "textless_pages": doc.textless_pages, "watermarks": doc.watermarks,
        "tables": [table_json(t, catalog) for t in doc.tables],
        "sections": [{"title": s.title, "page": s.page, "level": s.level} for s in doc.sections],
        "sentences": [{"page": s.page, "section": s.section, "text": s.text, "figures": len(s.figures)} for s in doc.sentences],
    }


def render_inspect(doc: Document, catalog: Catalog, lang: str = "zh") -> None:
    console = Console()
    zh = lang != "en"
    grid = Table(title=f"{doc.path} · {doc.pages} {'页' if zh else 'pages'}")
    for head in (["编号", "标题", "种类", "单位", "页码", "行×列", "空表"] if zh else ["no.", "title", "kind", "unit", "pages", "rows×cols", "empty"]):
        grid.add_column(head)
    for t in doc.tables:
        pages = f"{t.pages[0]}-{t.pages[-1]}" if len(t.pages) > 1 else str(t.pages[0])
        grid.add_row(t.number, t.title, t.kind, t.unit or "?", pages, f"{len(t.rows)}×{len(t.columns)}", empty_state(t) if zh else ("empty" if t.is_empty else ""))
    console.print(grid)
    if doc.textless_pages:
        console.print(("无文字层页面: " if zh else "pages without text: ") + ", ".join(map(str, doc.textless_pages)), style="bold red")
    if doc.watermarks:
        console.print(("已过滤水印: " if zh else "watermark filtered: ") + "、".join(doc.watermarks), style="yellow")
    sections = Table(title="叙述部分" if zh else "narrative")
    for head in (["页", "段落", "句子", "数字"] if zh else ["page", "section", "sentences", "figures"]):
        sections.add_column(head)
    for section in doc.sections:
        sentences = [s for s in doc.sentences if s.section == section.title]
        sections.add_row(str(section.page), "  " * (section.level - 1) + section.title, str(len(sentences)), str(sum(len(s.figures) for s in sentences)))
    console.print(sections)
