"""The document's outline, read once when the document is built: the 目录 (its
lines, or a 目录 printed as a table), the headings of the body, the tables'
titles as printed (with the tables printed as a title alone), and the
sections. A 目录 lists headings; the body's headings start the sections, so a
目录 line never starts one. Check kinds read `Document.outline` and parse no
text of their own."""
from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from ..model.document import Document, Heading, Line, Outline, Printed, Section, Sentence, Table, TableHeading, TocEntry
from ..model.text import squash
from ..vocabulary.layout_patterns import (
    HEADING_END,
    LEADER,
    NOTE_START,
    NUMBER_IN_TITLE,
    NUMBER_LINE,
    ORDINAL,
    ORG_LINE,
    ORG_OR_UNIT,
    PRINTED_END,
    TOC_ENTRY,
    TOC_TITLES,
    TRAILING_PAGE,
    TRAILING_QUALIFIER,
    YEAR,
    cn_number,
    norm_title,
    ordinal_of,
    strip_ordinal,
)
from ..vocabulary.table_catalog import UNKNOWN, Catalog
from .sentences import heading_level, heading_sentence, split_narrative

MATCH_SCORE = 0.75  # a 目录 title and a body title this similar name the same thing
PRINTED_LENGTH = (2, 40)  # a heading-like line: short, not ending as prose does


def read_outline(doc: Document, catalog: Catalog, narrative: list[Line]) -> Outline:
    """The outline of `doc` (its tables and lines read), and its sections and sentences from
    the narrative lines: set on the document."""
    index = {id(line): i for i, line in enumerate(doc.lines)}
    entries, used = toc_from_lines(doc.lines, catalog)
    entries += toc_from_tables(doc.tables, catalog)
    outline = Outline(entries, used, {doc.lines[i].page for i in used}, {squash(doc.lines[i].text) for i in used})
    outline.tables = table_headings(doc, catalog, used)
    outline.printed = printed_lines(doc.lines, used)
    outline.notes = [(ln.page, squash(ln.text)) for i, ln in enumerate(doc.lines) if i not in used and squash(ln.text).startswith(NOTE_START)]
    outline.org_lines = org_lines(doc.lines)
    outline.cover_year = cover_year(doc.lines)
    outline.full_text = "".join(squash(ln.text) for ln in doc.lines)
    body, breaks = [], set()
    for line in narrative:
        if index.get(id(line)) in used:
            breaks.add(len(body))
        else:
            body.append(line)
    doc.sections, doc.sentences = sections_and_sentences(body, section_entries(entries), breaks)
    outline.headings = body_headings(doc, used)
    return outline


# --- the 目录 ---------------------------------------------------------------

def toc_from_lines(lines: list[Line], catalog: Catalog) -> tuple[list[TocEntry], set[int]]:
    start = next((i for i, ln in enumerate(lines) if squash(ln.text) in TOC_TITLES), None)
    if start is None:
        return [], set()
    entries: list[TocEntry] = []
    used = {start}
    size = None
    in_tables = entry_in_tables = False
    for i in range(start + 1, len(lines)):
        line = lines[i]
        text = squash(line.text)
        if not text:
            continue
        if size is not None and abs(line.size - size) > 0.6:
            break
        wrapped_tail = entries and not TOC_ENTRY.match(text) and len(entry_title(text)) <= 6 and (TRAILING_PAGE.search(text) or unnumbered_tail(lines, i, size))
        if wrapped_tail or (not TOC_ENTRY.match(text) and not LEADER.search(text)):
            if wrapped_tail or (entries and len(text) <= 14 and TRAILING_PAGE.search(text)):  # a wrapped entry's tail
                joined = entries[-1].text + text  # read again: the whole title names the table (…支出 | 情况表)
                entries[-1] = toc_entry(catalog, entries[-1].page, joined, entry_title(joined), entry_in_tables)
                in_tables = opens_tables(entries[-1], entry_in_tables)
                used.add(i)
                continue
            break
        title = entry_title(text)
        if entries and title == entries[0].title:
            break
        size = size or line.size
        used.add(i)
        entry_in_tables = in_tables
        entry = toc_entry(catalog, line.page, text, title, in_tables)
        in_tables = opens_tables(entry, in_tables)
        entries.append(entry)
    return entries, used


def opens_tables(entry: TocEntry, in_tables: bool) -> bool:
    """第二部分 部门预算表 / 二、表格部分 opens the tables; the next part closes them."""
    if entry.level == 1 or (entry.level == 2 and not entry.is_table and entry.ordinal is not None):
        return names_tables(entry.title)
    return in_tables


WRAPPED_TAIL = 6  # characters of a 目录 entry that wrapped onto a line of their own


