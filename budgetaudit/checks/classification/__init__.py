"""Check kinds of rules/checks/classification/: printed 科目编码 and names against the
政府收支分类科目 data (codes.py: `classification`)."""
