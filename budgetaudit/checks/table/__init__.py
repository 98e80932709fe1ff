"""Check kinds of rules/checks/table/: arithmetic inside a table and between tables
(arithmetic.py: `row_identity`, `hierarchy`, `row_sum`, `tie` — `tie` also serves
rules/checks/cross/) and the names printed beside codes (code_names.py: `code_names`)."""
