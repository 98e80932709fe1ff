"""Template remnants (phrase: filling instructions, placeholders, dead links) and
draft marks (送审稿, 征求意见稿 … in the text, the cells or a watermark). The
patterns are rules data (phrases.yaml `remnants`, `draft_marks`)."""
from __future__ import annotations

import re

from ...model.findings import Finding, Location
from ...model.text import squash
from ...ruleset.loading import require
from ...safe.errors import RuleFileError
from ...vocabulary.layout_patterns import SENTENCE_END
from ..base import CheckKind, Context, say
from ..common import compiled, empty_note, grid_row_page, has_figures, narrative_explanation, narrative_items, norm, outline, phrase, phrases, table_cells, validate_none

TEMPLATE_LINE_PAGES = 3  # the same line on this many pages is printed by the template, not left by a preparer
MARK_LINE = 40  # a stamp or header line; a longer one carries the mark only in brackets at its end (a title)
GROUP_REFERENCES = ("\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9", "(?P=", "(?(")


def validate_phrase(rule, ruleset) -> None:
    require(rule, {"patterns"}, set())
    known = {str(p.get("id")) for p in (ruleset.phrases or {}).get("remnants", [])}
    for name in rule.get("patterns", []) or []:
        if name not in known:
            raise RuleFileError(str(rule.path), rule.line("patterns"), f"phrases.yaml 中没有 remnants 模式 `{name}` / unknown pattern (known: {', '.join(sorted(known))})")
    for spec in (ruleset.phrases or {}).get("remnants", []):
        try:
            re.compile(str(spec["pattern"]))
        except (re.error, KeyError) as exc:
            raise RuleFileError("phrases.yaml", getattr(spec, "line", None), f"remnant pattern `{spec.get('id')}`: {exc}") from exc


def text_units(ctx: Context):
    """(page, where, text) for every text a reader sees outside the 目录: sentences, titles, notes."""
    seen = set()
    for page, section, text in narrative_items(ctx):
        seen.add((page, text))
        yield page, section, text
    for table in ctx.doc.tables:
        for note in table.notes:
            if (table.pages[-1], squash(note)) not in seen:
                seen.add((table.pages[-1], squash(note)))
                yield table.pages[-1], table.label, squash(note)
    for page, text in outline(ctx).notes:
        if (page, text) not in seen:
            seen.add((page, text))
            yield page, "", text


def remnant_specs(ctx: Context, rule) -> list:
    wanted = rule.get("patterns")
    return [p for p in phrases(ctx).get("remnants", []) if not wanted or p.get("id") in wanted]


def remnant_hit(spec, text: str) -> bool:
    return bool(compiled(str(spec["pattern"])).search(text)) and not any(compiled(str(n)).search(text) for n in spec.get("not_if", []) or [])


def hit_sentences(specs, text: str, footer: str = "") -> str:
    """The sentences of a text unit that carry a remnant: lines glued into one unit (page
    footers, table headers and a 备注) are reported by the words that matter, once."""
    sentences = [compiled(footer).sub("", s) if footer else s for s in SENTENCE_END.split(text)]
    hits = [s for s in sentences if s and any(remnant_hit(spec, s) for spec in specs)]
    return "".join(hits) if hits else text


def remnant_key(specs, text: str, seen: dict[str, int]) -> str:
    """A remnant's key is the shortest text a remnant pattern matched in it: the words that
    are the remnant, not the lines a layout happens to glue around them (a title block, a
    cover line), so the key survives another page layout or producer. The second remnant
    with the same words in one document gets `#2`, and so on."""
    spans = [m.group(0) for spec in specs if remnant_hit(spec, text) for m in [compiled(str(spec["pattern"])).search(text)] if m and m.group(0)]
    core = min(spans, key=len) if spans else text[:60]
    seen[core] = seen.get(core, 0) + 1
    return f"remnant|{core}" + (f"#{seen[core]}" if seen[core] > 1 else "")


