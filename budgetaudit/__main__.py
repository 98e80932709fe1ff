"""`python -m budgetaudit` runs the command line."""
from .cli import main

main()
