"""Check kinds of rules/checks/gate/, what a publication must contain and must not:
required tables and explanations (required.py), 目录 against the body (toc.py), empty
tables (empty.py), template remnants and draft marks (remnants.py), the unit's name, year
and money unit (identity.py), project names (projects.py)."""
