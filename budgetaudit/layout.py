"""The layout vocabulary of a disclosure, in one place: how parts, headings and
tables are numbered (一、 （一） 第一部分 表3 预算公开表十), how a 目录 line
ends (leaders and a page number), how a unit or money-unit label line reads,
which words start a note, where a year is printed. Reading modules
(outline.py) and check kinds use these; checks never write a layout pattern of
their own."""
from __future__ import annotations

import re
from functools import lru_cache

from .recognize import normalize_title
from .text import squash

CN = "零一二三四五六七八九十"
_NUM = rf"[0-9{CN}]+"

TOC_TITLES = ("目录", "目次")  # the line that opens a 目录
# 表3 / 预算公开表十 / （表3） on a line of its own
NUMBER_LINE = re.compile(rf"^(预算公开|部门预算|单位预算|部门公开|公开)?(表|附表)({_NUM})$|^[（(](?:预算)?表({_NUM})[)）]$")
# 表3、收支预算总表 / …（表3）: a number printed inside a title
NUMBER_IN_TITLE = re.compile(rf"^(?:预算公开)?表({_NUM})[、.．:：]?|[（(](?:预算)?表({_NUM})[)）]")
# a 目录 line or a body heading opens with a part, an ordinal or a table number
TOC_ENTRY = re.compile(rf"^-?(第[{CN}]+部分|[{CN}]+、|[（(][{CN}]+[)）]|(预算公开)?表{_NUM}|附件|附表)")
# groups: 2 part (第一部分), 3 first level (一、), 4 second level (（一）), 5 table number, 6 arabic (1.)
ORDINAL = re.compile(rf"^-?(第([{CN}]+)部分|([{CN}]+)、|[（(]([{CN}]+)[)）]|(?:预算公开)?表({_NUM})[、.．:：]?|(\d{{1,2}})[.．、](?!\d{{0,2}}[.．%]))")
LEADER = re.compile(r"(\.{3,}|…{2,}|·{3,})\d*$")
TRAILING_PAGE = re.compile(r"(?:(\.{2,}|…+|·{2,})\d*|\d{1,3})$")
TRAILING_QUALIFIER = re.compile(r"[（(][^（）()]{1,12}[)）]$")
ORG_OR_UNIT = re.compile(r"^(单位名称|部门名称|编制单位|部门（单位）名称|部门\(单位\)名称)[:：]|单位[:：](万元|元)")
ORG_LINE = re.compile(r"^(单位名称|部门名称|部门（单位）名称|部门\(单位\)名称)[:：](.+?)(单位[:：].*)?$")
ORG_CODE = re.compile(r"^\d+|-\d+$")  # 101001-某某局 / 某某局-001
NOTE_START = ("注", "备注", "说明", "如此表", "此表", "本表", "（注", "(注", "（备注", "(备注")
YEAR = re.compile(r"((?:19|20)\d{2})年")
INDEX_CELL = re.compile(r"^(\*+|\d{1,2}|栏次|行次)$")  # a column-number row (栏次 1 2 3) or a line number
ATTACHMENT_PREFIX = re.compile(r"^附件\d*[:：]?")
COVER_TITLE_END = re.compile(r"(?:19|20)\d{2}年|部门预算|单位预算|预算")  # the unit's name ends where the title goes on
SENTENCE_END = re.compile(r"(?<=[。；;])")
HEADING_END = ("。", "；", "，")  # a line ending so is prose, not a heading or title
# row names: an ordinal prefix, a 其中 lead, quotes (bare row names compare equal across tables)
ROW_ORDINAL = re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|\d+[.、．])")
ROW_LEAD = re.compile(r"^其中[：:]?")  # 其中：（一）因公出国（境）支出
QUOTES = re.compile(r"[“”\"‘’]")
# a row label's level inside a table: 一、 > （一） > 1. > （1）
ROW_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d+[、.．](?!\d)"),
    re.compile(r"^[（(]\d+[)）]"),
)
YEAR_LABEL = re.compile(r"^((?:19|20)\d{2})年度?$")  # a row per year (2025年 / 2026年)
CHANGE_LABEL = re.compile(r"增减|变化|比上年")
UNIT_IN_LABEL = re.compile(r"[（(](万元|元)[)）]")  # 金额（万元）
NAME_PUNCTUATION = re.compile(r"[（）()【】\[\]“”\"、，,·\s-]")
COST_SUFFIX = re.compile(r"(支出|经费)$")


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


@lru_cache(maxsize=16384)
def norm_title(title: str) -> str:
    """A title without its 目录 page number, normalised for comparison."""
    return normalize_title(TRAILING_PAGE.sub("", squash(title)))


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