def any_remnant(specs) -> re.Pattern | None:
    """One pattern matching where any spec's pattern matches: a fast first pass over many texts."""
    patterns = [str(spec["pattern"]) for spec in specs]
    if not patterns or any(g in p for p in patterns for g in GROUP_REFERENCES):
        return None  # joined, group numbers shift: test each spec on its own
    try:
        return compiled("|".join(f"(?:{p})" for p in patterns))
    except re.error:
        return None  # inline flags and the like cannot be combined


def run_phrase(ctx: Context, rule):
    specs = remnant_specs(ctx, rule)
    first_pass = any_remnant(specs)
    grouped: dict[str, tuple[list[str], list[Location], str]] = {}
    for page, where, text in text_units(ctx):
        if first_pass and not first_pass.search(text):
            continue
        if any(page in [l.page for l in locs] and text in other and text != other for other, (_, locs, _) in grouped.items()):
            continue
        names = [say(ctx, str(s.get("zh")), str(s.get("en"))) for s in specs if remnant_hit(s, text)]
        if names:
            text = hit_sentences(specs, text, str(phrases(ctx).get("page_footer") or ""))
            names_seen, locations, _ = grouped.setdefault(text, ([], [], where))
            names_seen += [n for n in names if n not in names_seen]
            locations.append(Location(page, row=where, text=text))
    keys: dict[str, int] = {}
    for text, (names, locations, _) in grouped.items():
        if any(other != text and other in text for other in grouped):
            continue  # a run of lines glued together (page footers + a 备注): the shorter unit says it
        pages = "、".join(str(p) for p in dict.fromkeys(l.page for l in locations))
        standard = len({l.page for l in locations}) >= TEMPLATE_LINE_PAGES  # the template's own 备注 under every table
        yield Finding(rule.id, "info" if standard else rule.severity, say(ctx, f"第{pages}页留有模板痕迹（{'、'.join(names)}）：「{text[:60]}」", f"template remnant on page {pages} ({', '.join(names)}): {text[:60]}"),
                      expected=say(ctx, "删除或填写", "removed or filled in"), actual=text[:80], locations=locations, key=remnant_key(specs, text, keys))
    yield from remnant_cells(ctx, rule, specs)


def declared_empty(ctx: Context) -> set[int]:
    """Tables printed empty with an explanation: the template's blank rows (.....、指标1：) in
    them are the empty form itself, not text a preparer forgot to fill."""
    return {id(h.table) for h in outline(ctx).tables if h.table is not None and not has_figures(h.table)
            and (empty_note(ctx, h) or h.table.empty_note or narrative_explanation(ctx, h))}


def remnant_cells(ctx: Context, rule, specs):
    """One finding per pattern and table title (a form repeated per project counts once)."""
    first_pass = any_remnant(specs)
    declared = declared_empty(ctx)
    candidates = [(t, [c for c in texts if not first_pass or first_pass.search(c)]) for t, texts in table_cells(ctx) if id(t) not in declared]
    for spec in specs:
        grouped: dict[str, tuple[str, list[str], list[int]]] = {}
        for table, texts in candidates:
            cells = [c for c in texts if remnant_hit(spec, c)]
            if cells:
                label = table.label or say(ctx, f"第{table.pages[0]}页的表格", f"table on page {table.pages[0]}")
                _, found, pages = grouped.setdefault(norm(table.title) or str(table.pages[0]), (label, [], []))
                found += cells
                pages += [p for p in table.pages if p not in pages]
        name = say(ctx, str(spec.get("zh")), str(spec.get("en")))
        for key, (label, cells, pages) in grouped.items():
            where = "、".join(map(str, pages[:10]))
            yield Finding(rule.id, rule.severity, say(ctx, f"{label}（第{where}页）有 {len(cells)} 个单元格留有模板痕迹（{name}），如「{cells[0][:30]}」", f"{label} (pages {where}): {len(cells)} cells with template remnants ({name}), e.g. {cells[0][:30]}"),
                          expected=say(ctx, "删除或填写", "removed or filled in"), actual=cells[0][:60], locations=[Location(p, label, text=cells[0][:60]) for p in pages[:5]],
                          key=f"remnant-cells|{key}|{spec.get('id')}")


