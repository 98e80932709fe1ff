"""Narrative lines → sections and sentences with the figures they state."""
from __future__ import annotations

import re

from ..model.document import Line, Section, Sentence
from ..model.quantity import parse_quantity
from ..vocabulary.layout_patterns import HEADING_LEVELS

_HEADINGS = list(enumerate(HEADING_LEVELS, start=1))  # (level, pattern): 第一部分, 一、, （一）
_SENTENCE_ENDS = "。；;！？"
MAX_ASIDE = 200  # an aside longer than this is a bracket left open by mistake: it no longer holds the sentence together
FIGURE = re.compile(r"(?<![\d.])([-−]?\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|千元|元|%|个|辆|人次|人|台（套）|台|项|批次|次|家|套|名)")


def heading_level(text: str) -> int:
    for level, pattern in _HEADINGS:
        if pattern.match(text) and len(text) <= 40 and not text.endswith("。"):
            return level
    return 0


def figures_in(text: str):
    """Every figure with a unit stated in a text, in order."""
    found = []
    for match in FIGURE.finditer(text):
        quantity = parse_quantity(match.group(1), match.group(2))
        if quantity is not None:
            found.append(quantity)
    return found


def split_narrative(lines: list[Line]) -> tuple[list[Section], list[Sentence]]:
    sections: list[Section] = []
    sentences: list[Sentence] = []
    current = ""
    buffer, buffer_page = "", 0
    for line in lines:
        if sections and not buffer and sections[-1].title is current and open_bracket(current) and len(line.text) <= 20 \
                and not open_bracket(current + line.text) and not heading_level(line.text):  # a heading wrapped: …（请注意…| 相符）
            if sentences and sentences[-1].text == current and sentences[-1].section == current:
                sentences.pop()
            current = sections[-1].title = current + line.text
            sentences += heading_sentence(Line(sections[-1].page, current))
            continue
        level = heading_level(line.text)
        if level:
            sentences += flush(buffer, buffer_page, current)
            buffer = ""
            sections.append(Section(line.text, line.page, level))
            current = line.text
            sentences += heading_sentence(line)
            continue
        if not buffer:
            buffer_page = line.page
        buffer += line.text
        if buffer.endswith(("。", "；", ";", "！", "？", "：")) and not inside_aside(buffer):
            sentences += flush(buffer, buffer_page, current)
            buffer = ""
    sentences += flush(buffer, buffer_page, current)
    return sections, sentences


def open_bracket(text: str) -> bool:
    """A title with an opening bracket it does not close: it goes on on the next line."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def heading_sentence(line: Line) -> list[Sentence]:
    """A heading that states figures (（一）收入预算930.94万元，其中：) is also a sentence."""
    figures = figures_in(line.text)
    return [Sentence(line.page, line.text, line.text, figures)] if figures else []


def flush(text: str, page: int, section: str) -> list[Sentence]:
    parts = [p.strip() for p in sentence_parts(text) if p.strip()]
    return [Sentence(page, section, part, figures_in(part)) for part in parts]


def sentence_parts(text: str) -> list[str]:
    """The text cut after each 。；！？ outside brackets: a 。 inside an aside
    (…费346.67万元（购置费36万元…；运行维护费310.67万元…。）比上年增加…) ends the aside's
    own statement, not the sentence the brackets sit in."""
    parts, start = [], 0
    for index, depth in bracket_depths(text):
        if depth == 0 and text[index] in _SENTENCE_ENDS:
            parts.append(text[start:index + 1])
            start = index + 1
    return parts + [text[start:]]


def bracket_depths(text: str):
    """(index, bracket depth) for each character; an aside open longer than MAX_ASIDE is dropped."""
    depth, opened = 0, 0
    for index, char in enumerate(text):
        if char in "（(":
            depth, opened = depth + 1, opened if depth else index
        elif char in "）)" and depth:
            depth -= 1
        elif depth and index - opened > MAX_ASIDE:
            depth = 0
        yield index, depth


def inside_aside(text: str) -> bool:
    """The text ends inside brackets it opened (a wrapped line: …（购置费…。| ）比上年…)."""
    depths = [depth for _, depth in bracket_depths(text)]
    return bool(depths) and depths[-1] > 0
