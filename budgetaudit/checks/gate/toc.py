"""目录 against the body: entries absent from the body, tables the 目录 does not list,
numbers that differ, tables printed twice. The 目录 and the body's headings are
read by ingest (ingest/outline.py); this module only compares them."""
from __future__ import annotations

from ...ingest.outline import is_table_group, match_entries
from ...model.document import Outline, TableHeading, TocEntry
from ...model.findings import Finding, Location, Skip
from ...model.text import squash
from ...vocabulary.layout_patterns import strip_ordinal
from ...vocabulary.table_catalog import UNKNOWN
from ..base import CheckKind, Context, say
from ..common import milder, norm, outline, phrases, printed_by_meaning, printed_titles, tables_elsewhere_finding, tables_published_elsewhere, validate_problem, varying_words

TOC_PROBLEMS = ("absent", "unlisted", "renumbered", "duplicate")


def toc_matches(ctx: Context, o: Outline):
    """目录 entries (tables, table groups, sections) matched to the body, computed once per run."""
    cached = getattr(ctx, "_gate_toc_matches", None)
    if cached is None:
        tables = [e for e in o.toc if e.is_table]
        groups = [e for e in o.toc if is_table_group(e)]
        sections = [e for e in o.toc if not e.is_table and not is_table_group(e)]
        table_match = match_entries(tables, o.tables, lambda h: [h.title] + h.aliases)
        section_match = match_entries(sections, o.headings, lambda h: h.title)
        cached = ctx._gate_toc_matches = (tables, groups, sections, table_match, section_match)
    return cached


def run_toc(ctx: Context, rule):
    o, problem = outline(ctx), rule.get("problem")
    if problem == "duplicate":
        yield from duplicates(ctx, rule, o)
        return
    if not o.toc:
        yield Skip(rule.id, "文档没有目录 / no 目录 found", "not_applicable")
        return
    if problem == "absent":
        yield from absent(ctx, rule, o)
    elif problem == "unlisted":
        yield from unlisted(ctx, rule, o)
    elif problem == "renumbered":
        yield from renumbered_entries(ctx, rule, o)


def absent(ctx: Context, rule, o: Outline):
    tables, groups, sections, table_match, section_match = toc_matches(ctx, o)
    unmatched = [e for i, e in enumerate(sections) if i not in section_match]
    found_late = match_entries(unmatched + groups, o.printed, lambda p: p.bare)
    printed = printed_titles(ctx)
    missing_tables = [e for i, e in enumerate(tables) if i not in table_match and not printed_by_meaning(e.title, printed, varying_words(ctx))]
    elsewhere = tables_published_elsewhere(ctx) if missing_tables else None
    if elsewhere:
        yield tables_elsewhere_finding(ctx, rule, elsewhere, [e.title for e in missing_tables], "toc-absent-tables")
        missing_tables = []
    for entry in missing_tables:
        yield toc_finding(ctx, rule, entry, say(ctx, f"目录列出「{entry.title}」，正文中没有这张表", f"the 目录 lists {entry.title}, the body has no such table"), "absent")
    for i, entry in enumerate(groups):  # the tables part is there when its tables are
        if not (o.tables or elsewhere or len(unmatched) + i in found_late):
            yield toc_finding(ctx, rule, entry, say(ctx, f"目录列出「{entry.title}」，正文中没有这一部分的表格", f"the 目录 lists {entry.title}, the body has none of its tables"), "absent")
    for i, entry in enumerate(sections):
        if i in section_match or (entry in unmatched and unmatched.index(entry) in found_late):
            continue
        yield toc_finding(ctx, rule, entry, say(ctx, f"目录列出「{entry.title}」，正文中没有标题相同的一节（内容可能以别的标题出现，请人工核对）",
                                                f"the 目录 lists {entry.title}, the body has no section of that title (it may be there under another wording)"),
                          "absent", milder(str(rule.get("section_severity") or rule.severity), rule.severity))