def unnumbered_tail(lines: list[Line], index: int, size: float | None) -> bool:
    """A 目录 without page numbers whose entry wrapped (…会议费等情 | 况): a short line in the
    entries' type, followed by another entry."""
    line = lines[index]
    if size is None or abs(line.size - size) > 0.6 or len(squash(line.text)) > WRAPPED_TAIL:
        return False
    after = next((ln for ln in lines[index + 1:] if squash(ln.text)), None)
    return after is not None and abs(after.size - size) <= 0.6 and bool(TOC_ENTRY.match(squash(after.text)))


def entry_title(text: str) -> str:
    text = TRAILING_PAGE.sub("", squash(text).lstrip("-"))
    return ORDINAL.sub("", text).strip()


def printed_page(text: str) -> int | None:
    """The page number a 目录 line ends with (……12)."""
    match = TRAILING_PAGE.search(squash(text))
    digits = "".join(c for c in match.group(0) if c.isdigit()) if match else ""
    return int(digits) if digits else None


def toc_entry(catalog: Catalog, page: int, text: str, title: str, in_tables: bool) -> TocEntry:
    match = ORDINAL.match(squash(text))
    level, ordinal, number = 2, None, None
    if match:
        part, first, second, table_no, arabic = match.group(2), match.group(3), match.group(4), match.group(5), match.group(6)
        level = 1 if part else 3 if (second or arabic) else 2
        ordinal = cn_number(part or first or second or arabic or "")
        number = cn_number(table_no) if table_no else None
    kind = catalog.classify(title) if "表" in title else UNKNOWN
    names_table = TRAILING_QUALIFIER.sub("", title).endswith("表")  # 一般公共预算支出表（按功能分类）
    is_table = level != 1 and (number is not None or (kind != UNKNOWN and (in_tables or names_table)) or (in_tables and names_table))
    if is_table and number is None and in_tables:
        number = ordinal
    return TocEntry(page, squash(text), title, level, ordinal, number, kind, is_table, printed_page=printed_page(text))


def names_tables(title: str) -> bool:
    return TRAILING_QUALIFIER.sub("", title).endswith(("表", "表格", "表格部分", "报表"))


def is_table_group(entry: TocEntry) -> bool:
    """A 目录 line that heads the tables (第二部分 2026年度部门预算表, 五、部门预算表), not a table itself."""
    return not entry.is_table and entry.kind == UNKNOWN and names_tables(entry.title)


def section_entries(entries: list[TocEntry]) -> list[TocEntry]:
    """目录 entries that name a part of the explanation (not a table, not the tables' part)."""
    return [e for e in entries if not e.is_table and not is_table_group(e)]


def is_toc_table(table: Table) -> bool:
    return any("报表名称" in squash(c) for row in table.header for c in row)


def toc_from_tables(tables: list[Table], catalog: Catalog) -> list[TocEntry]:
    """A 目录 printed as a table (报表 | 报表名称 | 是否空表 | 公开空表理由)."""
    entries = []
    for table in tables:
        if not is_toc_table(table):
            continue
        for row in table.grid[len(table.header):]:
            cells = [squash(c) for c in row] + ["", "", "", ""]
            match = NUMBER_LINE.match(cells[0])
            if not match or not cells[1]:
                continue
            number = cn_number(match.group(3) or match.group(4))
            reason = cells[3] if cells[2] == "是" else ""
            entries.append(TocEntry(table.pages[0], cells[0] + cells[1], cells[1], 2, number, number, catalog.classify(cells[1]), True, reason))
    return entries


# --- matching titles --------------------------------------------------------

def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


@lru_cache(maxsize=65536)
def title_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a and b and min(len(a), len(b)) >= 2 and (a in b or b in a):
        return 0.95
    return similar(a, b)


def match_entries(entries: list[TocEntry], items: list, title_of) -> dict[int, object]:
    """Greedy best match of 目录 entries to body items by normalised title."""
    pairs = []
    for i, entry in enumerate(entries):
        for j, item in enumerate(items):
            titles = title_of(item)
            score = max(title_score(norm_title(entry.title), norm_title(t)) for t in ([titles] if isinstance(titles, str) else titles))
            if score >= MATCH_SCORE:
                pairs.append((score, i, j))
    matched, taken = {}, set()
    for _score, i, j in sorted(pairs, key=lambda p: -p[0]):
        if i not in matched and j not in taken:
            matched[i] = items[j]
            taken.add(j)
    for i, entry in enumerate(entries):  # second pass: same kind and number, title worded differently
        for j, item in enumerate(items):
            kind, number = getattr(item, "kind", UNKNOWN), getattr(item, "number", None)
            if i not in matched and j not in taken and entry.kind != UNKNOWN and kind == entry.kind and number == entry.number:
                matched[i] = item
                taken.add(j)
    return matched


# --- sections ---------------------------------------------------------------