# --- draft_mark -------------------------------------------------------------

def mark_pages(ctx: Context, mark: str) -> list[int]:
    """Pages where the mark stands alone (a quick look at the whole text first): a line of
    its own, or a table cell on the page of its row (a form running over many pages)."""
    cells = table_cells(ctx)
    if mark not in outline(ctx).full_text and not any(mark in c for _, texts in cells for c in texts):
        return []
    prose = [(s.page, squash(s.text)) for s in ctx.doc.sentences if mark in squash(s.text)]
    lines = {ln.page for ln in ctx.doc.lines
             if stands_as_mark(ctx, text := squash(ln.text), mark) and not part_of_prose(ctx, ln.page, text, prose)}
    found = {grid_row_page(t, r) for t, texts in cells if any(mark in c for c in texts)
             for r, row in enumerate(t.grid) if any(c and stands_as_mark(ctx, squash(c), mark) for c in row)}
    return sorted(lines | found)


def stands_as_mark(ctx: Context, text: str, mark: str) -> bool:
    """The mark labels this document: it stands at the start or the end of a stamp-like line,
    a page header or footer or the title block (某某局2026年部门预算（征求意见稿）), not inside
    running prose (…进行造价内部审核及复核), a cited title (《…征求意见稿》) or a named work
    product (…等几项（征求意见稿）及编制说明)."""
    if mark not in text or cited_title(text, text.find(mark)) or phrase(ctx, "prose_punctuation").search(text):
        return False
    bare = text.strip("（）()【】[]")
    bracketed = any(f"{a}{mark}{b}" in text for a, b in ("（）", "()", "【】", "[]"))
    return (bare.startswith(mark) or bare.endswith(mark)) and (len(text) <= MARK_LINE or bracketed)


def cited_title(text: str, position: int) -> bool:
    head = text[:position]
    return head.count("《") > head.count("》")


def part_of_prose(ctx: Context, page: int, line: str, sentences: list[tuple[int, str]]) -> bool:
    """A line wrapped out of a longer sentence of the same page (…进行造价内部审核)."""
    return any(p == page and line in s and len(s) > len(line) and phrase(ctx, "prose_punctuation").search(s) for p, s in sentences)


def run_draft_mark(ctx: Context, rule):
    marks = sorted((str(m) for m in phrases(ctx).get("draft_marks", [])), key=len, reverse=True)
    doc, reported = ctx.doc, []
    for mark in marks:
        if any(mark in r for r in reported):
            continue
        watermarked = [w for w in doc.watermarks if mark in squash(w)]
        pages = mark_pages(ctx, mark)
        if watermarked or pages:
            reported.append(mark)
        if watermarked:
            pages = doc.watermark_pages
            yield Finding(rule.id, rule.severity, say(ctx, f"文件带有水印「{watermarked[0]}」（{len(pages)} 页），不能作为公开文本", f"the file carries the watermark {watermarked[0]} on {len(pages)} pages: not a publishable version"),
                          expected=say(ctx, "无内部标记", "no internal mark"), actual=watermarked[0], locations=[Location(p, text=watermarked[0]) for p in pages[:5]], key=f"draft-watermark|{mark}")
        if pages and not (watermarked and mark in "".join(doc.watermarks)):
            yield Finding(rule.id, rule.severity, say(ctx, f"正文有内部标记「{mark}」（第{'、'.join(map(str, pages[:8]))}页），不能作为公开文本", f"internal mark {mark} in the text (pages {', '.join(map(str, pages[:8]))})"),
                          expected=say(ctx, "无内部标记", "no internal mark"), actual=mark, locations=[Location(p, text=mark) for p in pages[:5]], key=f"draft-text|{mark}")


REMNANT_KINDS = {
    "phrase": CheckKind("phrase", "模板痕迹：填写说明、占位符、无效链接", validate_phrase, run_phrase),
    "draft_mark": CheckKind("draft_mark", "草稿与内部标记（文字或水印）", validate_none, run_draft_mark),
}
