"""Check kinds: the Python behind `extends:`. A rule file names one of these
and supplies its keys; everything domain-specific stays in the YAML."""
from __future__ import annotations

from .base import CheckKind
from .classification import CLASSIFICATION_KINDS
from .comparisons import COMPARISON_KINDS
from .forms import FORM_KINDS
from .gate import GATE_KINDS
from .items import ITEM_KINDS
from .names import NAME_KINDS
from .narrative_lists import NARRATIVE_LIST_KINDS
from .narrative_match import NARRATIVE_MATCH_KINDS
from .narrative_rates import NARRATIVE_RATE_KINDS
from .reading import READING_KINDS
from .tables import TABLE_KINDS
from .years import YEAR_KINDS

KINDS: dict[str, CheckKind] = {}


def register(kinds: dict[str, CheckKind]) -> None:
    KINDS.update(kinds)


register(TABLE_KINDS)
register(READING_KINDS)
register(NARRATIVE_MATCH_KINDS)
register(NARRATIVE_RATE_KINDS)
register(NARRATIVE_LIST_KINDS)
register(GATE_KINDS)
register(FORM_KINDS)
register(CLASSIFICATION_KINDS)
register(ITEM_KINDS)
register(NAME_KINDS)
register(YEAR_KINDS)
register(COMPARISON_KINDS)
