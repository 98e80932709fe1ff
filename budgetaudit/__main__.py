"""`python -m budgetaudit` runs the command line."""
from .cli.main import main

main()
