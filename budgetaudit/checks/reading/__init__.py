"""Check kinds of rules/checks/reading/: problems met while reading the PDF, as findings
(problems.py: `reading`)."""
