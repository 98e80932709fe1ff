"""`budgetaudit facts`: the stated figures of one document as tidy rows (model/fact.py COLUMNS),
CSV or JSON — one row per fact, for analysts and for cross-document checks."""
from __future__ import annotations

import csv
import io
import json

from ..model.fact import COLUMNS, StatedFact


def render_csv(facts: list[StatedFact]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for fact in facts:
        writer.writerow(fact.row())
    return out.getvalue()


def render_json(facts: list[StatedFact]) -> str:
    return json.dumps({"columns": list(COLUMNS), "facts": [fact.row() for fact in facts]}, ensure_ascii=False, indent=1) + "\n"


RENDER = {"csv": render_csv, "json": render_json}