def sections_and_sentences(lines: list[Line], entries: list[TocEntry], breaks: set[int] = frozenset()) -> tuple[list[Section], list[Sentence]]:
    """Sections start at the body's headings: numbered ones (一、 （一） 第一部分), and lines
    that open a paragraph with the title of a 目录 entry no numbered heading matches (a body
    that prints 主要职能 where its 目录 says 一、主要职能). `breaks`: where a 目录 line was
    left out, a sentence ends (the lines around it are not one text)."""
    starts = unnumbered_headings(lines, entries, breaks)
    if not starts and not breaks:
        return split_narrative(lines)
    sections: list[Section] = []
    sentences: list[Sentence] = []
    cuts = sorted({0, len(lines)} | set(starts) | set(breaks))
    for begin, end in zip(cuts, cuts[1:]):
        head = starts.get(begin)
        part_sections, part_sentences = split_narrative(lines[begin + (head is not None):end])
        current = lines[begin].text if head is not None else sections[-1].title if sections else ""
        for sentence in part_sentences:
            sentence.section = sentence.section or current
        if head is not None:
            part_sections.insert(0, Section(lines[begin].text, lines[begin].page, head))
            part_sentences[:0] = heading_sentence(lines[begin])
        sections += part_sections
        sentences += part_sentences
    return sections, sentences


def unnumbered_headings(lines: list[Line], entries: list[TocEntry], breaks: set[int] = frozenset()) -> dict[int, int]:
    """{line index: level} of paragraph-opening short lines that carry a 目录 entry's title,
    for the entries no numbered body heading carries."""
    numbered = [Section(ln.text, ln.page, heading_level(ln.text)) for ln in lines if heading_level(ln.text)]
    matched = match_entries(entries, numbered, lambda s: strip_ordinal(s.title))
    open_entries = [e for i, e in enumerate(entries) if i not in matched]
    if not open_entries:
        return {}
    candidates = [i for i, ln in enumerate(lines) if (i in breaks or opens_paragraph(lines, i)) and heading_like(ln.text) and not heading_level(ln.text)]
    found = match_entries(open_entries, candidates, lambda i: squash(lines[i].text))
    return {i: min(max(open_entries[e].level, 1), 3) for e, i in found.items()}


def opens_paragraph(lines: list[Line], index: int) -> bool:
    if index == 0:
        return True
    before = squash(lines[index - 1].text)
    return before.endswith(("。", "；", ";", "！", "？", "：")) or bool(heading_level(lines[index - 1].text))


def heading_like(text: str) -> bool:
    text = squash(text)
    return PRINTED_LENGTH[0] <= len(text) <= PRINTED_LENGTH[1] and not text.endswith(PRINTED_END)


def body_headings(doc: Document, toc_lines: set[int]) -> list[Heading]:
    """The body's sections, and the numbered lines outside the narrative (a part title
    printed above a table: 第二部分 部门预算表)."""
    found = [Heading(s.page, s.title, strip_ordinal(s.title), s.level, ordinal_of(s.title)) for s in doc.sections]
    known = {(s.page, squash(s.title)) for s in doc.sections}
    for i, line in enumerate(doc.lines):
        text = squash(line.text)
        if i not in toc_lines and TOC_ENTRY.match(text) and len(text) <= 40 and (line.page, text) not in known:
            found.append(Heading(line.page, line.text, strip_ordinal(text), 1, ordinal_of(text)))
    return found


def printed_lines(lines: list[Line], toc_lines: set[int]) -> list[Printed]:
    """Short heading-like lines outside the 目录: a section's title may carry the unit's name
    (某某办公室主要职能 for 部门主要职能) or stand on its own line under 第一部分."""
    return [Printed(ln.page, ln.text, strip_ordinal(ln.text)) for i, ln in enumerate(lines) if i not in toc_lines and heading_like(ln.text)]


# --- tables' titles ---------------------------------------------------------

def table_headings(doc: Document, catalog: Catalog, toc_lines: set[int]) -> list[TableHeading]:
    lines, found = doc.lines, []
    for index in range(len(lines)):
        heading = heading_at(doc, catalog, index, toc_lines)
        if heading is None:
            continue
        previous = found[-1] if found else None
        if previous and heading.table is not None and heading.table is previous.table:
            if heading.title == previous.title:
                if heading.page not in previous.pages:
                    previous.pages.append(heading.page)  # a continuation page repeats the heading
                continue
            if heading.page == previous.page:  # a section heading above the table's own title
                previous.aliases.append(heading.title)
                if previous.number is None:
                    previous.number, previous.number_text = heading.number, heading.number_text
                continue
        found.append(heading)
    return sorted(found + titles_in_tables(doc, found), key=lambda h: h.page)