def unlisted(ctx: Context, rule, o: Outline):
    tables, _, _, table_match, _ = toc_matches(ctx, o)
    if not tables:
        return
    listed = {id(h) for h in table_match.values()}
    listed_titles = {norm(h.title) for h in table_match.values()}
    repeatable = set(phrases(ctx).get("repeatable_kinds", []))
    listed_kinds = {h.kind for h in table_match.values()}
    first_covered = covered_from(ctx, o)
    covered_kinds = repeatable | {UNKNOWN}
    for heading in o.tables:
        in_entry = any(norm(heading.title) in norm(e.title) for e in tables)
        if id(heading) in listed or in_entry or norm(heading.title) in listed_titles or (heading.kind in repeatable and heading.kind in listed_kinds):
            continue
        if first_covered is not None and heading.kind in covered_kinds and heading.page >= first_covered:
            continue  # a form printed inside the part the 目录 lists
        listed_titles.add(norm(heading.title))  # a form repeated per project is reported once
        yield Finding(rule.id, rule.severity, say(ctx, f"正文第{heading.page}页的「{heading.title}」没有列在目录中", f"{heading.title} (page {heading.page}) is not listed in the 目录"),
                      expected=say(ctx, "列入目录", "listed"), actual=say(ctx, "未列入", "not listed"),
                      locations=[Location(heading.page, heading.title)], key=f"toc-unlisted|{norm(heading.title)}")


def renumbered_entries(ctx: Context, rule, o: Outline):
    tables, _, sections, table_match, section_match = toc_matches(ctx, o)
    for i, heading in table_match.items():
        entry = tables[i]
        if entry.number is not None and heading.number is not None and entry.number != heading.number:
            yield renumbered(ctx, rule, entry, f"表{entry.number}", heading.number_text or f"表{heading.number}", heading.page)
    for i, section in section_match.items():
        entry = sections[i]
        if entry.ordinal is not None and section.ordinal is not None and entry.ordinal != section.ordinal:
            yield renumbered(ctx, rule, entry, entry.text, squash(section.text), section.page)


def covered_from(ctx: Context, o: Outline) -> int | None:
    """The body page where a 目录 part that covers per-project forms without listing them
    begins (十一、关于2024年度预算绩效情况说明, 第五部分 附件: `toc_covers_forms`); None if there is none."""
    words = [str(w) for w in phrases(ctx).get("toc_covers_forms", [])]
    titles = [norm(strip_ordinal(e.title)) for e in o.toc if any(w in squash(e.title) for w in words)]
    titles = [t for t in titles if t]
    pages = [line.page for line in o.printed if any(t in norm(line.bare) for t in titles)]
    return min(pages, default=None)


def toc_finding(ctx: Context, rule, entry: TocEntry, message: str, tag: str, severity: str | None = None) -> Finding:
    return Finding(rule.id, severity or rule.severity, message, expected=entry.title, actual=say(ctx, "正文中没有", "absent from the body"),
                   locations=[Location(entry.page, say(ctx, "目录", "目录"), text=entry.text)], key=f"toc-{tag}|{norm(entry.title)}")


def renumbered(ctx: Context, rule, entry: TocEntry, listed: str, body: str, page: int) -> Finding:
    return Finding(rule.id, rule.severity, say(ctx, f"目录中的「{listed}」在正文第{page}页编号为「{body}」", f"the 目录 lists {listed}; the body (page {page}) numbers it {body}"),
                   expected=listed, actual=body, locations=[Location(entry.page, "目录", text=entry.text), Location(page, text=body)],
                   key=f"toc-renumbered|{norm(entry.title)}")


def duplicates(ctx: Context, rule, o: Outline):
    repeatable = set(phrases(ctx).get("repeatable_kinds", []))
    seen: dict[tuple, TableHeading] = {}
    last_page: dict[tuple, int] = {}
    for heading in o.tables:
        if heading.kind in repeatable:
            continue
        key = (heading.number, norm(heading.title))
        first = seen.get(key)
        if first is None or heading.page <= last_page.get(key, first.page) + 1:
            seen.setdefault(key, heading)
            last_page[key] = heading.page  # the title repeated on the next page: the table continues
            continue
        label = f"{heading.number_text} {heading.title}".strip()
        yield Finding(rule.id, rule.severity, say(ctx, f"「{label}」印了两次（第{first.page}页和第{heading.page}页）", f"{label} is printed twice (pages {first.page} and {heading.page})"),
                      expected=say(ctx, "1 次", "once"), actual=say(ctx, "2 次", "twice"),
                      locations=[Location(first.page, label), Location(heading.page, label)], key=f"toc-duplicate|{norm(heading.title)}|{heading.number}")


TOC_KINDS = {
    "toc": CheckKind("toc", "目录与正文：缺失、未列入、编号不同、重复印刷", validate_problem(TOC_PROBLEMS, frozenset({"section_severity"})), run_toc),
}
