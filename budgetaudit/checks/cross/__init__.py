"""Check kinds of rules/checks/cross/ that are not table arithmetic: amounts read from
form-like tables (forms.py: `project_amounts`, `form_tie`). The cross-table `tie` kind is
in table/arithmetic.py, beside the row sums it shares its helpers with."""
