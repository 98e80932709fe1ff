"""Narrative sentences → facts: what each stated figure says.

A fact is one figure with its role — an amount (人员经费723.12万元), a change
(比上年减少63.94万元), a rate (降低6.87%), a share (占65%), a count (共5个) —
the concept it names (from concepts.yaml aliases) and, for changes, rates and
shares, the amount it belongs to. Comparison words (与上年一致, 持平, 无增减变化)
imply a change of 0. Sentences joined by ；(or by a trailing 其中：) form a
passage, so an enumeration (其中：1.… 2.…) is read as one list.

Only words live here; concept names and aliases come from concepts.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..model.document import Sentence
from ..model.quantity import MONEY_UNITS, Quantity, parse_quantity
from ..vocabulary.layout_patterns import CHANGE_FIRST, ITEM_JOINERS, ITEM_ORDINAL, ITEM_START, LINE_CODE, LINE_PART_OPENING, LIST_ITEM, NAME_VARIANT, PRINTED_CODE, PRINTED_LEVEL, REASON_CLAUSE, SUM_WORDS
from .outline import cover_lines
from .outline import cover_year as outline_cover_year

UNITS = r"万元|亿元|千元|元|%|个|辆|人次|人|台（套）|台|项|批次|次|家|套|名"
FIGURE = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)({UNITS})(?!以上|以下|以内)")
BOUNDARY = re.compile(r"[，,；;。：:、]")
PARENS = re.compile(r"（[^（）]*）")
CHANGE_VERB = re.compile(r"(增加|减少|增长|降低|下降|上升|提高|压减|节约|增|减)了?$")
RATE_VERB = re.compile(r"(增加|减少|增长|降低|下降|上升|提高|增|减|降)了?(幅度)?(为|是)?$")
UP_WORDS = ("增", "上升", "提高")
STRONG_CHANGE = re.compile(r"(增加|减少|增长|降低|下降|上升|提高|压减)了?$")  # a change even without 比上年
BASE = re.compile(r"^(比|较|同比|相比)")
CHANGE_LEAD = re.compile(r"[^\u4e00-\u9fff]|年度|年|与|和|同|相|相比|对比")
COMPARED = re.compile(r"比|较|同比|上年")
SAME = re.compile(r"与上年[^，,；;。]{0,8}(一致|持平|相同)|持平|无增减变化|无变化|与\d{4}年[^，,；;。]{0,8}(一致|持平|相同)")
SHARE = re.compile(r"占([^，,；;。]*)$")
SHARE_LEAD = re.compile(r"[^\u4e00-\u9fff]|分别|各自|各|约|合计|共|所|的|比重|比例")
FILLER = re.compile(r"^(预算|预算数|预算总额|总额|总预算|当年|为|是|共|共计|合计|约|安排|金额|数|总计|的)*$")
FINAL_FILLER = re.compile(r"^(支出决算|决算数|决算|支出|为|是|共|共计|合计|约|金额|数|总计|的)*$")  # a 决算 states its outturn
ENUMERATOR = re.compile(r"(其中|包括|主要用于以下方面|主要用于)[：:，,]?")
TOTAL_WORD = re.compile(r"共|合计|总计")
PARTIAL_OPENING = re.compile(r"^[：:，,]?(主要|重点)")  # 其中主要支出为…, 包括：主要…
PARTIAL_LEAD = re.compile(r"(主要|重点)$")  # 主要包括：… (the marker is 包括)
UNPRICED_ITEM = re.compile(r"[，、,][^，、,\d]{1,15}(费|支出|经费)")
LINK = re.compile(r"(的|拨款|安排的|安排|资金|预算)*")  # words joining a qualifier to the alias it narrows
LINK_SPAN = 6
QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "「": "", "」": "", "(": "（", ")": "）", ":": "：", ";": "；"})
LEVELS = ("类", "款", "项")
LEVEL_OF_CODE = {3: "类", 5: "款", 7: "项"}
COUNT_UNITS = {"个", "辆", "人次", "人", "台（套）", "台", "项", "批次", "次", "家", "套", "名"}


def clean(text: str) -> str:
    """Whitespace and quotes removed, brackets and colons full-width: the form aliases are matched in."""
    return re.sub(r"\s+", "", text or "").translate(QUOTES)


@dataclass
class Fact:
    role: str  # amount | change | rate | share | count | ratio
    value: Quantity
    sentence: Sentence
    start: int  # offset in the passage text
    end: int = 0
    concept: str = ""
    phrase: str = ""  # the alias as written ("narrowed": an alias narrowed by a qualifier, left unlinked)
    direction: int = 0  # +1 increase, -1 decrease (change and rate)
    implied: bool = False  # a change of 0 read from 持平 / 与上年一致
    subject: "Fact | None" = None  # the amount a change, rate or share belongs to
    change: "Fact | None" = None  # the change a rate divides
    definition: list[str] = field(default_factory=list)  # concepts named in （即…之和）
    whole_concept: str = ""  # share: the concept named after 占
    names_whole: bool = False  # share: words after 占 name its whole (占部门预算总支出的), not just 占比
    base: bool = False  # amount: a comparison base (比2025年年初预算数85296.07万元), not a subject
    own_subject: bool = False  # change: its clause names what changed (收入较去年增加…), not the amount before it
    own_part: str = ""  # share: the part named before 占 in its own clause, with no figure (货物采购金额占…)
    code: str = ""  # amount: the classification code printed right before it (进修及培训（20508）102.32万元), else one its own brackets print (资本性支出（309）)
    reason: bool = False  # stated in a reason clause (主要原因是…2021年部门预算中包含城建资金40亿元): not a part, not a total
    level: str = ""  # amount: the level printed (类/款/项, from the code or a （项） marker)
    variant: str = ""  # amount: which of sibling lines sharing a name (机关资本性支出（一）, 资本性支出（基本建设）)
    entity: str = ""  # the unit whose figure it is: "" for the department, or the unit a section heading names

    @property
    def is_money(self) -> bool:
        return self.value.unit in MONEY_UNITS

    @property
    def text(self) -> str:
        return f"{self.value}"


@dataclass
class Enumeration:
    whole: Fact
    parts: list[Fact]
    marker: str
    stated_whole: bool  # the whole is stated in the same passage before the marker
    counted: bool  # the whole counts every part: 共/合计 introduces it, or (counts) its parts name it whole
    opening: str = ""  # passage text before the marker
    partial: bool = False  # only some parts are named (主要…, …等)
    total_word: bool = False  # 共/合计/总计 is written before the marker


@dataclass
class Passage:
    section: str
    sentences: list[Sentence]
    text: str
    offsets: list[int]
    facts: list[Fact] = field(default_factory=list)
    enumerations: list[Enumeration] = field(default_factory=list)
    context: "Passage | None" = None  # the previous passage of the same section

    def sentence_at(self, pos: int) -> Sentence:
        index = max(i for i, start in enumerate(self.offsets) if start <= pos)
        return self.sentences[index]


class Aliases:
    """Concept aliases from concepts.yaml, longest first, and the qualifier words
    (concepts marked `qualifier`) that narrow an alias written after them."""

    def __init__(self, concepts: dict, final: bool = False):
        self.filler = FINAL_FILLER if final else FILLER
        pairs, qualifiers, funds = [], [], []
        for concept_id, spec in concepts.items():
            names = [clean(str(n)) for n in [spec.get("zh", "")] + list(spec.get("aliases", []) or []) if n]
            if spec.get("qualifier"):
                qualifiers += names
                funds += names if spec.get("qualifier") == "fund" else []
            else:
                pairs += [(n, concept_id) for n in names]
        self.pairs = sorted(set(pairs), key=lambda p: -len(p[0]))
        self.qualifiers = sorted(set(qualifiers), key=len, reverse=True)
        self.funds = funds
        self.words = sorted({a for a, _ in self.pairs} | set(self.qualifiers), key=len, reverse=True)
        self.unfunded = [w for w in self.words if w not in funds]
        self.all_funds = {c: bool(spec.get("all_funds")) for c, spec in concepts.items()}
        self.codes = {c: str(spec.get("code") or "") for c, spec in concepts.items()}

    def at_end(self, segment: str) -> tuple[str, str]:
        """The concept whose alias ends the segment (allowing filler such as 预算为),
        unless the alias is narrowed by what is written right before it."""
        candidates = []
        for alias, concept in self.pairs:
            index = segment.rfind(alias)
            if index < 0 or not (FILLER.match(segment[index + len(alias):]) or self.filler.match(segment[index + len(alias):])):
                continue
            candidates.append((len(segment) - index - len(alias), -len(alias), index, alias, concept))
        for _, _, index, alias, concept in sorted(candidates):
            if not self.narrowed(segment, index, self.all_funds.get(concept, False)) and not summed(segment, index, alias):
                return concept, alias
        return "", "narrowed" if candidates else ""

    def narrowed(self, segment: str, index: int, all_funds: bool = True) -> bool:
        """Another alias or a qualifier ends right before position `index` (possibly joined by
        的/拨款/安排: 政府性基金拨款|支出预算, 上年结转结余的|一般公共预算收入) or runs into it
        (基本支出|预算: 基本支出预算 is not 支出预算). A fund qualifier narrows only an
        all-funds concept (一般公共预算安排的三公经费 is the 三公经费 table's own scope)."""
        for word in self.words if all_funds else self.unfunded:
            start = segment.rfind(word, 0, index + len(word) - 1)
            while start >= 0:
                end = start + len(word)
                if start < index and (end > index or LINK.fullmatch(segment[end:index])):
                    return True
                if start == 0 or index - end > LINK_SPAN:
                    break
                start = segment.rfind(word, 0, start + len(word) - 1)
        return False

    def scoped(self, fact: "Fact") -> bool:
        """The fact names a narrowed amount (财政拨款基本支出) or its alias carries a
        fund qualifier (财政拨款支出, 一般公共预算支出; not 项目 in 项目支出)."""
        return fact.phrase == "narrowed" or any(q in fact.phrase for q in self.funds)

    def anywhere(self, segment: str) -> list[str]:
        """Concepts named anywhere in the segment (a narrowed alias names none)."""
        found, rest = [], segment
        for alias, concept in self.pairs:
            index = rest.find(alias)
            if index >= 0:
                if not self.narrowed(rest, index, self.all_funds.get(concept, False)):
                    found.append(concept)
                rest = rest.replace(alias, "|")
        return found


def summed(segment: str, index: int, alias: str) -> bool:
    """A total of items joined before the alias (人员经费和公用经费合计): the figure is their sum."""
    after = segment[index + len(alias):]
    return any(w in after for w in SUM_WORDS) and any(j in segment[:index] for j in ITEM_JOINERS)


# --- passages ---------------------------------------------------------------

def passages_of(sentences: list[Sentence]) -> list[Passage]:
    """Sentences joined while the previous one ends in ； or in an open list (其中：)."""
    passages: list[Passage] = []
    for sentence in sentences:
        text = clean(sentence.text)
        last = passages[-1] if passages else None
        if last and last.section == sentence.section and continues(last.text):
            last.offsets.append(len(last.text))
            last.sentences.append(sentence)
            last.text += text
        else:
            passages.append(Passage(sentence.section, [sentence], text, [0]))
    return passages


def continues(text: str) -> bool:
    if text.endswith(("；", ";")):
        return True
    return text.endswith("：") and bool(re.search(r"(其中|包括|如下|主要用于以下方面)：$", text))


# --- facts in one passage ---------------------------------------------------

def read_passage(passage: Passage, aliases: Aliases) -> None:
    text = passage.text
    previous_end = 0
    for match in FIGURE.finditer(text):
        quantity = parse_quantity(match.group(1), match.group(2))
        if quantity is None:
            continue
        fact = Fact("", quantity, passage.sentence_at(match.start()), match.start(), match.end())
        classify(fact, text, previous_end, aliases)
        if fact.role:
            passage.facts.append(fact)
            fact.reason = in_reason(text, fact.start)
        previous_end = match.end()
    for fact in passage.facts:
        if fact.reason and fact.role == "amount" and fact.concept:
            fact.concept, fact.phrase = "", "narrowed"  # the figure explains a change; it states no total
    link(passage)
    implied_changes(passage)
    passage.enumerations = enumerations_in(passage)


def in_reason(text: str, position: int) -> bool:
    """A 原因是 / 原因一是 opens before `position` in the same clause chain (no ；or 。 between)."""
    found = [m for m in REASON_CLAUSE.finditer(text, 0, position)]
    return bool(found) and not re.search(r"[。；;]", text[found[-1].end():position])


def strip_parens(segment: str) -> tuple[str, str]:
    """Segment without parenthesised asides, and the asides joined."""
    asides = " ".join(PARENS.findall(segment))
    return PARENS.sub("", segment), asides


def classify(fact: Fact, text: str, floor: int, aliases: Aliases) -> None:
    clause = last_clause(text[floor:fact.start])
    unit = fact.value.unit
    if unit == "%":
        classify_percent(fact, clause, aliases)
    elif unit in MONEY_UNITS and CHANGE_VERB.search(clause) and (COMPARED.search(clause) or STRONG_CHANGE.search(clause)):
        fact.role = "change"
        fact.direction = direction_of(CHANGE_VERB.search(clause).group(1))
        compared = COMPARED.search(clause)
        fact.own_subject = bool(compared) and bool(CHANGE_LEAD.sub("", strip_parens(clause[: compared.start()])[0]))
    elif unit in MONEY_UNITS and clause.startswith(CHANGE_FIRST):
        fact.role, fact.own_subject = "change", True  # 减少某单位公用经费65.56万元: the change names its own subject
        fact.direction = direction_of(next(w for w in CHANGE_FIRST if clause.startswith(w)))
    else:
        fact.role = "count" if unit in COUNT_UNITS else "amount"
        bare, asides = strip_parens(clause)
        fact.concept, fact.phrase = aliases.at_end(bare)
        fact.base = bool(BASE.match(bare))
        fact.code = line_code(clause)
        if fact.concept:
            printed_line(fact, clause, aliases)
        if "即" in asides or "之和" in asides:
            fact.definition = aliases.anywhere(clean(asides))


def line_code(clause: str) -> str:
    found = LINE_CODE.search(clause)
    return found.group(1) if found else ""


def printed_line(fact: Fact, clause: str, aliases: Aliases) -> None:
    """The line the amount's own brackets print: a code, a level, a variant of a name sibling
    lines share. A code or a level other than the concept's own names another line (309 is
    not 310; a 项 is not its 类): the figure is left unlinked, compared at no other level."""
    groups = PARENS.findall(clause)
    codes = [m.group(1) for g in groups if (m := PRINTED_CODE.match(g))]
    marked = [m.group(1) for g in groups if (m := PRINTED_LEVEL.match(g))]
    fact.code = fact.code or (codes[-1] if codes else "")
    fact.level = LEVEL_OF_CODE.get(len(fact.code), "") if fact.code else max(marked, key=LEVELS.index, default="")
    at = clause.rfind(fact.phrase)
    tail = clause[at + len(fact.phrase):] if at >= 0 else ""
    fact.variant = "".join(m.group(1) for g in PARENS.findall(tail) if (m := NAME_VARIANT.match(g)))
    own = aliases.codes.get(fact.concept, "")
    if own and ((fact.code and fact.code != own) or LEVELS.index(fact.level or "类") > LEVELS.index(LEVEL_OF_CODE.get(len(own), "类"))):
        fact.concept, fact.phrase = "", "narrowed"


def last_clause(head: str) -> str:
    """The clause a figure ends: boundaries inside brackets do not count."""
    depth, cut = 0, 0
    for index, char in enumerate(head):
        if char == "（":
            depth += 1
        elif char == "）":
            depth = max(0, depth - 1)
        elif depth == 0 and BOUNDARY.match(char):
            cut = index + 1
    return head[cut:]


def classify_percent(fact: Fact, clause: str, aliases: Aliases) -> None:
    if share := SHARE.search(clause):
        fact.role = "share"
        named = aliases.anywhere(strip_parens(share.group(1))[0])
        fact.whole_concept = named[0] if named else ""
        fact.names_whole = bool(SHARE_LEAD.sub("", strip_parens(share.group(1))[0]))
        fact.own_part = SHARE_LEAD.sub("", strip_parens(clause[: share.start()])[0])
    elif verb := RATE_VERB.search(clause):
        fact.role = "rate"
        fact.direction = direction_of(verb.group(1))
    else:
        fact.role = "ratio"


def direction_of(verb: str) -> int:
    return 1 if verb.startswith(UP_WORDS) else -1


def link(passage: Passage) -> None:
    """Changes and shares to their amount, rates to their change."""
    for index, fact in enumerate(passage.facts):
        before = passage.facts[:index]
        if (fact.role == "change" and not fact.own_subject) or (fact.role == "share" and not fact.own_part):
            fact.subject = subject_of(before, passage.text, fact.start, money=True)
        elif fact.role == "rate":
            fact.change = next((f for f in reversed(before) if f.role == "change" and f.sentence is fact.sentence), None)
            fact.subject = fact.change.subject if fact.change else None


def subject_of(before: list[Fact], text: str, position: int, money: bool) -> Fact | None:
    """The nearest amount; after a 其中 list of two or more parts, the list's whole. An amount
    inside an aside closed before the position is a sub-item: what follows the closing
    bracket belongs to the amount the brackets split (运行维护费X万元（购置费a…）比上年增加d)."""
    amounts = [f for f in before if f.role == "amount" and f.is_money == money and not f.base
               and not closed_aside(text, f.end, position)]
    if not amounts:
        return None
    marker = text.rfind("其中", 0, position)
    if marker >= 0:
        parts = [f for f in amounts if f.start > marker]
        wholes = [f for f in amounts if f.start < marker]
        if len(parts) >= 2 and wholes and not own_clause(text, parts[-2], parts[-1], position):
            return wholes[-1]
    return amounts[-1]


def own_clause(text: str, previous: Fact, part: Fact, position: int) -> bool:
    """The part opens a clause of its own (…下降2.62%；公务用车购置费221.04万元，比上年增加221.04万元) and
    the change follows it in that clause: the change is the part's, not the list's whole."""
    return bool(re.search(r"[；;]", text[previous.end:part.start])) and not re.search(r"[；;。]", text[part.end:position])


def closed_aside(text: str, start: int, position: int) -> bool:
    """A bracket opened before `start` closes before `position`."""
    depth = 0
    for char in text[start:position]:
        if char == "（":
            depth += 1
        elif char == "）":
            depth -= 1
            if depth < 0:
                return True
    return False


def implied_changes(passage: Passage) -> None:
    """与上年一致 / 持平 after an amount: a change of 0 unless a change is stated."""
    added = []
    for index, fact in enumerate(passage.facts):
        if fact.role != "amount":
            continue
        following = passage.facts[index + 1] if index + 1 < len(passage.facts) else None
        stop = following.start if following else len(passage.text)
        tail = passage.text[fact.end:stop]
        if SAME.search(last_sentence_part(tail)) and not (following and following.role == "change"):
            zero = Quantity(Decimal(0), fact.value.unit, fact.value.places)
            added.append(Fact("change", zero, fact.sentence, fact.end, fact.end, implied=True, subject=fact))
    passage.facts = sorted(passage.facts + added, key=lambda f: (f.start, f.implied))


def last_sentence_part(tail: str) -> str:
    cut = re.search(r"[。；;]", tail)
    return tail[: cut.start()] if cut else tail


# --- enumerations -------------------------------------------------------------

def enumerations_in(passage: Passage) -> list[Enumeration]:
    markers = [m for m in ENUMERATOR.finditer(passage.text) if opens_list(passage.text, m.end())]
    found = []
    for index, marker in enumerate(markers):
        stop = markers[index + 1].start() if index + 1 < len(markers) else len(passage.text)
        for kind in ("amount", "count"):
            enumeration = list_at(passage, marker, stop, kind)
            if enumeration:
                found.append(enumeration)
    return found


def opens_list(text: str, position: int) -> bool:
    """A marker opens a list when the clause after it states a figure (not 主要包括：基本工资、…)."""
    rest = text[position:]
    clause = re.split(r"[，,；;。、]", rest, maxsplit=1)[0]
    return bool(FIGURE.search(clause))


def list_at(passage: Passage, marker, stop: int, kind: str) -> Enumeration | None:
    """Figures of one kind after a marker; a count list needs its whole stated before it."""
    same = [f for f in passage.facts if f.role == kind and not f.reason]
    parts = [f for f in same if marker.end() <= f.start < stop and not bracketed(passage.text, marker.end(), f.start)]
    first_break = re.search(r"[；;。]", passage.text[marker.end():stop])
    if parts and first_break and parts[0].start >= marker.end() + first_break.start():
        return None  # the marker's own clause states no figure of this kind (主要用于购置0辆；…)
    if parts and stop < len(passage.text) and whole_before(passage, stop, kind) is parts[-1]:
        parts = parts[:-1]  # the last figure before the next marker is that list's whole
    whole = whole_before(passage, marker.start(), kind)
    if not parts or (whole is None and kind == "count"):
        return None
    cut = False
    if kind == "count":
        parts = count_parts(passage.text, parts)
    elif whole is not None and "：" not in marker.group(0):
        kept = count_parts(passage.text, parts)
        parts, cut = kept, len(kept) < len(parts)
    total_word = bool(TOTAL_WORD.search(passage.text[: marker.start()]))
    enumeration = Enumeration(whole, parts, marker.group(1), whole is not None, total_word, total_word=total_word)
    enumeration.opening = passage.text[: marker.start()]
    enumeration.partial = cut or is_partial(passage.text, marker.end(), parts[-1].end) or bool(PARTIAL_LEAD.search(enumeration.opening))
    if kind == "count" and not total_word:
        # 编制75人，其中行政编制35人，事业编制40人: a count split into two or more parts of its own
        # unit, none left unnamed, is a whole with its parts although no 共/合计 introduces it
        enumeration.counted = len(parts) >= 2 and not enumeration.partial and {p.value.unit for p in parts} == {whole.value.unit}
    return enumeration


def count_parts(text: str, parts: list[Fact]) -> list[Fact]:
    """A count list ends at the first ；or 。 after its first part: 共有车辆2辆，其中：…其他用车2辆；
    单价100万元以上设备5台（套） lists vehicles only, and 共有车辆5辆，其中…；拟更新车辆1辆 too.
    So does an inline list with no colon (其中结转结余390.00万元，用于…；勤务辅警业务费523.08万元…):
    after the ； come siblings of its whole, or more parts — cut there, it is read as partial."""
    kept = parts[:1]
    for part in parts[1:]:
        if re.search(r"[；;。]", text[kept[-1].end:part.start]):
            break
        kept.append(part)
    return kept


def bracketed(text: str, start: int, position: int) -> bool:
    """A figure inside brackets opened after the marker splits the part before it
    (公务用车购置及运行维护费24.8万元（公务用车购置费0万元；运行维护费24.8万元）): counting it
    as a part of its own would count that part twice."""
    depth = 0
    for char in text[start:position]:
        depth += char == "（"
        depth -= char == "）" and depth > 0
    return depth > 0


def is_partial(text: str, start: int, end: int) -> bool:
    """A list that names only some parts: 其中主要支出为…, …等, or a last item without its amount
    (…取暖费23.37万元，维修（护）费。). Its parts may fall short of the whole."""
    tail = re.split(r"[。；;]", text[end:], maxsplit=1)[0]
    return bool(PARTIAL_OPENING.match(text[start:]) or tail.startswith("等") or UNPRICED_ITEM.fullmatch(tail))


def whole_before(passage: Passage, position: int, kind: str) -> Fact | None:
    """The figure a marker refers to: the last one before it, in the same clause chain (no ； between),
    never a comparison base (比上年预算数90万元)."""
    before = [f for f in passage.facts if f.role == kind and f.start < position and not f.base and not f.reason]
    if not before or re.search(r"[；;。]", passage.text[before[-1].end:position]):
        return None
    return before[-1]


# --- the whole narrative ------------------------------------------------------

def read_narrative(sentences: list[Sentence], concepts: dict, final: bool = False) -> list[Passage]:
    """Passages with their facts; lists and changes that lean on the previous passage are resolved."""
    aliases = Aliases(concepts, final)  # final: a 决算, whose 因公出国（境）费支出决算为4.69万元 names its concept
    passages = passages_of(sentences)
    for passage in passages:
        read_passage(passage, aliases)
    named: dict[str, Fact] = {}
    for fact in facts_of(passages):
        if fact.role == "amount" and fact.concept:
            named.setdefault(fact.concept, fact)
    for previous, passage in zip([None] + passages[:-1], passages):
        lean_on(previous, passage, named, aliases)
    numbered_lists(passages)
    coded_wholes(passages)
    narrow_line_parts(passages)
    narrow_listed_items(passages)
    for passage in passages:
        narrow_parts(passage, aliases, concepts)
        narrow_by_section(passage, aliases, concepts)
        narrow_item_details(passage)
    return passages


def narrow_line_parts(passages: list[Passage]) -> None:
    """Concepts split out of a classification line (进修及培训（20508）102.32万元。具体为：人员经费0.00万元…；
    对个人和家庭的补助（303）100151.38万元，其中：人员经费138.06万元) are that line's parts, not the
    department's totals: after a coded amount, in its passage and in the passages that go on
    splitting it (具体为：… / 其中：…), a concept without a code of its own names no total."""
    line: Fact | None = None
    for previous, passage in zip([None] + passages[:-1], passages):
        if line and not (previous and previous.section == passage.section and LINE_PART_OPENING.match(passage.text)):
            line = None
        for fact in passage.facts:
            if fact.role != "amount" or fact.base:
                continue
            if fact.code:
                line = fact
            elif line and fact.concept:
                fact.concept, fact.phrase = "", "narrowed"


def numbered_lists(passages: list[Passage]) -> None:
    """A list whose first part is numbered (其中：（1）…33.20万元；（2）…；…, 具体包括：1.…482万元，主要…482万元。)
    has one part per numbered item — the item's first amount, not the amounts that describe it — and
    its items go on over the following passages of the section (and pages) while the numbers run on."""
    for index, passage in enumerate(passages):
        for enumeration in passage.enumerations:
            marker = ENUMERATOR.match(passage.text, len(enumeration.opening))
            first = ITEM_ORDINAL.match(passage.text, marker.end()) if marker else None
            if not first or not enumeration.whole.is_money or item_number(first) != 1:
                continue
            items = numbered_items(passages, index, first)
            if len(items) >= 2:
                enumeration.parts = items
                enumeration.partial = bool(PARTIAL_LEAD.search(enumeration.opening) or PARTIAL_OPENING.match(passage.text[marker.end():]))


def item_number(match) -> int:
    number, bracketed_number, circled = match.groups()
    return int(number or bracketed_number) if not circled else ord(circled) - ord("①") + 1


def item_style(match) -> int:
    return next(i for i, group in enumerate(match.groups()) if group)


def numbered_items(passages: list[Passage], index: int, first) -> list[Fact]:
    """The first amount of item 1, 2, 3… of one numbering style, from `first` on to the end of its
    section; a restart at 1 ends the list, and so does an item that states no amount."""
    items, expected, style, section = [], 1, item_style(first), passages[index].section
    for passage in passages[index:]:
        if passage.section != section:
            break
        floor = first.start() if passage is passages[index] else 0
        for match in ITEM_ORDINAL.finditer(passage.text, floor):
            opens = match.start() == 0 or (passage is passages[index] and match.start() == first.start())
            if item_style(match) != style or (style == 0 and not opens and not ITEM_START.match(passage.text[match.start() - 1])):
                continue  # 1. begins an item only after 。；：; （19） and ⑲ may follow a line run on
            number = item_number(match)
            if number == 1 and expected > 1:
                return items
            if number != expected:
                continue
            amount = next((f for f in passage.facts if f.start >= match.end() and f.role == "amount" and f.is_money and not f.base), None)
            if amount is None:
                return items
            items.append(amount)
            expected += 1
    return items


def coded_wholes(passages: list[Passage]) -> None:
    """A list whose parts carry codes (其中：①培训支出（2050803）102.32万元) splits the nearest amount
    before it whose code is their parent's (进修及培训（20508）), not the figure before the marker."""
    coded: list[Fact] = []
    for index, passage in enumerate(passages):
        if index and passages[index - 1].section != passage.section:
            coded = []
        for enumeration in passage.enumerations:
            code = enumeration.parts[0].code
            if not code or enumeration.whole.code and code.startswith(enumeration.whole.code):
                continue
            before = coded + [f for f in passage.facts if f.code and f.start < enumeration.parts[0].start]
            parent = next((f for f in reversed(before) if len(f.code) < len(code) and code.startswith(f.code)), None)
            if parent is not None:
                enumeration.whole = parent
                enumeration.stated_whole = parent in passage.facts
        coded += [f for f in passage.facts if f.code and f.role == "amount"]
def narrow_listed_items(passages: list[Passage]) -> None:
    """A heading that states an amount and opens a list (（五）项目支出4,434.77万元，具体包括：)
    is the whole of the numbered items of its section: an item naming the same concept
    (1.生态环境监测项目支出4,094.77万元) is one of its parts, not the whole restated."""
    wholes: dict[str, set[str]] = {}
    for fact in facts_of(passages):
        heading = clean(fact.sentence.section)
        if fact.role == "amount" and fact.concept and clean(fact.sentence.text) == heading and continues(heading):
            wholes.setdefault(fact.sentence.section, set()).add(fact.concept)
    for fact in facts_of(passages):
        text = clean(fact.sentence.text)
        if fact.role == "amount" and fact.concept in wholes.get(fact.sentence.section, ()) and text != clean(fact.sentence.section) and LIST_ITEM.match(text):
            fact.concept, fact.phrase = "", "narrowed"


def narrow_item_details(passage: Passage) -> None:
    """After an amount that names no concept and heads no list (a project:
    信访接待中心运行费116万元), later concepts in the sentence describe such items
    (…上年结转122.31万元, 临聘人员经费15.56万元), not the department's totals."""
    wholes = {id(e.whole) for e in passage.enumerations}
    named_parts = {id(p) for e in passage.enumerations if e.whole.concept for p in e.parts}
    item_seen: set[int] = set()
    for fact in passage.facts:
        if fact.role != "amount" or fact.base:
            continue
        if id(fact.sentence) in item_seen and fact.concept:
            fact.concept, fact.phrase = "", "narrowed"
        elif not fact.concept and fact.phrase != "narrowed" and id(fact) not in wholes and id(fact) not in named_parts:
            item_seen.add(id(fact.sentence))  # an item, unless it is a part of a named whole (其中：信访接待费10万元，基本支出…)


def narrow_by_section(passage: Passage, aliases: Aliases, concepts: dict) -> None:
    """Under a heading that names a fund (关于财政拨款收支总表的说明), an all-funds concept
    (一般公共服务支出, 基本支出) stated without its own qualifier is that fund's share only."""
    if not any(word in clean(passage.section) for word in aliases.funds):
        return
    for fact in passage.facts:
        if fact.concept and concepts.get(fact.concept, {}).get("all_funds") and not aliases.scoped(fact):
            fact.concept, fact.phrase = "", "narrowed"


def narrow_parts(passage: Passage, aliases: Aliases, concepts: dict) -> None:
    """Parts listed under a narrowed whole (财政拨款基本支出…其中：人员经费…) or under a
    concept marked `narrows_parts` (财政拨款支出…主要用于：一般公共服务支出…) share its
    narrower scope: they are not the tables' totals of their concepts."""
    for enumeration in passage.enumerations:
        whole = enumeration.whole
        if whole.role == "amount" and (whole.phrase == "narrowed" or concepts.get(whole.concept, {}).get("narrows_parts")):
            for part in enumeration.parts:
                if part.concept and not aliases.scoped(part):
                    part.concept, part.phrase = "", "narrowed"


def lean_on(previous: Passage | None, passage: Passage, named: dict[str, Fact], aliases: Aliases) -> None:
    """A list or change without its own amount refers to what the text names before
    the marker (支出预算按功能支出包括：…) or, for a passage opening with the marker
    (其中：…), to the previous passage of the section."""
    context = previous if previous and previous.section == passage.section else None
    passage.context = context
    for enumeration in passage.enumerations:
        if enumeration.whole is None:
            enumeration.whole = unstated_whole(enumeration, context, named, aliases)
    passage.enumerations = [e for e in passage.enumerations if e.whole is not None]
    for fact in passage.facts:
        if fact.role in ("change", "share") and fact.subject is None and context and not fact.own_subject:
            fact.subject = last_of(context, "amount") if fact.role == "change" else None
        if fact.role == "rate" and fact.change is not None:
            fact.subject = fact.change.subject


def unstated_whole(enumeration: Enumeration, context: Passage | None, named: dict[str, Fact], aliases: Aliases) -> Fact | None:
    opening = last_clause(enumeration.opening)
    if re.fullmatch(r"[\d.、（）一二三四五六七八九十]*", opening):
        context = stating(context)
        return sibling_whole(context) or first_of(context, "amount", True)
    concepts = [c for c in aliases.anywhere(strip_parens(opening)[0]) if c in named]
    return named[concepts[0]] if concepts else None


def stating(context: Passage | None) -> Passage | None:
    """The passage a list opening with its marker splits: the previous one, or the one before it
    when the previous only explains (主要原因是…该车辆运行维护经费12.5万元由上级拨付。其中：1.…)."""
    amounts = [f for f in context.facts if f.role == "amount"] if context else []
    if context and context.context and amounts and all(f.reason for f in amounts):
        return context.context
    return context


def sibling_whole(context: Passage | None) -> Fact | None:
    """A second breakdown of one total (1.按功能分类，包括…。2.按用途分类，包括…): when the previous
    passage opens with a list of its own, the new list splits that list's whole, not its first part."""
    first = first_of(context, "amount", True)
    return next((e.whole for e in context.enumerations if first in e.parts), None) if context else None


def first_of(passage: Passage | None, role: str, money: bool) -> Fact | None:
    if passage is None:
        return None
    return next((f for f in passage.facts if f.role == role and f.is_money == money and not f.reason), None)


def last_of(passage: Passage, role: str) -> Fact | None:
    return next((f for f in reversed(passage.facts) if f.role == role and f.is_money), None)


def facts_of(passages: list[Passage]) -> list[Fact]:
    return [f for p in passages for f in p.facts]


# --- the document's own year and kind ------------------------------------------

def cover_year(doc) -> int | None:
    """The year the cover names (2026年部门预算, 2024年度部门决算), as the outline reads it."""
    found = outline_cover_year(doc.lines)
    return found[0] if found else None


def is_final_accounts(doc) -> bool:
    """A 决算 (final accounts): its cover says 决算."""
    return any("决算" in line.text.replace(" ", "") for line in cover_lines(doc.lines))
