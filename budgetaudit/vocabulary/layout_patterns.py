"""The layout vocabulary of a disclosure, read once from rules/layout.yaml: how parts,
headings and tables are numbered (一、 （一） 第一部分 表3 预算公开表十), how a 目录 line
ends (leaders and a page number), how a unit or money-unit label line reads, which
words start a note, where a year is printed. Reading modules (ingest/outline.py) and check
kinds use these; no module writes a layout pattern of its own, so a new regional layout
is a change to that file. It is ingest vocabulary: part of the parse cache key
(cache.parser_version), and not overridden by a user's rule folder."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..model.text import squash
from ..safe.errors import RuleFileError
from ..safe.yamlfile import load_yaml
from .shipped import default_rules_dir
from .table_catalog import CN, NUM, normalize_title

LAYOUT_FILE = "layout.yaml"


def load_layout(path: Path) -> dict:
    """The vocabulary in rules/layout.yaml: each pattern compiled ({CN} and {NUM} filled in),
    each word list a tuple; a pattern that does not compile names its file and line."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(str(path), None, "版式词表应为键值表 / the layout vocabulary must be a mapping")
    return {key: layout_value(data, key, path) for key in data}


def layout_value(data, key: str, path: Path):
    value = data[key]
    if isinstance(value, dict) and "words" in value:
        return tuple(str(w) for w in value["words"])
    if isinstance(value, list):
        return tuple(compiled_at(str(v), data, key, path) for v in value)
    return compiled_at(str(value), data, key, path)


def compiled_at(pattern: str, data, key: str, path: Path) -> re.Pattern:
    try:
        return re.compile(pattern.replace("{NUM}", NUM).replace("{CN}", CN))
    except re.error as exc:
        line = data.line_of(key) if hasattr(data, "line_of") else None
        raise RuleFileError(str(path), line, f"{key}：正则表达式无效 / invalid regular expression ({exc})") from exc