def titles_in_tables(doc: Document, found: list[TableHeading]) -> list[TableHeading]:
    """Tables whose title the reader took into the table (no title line left in the text)."""
    covered = {id(h.table) for h in found if h.table is not None}
    extra = []
    for table in doc.tables:
        title = squash(table.title)
        in_title = NUMBER_IN_TITLE.search(title)
        if id(table) in covered or not title or is_toc_table(table) or (table.kind == UNKNOWN and not in_title):
            continue
        if any(h.table is not None and h.title == title and h.kind == table.kind for h in extra + found):
            continue  # a continuation of a table already listed
        number_line = NUMBER_LINE.match(squash(table.number or ""))
        number_text = squash(table.number or "") if number_line else (in_title.group(0).strip("、.．:：（）()") if in_title else "")
        number = cn_number(next((g for g in number_line.groups()[2:] if g), "")) if number_line else cn_number(next((g for g in in_title.groups() if g), "")) if in_title else None
        extra.append(TableHeading(table.pages[0], title, number, number_text, table.kind, [squash(n) for n in table.notes], table, list(table.pages)))
    return extra


def heading_at(doc: Document, catalog: Catalog, index: int, toc_lines: set[int]) -> TableHeading | None:
    lines = doc.lines
    line = lines[index]
    text = squash(line.text)
    if index in toc_lines or len(text) > 60 or "表" not in text or text.endswith(HEADING_END):
        return None
    if text.startswith(NOTE_START + ("-",)) or NUMBER_LINE.match(text):
        return None
    kind = catalog.classify(text)
    in_title = NUMBER_IN_TITLE.search(text)
    table = table_titled(doc, text, line.page, kind)
    if table is not None and text != squash(table.title) and text in squash(table.title):
        text, kind = squash(table.title), table.kind  # one line of a title wrapped onto two: the table's whole title
    if kind == UNKNOWN and not in_title and not (table is not None and table.number):
        return None
    same_page = [ln for ln in lines[max(0, index - 2): index + 4] if ln.page == line.page and ln is not line]
    if table is None and not any(NUMBER_LINE.match(squash(ln.text)) or ORG_OR_UNIT.search(squash(ln.text)) for ln in same_page):
        return None
    number_text = ""
    for offset in (1, -1, 2, -2):
        near = lines[index + offset] if 0 <= index + offset < len(lines) else None
        if near is not None and near.page == line.page and (m := NUMBER_LINE.match(squash(near.text))):
            number_text = squash(near.text)
            number = cn_number(m.group(3) or m.group(4))
            break
    else:
        number = cn_number(next((g for g in in_title.groups() if g), "")) if in_title else None
        number_text = in_title.group(0).strip("、.．:：") if in_title else ""
    notes = [squash(ln.text) for ln in lines[index + 1: index + 12] if ln.page == line.page and squash(ln.text).startswith(NOTE_START)]
    if table is not None:
        notes += [squash(n) for n in table.notes if squash(n) not in notes]
    return TableHeading(line.page, text, number, number_text, kind, notes, table, [line.page])


def table_titled(doc: Document, text: str, page: int, kind: str) -> Table | None:
    """The table on `page` that this title line names: its title, one line of its title wrapped
    onto two (2021年…“三公”经费及 / 会议费、培训费支出预算表), or a title of its kind."""
    for table in doc.tables:
        if page in table.pages and (squash(table.title) == text or (kind != UNKNOWN and table.kind == kind)):
            return table
    for table in doc.tables:
        if page in table.pages and len(text) >= 4 and text in squash(table.title):
            return table
    return None


# --- labels and the cover ---------------------------------------------------

def org_lines(lines: list[Line]) -> list[tuple[str, str, int]]:
    """(label, unit name, page) of the lines that name the unit (单位名称：某某局 单位：万元)."""
    found = []
    for line in lines:
        if m := ORG_LINE.match(squash(line.text)):
            found.append((m.group(1), m.group(2), line.page))
    return found


def cover_lines(lines: list[Line]) -> list[Line]:
    """The first page's lines, largest type first."""
    first = min((ln.page for ln in lines), default=1)
    return sorted([ln for ln in lines if ln.page == first], key=lambda ln: -ln.size)


def cover_year(lines: list[Line]) -> tuple[int, int] | None:
    for line in cover_lines(lines):
        if m := YEAR.search(squash(line.text)):
            return int(m.group(1)), line.page
    return None


def outline_of(doc: Document, catalog: Catalog) -> Outline:
    """The document's outline; read here for a document built without one (a test's model)."""
    if doc.outline is None:
        sections, sentences = doc.sections, doc.sentences
        doc.outline = read_outline(doc, catalog, [])
        doc.sections, doc.sentences = sections, sentences
        doc.outline.headings = body_headings(doc, doc.outline.toc_lines)
    return doc.outline
