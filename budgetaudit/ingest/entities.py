"""Which unit each narrative sentence speaks for.

A 部门预算 may consolidate several 预算单位 and give each its own section
(一、某某局（本级） … 二、某某监督站 …): a figure in such a section is that unit's, not the
department's. The unit is read from the heading of the section that holds the sentence —
a heading that is a unit name (it ends like a unit: 局, 中心, 站…, or is marked 本级) —
and lasts until a heading of the same or a higher level. Only a document with a section
for a unit other than the department itself is split: a lone 某某局 or 某某局（本级）
heading in a single-unit document is the department. Unit names and suffixes are the
`org_name` / `org_suffixes` / `org_labels` vocabulary of rules/phrases.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model.document import Document
from ..model.text import squash
from ..vocabulary.layout_patterns import TRAILING_QUALIFIER, YEAR, org_without_code, strip_ordinal, title_head, without_attachment
from .outline import cover_lines

MAX_NAME = 40
MIN_NAME = 4
HEADER_ROWS = 3


@lru_cache(maxsize=64)
def org_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def strip_label(phrases: dict, text: str) -> str:
    """部门名称：某某局 → 某某局 (`org_labels` in phrases.yaml)."""
    for label in phrases.get("org_labels", []) or []:
        if text.startswith(str(label)) and text[len(str(label)):len(str(label)) + 1] in (":", "："):
            return text[len(str(label)) + 1:]
    return text


def strip_suffix(phrases: dict, name: str) -> str:
    """某某局（本级） → 某某局 (`org_suffixes`)."""
    for suffix in sorted((str(s) for s in phrases.get("org_suffixes", [])), key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)]
    return name


def names_a_unit(phrases: dict, name: str) -> bool:
    """The words end like a unit's name (ignoring 本级 and a trailing bracketed alias)."""
    core = TRAILING_QUALIFIER.sub("", strip_suffix(phrases, name))
    return bool(core) and bool(org_pattern(str(phrases.get("org_name", "$"))).search(core))


def cover_name(doc: Document, phrases: dict) -> tuple[str, int] | None:
    """The unit's name on the cover: the largest line that names a unit (ends like 局, 中心, 办公室…),
    or the part of the title before the year (某某局2026年部门预算)."""
    org = org_pattern(str(phrases.get("org_name", "$")))
    for line in cover_lines(doc.lines):
        text = title_head(strip_label(phrases, without_attachment(line.text)))
        if 4 <= len(text) <= 30 and org.search(strip_suffix(phrases, text)):
            return text, line.page
    return None


def unit_heading(phrases: dict, title: str) -> str:
    """The unit a section heading names (二、某某监督站 → 某某监督站), or ""."""
    name = squash(strip_ordinal(title))
    if not name or len(name) > MAX_NAME or any(c.isdigit() for c in name):
        return ""
    marked = strip_suffix(phrases, name) != name
    return name if marked or names_a_unit(phrases, name) else ""


def is_department(phrases: dict, name: str, departments: list[str]) -> bool:
    """The heading names the department itself (the short form too: 某某局 for 某市某某局)."""
    core = strip_suffix(phrases, name)
    return any(d and (core == d or d.endswith(core) or core.endswith(d)) for d in (strip_suffix(phrases, x) for x in departments))


def unit_before(phrases: dict, words: str, departments: list[str]) -> str:
    """The unit a clause names right before a concept (某某科学院日常公用经费65.56万元): the
    words, when they end like a unit's name other than the department's; else ""."""
    if not departments:
        return ""  # the department's own name unknown: a name here may be it
    year = YEAR.match(words)
    name = words[year.end():] if year else words
    for link in phrases.get("unit_links", []) or []:
        name = name[: -len(str(link))] if name.endswith(str(link)) else name
    if len(name) < MIN_NAME or not names_a_unit(phrases, name) or is_department(phrases, name, departments):
        return ""
    return name


def section_entities(doc: Document, phrases: dict, departments: list[str]) -> list[tuple[str, str]]:
    """(section title, entity) in document order; entity "" is the department."""
    units = [unit_heading(phrases, s.title) for s in doc.sections]
    others = {strip_suffix(phrases, u) for u in units if u and not is_department(phrases, u, departments)}
    if len(others) < (1 if departments else 2):  # without the department's name, two units make it several
        return [(s.title, "") for s in doc.sections]
    found, current, level = [], "", 0
    for section, unit in zip(doc.sections, units):
        if current and section.level <= level:
            current = ""
        if unit:
            own = strip_suffix(phrases, unit) == unit and is_department(phrases, unit, departments)
            current, level = ("" if own else unit), section.level
        found.append((section.title, current))
    return found


def sentence_entities(doc: Document, phrases: dict, departments: list[str]) -> dict[int, str]:
    """{id(sentence): entity}: each sentence takes the entity of the section that holds it
    (sections and sentences both in document order; a title printed twice is found onward)."""
    sections = section_entities(doc, phrases, departments)
    found, at = {}, 0
    for sentence in doc.sentences:
        if at < len(sections) and sections[at][0] != sentence.section:
            at = next((i for i in range(at, len(sections)) if sections[i][0] == sentence.section), at)
        matched = at < len(sections) and sections[at][0] == sentence.section
        found[id(sentence)] = sections[at][1] if matched else ""
    return found


def member_units(doc: Document, phrases: dict) -> set[str]:
    """The document's own units: the names in a table column headed by an org label (单位名称:
    one row per unit, as a 收入预算总表 by unit or a list of the 预算单位 prints them), with and
    without their 本级 mark; forms (绩效目标表) name one unit each and list none."""
    labels = {squash(str(label)) for label in phrases.get("org_labels", []) or []}
    forms = set(phrases.get("form_kinds", []) or [])
    found: set[str] = set()
    for table in doc.tables:
        if table.kind in forms:
            continue
        for column in label_columns(table.grid, labels):
            for row in table.grid:
                name = org_without_code(strip_ordinal(squash(row[column]))) if column < len(row) else ""
                if names_a_unit(phrases, name):
                    found |= {name, strip_suffix(phrases, name)}
    return found


def label_columns(grid: list[list[str]], labels: set[str]) -> set[int]:
    return {i for row in grid[:HEADER_ROWS] for i, cell in enumerate(row) if squash(cell) in labels}


def listed_in_narrative(doc: Document, phrases: dict, name: str) -> bool:
    """The name is written in the part that lists the member units (部门预算单位构成)."""
    headings = [str(h) for h in phrases.get("unit_list_headings", []) or []]
    return any(any(h in s.section for h in headings) and name in squash(s.text) for s in doc.sentences)