VOCABULARY = load_layout(default_rules_dir() / LAYOUT_FILE)
TOC_TITLES = VOCABULARY["toc_titles"]  # the line that opens a 目录
NUMBER_LINE = VOCABULARY["number_line"]  # 表3 / 预算公开表十 / （表3） on a line of its own
NUMBER_IN_TITLE = VOCABULARY["number_in_title"]  # 表3、收支预算总表 / …（表3）
TOC_ENTRY = VOCABULARY["toc_entry"]  # a 目录 line or body heading opens with a part, an ordinal or a table number
ORDINAL = VOCABULARY["ordinal"]  # groups: 2 part, 3 first level, 4 second level, 5 table number, 6 arabic
LEADER = VOCABULARY["leader"]
TRAILING_PAGE = VOCABULARY["trailing_page"]
TRAILING_QUALIFIER = VOCABULARY["trailing_qualifier"]
QUALIFIER = VOCABULARY["qualifier"]  # a parenthetical anywhere in a title
ORG_OR_UNIT = VOCABULARY["org_or_unit"]
ORG_LINE = VOCABULARY["org_line"]
ORG_CODE = VOCABULARY["org_code"]
NOTE_START = VOCABULARY["note_start"]
CARRIED_NOTE = VOCABULARY["carried_note"]  # a note opening a page: the rest of the previous page's table
YEAR = VOCABULARY["year"]
INDEX_CELL = VOCABULARY["index_cell"]
ATTACHMENT_PREFIX = VOCABULARY["attachment_prefix"]
COVER_TITLE_END = VOCABULARY["cover_title_end"]
SENTENCE_END = VOCABULARY["sentence_end"]
HEADING_END = VOCABULARY["heading_end"]
PRINTED_END = VOCABULARY["printed_end"]  # a short line ending so is prose, not a printed heading
ROW_ORDINAL = VOCABULARY["row_ordinal"]
ROW_LEAD = VOCABULARY["row_lead"]
QUOTES = VOCABULARY["quotes"]
ROW_LEVELS = VOCABULARY["row_levels"]
HEADING_LEVELS = VOCABULARY["heading_levels"]  # narrative headings, level 1 (第一部分) first
YEAR_LABEL = VOCABULARY["year_label"]
CHANGE_LABEL = VOCABULARY["change_label"]
UNIT_IN_LABEL = VOCABULARY["unit_in_label"]
NAME_PUNCTUATION = VOCABULARY["name_punctuation"]
COST_SUFFIX = VOCABULARY["cost_suffix"]
FUND_SCOPE = VOCABULARY["fund_scope"]  # named groups: the scope a table title names
UNIT_COLUMN = VOCABULARY["unit_column"]  # a column naming the unit of a block of rows
LINE_CODE = VOCABULARY["line_code"]  # 进修及培训（20508）|102.32万元: the amount of one classification line
LINE_PART_OPENING = VOCABULARY["line_part_opening"]  # 具体为 / 其中 …: a passage that goes on splitting the line before it
ITEM_ORDINAL = VOCABULARY["item_ordinal"]  # 1. / （1） / ①: the number of a list item
ITEM_START = VOCABULARY["item_start"]  # what comes before an item numbered 1. / 2.
REASON_CLAUSE = VOCABULARY["reason_clause"]  # 主要原因是…
PRINTED_CODE = VOCABULARY["printed_code"]  # （309） printed after a narrative amount's name
PRINTED_LEVEL = VOCABULARY["printed_level"]  # （款） / （项）
CHANGE_FIRST = VOCABULARY["change_first"]  # 减少…65.56万元: a change stated verb first
SUM_WORDS = VOCABULARY["sum_words"]  # 合计: the figure after joined items is their sum
ITEM_JOINERS = VOCABULARY["item_joiners"]  # 和 / 与 / 及 / 、 joining items
LIST_ITEM = VOCABULARY["list_item"]  # 1. / （1） / ① opening a narrative list item
NAME_VARIANT = VOCABULARY["name_variant"]  # （一） / （基本建设）: one of sibling lines sharing a name


def cn_number(text: str) -> int | None:
    """表十九 → 19, 表1 → 1."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(c not in CN for c in text):
        return None
    if "十" not in text:
        return CN.index(text[0]) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (CN.index(tens) if tens else 1) * 10 + (CN.index(ones) if ones else 0)


def strip_ordinal(text: str) -> str:
    """一、部门主要职能 → 部门主要职能 (spaces removed)."""
    return ORDINAL.sub("", squash(text))


def ordinal_of(text: str) -> int | None:
    """The part or heading ordinal a title opens with (第二部分, 三、, （四）); None for table numbers and 1."""
    match = ORDINAL.match(squash(text))
    return cn_number(next((g for g in match.groups()[1:4] if g), "")) if match else None


FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@lru_cache(maxsize=16384)
def norm_title(title: str) -> str:
    """A title without its 目录 page number, normalised for comparison (full-width digits as
    ASCII: ２０２１年 is the year 2021 a 目录 prints as 2021年)."""
    return normalize_title(TRAILING_PAGE.sub("", squash(title).translate(FULL_WIDTH_DIGITS)))


def is_index_cell(text: str) -> bool:
    return bool(INDEX_CELL.match(text))


def org_without_code(text: str) -> str:
    return ORG_CODE.sub("", squash(text))


def without_attachment(text: str) -> str:
    """附件1：某某局2026年部门预算 → 某某局2026年部门预算."""
    return ATTACHMENT_PREFIX.sub("", squash(text))


def title_head(text: str) -> str:
    """某某局2026年部门预算 → 某某局 (the part of a cover title before the year)."""
    return COVER_TITLE_END.split(text)[0]


def year_in(text: str) -> int | None:
    match = YEAR.search(text)
    return int(match.group(1)) if match else None


def name_core(name: str) -> str:
    """A project name without brackets, quotes and separators."""
    return NAME_PUNCTUATION.sub("", name)
