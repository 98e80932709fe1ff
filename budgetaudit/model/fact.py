"""A stated figure with its context: the tidy row `budgetaudit facts` writes.

Every figure the document states — each money cell of a table and each narrative amount,
change, rate, share and count — is one `StatedFact`. Its `FactContext` says what the figure
is a figure *of*: entity, scenario (period), fund scope, classification and level. Each
dimension is read from the document (the figure's own words, or the table title, header,
section or cover that holds it) or is `unknown`; none is defaulted. Two figures may be
compared only when their contexts are equal in every dimension the comparison does not span
(as XBRL calculation checks compare facts only within one context).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

UNKNOWN = "unknown"

# The columns of `budgetaudit facts --format csv`, in order (README, "Facts").
COLUMNS = ("source", "page", "where", "measure", "concept", "value", "unit", "printed",
           "entity", "scenario", "fund_scope", "classification", "code", "level")


@dataclass(frozen=True)
class FactContext:
    entity: str = UNKNOWN  # the department (as named by the document) or a named 所属单位
    scenario: str = UNKNOWN  # budget | previous_budget | previous | final | adjusted | change
    fund_scope: str = UNKNOWN  # all | fiscal | general_budget | gov_fund | state_capital | special_account | unit_funds
    classification: str = UNKNOWN  # function | economic | none
    code: str = ""  # the printed 科目编码, if any
    level: str = ""  # 类 | 款 | 项 | total, from the code's length or a total row


@dataclass(frozen=True)
class StatedFact:
    source: str  # table | narrative
    page: int
    where: str  # table › row › column, or the sentence
    measure: str  # amount | change | rate | share | count | ratio
    concept: str  # the column role (total, basic, project, personnel …) or the narrative concept
    value: Decimal
    unit: str
    printed: str  # as printed
    context: FactContext

    def row(self) -> dict:
        """One tidy row: the fact's own fields and its context's, as strings."""
        data = {k: v for k, v in asdict(self).items() if k != "context"}
        data.update(asdict(self.context))
        data["value"] = str(self.value)
        return {column: str(data[column]) for column in COLUMNS}
